/**
 * @module
 * `@sightline/client`: the plumbing the customer SDK (`@sightline/sdk`) and the agent SDK
 * (`@sightline/agent`) share. Internal: both bundle it from source; it is never published.
 */
export * from './annotations/index.js';
export { backoffDelay, type BackoffPolicy } from './backoff.js';
export { systemClock, type Clock, type TimerHandle } from './clock.js';
export {
  createConnection,
  type CloseOutcome,
  type Connection,
  type ConnectionEvents,
  type ConnectionOptions,
  type HelloCredential,
  type ReconnectInfo,
  type ReconnectPolicy,
  type ServerMessage,
} from './connection.js';
export { Emitter, reportHandlerError, type Handler, type HandlerErrorSink } from './emitter.js';
export { StateMachine, type TransitionFn } from './state-machine.js';
export {
  OPEN,
  type CloseEventLike,
  type MessageEventLike,
  type WebSocketConstructor,
  type WebSocketLike,
} from './websocket.js';
