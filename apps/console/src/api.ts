/**
 * @module
 * The console's own HTTP calls (same origin, `/api/...`) and where the sign-in is kept. Joining a
 * session goes through `@sightline/agent`.
 */
import {
  ConsoleLoginResponse,
  ControlApprovalDecisionResponse,
  ControlApprovalListResponse,
  CreateInviteResponse,
  ErrorCode,
  SightlineError,
  errorNameOf,
  type ConsoleLoginRequest,
  type ControlApproval,
  type ControlApprovalDecisionRequest,
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

/** Whether a console user may approve `full_control` (ADR 0012). */
export function canApprove(auth: Auth): boolean {
  return auth.user.role === 'manager' || auth.user.role === 'admin';
}

/** `GET /api/agent/control-approvals`: requests for full control waiting, oldest first. */
export async function listApprovals(token: string): Promise<ControlApproval[]> {
  const json = await callJson(token, 'GET', '/api/agent/control-approvals');
  const parsed = ControlApprovalListResponse.safeParse(json);
  if (!parsed.success) throw new SightlineError('UNDEFINED', 'Unexpected approvals answer.');
  return parsed.data.approvals;
}

/** `POST /api/agent/control-approvals/:id`: approve or deny a request for full control. */
export async function decideApproval(
  token: string,
  id: string,
  decision: ControlApprovalDecisionRequest['decision'],
): Promise<ControlApprovalDecisionResponse> {
  const body: ControlApprovalDecisionRequest = { decision };
  const path = `/api/agent/control-approvals/${encodeURIComponent(id)}`;
  const json = await callJson(token, 'POST', path, body);
  const parsed = ControlApprovalDecisionResponse.safeParse(json);
  if (!parsed.success) throw new SightlineError('UNDEFINED', 'Unexpected decision answer.');
  return parsed.data;
}

async function callJson(
  token: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (cause) {
    throw new SightlineError('NETWORK_ERROR', undefined, { cause });
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw errorOf(json, response.status);
  return json;
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
