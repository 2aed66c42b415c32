import { describe, expect, it } from 'vitest';
import {
  SESSION_STORAGE_KEY,
  clearStoredSession,
  extendStoredSession,
  readStoredSession,
  currentStoredSession,
  saveStoredSession,
  touchStoredSession,
  type SessionStore,
  type StoredSession,
} from './resume-store.js';

function memoryStore(initial: Record<string, string> = {}): SessionStore & {
  data: Record<string, string>;
} {
  const data = { ...initial };
  return {
    data,
    getItem: (key) => data[key] ?? null,
    setItem: (key, value) => {
      data[key] = value;
    },
    removeItem: (key) => {
      delete data[key];
    },
  };
}

const NOW = Date.parse('2026-11-22T06:00:00Z');
const SESSION: StoredSession = {
  sessionId: 'sess_1',
  resumeToken: 'resume.token',
  pin: '123456',
  expiresAt: '2026-11-22T06:10:00Z',
};

describe('stored session', () => {
  it('round-trips an unexpired session, so a reload of the tab can join it', () => {
    const store = memoryStore();
    saveStoredSession(store, SESSION);
    expect(readStoredSession(store, NOW)).toEqual(SESSION);
  });

  it('drops an expired session and forgets it', () => {
    const store = memoryStore();
    saveStoredSession(store, SESSION);
    expect(readStoredSession(store, Date.parse(SESSION.expiresAt))).toBeUndefined();
    expect(store.data[SESSION_STORAGE_KEY]).toBeUndefined();
  });

  it('drops a session no tab has held for longer than the reconnection window', () => {
    const store = memoryStore();
    saveStoredSession(store, { ...SESSION, activeAt: NOW, graceMs: 120_000 });
    expect(readStoredSession(store, NOW + 120_000)?.sessionId).toBe('sess_1');
    touchStoredSession(store, 'sess_1', NOW + 100_000);
    expect(readStoredSession(store, NOW + 200_000)?.activeAt).toBe(NOW + 100_000);
    expect(readStoredSession(store, NOW + 220_001)).toBeUndefined();
    expect(store.data[SESSION_STORAGE_KEY]).toBeUndefined();
  });

  it('keeps an extended session past its first deadline, and only the one it names', () => {
    const store = memoryStore();
    saveStoredSession(store, SESSION);
    const later = Date.parse(SESSION.expiresAt) + 15 * 60_000;
    extendStoredSession(store, 'sess_other', later, NOW);
    expect(readStoredSession(store, NOW)?.expiresAt).toBe(SESSION.expiresAt);
    extendStoredSession(store, 'sess_1', later, NOW);
    expect(readStoredSession(store, later - 1)?.sessionId).toBe('sess_1');
    expect(readStoredSession(store, later)).toBeUndefined();
  });

  it('touches only the session it names, under the key it is given', () => {
    const store = memoryStore();
    saveStoredSession(store, { ...SESSION, activeAt: NOW, graceMs: 60_000 }, 'shop.session');
    touchStoredSession(store, 'another', NOW + 50_000, 'shop.session');
    expect(readStoredSession(store, NOW + 50_000, 'shop.session')?.activeAt).toBe(NOW);
    expect(readStoredSession(store, NOW)).toBeUndefined();
    expect(Object.keys(store.data)).toEqual(['shop.session']);
  });

  it('checks a session another tab announced as if it had been read from storage', () => {
    expect(currentStoredSession(SESSION, NOW)).toEqual(SESSION);
    expect(currentStoredSession({ ...SESSION, pin: 7 }, NOW)).toBeUndefined();
    expect(currentStoredSession(SESSION, Date.parse(SESSION.expiresAt))).toBeUndefined();
    expect(currentStoredSession('{"sessionId":"x"}', NOW)).toBeUndefined();
  });

  it.each([
    ['not json', '{'],
    ['missing token', JSON.stringify({ ...SESSION, resumeToken: undefined })],
    ['bad expiry', JSON.stringify({ ...SESSION, expiresAt: 'soon' })],
    ['not an object', '42'],
  ])('drops a malformed entry (%s)', (_label, raw) => {
    const store = memoryStore({ [SESSION_STORAGE_KEY]: raw });
    expect(readStoredSession(store, NOW)).toBeUndefined();
    expect(store.data[SESSION_STORAGE_KEY]).toBeUndefined();
  });

  it('clears on demand and survives storage that throws', () => {
    const store = memoryStore();
    saveStoredSession(store, SESSION);
    clearStoredSession(store);
    expect(readStoredSession(store, NOW)).toBeUndefined();
    const blocked: SessionStore = {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('blocked');
      },
      removeItem: () => {
        throw new Error('blocked');
      },
    };
    expect(() => saveStoredSession(blocked, SESSION)).not.toThrow();
    expect(readStoredSession(blocked, NOW)).toBeUndefined();
    expect(() => clearStoredSession(blocked)).not.toThrow();
    expect(readStoredSession(undefined, NOW)).toBeUndefined();
  });
});
