/**
 * The bus contract on Redis: three `RedisBus` nodes in one process over one real `redis-server`
 * started for this file, then what only Redis has: key expiry, a node id on every message,
 * health when Redis is gone.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import { RedisBus, type BusMessage } from '../src/index.js';
import { describeBusContract } from './contracts/bus.contract.js';
import { startRedis, type RedisServer } from './support/redis.js';

let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
});

/** Node ids unique per test: heartbeats of a previous test's nodes may not have lapsed yet. */
const nodeIds = (count: number) => {
  const run = randomUUID().slice(0, 8);
  return Array.from({ length: count }, (_, i) => `node-${i + 1}-${run}`);
};

describeBusContract('RedisBus', async ({ checkoutMaxBytes, presenceTtlMs }) => {
  const nodes = (await Promise.all(
    nodeIds(3).map((nodeId) =>
      RedisBus.connect({ url: redis.url, nodeId, checkoutMaxBytes, presenceTtlMs }),
    ),
  )) as [RedisBus, RedisBus, RedisBus];
  return {
    nodes,
    close: async () => {
      await Promise.all(nodes.map((node) => node.close()));
    },
  };
});

describe('RedisBus on Redis', () => {
  it("expires an abandoned session's keys after the session TTL", async () => {
    const [nodeId] = nodeIds(1);
    const bus = await RedisBus.connect({ url: redis.url, nodeId: nodeId!, sessionTtlMs: 300 });
    const inspect = new Redis(redis.url);
    try {
      const id = `ttl-${randomUUID()}`;
      await bus.appendBatch(id, {
        tabId: 't',
        seq: 1,
        full: true,
        receivedAt: 1,
        frame: new Uint8Array(10),
      });
      await bus.updateTab(id, { tabId: 't', state: 'focused', at: 1 });
      await bus.presence.enter(id, { socketId: 's', role: 'customer', userId: 'u', at: 1 });
      const keys = await inspect.keys(`sightline:{${id}}:*`);
      expect(keys.length).toBe(8);
      for (const key of keys) {
        const ttl = await inspect.pttl(key);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(300);
      }
      await vi.waitFor(async () => expect(await inspect.keys(`sightline:{${id}}:*`)).toEqual([]));
      expect(await bus.readCheckout(id, 't')).toEqual({ tail: [], lastSeq: 0 });
    } finally {
      inspect.disconnect();
      await bus.close();
    }
  });

  it('ignores what another program publishes on a session channel', async () => {
    const [one, two] = nodeIds(2);
    const a = await RedisBus.connect({ url: redis.url, nodeId: one! });
    const b = await RedisBus.connect({ url: redis.url, nodeId: two! });
    const other = new Redis(redis.url);
    try {
      const id = `noise-${randomUUID()}`;
      const received: BusMessage[] = [];
      await b.subscribe(id, (message) => received.push(message));
      await other.publish(`sightline:bus:{${id}}`, 'not a bus message');
      await other.publish(`sightline:bus:{${id}}`, Buffer.from([1, 200, 0, 0]));
      await a.publish(id, { kind: 'ended', reason: 'revoked' });
      await vi.waitFor(() => expect(received).toEqual([{ kind: 'ended', reason: 'revoked' }]));
    } finally {
      other.disconnect();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('fails ping once Redis is gone, and refuses to start without it', async () => {
    const own = await startRedis();
    const [nodeId] = nodeIds(1);
    const bus = await RedisBus.connect({ url: own.url, nodeId: nodeId! });
    await bus.ping();
    await own.stop();
    await vi.waitFor(() => expect(bus.ping()).rejects.toThrow(/Redis is/));
    await bus.close();
    await expect(
      RedisBus.connect({ url: own.url, nodeId: `${nodeId}-again`, connectTimeoutMs: 300 }),
    ).rejects.toThrow(`Redis at redis://127.0.0.1:${own.port} did not answer`);
  });
});
