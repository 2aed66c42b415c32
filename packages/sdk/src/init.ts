/**
 * @module
 * `init`: checks the browser, resolves the settings once and returns a {@link CustomerSession},
 * then calls the optional callback asynchronously with `{ success, session, error }`, as Zoom
 * Cobrowse's `init` does. A failed `init` still returns a session; its `start` reports the error.
 *
 * When the page was opened from an agent's invitation link, `init` takes the invitation out of
 * the address and accepts it (unless `acceptInvites` is off): the callback then finds the session
 * `session_starting`, and its events follow.
 */
import { reportHandlerError } from '@sightline/client';
import { SightlineError, toSightlineError } from '@sightline/protocol';
import { resolveSettings, type SettingsContext, type SightlineSettings } from './options.js';
import { CustomerSession, type SessionEnvironment } from './session/customer-session.js';
import { takeInvite } from './session/invite.js';
import { errorPayloadOf, type SessionErrorPayload } from './session/start-request.js';

/** What the `init` callback receives. */
export type InitResult =
  | { success: true; session: CustomerSession }
  | { success: false; session: CustomerSession; error: SessionErrorPayload };

/** The `init` callback. */
export type InitCallback = (result: InitResult) => void;

/** Whether this browser has everything the SDK needs. */
export function browserSupported(): boolean {
  return (
    typeof document !== 'undefined' &&
    typeof globalThis.WebSocket === 'function' &&
    typeof globalThis.fetch === 'function' &&
    typeof globalThis.MutationObserver === 'function' &&
    typeof globalThis.TextEncoder === 'function' &&
    typeof globalThis.crypto?.getRandomValues === 'function'
  );
}

/** Whether the browser accepts `selector` (for checking `maskCssSelectors` up front). */
function isValidSelector(selector: string): boolean {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

/** The page's context for settings defaults, as far as there is a page. */
export function pageContext(scriptOrigin: string | undefined): SettingsContext {
  return {
    scriptOrigin,
    pageOrigin: typeof location === 'undefined' ? undefined : location.origin,
    isValidSelector: typeof document === 'undefined' ? undefined : isValidSelector,
  };
}

/**
 * Creates a customer session. Used by the ESM entry (`init`) and by the IIFE build, which adds
 * the origin of the script that loaded it as the `serverUrl` default.
 */
export function initCustomer(
  settings: SightlineSettings | undefined,
  callback: InitCallback | undefined,
  context: SettingsContext,
  environment?: SessionEnvironment,
): CustomerSession {
  let resolved;
  if (!browserSupported()) {
    resolved = new SightlineError(
      'SESSION_START_FAILED',
      'This browser cannot share its page (it lacks WebSocket, fetch or MutationObserver).',
    );
  } else {
    try {
      resolved = resolveSettings(settings, context);
    } catch (error) {
      resolved = toSightlineError(error);
    }
  }
  const session = new CustomerSession(resolved, environment);
  if (callback) {
    const result: InitResult =
      resolved instanceof SightlineError
        ? { success: false, session, error: errorPayloadOf(resolved) }
        : { success: true, session };
    void Promise.resolve().then(() => {
      try {
        callback(result);
      } catch (error) {
        reportHandlerError(error);
      }
    });
  }
  if (!(resolved instanceof SightlineError) && resolved.acceptInvites) {
    const invite = takeInvite(typeof window === 'undefined' ? undefined : window);
    if (invite !== undefined) void session.acceptInvite(invite);
  }
  return session;
}
