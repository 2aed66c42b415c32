/**
 * @module
 * The console's own HTTP calls (same origin, `/api/...`) and where the sign-in is kept. Joining a
 * session goes through `@sightline/agent`.
 */
import {
  ConsoleLoginResponse,
  CreateInviteResponse,
  ErrorCode,
  SightlineError,
  errorNameOf,
  type ConsoleLoginRequest,
  type CreateInviteRequest,
} from '@sightline/protocol';

/** A signed-in agent. */
export type Auth = ConsoleLoginResponse;

const STORAGE_KEY = 'sightline.console.auth';

/** `POST /api/console/login`. Throws a `SightlineError` (4006 for a wrong password). */
export async function login(username: string, password: string): Promise<Auth> {
  const body: ConsoleLoginRequest = { username, password };
  let response: Response;
  try {
    response = await fetch('/api/console/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (cause) {
    throw new SightlineError('NETWORK_ERROR', undefined, { cause });
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw errorOf(json, response.status);
  const parsed = ConsoleLoginResponse.safeParse(json);
  if (!parsed.success) throw new SightlineError('UNDEFINED', 'Unexpected sign-in answer.');
  return parsed.data;
}

/**
 * `POST /api/agent/invite`: a session for a customer who is not there yet, and its one-time link.
 * Throws a `SightlineError` (4008 when the server has no invite page for the app).
 */
export async function createInvite(
  token: string,
  ticketRef?: string,
): Promise<CreateInviteResponse> {
  const body: CreateInviteRequest = ticketRef ? { ticketRef } : {};
  let response: Response;
  try {
    response = await fetch('/api/agent/invite', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  } catch (cause) {
    throw new SightlineError('NETWORK_ERROR', undefined, { cause });
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw errorOf(json, response.status);
  const parsed = CreateInviteResponse.safeParse(json);
  if (!parsed.success) throw new SightlineError('UNDEFINED', 'Unexpected invitation answer.');
  return parsed.data;
}

function errorOf(json: unknown, status: number): SightlineError {
  const code = (json as { error?: { code?: unknown } } | undefined)?.error?.code;
  const name = typeof code === 'number' ? errorNameOf(code) : undefined;
  if (name) return new SightlineError(name);
  if (status === 401) return new SightlineError('CREDENTIALS_INVALID');
  return status >= 500
    ? new SightlineError('NETWORK_ERROR', `The server answered ${status}.`)
    : new SightlineError('UNDEFINED', `The server answered ${status}.`);
}

/**
 * The stored sign-in, if it has not expired. Kept in `sessionStorage`: it lasts as long as the tab
 * and is not shared with other tabs or left behind on a shared computer.
 */
export function loadAuth(now = Date.now()): Auth | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return undefined;
    const parsed = ConsoleLoginResponse.safeParse(JSON.parse(raw));
    if (parsed.success && Date.parse(parsed.data.expiresAt) > now) return parsed.data;
  } catch {
    // Storage unavailable or corrupt: sign in again.
  }
  clearAuth();
  return undefined;
}

/** Keeps the sign-in for this tab. */
export function saveAuth(auth: Auth): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(auth));
  } catch {
    // Storage unavailable (private mode quota): the sign-in lasts until reload.
  }
}

/** Forgets the sign-in. */
export function clearAuth(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored, nothing to forget.
  }
}

/** Whether an error means the sign-in is no longer accepted. */
export function isSignInError(code: number): boolean {
  return code === ErrorCode.TOKEN_INVALID.code;
}
