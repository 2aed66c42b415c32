/**
 * Issue 6, timeouts across nodes: two real servers sharing one store, one bus and one manual
 * clock, the customer's socket on node a and the agent's on node b. Node b's idle timer must not
 * end a session that is busy on node a; once the customer goes quiet the session ends once, not
 * once per node; and the `timeout_max` deadline, armed on both, ends it once too.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerToClient } from '@sightline/protocol';
import { MemoryBus, MemoryBusHub, type SessionStore } from '../src/index.js';
import { ManualClock } from './support/clock.js';
import { connectAgent, connectCustomer, startSession } from './support/flows.js';
import { startServer, type TestServer } from './support/server.js';
import { payload, type TestSocket } from './support/socket.js';

const MINUTE = 60_000;
const IDLE = 5 * MINUTE;
const servers: TestServer[] = [];

afterEach(async () => {
  // Node b first: node a closes the store they share.
  for (const t of servers.splice(0).reverse()) await t.close();
});

async function until<T extends ServerToClient['type']>(socket: TestSocket, type: T) {
  for (;;) {
    const frame = await socket.next();
    if (frame.kind === 'text' && frame.message.type === type) {
      return frame.message as Extract<ServerToClient, { type: T }>;
    }
  }
}

/** Nodes a and b on one clock; an active session with its customer on a and its agent on b. */
async function twoNodes(maxMinutes = 60) {
  const clock = new ManualClock(Date.now());
  const hub = new MemoryBusHub();
  const options = {
    clock,
    sessionMaxDurationMs: maxMinutes * MINUTE,
    waitingTimeoutMs: 10 * MINUTE,
    idleTimeoutMs: IDLE,
  };
  const a = await startServer(
    { ...options, bus: new MemoryBus({ nodeId: 'node-a', hub }) },
    { quietConsent: true },
  );
  servers.push(a);
  const store: SessionStore = Object.assign(Object.create(a.server.store) as SessionStore, {
    close: async () => {},
  });
  const session = await startSession(a);
  const { socket: customer } = await connectCustomer(a, session);
  // Node b starts after the session exists, so it arms the session's timers at start-up too.
  const b = await startServer(
    { ...options, store, bus: new MemoryBus({ nodeId: 'node-b', hub }) },
    { quietConsent: true },
  );
  servers.push(b);
  const agent = await connectAgent(b, session.pin);
  await vi.waitFor(async () =>
    expect((await a.server.store.getSession(session.sessionId))?.state).toBe('active'),
  );
  return { clock, a, session, customer, agent };
}

async function send(customer: TestSocket, seq: number) {
  customer.sendBatch({ tabId: 'tab-1', seq, full: seq === 1 }, payload(`batch ${seq}`));
  expect(await until(customer, 'dom.ack')).toMatchObject({ seq });
}

async function ends(t: TestServer, sessionId: string) {
  return (await t.server.store.listAudit(sessionId)).filter((entry) => entry.toState === 'ended');
}

describe('timeouts across two nodes', () => {
  it("does not end a session busy on the customer's node, and ends it once when it goes quiet", async () => {
    const { clock, a, session, customer, agent } = await twoNodes();
    for (let seq = 1; seq <= 4; seq += 1) {
      clock.advance(IDLE - MINUTE);
      await send(customer, seq);
      // Node b's timer may ask the bus; give any wrong end the time to land.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await a.server.store.getSession(session.sessionId))?.state).toBe('active');
    }
    clock.advance(IDLE - 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await a.server.store.getSession(session.sessionId))?.state).toBe('active');
    clock.advance(1);
    for (const socket of [customer, agent]) {
      expect(await until(socket, 'session.ended')).toEqual({
        type: 'session.ended',
        reason: 'timeout_idle',
      });
    }
    await vi.waitFor(async () => expect(await ends(a, session.sessionId)).toHaveLength(1));
    expect(await ends(a, session.sessionId)).toEqual([
      expect.objectContaining({ actor: 'system', reason: 'timeout_idle' }),
    ]);
  });

  it('ends a session at its deadline once, though both nodes armed it', async () => {
    const { clock, a, session, customer, agent } = await twoNodes(20);
    for (let seq = 1; seq <= 4; seq += 1) {
      clock.advance(IDLE - MINUTE);
      await send(customer, seq);
    }
    clock.advance(4 * MINUTE);
    for (const socket of [customer, agent]) {
      expect(await until(socket, 'session.ended')).toMatchObject({ reason: 'timeout_max' });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await ends(a, session.sessionId)).toEqual([
      expect.objectContaining({ actor: 'system', reason: 'timeout_max' }),
    ]);
  });
});
