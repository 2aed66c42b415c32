/**
 * @module
 * `@sightline/agent`: join a Sightline co-browsing session by PIN and watch the customer's page
 * live, rendered in a frame that cannot run the page's scripts.
 *
 * ```ts
 * import { init } from '@sightline/agent';
 * import '@sightline/agent/style.css';
 *
 * const session = init({ root: document.getElementById('mirror')! });
 * session.on('session_ended', ({ reason }) => console.log('ended:', reason));
 * await session.join({ pinCode: '123 456', sdkToken });
 * ```
 */
import { resolveSettings, type AgentSettings } from './options.js';
import { AgentSession } from './session/agent-session.js';

/**
 * Creates an agent session that renders into `settings.root`. Throws `REQUEST_INVALID` (4001) for
 * settings that cannot work (no root, a `serverUrl` that is not an http(s) URL).
 */
export function init(settings: AgentSettings): AgentSession {
  return new AgentSession(resolveSettings(settings));
}

export { AgentSession } from './session/agent-session.js';
export type { JoinOptions, JoinResult, SessionInfo } from './session/agent-session.js';
export type { ConnectionStatus } from './session/lifecycle.js';
export type { AgentEventHandler, AgentEventMap, AgentEventName, MirrorStatus } from './events.js';
export { DEFAULTS } from './options.js';
export type { AgentOptions, AgentSettings } from './options.js';
export type { Clock, WebSocketConstructor } from '@sightline/client';
export type { Size } from './viewer/fit.js';
export { normalizePinCode } from './pin.js';
export { SightlineError } from '@sightline/protocol';
export type {
  Annotation,
  AnnotationTool,
  AuthoredAnnotation,
  ControlMode,
  EndReason,
  Participant,
  RemoteAction,
} from '@sightline/protocol';
export type { CommandResult, ControlInfo } from './session/control.js';
export { REFUSAL_WORDS } from './session/control.js';
export type { PointerPosition } from './session/annotations.js';
export { Annotations, drawingBlock } from './session/drawing.js';
export type { AgentTool, DrawingBlock, DrawingStyle } from './session/drawing.js';
