/**
 * @module
 * The error catalogue: every error Sightline reports, with its number, HTTP status, WebSocket
 * close code and whether a retry can help. Numbers 1001–1017, 2001 and 9999 are Zoom Cobrowse's,
 * used where the meaning matches, so a Zoom integrator's `session_error` handlers keep working.
 * Our own errors use 3xxx (realtime protocol), 4xxx (HTTP API) and 5xxx (server).
 *
 * `docs/errors.md` documents every entry; a test fails when the two disagree.
 */
import { CloseCode } from './close-codes.js';

interface CatalogueEntry {
  /** The public number, sent as `code` and in `session_error { code }`. */
  readonly code: number;
  /** HTTP status for the REST API. */
  readonly httpStatus: number;
  /** WebSocket close code, when this error ends a socket. */
  readonly closeCode: CloseCode;
  /** Whether the same request may succeed if repeated later. */
  readonly retryable: boolean;
  /** Default human-readable message. Callers may add a specific reason. */
  readonly message: string;
}

const entry = (
  code: number,
  httpStatus: number,
  closeCode: CloseCode,
  retryable: boolean,
  message: string,
): CatalogueEntry => ({ code, httpStatus, closeCode, retryable, message });

/** Every error, keyed by its name. */
export const ErrorCode = {
  // Session errors: Zoom's numbers.
  SESSION_START_FAILED: entry(
    1001,
    500,
    CloseCode.INTERNAL,
    true,
    'The session could not be started.',
  ),
  SESSION_CONNECTING_IN_PROGRESS: entry(
    1002,
    409,
    CloseCode.CONFLICT,
    true,
    'A connection for this session is already in progress.',
  ),
  SESSION_COUNT_LIMIT: entry(
    1004,
    409,
    CloseCode.CONFLICT,
    false,
    'This browser already has an active session on this site.',
  ),
  SESSION_JOIN_PIN_NOT_FOUND: entry(
    1006,
    404,
    CloseCode.NOT_FOUND,
    false,
    'No live session has this PIN.',
  ),
  SESSION_PIN_INVALID_FORMAT: entry(
    1008,
    400,
    CloseCode.BAD_REQUEST,
    false,
    'The PIN must be 1 to 10 letters or digits.',
  ),
  SESSION_START_PIN_REQUIRED: entry(
    1009,
    400,
    CloseCode.BAD_REQUEST,
    false,
    'This token enables bring-your-own-PIN, so a custom PIN is required.',
  ),
  SESSION_START_PIN_CONFLICT: entry(
    1010,
    409,
    CloseCode.CONFLICT,
    false,
    'That PIN is already in use by a live session.',
  ),
  SESSION_JOIN_FAILED: entry(
    1011,
    409,
    CloseCode.CONFLICT,
    true,
    'Could not join the session: it does not exist, has ended, or the connection failed.',
  ),
  SESSION_CUSTOMER_COUNT_LIMIT: entry(
    1012,
    409,
    CloseCode.CONFLICT,
    false,
    'This session already has a customer.',
  ),
  SESSION_AGENT_COUNT_LIMIT: entry(
    1013,
    409,
    CloseCode.CONFLICT,
    false,
    'This session already has the maximum number of agents.',
  ),
  SESSION_DUPLICATE_USER: entry(
    1015,
    409,
    CloseCode.CONFLICT,
    false,
    'This user is already in the session.',
  ),
  NETWORK_ERROR: entry(
    1016,
    503,
    CloseCode.UNAVAILABLE,
    true,
    'The network request to the server failed after multiple attempts.',
  ),
  SESSION_CANCELING_IN_PROGRESS: entry(
    1017,
    409,
    CloseCode.CONFLICT,
    false,
    'The session is ending.',
  ),
  // Authentication: Zoom's number.
  TOKEN_INVALID: entry(2001, 401, CloseCode.UNAUTHORIZED, false, 'The token is invalid.'),
  // Realtime protocol: ours.
  PROTOCOL_INVALID_MESSAGE: entry(
    3001,
    400,
    CloseCode.BAD_REQUEST,
    false,
    'The message does not match the protocol.',
  ),
  PROTOCOL_VERSION_UNSUPPORTED: entry(
    3002,
    426,
    CloseCode.UPGRADE_REQUIRED,
    false,
    'The server does not speak this protocol version.',
  ),
  HANDSHAKE_TIMEOUT: entry(
    3003,
    408,
    CloseCode.TIMEOUT,
    true,
    'The socket did not send session.hello in time.',
  ),
  HANDSHAKE_REQUIRED: entry(
    3004,
    401,
    CloseCode.UNAUTHORIZED,
    false,
    'The first frame on a socket must be session.hello.',
  ),
  FRAME_TOO_LARGE: entry(
    3005,
    413,
    CloseCode.TOO_LARGE,
    false,
    'The frame exceeds its size limit.',
  ),
  MESSAGE_NOT_ALLOWED: entry(
    3006,
    403,
    CloseCode.FORBIDDEN,
    false,
    'This participant may not send that message.',
  ),
  ORIGIN_NOT_ALLOWED: entry(
    3007,
    403,
    CloseCode.FORBIDDEN,
    false,
    'This page origin is not allowed to connect.',
  ),
  SLOW_CONSUMER: entry(
    3008,
    503,
    CloseCode.UNAVAILABLE,
    true,
    'This connection could not keep up; rejoin to resume from the checkout.',
  ),
  CONSENT_DECLINED: entry(
    3009,
    403,
    CloseCode.FORBIDDEN,
    false,
    'The customer declined to share their screen.',
  ),
  CONSENT_TIMEOUT: entry(
    3010,
    403,
    CloseCode.FORBIDDEN,
    false,
    'The customer did not answer the request to see their screen in time.',
  ),
  INVITE_INVALID: entry(
    3011,
    400,
    CloseCode.BAD_REQUEST,
    false,
    'This invitation link is not valid. Ask your support agent for a new one.',
  ),
  INVITE_EXPIRED: entry(
    3012,
    410,
    CloseCode.DO_NOT_RECONNECT,
    false,
    'This invitation link has expired. Ask your support agent for a new one.',
  ),
  INVITE_USED: entry(
    3013,
    410,
    CloseCode.DO_NOT_RECONNECT,
    false,
    'This invitation link was already used. Ask your support agent for a new one.',
  ),
  EXTENSION_PENDING: entry(
    3014,
    409,
    CloseCode.CONFLICT,
    true,
    'The customer is already being asked to extend the session.',
  ),
  EXTENSION_LIMIT_REACHED: entry(
    3015,
    409,
    CloseCode.CONFLICT,
    false,
    'The session has reached the longest it may last and cannot be extended.',
  ),
  EXTENSION_DECLINED: entry(
    3016,
    403,
    CloseCode.FORBIDDEN,
    false,
    'The customer declined to extend the session.',
  ),
  EXTENSION_TIMEOUT: entry(
    3017,
    408,
    CloseCode.TIMEOUT,
    true,
    'The customer did not answer the request to extend the session in time.',
  ),
  CONTROL_NOT_ALLOWED: entry(
    3018,
    403,
    CloseCode.FORBIDDEN,
    false,
    "The session's control mode, or the page's settings, do not allow that.",
  ),
  CONTROL_PENDING: entry(
    3019,
    409,
    CloseCode.CONFLICT,
    true,
    'A change of control mode is already waiting for an answer.',
  ),
  CONTROL_DECLINED: entry(
    3020,
    403,
    CloseCode.FORBIDDEN,
    false,
    'The customer declined the change of control mode.',
  ),
  CONTROL_APPROVAL_REQUIRED: entry(
    3021,
    403,
    CloseCode.FORBIDDEN,
    false,
    "Full control needs a manager's approval, which was not given.",
  ),
  CONTROL_TARGET_REFUSED: entry(
    3022,
    409,
    CloseCode.CONFLICT,
    false,
    "The customer's page refused the action on that element.",
  ),
  CONTROL_ACTION_DECLINED: entry(
    3023,
    403,
    CloseCode.FORBIDDEN,
    false,
    'The customer declined the action.',
  ),
  CONTROL_TIMEOUT: entry(
    3024,
    408,
    CloseCode.TIMEOUT,
    true,
    'The customer did not answer in time.',
  ),
  ANNOTATION_NOT_ALLOWED: entry(
    3025,
    403,
    CloseCode.FORBIDDEN,
    false,
    "Annotations are not allowed for this participant in the session's mode or on this page.",
  ),
  // HTTP API: ours.
  REQUEST_INVALID: entry(4001, 400, CloseCode.BAD_REQUEST, false, 'The request is invalid.'),
  ROUTE_NOT_FOUND: entry(4002, 404, CloseCode.NOT_FOUND, false, 'No such endpoint.'),
  SESSION_NOT_FOUND: entry(4003, 404, CloseCode.NOT_FOUND, false, 'No such session.'),
  SESSION_ENDED: entry(4004, 410, CloseCode.DO_NOT_RECONNECT, false, 'The session has ended.'),
  FORBIDDEN: entry(4005, 403, CloseCode.FORBIDDEN, false, 'This credential may not do that.'),
  CREDENTIALS_INVALID: entry(
    4006,
    401,
    CloseCode.UNAUTHORIZED,
    false,
    'The user name or password is wrong.',
  ),
  RATE_LIMITED: entry(
    4007,
    429,
    CloseCode.TOO_MANY_REQUESTS,
    true,
    'Too many attempts. Wait before trying again.',
  ),
  INVITES_NOT_CONFIGURED: entry(
    4008,
    409,
    CloseCode.CONFLICT,
    false,
    'This app has no invite page, so invitation links cannot be made.',
  ),
  MASK_RULE_NOT_FOUND: entry(4009, 404, CloseCode.NOT_FOUND, false, 'No such mask rule.'),
  MASK_RULE_LIMIT_REACHED: entry(
    4010,
    409,
    CloseCode.CONFLICT,
    false,
    'This app already has the most mask rules allowed.',
  ),
  APPROVAL_NOT_FOUND: entry(
    4011,
    404,
    CloseCode.NOT_FOUND,
    false,
    'No approval of this app is waiting with that id.',
  ),
  // Server: ours.
  CONFIG_INVALID: entry(
    5001,
    500,
    CloseCode.INTERNAL,
    false,
    'The server configuration is invalid.',
  ),
  SHUTTING_DOWN: entry(5002, 503, CloseCode.UNAVAILABLE, true, 'The server is shutting down.'),
  ASSET_NOT_BUILT: entry(
    5003,
    503,
    CloseCode.UNAVAILABLE,
    false,
    'This file is not built on the server; the operator must run `npm run build`.',
  ),
  // Zoom's catch-all.
  UNDEFINED: entry(9999, 500, CloseCode.INTERNAL, true, 'An unexpected error occurred.'),
} as const satisfies Record<string, CatalogueEntry>;

/** The name of an error, such as `TOKEN_INVALID`. */
export type ErrorName = keyof typeof ErrorCode;

/** The JSON body of every failed HTTP response, and the payload of a `session.error` frame. */
export interface ErrorBody {
  error: { code: number; name: ErrorName; message: string };
}

const NAME_BY_CODE: ReadonlyMap<number, ErrorName> = new Map(
  (Object.keys(ErrorCode) as ErrorName[]).map((name) => [ErrorCode[name].code, name]),
);

/** Looks up an error name by its public number. */
export function errorNameOf(code: number): ErrorName | undefined {
  return NAME_BY_CODE.get(code);
}

/**
 * The one error class. Everything thrown across a package boundary is a `SightlineError`, or is
 * turned into one by {@link toSightlineError} at the edge.
 */
export class SightlineError extends Error {
  /** The catalogue name, such as `TOKEN_INVALID`. */
  readonly errorName: ErrorName;
  /** The public number, such as 2001. */
  readonly code: number;
  readonly httpStatus: number;
  readonly closeCode: CloseCode;
  readonly retryable: boolean;
  /** For `RATE_LIMITED`: how long to wait, sent as the HTTP `Retry-After` header. */
  readonly retryAfterSeconds?: number;

  /**
   * @param name - the catalogue entry.
   * @param reason - a specific explanation, appended to the entry's message. Never put a secret
   *   or a masked value here: it is sent to the client.
   */
  constructor(
    name: ErrorName,
    reason?: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    const catalogued = ErrorCode[name];
    super(reason ? `${catalogued.message} ${reason}` : catalogued.message, options);
    this.name = 'SightlineError';
    this.errorName = name;
    this.code = catalogued.code;
    this.httpStatus = catalogued.httpStatus;
    this.closeCode = catalogued.closeCode;
    this.retryable = catalogued.retryable;
    if (options?.retryAfterSeconds !== undefined) {
      this.retryAfterSeconds = options.retryAfterSeconds;
    }
  }

  /** The wire form, for HTTP bodies and error frames. */
  toBody(): ErrorBody {
    return { error: { code: this.code, name: this.errorName, message: this.message } };
  }
}

/**
 * Turns anything thrown into a {@link SightlineError}. Unknown errors become `UNDEFINED` (9999)
 * with the original kept as `cause` for logs; their message is not exposed to clients.
 */
export function toSightlineError(thrown: unknown): SightlineError {
  if (thrown instanceof SightlineError) return thrown;
  return new SightlineError('UNDEFINED', undefined, { cause: thrown });
}
