/**
 * Issue 6: `SIGHTLINE_DATABASE_URL` makes a real server keep its state in PostgreSQL. A session
 * starts and an agent joins over HTTP and WebSocket on one node, then across two nodes that share
 * only the database (and a bus hub), and `/health` reports the store failing once PostgreSQL is
 * gone.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HealthResponse } from '@sightline/protocol';
import { MemoryBus, MemoryBusHub, optionsFromEnv } from '../src/index.js';
import { PostgresSessionStore } from '../src/adapters/store/postgres/index.js';
import { connectAgent, connectCustomer, startSession } from './support/flows.js';
import { freshDatabase, startPostgres, type PostgresCluster } from './support/postgres.js';
import { startServer, type TestServer } from './support/server.js';
import { payload, type TestSocket } from './support/socket.js';
import { SDK_KEY, SDK_SECRET } from './support/tokens.js';

let cluster: PostgresCluster;
const servers: TestServer[] = [];
const sockets: TestSocket[] = [];

beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);

afterAll(async () => {
  await cluster.stop();
}, 60_000);

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  for (const t of servers.splice(0)) await t.close();
});

/** A node configured from the environment, as the `sightline` command would be. */
async function node(databaseUrl: string, extra: Parameters<typeof startServer>[0] = {}) {
  const options = optionsFromEnv({
    SIGHTLINE_SDK_KEY: SDK_KEY,
    SIGHTLINE_SDK_SECRET: SDK_SECRET,
    SIGHTLINE_DATABASE_URL: databaseUrl,
    SIGHTLINE_DATABASE_POOL_SIZE: '4',
  });
  // `dataDir` stays the test server's `:memory:`: with a database URL it only holds demo files.
  const t = await startServer({ ...options, ...extra }, { quietConsent: true });
  servers.push(t);
  return t;
}

async function health(t: TestServer): Promise<{ status: number; body: HealthResponse }> {
  const response = await fetch(`${t.url}/health`);
  return { status: response.status, body: (await response.json()) as HealthResponse };
}

describe('a server on PostgreSQL', () => {
  it('starts a session and admits an agent, with the state in the database', async () => {
    const url = await freshDatabase(cluster.url);
    const t = await node(url);
    expect(t.server.store).toBeInstanceOf(PostgresSessionStore);
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session);
    const agent = await connectAgent(t, session.pin, 'agent-1');
    sockets.push(customer, agent);

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const sessions = await db.query('SELECT id, pin, state FROM sessions');
      expect(sessions.rows).toEqual([{ id: session.sessionId, pin: session.pin, state: 'active' }]);
      const participants = await db.query(
        'SELECT role, user_id, connections FROM participants ORDER BY seq',
      );
      expect(participants.rows).toEqual([
        { role: 'customer', user_id: expect.any(String), connections: 1 },
        { role: 'agent', user_id: 'agent-1', connections: 1 },
      ]);
    } finally {
      await db.end();
    }
    expect(await health(t)).toMatchObject({
      status: 200,
      body: { checks: { store: 'ok', bus: 'ok' } },
    });
  });

  it('serves one session from two nodes that share only the database and the bus', async () => {
    const url = await freshDatabase(cluster.url);
    const hub = new MemoryBusHub();
    const a = await node(url, { bus: new MemoryBus({ nodeId: 'node-a', hub }) });
    const b = await node(url, { bus: new MemoryBus({ nodeId: 'node-b', hub }) });
    const session = await startSession(a);
    const { socket: customer } = await connectCustomer(a, session);
    customer.sendBatch({ tabId: 'tab-1', seq: 1, full: true }, payload('snapshot'));
    // Node b finds the PIN node a issued, in the database.
    const agent = await connectAgent(b, session.pin, 'agent-1');
    sockets.push(customer, agent);
    let frame = await agent.next();
    while (frame.kind !== 'binary') frame = await agent.next();
    expect(Number(frame.header.seq)).toBe(1);
    expect((await b.server.store.getSession(session.sessionId))?.state).toBe('active');
  });

  it('reports the store failing on /health once PostgreSQL is gone', async () => {
    const own = await startPostgres();
    try {
      const t = await node(await freshDatabase(own.url));
      expect((await health(t)).status).toBe(200);
      await own.stop();
      expect(await health(t)).toMatchObject({
        status: 503,
        body: { status: 'degraded', checks: { store: 'failing', bus: 'ok' } },
      });
    } finally {
      await own.stop();
    }
  }, 60_000);
});
