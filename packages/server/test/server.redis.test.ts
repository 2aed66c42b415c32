/**
 * Issue 6: `SIGHTLINE_REDIS_URL` makes a real server use the Redis bus. Two real servers in one
 * process share a SQLite store (as `control.two-nodes.test.ts` does) and nothing else but a real
 * `redis-server`: a customer on node a, an agent on node b who gets the checkout and then the
 * live batches, byte for byte. `/health` reports the bus failing once Redis is gone.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HealthResponse } from '@sightline/protocol';
import { optionsFromEnv, RedisBus, type SessionStore } from '../src/index.js';
import { connectAgent, connectCustomer, startSession } from './support/flows.js';
import { startRedis, type RedisServer } from './support/redis.js';
import { startServer, type TestServer } from './support/server.js';
import { payload, textOf, type TestSocket } from './support/socket.js';
import { SDK_KEY, SDK_SECRET } from './support/tokens.js';

let redis: RedisServer;
const servers: TestServer[] = [];
const sockets: TestSocket[] = [];

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis.stop();
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  // The first node owns the shared store: it closes last.
  for (const t of servers.splice(0).reverse()) await t.close();
});

/** A node configured from the environment, as the `sightline` command would be. */
async function node(redisUrl: string, extra: Parameters<typeof startServer>[0] = {}) {
  const options = optionsFromEnv({
    SIGHTLINE_SDK_KEY: SDK_KEY,
    SIGHTLINE_SDK_SECRET: SDK_SECRET,
    SIGHTLINE_REDIS_URL: redisUrl,
  });
  const t = await startServer({ ...options, ...extra }, { quietConsent: true });
  servers.push(t);
  return t;
}

/** Nodes a and b over one Redis, sharing node a's store. */
async function twoNodes(): Promise<[TestServer, TestServer]> {
  const a = await node(redis.url);
  const store: SessionStore = Object.assign(Object.create(a.server.store) as SessionStore, {
    close: async () => {},
  });
  return [a, await node(redis.url, { store })];
}

/** The `dom.batch` frames `agent` gets until seq `last`, as `seq:payload`. */
async function batchesUntil(agent: TestSocket, last: number): Promise<string[]> {
  const seen: string[] = [];
  while (!seen.at(-1)?.startsWith(`${last}:`)) {
    const frame = await agent.next();
    if (frame.kind === 'binary') seen.push(`${Number(frame.header.seq)}:${textOf(frame.payload)}`);
  }
  return seen;
}

/** Reads the customer's frames until `dom.ack` covers `seq`. */
async function ackedThrough(customer: TestSocket, seq: number): Promise<void> {
  for (;;) {
    const frame = await customer.next();
    if (frame.kind === 'text' && frame.message.type === 'dom.ack' && frame.message.seq >= seq) {
      return;
    }
  }
}

async function health(t: TestServer): Promise<{ status: number; body: HealthResponse }> {
  const response = await fetch(`${t.url}/health`);
  return { status: response.status, body: (await response.json()) as HealthResponse };
}

describe('servers on Redis', () => {
  it('relays a customer on node a to an agent on node b: the checkout, then live batches', async () => {
    const [a, b] = await twoNodes();
    expect(a.server.bus).toBeInstanceOf(RedisBus);
    expect(b.server.bus).toBeInstanceOf(RedisBus);
    expect(a.server.bus.nodeId).not.toBe(b.server.bus.nodeId);
    const session = await startSession(a);
    const { socket: customer } = await connectCustomer(a, session);
    sockets.push(customer);
    customer.sendBatch({ tabId: 'tab-1', seq: 1, full: true }, payload('snapshot'));
    customer.sendBatch({ tabId: 'tab-1', seq: 2 }, payload('typed h'));
    // Acked: the checkout is in Redis, where node b reads it.
    await ackedThrough(customer, 2);
    const agent = await connectAgent(b, session.pin, 'agent-1');
    sockets.push(agent);
    expect(await batchesUntil(agent, 2)).toEqual(['1:snapshot', '2:typed h']);
    // Live: each batch crosses from node a to node b over the session's Redis channel.
    const live = Array.from({ length: 5 }, (_, i) => i + 3);
    for (const seq of live) customer.sendBatch({ tabId: 'tab-1', seq }, payload(`key ${seq}`));
    expect(await batchesUntil(agent, 7)).toEqual(live.map((seq) => `${seq}:key ${seq}`));
    expect(await health(b)).toMatchObject({ status: 200, body: { checks: { bus: 'ok' } } });
  });

  it('reports the bus failing on /health once Redis is gone', async () => {
    const own = await startRedis();
    try {
      const t = await node(own.url);
      expect(await health(t)).toMatchObject({ status: 200, body: { checks: { bus: 'ok' } } });
      await own.stop();
      await expect
        .poll(async () => (await health(t)).body.checks, { timeout: 5_000 })
        .toEqual({ store: 'ok', bus: 'failing' });
      expect((await health(t)).status).toBe(503);
    } finally {
      await own.stop();
    }
  });

  it('does not start when Redis does not answer', async () => {
    const own = await startRedis();
    const url = own.url;
    await own.stop();
    const refused = node(url, { logger: false });
    await expect(refused).rejects.toThrow(/did not answer/);
  }, 20_000);
});
