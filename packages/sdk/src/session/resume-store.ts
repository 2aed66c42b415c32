/**
 * @module
 * The session this tab started, kept in first-party `sessionStorage` so a reload (or a same-site
 * navigation) of the tab can `join()` it again without a new PIN. Never a cookie: nothing here
 * leaves the browser except the resume token, in the socket's hello. `sessionStorage` is per tab;
 * with `multiTabSessionPersistence` the session is kept in `localStorage` instead, where every tab
 * of the site finds it.
 *
 * Live tabs refresh `activeAt`; once no tab has been seen for the server's reconnection window the
 * server has ended the session (`timeout_reconnect`), so it is no longer offered.
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
  /** When a tab last held the session live (ms since the epoch). */
  activeAt?: number;
  /** How long the server waits for a customer whose tabs are all gone (ms). */
  graceMs?: number;
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
  key = SESSION_STORAGE_KEY,
): StoredSession | undefined {
  let raw: string | null | undefined;
  try {
    raw = storage?.getItem(key);
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
  if (isStoredSession(parsed) && isCurrent(parsed, now)) return parsed;
  clearStoredSession(storage, key);
  return undefined;
}

/**
 * `value` as a stored session, if it is well formed and current at `now` (ms): what another tab
 * announced, checked as if it had been read from storage.
 */
export function currentStoredSession(value: unknown, now: number): StoredSession | undefined {
  return isStoredSession(value) && isCurrent(value, now) ? value : undefined;
}

function isCurrent(session: StoredSession, now: number): boolean {
  const expiresAt = Date.parse(session.expiresAt);
  if (!Number.isFinite(expiresAt) || expiresAt <= now) return false;
  const { activeAt, graceMs } = session;
  if (typeof activeAt !== 'number' || typeof graceMs !== 'number') return true;
  return now - activeAt <= graceMs;
}

/** Stores `session` for a reload of this tab. Blocked storage only costs the resume. */
export function saveStoredSession(
  storage: SessionStore | undefined,
  session: StoredSession,
  key = SESSION_STORAGE_KEY,
): void {
  try {
    storage?.setItem(key, JSON.stringify(session));
  } catch {
    // Not persisted: a reload starts over with a new PIN.
  }
}

/** Forgets the stored session (it ended, or expired). */
export function clearStoredSession(
  storage: SessionStore | undefined,
  key = SESSION_STORAGE_KEY,
): void {
  try {
    storage?.removeItem(key);
  } catch {
    // Blocked storage holds nothing of ours.
  }
}

/**
 * Records that a tab holds `sessionId` live now, if it is still the stored session (another tab
 * may have replaced or ended it).
 */
export function touchStoredSession(
  storage: SessionStore | undefined,
  sessionId: string,
  now: number,
  key = SESSION_STORAGE_KEY,
): void {
  const stored = readStoredSession(storage, now, key);
  if (stored?.sessionId === sessionId)
    saveStoredSession(storage, { ...stored, activeAt: now }, key);
}

/**
 * Records that `sessionId` now ends at `endsAt` (ms since the epoch): an extension moved its
 * deadline, so a reload in the extra time must still find it. Only if it is still the stored one.
 */
export function extendStoredSession(
  storage: SessionStore | undefined,
  sessionId: string,
  endsAt: number,
  now: number,
  key = SESSION_STORAGE_KEY,
): void {
  const stored = readStoredSession(storage, now, key);
  if (stored?.sessionId !== sessionId) return;
  saveStoredSession(storage, { ...stored, expiresAt: new Date(endsAt).toISOString() }, key);
}

/** The page's `sessionStorage` (one tab), or `localStorage` (the site), if it may be used. */
export function pageSessionStore(scope: 'tab' | 'site' = 'tab'): SessionStore | undefined {
  try {
    return scope === 'tab' ? globalThis.sessionStorage : globalThis.localStorage;
  } catch {
    return undefined;
  }
}
