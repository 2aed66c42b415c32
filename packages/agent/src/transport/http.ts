/**
 * @module
 * The two HTTP calls the agent SDK makes: exchange a PIN for a join token, and revoke a session.
 * Every failure becomes a catalogued `SightlineError`.
 */
import {
  AgentConnectResponse,
  errorNameOf,
  ErrorCode,
  RevokeSessionResponse,
  SightlineError,
  toSightlineError,
  type AgentConnectRequest,
  type RevokeSessionRequest,
} from '@sightline/protocol';

/** The part of a zod schema this module uses. */
interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/** What an HTTP call needs besides its body. */
export interface HttpContext {
  serverUrl: string;
  sdkToken: string;
  fetch: typeof fetch;
}

/** `POST /api/agent/connect`: a PIN for `{ sessionId, joinToken }`. */
export function connectByPin(context: HttpContext, pin: string): Promise<AgentConnectResponse> {
  const body: AgentConnectRequest = { pin };
  return postJson(context, '/api/agent/connect', body, AgentConnectResponse);
}

/**
 * A join token for one attempt: the first join, or a rejoin of `sessionId`. On a rejoin, an
 * unknown PIN means the session ended while the socket was down; and since PINs are unique only
 * among live sessions, the same PIN naming another session means ours is over too.
 */
export async function joinTokenByPin(
  context: HttpContext,
  pin: string,
  sessionId: string | undefined,
  rejoin: boolean,
): Promise<AgentConnectResponse> {
  let answer;
  try {
    answer = await connectByPin(context, pin);
  } catch (thrown) {
    const error = toSightlineError(thrown);
    if (rejoin && error.errorName === 'SESSION_JOIN_PIN_NOT_FOUND') {
      throw new SightlineError('SESSION_ENDED', 'It ended while the connection was down.');
    }
    throw error;
  }
  if (sessionId !== undefined && answer.sessionId !== sessionId) {
    throw new SightlineError('SESSION_ENDED', 'Its PIN now belongs to another session.');
  }
  return answer;
}

/** `POST /api/session/revoke`: ends the session for everyone, with reason `revoked`. */
export function revokeSession(
  context: HttpContext,
  sessionId: string,
): Promise<RevokeSessionResponse> {
  const body: RevokeSessionRequest = { sessionId };
  return postJson(context, '/api/session/revoke', body, RevokeSessionResponse);
}

async function postJson<T>(
  context: HttpContext,
  path: string,
  body: unknown,
  schema: Schema<T>,
): Promise<T> {
  let response: Response;
  try {
    response = await context.fetch(`${context.serverUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${context.sdkToken}`,
      },
      body: JSON.stringify(body),
    });
  } catch (cause) {
    throw new SightlineError('NETWORK_ERROR', `${path} could not be reached.`, { cause });
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch (cause) {
    if (response.ok) {
      throw new SightlineError('UNDEFINED', `${path} did not answer with JSON.`, { cause });
    }
    throw errorOfStatus(response.status, path);
  }
  if (!response.ok) throw errorFromBody(json) ?? errorOfStatus(response.status, path);
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new SightlineError('UNDEFINED', `${path} answered with an unexpected shape.`);
  }
  return parsed.data;
}

/**
 * The catalogued error in an `ErrorBody` (`{ error: { code, name, message } }`), keeping the
 * server's specific reason, or `undefined` when the body is not one.
 */
export function errorFromBody(body: unknown): SightlineError | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = body.error;
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const name = typeof error.code === 'number' ? errorNameOf(error.code) : undefined;
  if (!name) return undefined;
  const message = 'message' in error && typeof error.message === 'string' ? error.message : '';
  const base = ErrorCode[name].message;
  const reason = message.startsWith(base) ? message.slice(base.length).trim() : message;
  return new SightlineError(name, reason || undefined);
}

function errorOfStatus(status: number, path: string): SightlineError {
  if (status === 401) return new SightlineError('TOKEN_INVALID');
  if (status >= 500) return new SightlineError('NETWORK_ERROR', `${path} answered ${status}.`);
  return new SightlineError('UNDEFINED', `${path} answered ${status}.`);
}
