/**
 * Issue 6, one session across three nodes: three real servers in one process, sharing either one
 * SQLite store and one memory bus hub, or (as separate processes would) only a real PostgreSQL
 * database and a real redis-server, each node with its own pool and connections. The customer,
 * the consent question, the agent limit, wrong-PIN limits and a customer moving to another node
 * behave as on one node.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeBinaryFrame, type ServerToClient } from '@sightline/protocol';
import { MemoryBus, MemoryBusHub, type ServerOptions, type SessionStore } from '../src/index.js';
import { connectAgent, connectCustomer, startSession } from './support/flows.js';
import { freshDatabase, startPostgres, type PostgresCluster } from './support/postgres.js';
import { startRedis, type RedisServer } from './support/redis.js';
import { startServer, type TestServer } from './support/server.js';
import { post } from './support/flows.js';
import { payload, type TestSocket } from './support/socket.js';
import { agentToken } from './support/tokens.js';

let servers: TestServer[] = [];

afterEach(async () => {
  // The first node owns the shared store: it closes last.
  for (const t of servers.splice(0).reverse()) await t.close().catch(() => undefined);
  servers = [];
});

type ThreeNodes = (
  quietConsent: boolean,
  options?: Partial<ServerOptions>,
) => Promise<[TestServer, TestServer, TestServer]>;

/** Nodes a, b and c sharing the first node's store and one bus hub. */
async function inMemory(
  quietConsent: boolean,
  options: Partial<ServerOptions> = {},
): Promise<[TestServer, TestServer, TestServer]> {
  const hub = new MemoryBusHub();
  const a = await startServer(
    { ...options, bus: new MemoryBus({ nodeId: 'node-a', hub }) },
    { quietConsent },
  );
  servers.push(a);
  const store: SessionStore = Object.assign(Object.create(a.server.store) as SessionStore, {
    close: async () => {},
  });
  const more = async (nodeId: string) => {
    const t = await startServer(
      { ...options, store, bus: new MemoryBus({ nodeId, hub }) },
      { quietConsent },
    );
    servers.push(t);
    return t;
  };
  return [a, await more('node-b'), await more('node-c')];
}

async function until<T extends ServerToClient['type']>(socket: TestSocket, type: T) {
  for (;;) {
    const frame = await socket.next();
    if (frame.kind === 'text' && frame.message.type === type) {
      return frame.message as Extract<ServerToClient, { type: T }>;
    }
  }
}

/** The seqs of the `dom.batch` frames `agent` gets until it has `last`. */
async function batchSeqsUntil(agent: TestSocket, last: number): Promise<number[]> {
  const seqs: number[] = [];
  while (seqs.at(-1) !== last) {
    const frame = await agent.next();
    if (frame.kind === 'binary') seqs.push(Number(frame.header.seq));
  }
  return seqs;
}

function describeAcrossNodes(name: string, threeNodes: () => ThreeNodes): void {
  describe(`one session across three nodes: ${name}`, () => {
    it('asks the customer on node a about an agent on node b, who then sees the page', async () => {
      const [a, b] = await threeNodes()(false);
      const session = await startSession(a);
      const { socket: customer } = await connectCustomer(a, session);
      customer.sendBatch({ tabId: 'tab-1', seq: 1, full: true }, payload('snapshot'));
      const agent = await connectAgent(b, session.pin);
      const request = await until(customer, 'consent.request');
      expect(await until(agent, 'consent.pending')).toMatchObject({ requestId: request.requestId });
      customer.sendJson({
        type: 'consent.response',
        requestId: request.requestId,
        decision: 'allow',
      });
      await until(agent, 'consent.allowed');
      expect(await batchSeqsUntil(agent, 1)).toEqual([1]);
      customer.sendBatch({ tabId: 'tab-1', seq: 2 }, payload('typing'));
      expect(await batchSeqsUntil(agent, 2)).toEqual([2]);
    });

    it('enforces the agent limit across nodes', async () => {
      const nodes = await threeNodes()(true);
      const session = await startSession(nodes[0]);
      await connectCustomer(nodes[0], session);
      const agents: TestSocket[] = [];
      for (let i = 0; i < 5; i += 1) {
        agents.push(await connectAgent(nodes[i % 3] as TestServer, session.pin, `agent-${i}`));
      }
      // Refused on node c, where no agent of the first five needed a socket to count.
      const refused = await post<{ error: { code: number } }>(
        (nodes[2] as TestServer).url,
        '/api/agent/connect',
        { pin: session.pin },
        await agentToken({ user_id: 'agent-6' }),
      );
      expect(refused.body.error.code).toBe(1013);
      // One leaves on node a: the sixth gets in on node b.
      agents[0]?.close();
      await vi.waitFor(async () => {
        const participants = await nodes[0].server.store.listParticipants([session.sessionId]);
        expect(participants.filter((p) => p.role === 'agent' && p.connections > 0)).toHaveLength(4);
      });
      await connectAgent(nodes[1], session.pin, 'agent-6');
    });

    it('resumes a customer that moves from node a to node c by seq: the agent on b misses nothing', async () => {
      const [a, b, c] = await threeNodes()(true);
      const session = await startSession(a);
      const { socket: first } = await connectCustomer(a, session);
      const agent = await connectAgent(b, session.pin);
      for (let seq = 1; seq <= 3; seq += 1) {
        first.sendBatch({ tabId: 'tab-1', seq, full: seq === 1 }, payload(`key ${seq}`));
      }
      expect(await batchSeqsUntil(agent, 3)).toEqual([1, 2, 3]);
      first.close();
      await first.closed;
      // The customer's SDK comes back through the balancer to another node, with what it still
      // holds unacknowledged: seq 3 again, then new typing.
      const { socket: again, lastAckedSeq } = await connectCustomer(c, session);
      expect(lastAckedSeq).toEqual({ 'tab-1': 3 });
      again.sendBatch({ tabId: 'tab-1', seq: 3 }, payload('key 3'));
      for (let seq = 4; seq <= 6; seq += 1) {
        again.sendBatch({ tabId: 'tab-1', seq }, payload(`key ${seq}`));
      }
      expect(await batchSeqsUntil(agent, 6)).toEqual([4, 5, 6]);
    });

    it('relays the batch a dying node stored but never relayed, once the customer resumes elsewhere', async () => {
      const [a, b, c] = await threeNodes()(true);
      const session = await startSession(a);
      const { socket: first } = await connectCustomer(a, session);
      const agent = await connectAgent(b, session.pin);
      for (let seq = 1; seq <= 3; seq += 1) {
        first.sendBatch({ tabId: 'tab-1', seq, full: seq === 1 }, payload(`key ${seq}`));
      }
      expect(await batchSeqsUntil(agent, 3)).toEqual([1, 2, 3]);
      // Node a is killed between appending seq 4 to the checkout and relaying it (batch-intake):
      // the checkout holds it, no agent was sent it, the customer was not acked.
      const receivedAt = Date.now();
      const header = {
        type: 'dom.batch',
        tabId: 'tab-1',
        seq: 4,
        full: false,
        receivedAt,
      } as const;
      await a.server.bus.appendBatch(session.sessionId, {
        tabId: 'tab-1',
        seq: 4,
        full: false,
        receivedAt,
        frame: encodeBinaryFrame(header, payload('key 4')),
      });
      first.close();
      await first.closed;
      // Welcomed on node c with seq 4 stored, the customer resends nothing of it: only c can
      // still get it to the agent.
      const { socket: again, lastAckedSeq } = await connectCustomer(c, session);
      expect(lastAckedSeq).toEqual({ 'tab-1': 4 });
      again.sendBatch({ tabId: 'tab-1', seq: 5 }, payload('key 5'));
      expect(await batchSeqsUntil(agent, 5)).toEqual([4, 5]);
    });

    it('counts wrong PINs across nodes: a balancer spreading the guesses gives no more tries', async () => {
      const nodes = await threeNodes()(true, { pinGuessesPerAgent: 3, pinGuessesPerAddress: 100 });
      const session = await startSession(nodes[0]);
      const token = await agentToken({ user_id: `guesser-${Math.random().toString(36).slice(2)}` });
      const attempt = (node: TestServer, pin: string) =>
        post<{ error?: { code: number } }>(node.url, '/api/agent/connect', { pin }, token);
      const wrong = session.pin === '999999' ? '999998' : '999999';
      for (const node of nodes) expect((await attempt(node, wrong)).status).toBe(404);
      // Three wrong PINs, one per node: the next attempt is refused on any node, even a right one.
      const limited = await attempt(nodes[1], session.pin);
      expect(limited.status).toBe(429);
      expect(limited.body.error?.code).toBe(4007);
    });
  });
}

describeAcrossNodes('memory bus and SQLite', () => inMemory);

let postgres: PostgresCluster | undefined;
let redis: RedisServer | undefined;

describe('on PostgreSQL and Redis', () => {
  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([postgres?.stop(), redis?.stop()]);
  });

  describeAcrossNodes(
    'PostgreSQL and Redis, nothing else shared',
    () =>
      async (quietConsent, options = {}) => {
        if (!postgres || !redis) throw new Error('services start in beforeAll');
        const databaseUrl = await freshDatabase(postgres.url);
        const node = async (nodeId: string) => {
          const t = await startServer(
            { ...options, databaseUrl, redisUrl: redis?.url, nodeId },
            { quietConsent },
          );
          servers.push(t);
          return t;
        };
        return [await node('node-a'), await node('node-b'), await node('node-c')];
      },
  );
});
