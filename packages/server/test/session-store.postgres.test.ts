/**
 * The PostgreSQL store: the unchanged contract suites on a throwaway cluster (a fresh database per
 * test), then what only several nodes sharing one database can get wrong: migrations started by
 * three nodes at once, and two nodes (two pools) racing the same compare-and-set, admission, PIN
 * and invitation, where exactly one may win.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SqliteSessionStore, type SessionRecord, type SessionStore } from '../src/index.js';
import { PostgresSessionStore } from '../src/adapters/store/postgres/index.js';
import { appliedVersions, MIGRATIONS } from '../src/adapters/store/postgres/migrations.js';
import { SCHEMA_VERSIONS } from '../src/adapters/store/schema-versions.js';
import { describeSessionStoreContract } from './contracts/session-store.contract.js';
import { freshDatabase, startPostgres, type PostgresCluster } from './support/postgres.js';

let cluster: PostgresCluster;

beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);

afterAll(async () => {
  await cluster.stop();
}, 60_000);

describeSessionStoreContract('PostgreSQL', async () =>
  PostgresSessionStore.open({ connectionString: await freshDatabase(cluster.url) }),
);

/** `count` stores on one fresh database, as `count` nodes would hold them. */
async function nodes(count: number): Promise<PostgresSessionStore[]> {
  const url = await freshDatabase(cluster.url);
  return Promise.all(
    Array.from({ length: count }, () => PostgresSessionStore.open({ connectionString: url })),
  );
}

const app = {
  id: 'app-a',
  name: 'A',
  sdkKey: 'a-key',
  sdkSecret: 's'.repeat(32),
  createdAt: 0,
  viewConsent: 'ask' as const,
};

let count = 0;
function session(overrides: Partial<SessionRecord> = {}): SessionRecord {
  count += 1;
  return {
    id: `race-${count}`,
    appId: 'app-a',
    pin: String(300_000 + count),
    state: 'waiting',
    byop: false,
    customerUserId: 'c',
    customerUserName: 'C',
    createdAt: count,
    updatedAt: count,
    expiresAt: 99_000_000,
    ...overrides,
  };
}

const created = (s: SessionRecord) => ({
  sessionId: s.id,
  at: s.createdAt,
  actor: 'system',
  action: 'session.created',
});

describe('PostgreSQL store across nodes', () => {
  let open: SessionStore[] = [];

  afterEach(async () => {
    await Promise.all(open.map((store) => store.close()));
    open = [];
  });

  async function three(): Promise<[SessionStore, SessionStore, SessionStore]> {
    const [a, b, c] = await nodes(3);
    if (!a || !b || !c) throw new Error('three nodes');
    open = [a, b, c];
    await a.saveApp(app);
    return [a, b, c];
  }

  it('migrates once when three nodes start at once, with the versions SQLite has', async () => {
    const url = await freshDatabase(cluster.url);
    const pool = new pg.Pool({ connectionString: url });
    try {
      // Three nodes opening together: one applies everything, the others wait and find it done.
      open = await Promise.all(
        [1, 2, 3].map(() => PostgresSessionStore.open({ connectionString: url })),
      );
      expect(await appliedVersions(pool)).toEqual(SCHEMA_VERSIONS.map((v) => v.version));
      const { rows } = await pool.query<{ name: string }>(
        'SELECT name FROM schema_migrations ORDER BY version',
      );
      expect(rows.map((row) => row.name)).toEqual(SCHEMA_VERSIONS.map((v) => v.name));
      expect(MIGRATIONS.map((m) => m.version)).toEqual(SCHEMA_VERSIONS.map((_, i) => i + 1));
    } finally {
      await pool.end();
    }
    // SQLite, opened on a file, records the same last version.
    const dir = mkdtempSync(join(tmpdir(), 'sightline-versions-'));
    try {
      await new SqliteSessionStore({ filename: join(dir, 'v.db') }).close();
      const db = new Database(join(dir, 'v.db'));
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSIONS.at(-1)?.version);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps both audit logs append-only', async () => {
    const url = await freshDatabase(cluster.url);
    const store = await PostgresSessionStore.open({ connectionString: url });
    open = [store];
    await store.saveApp(app);
    await store.appendAudit({ sessionId: 's', at: 1, actor: 'system', action: 'x' });
    await store.appendAppAudit({ appId: 'app-a', at: 1, actor: 'system', action: 'x' });
    const pool = new pg.Pool({ connectionString: url });
    try {
      for (const table of ['audit_log', 'app_audit_log']) {
        await expect(pool.query(`UPDATE ${table} SET action = 'y'`)).rejects.toThrow(
          `${table} is append-only`,
        );
        await expect(pool.query(`DELETE FROM ${table}`)).rejects.toThrow(/append-only/);
        await expect(pool.query(`TRUNCATE ${table}`)).rejects.toThrow(/append-only/);
      }
    } finally {
      await pool.end();
    }
    expect(await store.listAudit('s')).toHaveLength(1);
  });

  it('gives a PIN to one of three nodes inserting it at once', async () => {
    const stores = await three();
    const candidates = stores.map(() => session({ pin: '424242' }));
    const outcomes = await Promise.all(
      stores.map((store, i) => {
        const candidate = candidates[i] as SessionRecord;
        return store.insertSession(candidate, created(candidate));
      }),
    );
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'pin_taken')).toHaveLength(2);
  });

  it('lets one of three nodes win a transition, audited once', async () => {
    const [a, b, c] = await three();
    const s = session();
    await a.insertSession(s, created(s));
    const results = await Promise.all(
      [a, b, c].map((store, i) =>
        store.transitionSession({
          sessionId: s.id,
          from: 'waiting',
          to: i === 0 ? 'ended' : 'pending_consent',
          endReason: 'agent_ended',
          at: 10,
          actor: `node-${i}`,
          action: 'race',
        }),
      ),
    );
    const winners = results.filter((r) => r !== undefined);
    expect(winners).toHaveLength(1);
    expect(await c.getSession(s.id)).toEqual(winners[0]);
    expect((await b.listAudit(s.id)).map((e) => e.action)).toEqual(['session.created', 'race']);
  });

  it('holds the agent limit when agents join through three nodes at once', async () => {
    const stores = await three();
    const s = session();
    await stores[0].insertSession(s, created(s));
    const results = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        (stores[i % 3] as SessionStore).admitParticipant({
          sessionId: s.id,
          role: 'agent',
          userId: `agent-${i}`,
          userName: `Agent ${i}`,
          nodeId: `node-${i % 3}`,
          at: 20,
          maxOfRole: 5,
          allowSharedUser: true,
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'admitted')).toHaveLength(5);
    expect(results.filter((r) => r.status === 'full')).toHaveLength(4);
    const rows = await stores[1].listParticipants([s.id]);
    expect(rows.filter((row) => row.connections > 0)).toHaveLength(5);
  });

  it('lets one of three nodes move control from a revision, and redeem an invitation', async () => {
    const stores = await three();
    const s = session({ state: 'active' });
    await stores[0].insertSession(s, created(s));
    const base = {
      sessionId: s.id,
      mode: 'view_only' as const,
      controller: null,
      grantUntil: null,
      pending: null,
      settings: null,
      updatedAt: 5,
    };
    const audit = (action: string) => [{ sessionId: s.id, at: 5, actor: 'system', action }];
    for (const expectedRevision of [0, 1]) {
      const results = await Promise.all(
        stores.map((store, i) =>
          store.updateControl({ expectedRevision, next: base, audit: audit(`r${i}`) }),
        ),
      );
      expect(results.filter((r) => r?.revision === expectedRevision + 1)).toHaveLength(1);
      expect(results.filter((r) => r === undefined)).toHaveLength(2);
    }
    expect(await stores[2].listAudit(s.id)).toHaveLength(3);

    await stores[0].insertInvite({
      sessionId: s.id,
      appId: 'app-a',
      createdBy: 'agent-1',
      createdAt: 0,
      expiresAt: 1_000,
    });
    const redeemed = await Promise.all(
      stores.map((store, i) =>
        store.redeemInvite({ sessionId: s.id, openerId: `opener-${i}`, at: 10 }),
      ),
    );
    expect(redeemed.map((r) => r.status).sort()).toEqual(['redeemed', 'used', 'used']);
  });
});
