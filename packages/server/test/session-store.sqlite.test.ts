import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteSessionStore } from '../src/index.js';
import { MIGRATIONS } from '../src/adapters/store/sqlite/migrations.js';
import { describeSessionStoreContract } from './contracts/session-store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'sightline-store-'));
let files = 0;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeSessionStoreContract(
  'SQLite in memory',
  async () => new SqliteSessionStore({ filename: ':memory:' }),
);

describeSessionStoreContract('SQLite file (WAL)', async () => {
  files += 1;
  return new SqliteSessionStore({ filename: join(dir, `store-${files}.db`) });
});

describe('SQLite store specifics', () => {
  it('survives a restart, applying migrations once, and marks stale connections left', async () => {
    const filename = join(dir, 'restart.db');
    const first = new SqliteSessionStore({ filename, now: () => 1 });
    await first.saveApp({
      id: 'a',
      name: 'A',
      sdkKey: 'k',
      sdkSecret: 's'.repeat(32),
      createdAt: 0,
      viewConsent: 'ask',
    });
    const session = {
      id: 'session-restart',
      appId: 'a',
      pin: '123456',
      state: 'waiting' as const,
      byop: false,
      customerUserId: 'c',
      customerUserName: 'C',
      createdAt: 1,
      updatedAt: 1,
      expiresAt: 10_000,
    };
    await first.insertSession(session, {
      sessionId: session.id,
      at: 1,
      actor: 'system',
      action: 'session.created',
    });
    await first.admitParticipant({
      sessionId: session.id,
      role: 'customer',
      userId: 'c',
      userName: 'C',
      nodeId: 'node-a',
      at: 2,
      maxOfRole: 1,
      allowSharedUser: true,
    });
    await first.close();

    const second = new SqliteSessionStore({ filename, now: () => 99 });
    expect(await second.getSession(session.id)).toEqual(session);
    expect(await second.listParticipants([session.id])).toMatchObject([
      { connections: 0, leftAt: 99 },
    ]);
    expect(await second.listSocketNodes()).toEqual([]);
    await second.close();
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('keeps both audit logs append-only', async () => {
    const store = new SqliteSessionStore({ filename: join(dir, 'audit.db') });
    await store.appendAudit({ sessionId: 's', at: 1, actor: 'system', action: 'x' });
    const db = (store as unknown as { db: Database }).db;
    expect(() => db.prepare('UPDATE audit_log SET action = ?').run('y')).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    await store.saveApp({
      id: 'a',
      name: 'A',
      sdkKey: 'k',
      sdkSecret: 's'.repeat(32),
      createdAt: 0,
      viewConsent: 'ask',
    });
    await store.appendAppAudit({ appId: 'a', at: 1, actor: 'system', action: 'x' });
    expect(() => db.prepare('UPDATE app_audit_log SET action = ?').run('y')).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM app_audit_log').run()).toThrow(/append-only/);
    await store.close();
  });
});
