/**
 * @module
 * The session this tab started, kept in first-party `sessionStorage` so a reload (or a same-site
 * navigation) of the tab can `join()` it again without a new PIN. Never a cookie: nothing here
 * leaves the browser except the resume token, in the socket's hello. `sessionStorage` is per tab;
 * sharing one session across tabs is a later slice.
 */

/** The `sessionStorage` key holding the stored session. */
export const SESSION_STORAGE_KEY = 'sightline.session';

/** What a reloaded tab needs to rejoin its session. */
export interface StoredSession {
  sessionId: string;
  /** The customer's credential for `session.hello`. */
  resumeToken: string;
  pin: string;
  /** ISO time after which the server no longer accepts the resume token. */
  expiresAt: string;
}

/** The part of `Storage` this module uses. */
export interface SessionStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function isStoredSession(value: unknown): value is StoredSession {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return ['sessionId', 'resumeToken', 'pin', 'expiresAt'].every(
    (key) => typeof record[key] === 'string' && record[key] !== '',
  );
}

/**
 * The stored session if it is well formed and unexpired at `now` (ms). Anything else (garbage,
 * expired) is removed, so a stale session is never offered twice.
 */
export function readStoredSession(
  storage: SessionStore | undefined,
  now: number,
): StoredSession | undefined {
  let raw: string | null | undefined;
  try {
    raw = storage?.getItem(SESSION_STORAGE_KEY);
  } catch {
    // Reading storage can throw (blocked storage): nothing to resume.
    return undefined;
  }
  if (raw === null || raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (isStoredSession(parsed)) {
    const expiresAt = Date.parse(parsed.expiresAt);
    if (Number.isFinite(expiresAt) && expiresAt > now) return parsed;
  }
  clearStoredSession(storage);
  return undefined;
}

/** Stores `session` for a reload of this tab. Blocked storage only costs the resume. */
export function saveStoredSession(storage: SessionStore | undefined, session: StoredSession): void {
  try {
    storage?.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
  } catch {
    // Not persisted: a reload starts over with a new PIN.
  }
}

/** Forgets the stored session (it ended, or expired). */
export function clearStoredSession(storage: SessionStore | undefined): void {
  try {
    storage?.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // Blocked storage holds nothing of ours.
  }
}

/** The page's `sessionStorage`, if it may be used. */
export function pageSessionStore(): SessionStore | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}
