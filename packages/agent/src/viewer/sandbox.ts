/**
 * @module
 * The one security check between the customer's DOM and the agent's page: the replay frame's
 * `sandbox` must exist and must not allow scripts (ADR 0001).
 */
import { SightlineError } from '@sightline/protocol';

/**
 * Throws unless `frame` has a `sandbox` attribute without `allow-scripts`. Tokens are compared
 * case-insensitively, as browsers do. A missing attribute fails too: no sandbox means scripts run.
 */
export function assertScriptlessSandbox(frame: Pick<Element, 'getAttribute'>): void {
  const sandbox = frame.getAttribute('sandbox');
  const tokens = sandbox?.toLowerCase().split(/\s+/) ?? [];
  if (sandbox === null || tokens.includes('allow-scripts')) {
    throw new SightlineError(
      'UNDEFINED',
      'The mirror frame is not sandboxed against scripts; refusing to render the page.',
    );
  }
}
