/**
 * @module
 * `@sightline/sdk`: the customer side of Sightline co-browsing. Call {@link init}, then
 * `session.start({ sdkToken })`; the page is shared with agents who join by PIN, masked in this
 * browser before anything is sent.
 *
 * ```ts
 * import { init } from '@sightline/sdk';
 * const session = init({ serverUrl: 'https://cobrowse.example.com' });
 * session.on('pincode_updated', ({ pincode }) => showPin(pincode));
 * await session.start({ sdkToken });
 * ```
 */
import { initCustomer, pageContext, type InitCallback } from './init.js';
import type { SightlineSettings } from './options.js';
import type { CustomerSession } from './session/customer-session.js';
import { SDK_VERSION } from './version.js';

/**
 * Creates a customer session with `settings` (see {@link SightlineSettings}). `callback`, if given,
 * is called asynchronously with `{ success: true, session }`, or `{ success: false, session,
 * error }` when the browser is unsupported or a setting is invalid.
 */
export function init(settings?: SightlineSettings, callback?: InitCallback): CustomerSession {
  return initCustomer(settings, callback, pageContext(undefined));
}

/** This SDK's version. */
export const version: string = SDK_VERSION;

export { BLOCK_ATTRIBUTE, MASK_ATTRIBUTE } from './privacy/masking.js';
export type { AgentInfo, CustomerEventMap, CustomerEventName } from './events.js';
export type { InitCallback, InitResult } from './init.js';
export type {
  MaskType,
  MultiTabSettings,
  PiiMaskSettings,
  RemoteAssistSettings,
  SightlineSettings,
} from './options.js';
export type { SessionStatus } from './session/lifecycle.js';
export type {
  CustomerSession,
  SessionInfo,
  StartOptions,
  StartOutcome,
} from './session/customer-session.js';
export type { SessionErrorPayload } from './session/start-request.js';
