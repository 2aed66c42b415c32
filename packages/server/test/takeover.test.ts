/**
 * Issue 3, 1015 `SESSION_DUPLICATE_USER` (ADR 0007): one socket per agent and one per customer
 * tab. A newer socket of the same agent, or of the same tab, takes over: the older one is told
 * 1015 in words and closed with 4409, which the SDKs do not reconnect on. The participant never
 * left, so nobody is told anything. Over real sockets, on one node and across two.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerToClient } from '@sightline/protocol';
import { MemoryBus, MemoryBusHub, type SessionStore } from '../src/index.js';
import { connectAgent, connectCustomer, startSession } from './support/flows.js';
import { startServer, type TestServer } from './support/server.js';
import { payload, type TestSocket } from './support/socket.js';

const servers: TestServer[] = [];

async function server(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const started = await startServer(...args);
  servers.push(started);
  return started;
}

afterEach(async () => {
  for (const started of servers.splice(0).reverse()) await started.close();
});

const AGENT_MESSAGE =
  'This user is already in the session. The session was opened in another window; this one was closed.';
const TAB_MESSAGE =
  'This user is already in the session. This tab connected again on another socket; this one was closed.';

/** Expects `session.error` 1015 with `message`, then a close with 4409. */
async function expectTakenOver(socket: TestSocket, message: string): Promise<void> {
  expect(await until(socket, 'session.error')).toEqual({
    type: 'session.error',
    code: 1015,
    name: 'SESSION_DUPLICATE_USER',
    message,
  });
  expect((await socket.closed).code).toBe(4409);
}

/** The types of the text frames before the next one of `type`, which is read too. */
async function typesUntil(socket: TestSocket, type: ServerToClient['type']): Promise<string[]> {
  const before: string[] = [];
  for (;;) {
    const frame = await socket.next();
    if (frame.kind !== 'text') continue;
    if (frame.message.type === type) return before;
    before.push(frame.message.type);
  }
}

/** Skips frames until a text frame of `type`. */
async function until<T extends ServerToClient['type']>(socket: TestSocket, type: T) {
  for (;;) {
    const frame = await socket.next();
    if (frame.kind === 'text' && frame.message.type === type) {
      return frame.message as Extract<ServerToClient, { type: T }>;
    }
  }
}

/** The text frames `socket` has received and not read, by type. */
function pendingTypes(socket: TestSocket): string[] {
  return socket.pending.flatMap((f) => (f.kind === 'text' ? [f.message.type] : []));
}

async function connections(t: TestServer, sessionId: string, userId: string) {
  const participants = await t.server.store.listParticipants([sessionId]);
  return participants.find((p) => p.userId === userId)?.connections;
}

describe('takeover', () => {
  it('replaces an agent’s older socket with its newer one, told why and not announced', async () => {
    const t = await server({}, { quietConsent: true });
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session);
    const older = await connectAgent(t, session.pin, 'agent-1');
    expect(await until(customer, 'session.participant_joined')).toMatchObject({
      participant: { userId: 'agent-1' },
    });
    const newer = await connectAgent(t, session.pin, 'agent-1');
    await expectTakenOver(older, AGENT_MESSAGE);
    await vi.waitFor(async () =>
      expect(await connections(t, session.sessionId, 'agent-1')).toBe(1),
    );

    // The newer socket watches; the customer heard of no leaving and no second arrival.
    customer.sendBatch({ tabId: 'tab-1', seq: 1, full: true }, payload('batch 1'));
    const before = await typesUntil(customer, 'dom.ack');
    expect(before).not.toContain('session.participant_left');
    expect(before).not.toContain('session.participant_joined');
    expect((await newer.expectBatch()).header).toMatchObject({ seq: 1 });

    newer.close();
    expect(await until(customer, 'session.participant_left')).toMatchObject({
      participant: { userId: 'agent-1' },
    });
    customer.close();
  });

  it('leaves other agents alone', async () => {
    const t = await server({}, { quietConsent: true });
    const session = await startSession(t);
    await connectCustomer(t, session);
    const one = await connectAgent(t, session.pin, 'agent-1');
    const two = await connectAgent(t, session.pin, 'agent-2');
    const three = await connectAgent(t, session.pin, 'agent-3');
    await connectAgent(t, session.pin, 'agent-2');
    await expectTakenOver(two, AGENT_MESSAGE);
    expect(pendingTypes(one)).not.toContain('session.error');
    expect(pendingTypes(three)).not.toContain('session.error');
    expect(one.ws.readyState).toBe(one.ws.OPEN);
    expect(three.ws.readyState).toBe(three.ws.OPEN);
  });

  it('replaces the older socket of the same customer tab, and keeps other tabs', async () => {
    const t = await server({}, { quietConsent: true });
    const session = await startSession(t);
    const older = await connectCustomer(t, session, 'tab-1');
    const other = await connectCustomer(t, session, 'tab-2');
    const agent = await connectAgent(t, session.pin);
    const newer = await connectCustomer(t, session, 'tab-1');
    await expectTakenOver(older.socket, TAB_MESSAGE);

    // Nobody dropped: the session stays active and the agent is told nothing.
    newer.socket.sendBatch({ tabId: 'tab-1', seq: 1, full: true }, payload('one'));
    other.socket.sendBatch({ tabId: 'tab-2', seq: 1, full: true }, payload('two'));
    const tabs: unknown[] = [(await agent.expectBatch()).header.tabId];
    tabs.push((await agent.expectBatch()).header.tabId);
    expect(tabs.sort()).toEqual(['tab-1', 'tab-2']);
    expect(pendingTypes(agent)).toEqual([]);
    expect((await t.server.store.getSession(session.sessionId))?.state).toBe('active');
    expect(await connections(t, session.sessionId, 'customer-1')).toBe(2);
  });

  it('takes over across nodes', async () => {
    const bus = new MemoryBusHub();
    const a = await server({ bus: new MemoryBus({ nodeId: 'node-a', hub: bus }) });
    // Node b shares node a's store, which node a closes.
    const store: SessionStore = Object.assign(Object.create(a.server.store) as SessionStore, {
      close: async () => {},
    });
    const b = await server({ store, bus: new MemoryBus({ nodeId: 'node-b', hub: bus }) });
    const session = await startSession(a);
    await connectCustomer(a, session);
    const onA = await connectAgent(a, session.pin, 'agent-1');
    await connectAgent(b, session.pin, 'agent-1');
    await expectTakenOver(onA, AGENT_MESSAGE);
    await vi.waitFor(async () =>
      expect(await connections(a, session.sessionId, 'agent-1')).toBe(1),
    );
  });
});
