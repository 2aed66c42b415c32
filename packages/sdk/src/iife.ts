/**
 * @module
 * Entry of the IIFE build served as `/sdk/sightline.js`. It sets `window.Sightline = { init,
 * version }` and replays the `init` calls the pre-load stub queued in `window.SightlineInitArgs`
 * while this script was loading. The `serverUrl` default is the origin this script came from.
 */
import { initCustomer, pageContext, type InitCallback } from './init.js';
import type { SightlineSettings } from './options.js';
import type { CustomerSession } from './session/customer-session.js';
import { SDK_VERSION } from './version.js';

/** The global the IIFE build defines. */
export interface SightlineGlobal {
  init(settings?: SightlineSettings, callback?: InitCallback): CustomerSession;
  version: string;
}

declare global {
  interface Window {
    Sightline?: SightlineGlobal | { init: (...args: unknown[]) => void };
    /**
     * Calls queued by the pre-load stub: an array of `arguments` objects (our stub), or a single
     * `arguments` object (Zoom's stub keeps only the last call).
     */
    SightlineInitArgs?: ArrayLike<unknown> | ArrayLike<unknown>[];
  }
}

/** Origin of the script being executed now; only readable while it runs its top level. */
function currentScriptOrigin(): string | undefined {
  const script = document.currentScript;
  const src = script instanceof HTMLScriptElement ? script.src : '';
  if (!src) return undefined;
  try {
    const origin = new URL(src).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

const context = pageContext(currentScriptOrigin());

const Sightline: SightlineGlobal = {
  init: (settings, callback) => initCustomer(settings, callback, context),
  version: SDK_VERSION,
};

function queuedCalls(queued: Window['SightlineInitArgs']): ArrayLike<unknown>[] {
  if (!queued) return [];
  return Array.isArray(queued) ? queued : [queued];
}

const queued = queuedCalls(window.SightlineInitArgs);
window.Sightline = Sightline;
window.SightlineInitArgs = undefined;
for (const args of queued) {
  const [settings, callback] = Array.from(args);
  Sightline.init(
    settings as SightlineSettings | undefined,
    typeof callback === 'function' ? (callback as InitCallback) : undefined,
  );
}
