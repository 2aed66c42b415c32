/**
 * @module
 * WebSocket close codes. Each is 4000 + the HTTP status that means the same thing, so an operator
 * reading a proxy log and a developer reading `docs/errors.md` speak the same language. One extra
 * code, {@link CloseCode.DO_NOT_RECONNECT}, tells a client that the session is over for good.
 *
 * Clients decide whether to reconnect from the code alone ({@link shouldReconnect}), never from
 * the reason text, which is for humans and may change.
 */

/** Every close code the server sends. */
export const CloseCode = {
  /** A frame was malformed too many times, or the first frame was not `session.hello`. */
  BAD_REQUEST: 4400,
  /** No valid credential arrived in time, or the credential was rejected. */
  UNAUTHORIZED: 4401,
  /** The credential is valid but this socket may not do what it tried (wrong origin, wrong role). */
  FORBIDDEN: 4403,
  /** The session the credential names does not exist. */
  NOT_FOUND: 4404,
  /** `session.hello` did not arrive within the handshake deadline. */
  TIMEOUT: 4408,
  /** The session cannot take this participant (limits, duplicate user). */
  CONFLICT: 4409,
  /** A frame exceeded its size limit. */
  TOO_LARGE: 4413,
  /** The client speaks a protocol major version the server does not. */
  UPGRADE_REQUIRED: 4426,
  /** The client sent too much, too fast. */
  TOO_MANY_REQUESTS: 4429,
  /** The server failed; the client may retry. */
  INTERNAL: 4500,
  /** The server is shutting down or a dependency is down; the client should retry elsewhere. */
  UNAVAILABLE: 4503,
  /** The session has ended. Reconnecting cannot help. */
  DO_NOT_RECONNECT: 4999,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

const RETRYABLE_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.INTERNAL,
  CloseCode.UNAVAILABLE,
  CloseCode.TOO_MANY_REQUESTS,
  CloseCode.TIMEOUT,
]);

/**
 * Whether a client should try to reconnect after the socket closed with `code`.
 *
 * Codes below 4000 come from the network or the browser (1001 going away, 1006 abnormal), which are
 * exactly the drops reconnection exists for. Our 4xxx codes say a retry cannot help, except the
 * transient ones in {@link RETRYABLE_CLOSE_CODES}.
 */
export function shouldReconnect(code: number): boolean {
  if (code < 4000) return code !== 1000;
  return RETRYABLE_CLOSE_CODES.has(code);
}
