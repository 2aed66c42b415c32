/**
 * Issue 6 (ADR 0013), a dead node's sockets: the store still counts them, the node's bus
 * heartbeat has lapsed, and a surviving node releases them. Here the dead node is one that never
 * beat on this hub (as after a SIGKILL and the TTL): its agent held a place and control in a
 * session whose customer is on a live node.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerToClient } from '@sightline/protocol';
import { MemoryBus, MemoryBusHub } from '../src/index.js';
import { connectAgent, connectCustomer, post, startSession } from './support/flows.js';
import { startServer, type TestServer } from './support/server.js';
import type { TestSocket } from './support/socket.js';
import { agentToken } from './support/tokens.js';

let t: TestServer | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function until<T extends ServerToClient['type']>(socket: TestSocket, type: T) {
  for (;;) {
    const frame = await socket.next();
    if (frame.kind === 'text' && frame.message.type === type) {
      return frame.message as Extract<ServerToClient, { type: T }>;
    }
  }
}

describe("a dead node's sockets", () => {
  it('are released by a live node: its agent leaves, frees its place and drops control', async () => {
    const hub = new MemoryBusHub({ presenceTtlMs: 300 });
    t = await startServer(
      { bus: new MemoryBus({ nodeId: 'node-a', hub }), nodeSweepIntervalMs: 50, maxAgents: 1 },
      { quietConsent: true },
    );
    const store = t.server.store;
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session);

    // An agent whose socket was on node-dead: admitted, and the controller.
    const ghost = { userId: 'ghost', userName: 'Ghost Agent', role: 'agent' as const };
    expect(
      await store.admitParticipant({
        sessionId: session.sessionId,
        ...ghost,
        nodeId: 'node-dead',
        at: Date.now(),
        maxOfRole: 1,
        allowSharedUser: true,
      }),
    ).toMatchObject({ status: 'admitted' });
    await store.updateControl({
      expectedRevision: 0,
      next: {
        sessionId: session.sessionId,
        mode: 'controlled',
        controller: { userId: ghost.userId, userName: ghost.userName },
        grantUntil: null,
        pending: null,
        settings: null,
        updatedAt: Date.now(),
      },
      audit: [{ sessionId: session.sessionId, at: Date.now(), actor: 'test', action: 'test' }],
    });

    // The sweep finds node-dead counted and not alive: the ghost leaves, as if it had closed.
    expect(await until(customer, 'session.participant_left')).toMatchObject({
      participant: ghost,
    });
    await vi.waitFor(async () =>
      expect(await store.getControl(session.sessionId)).toMatchObject({
        mode: 'guided',
        controller: null,
      }),
    );
    expect(await store.listSocketNodes()).toEqual(['node-a']);
    const [row] = (await store.listParticipants([session.sessionId])).filter(
      (p) => p.userId === 'ghost',
    );
    expect(row).toMatchObject({ connections: 0 });

    // Its place is free: another agent gets in under a limit of one.
    await connectAgent(t, session.pin, 'agent-2');
  });

  it('are never released while their node beats, nor its own', async () => {
    const hub = new MemoryBusHub({ presenceTtlMs: 300 });
    t = await startServer(
      { bus: new MemoryBus({ nodeId: 'node-a', hub }), nodeSweepIntervalMs: 50 },
      { quietConsent: true },
    );
    // A second live node on the same hub, whose agent holds a socket.
    const b = new MemoryBus({ nodeId: 'node-b', hub });
    try {
      const session = await startSession(t);
      await connectCustomer(t, session);
      await t.server.store.admitParticipant({
        sessionId: session.sessionId,
        userId: 'bea',
        userName: 'Bea',
        role: 'agent',
        nodeId: 'node-b',
        at: Date.now(),
        maxOfRole: 5,
        allowSharedUser: true,
      });
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(await t.server.store.listSocketNodes()).toEqual(['node-a', 'node-b']);
      const refused = await post<{ error?: { code: number } }>(
        t.url,
        '/api/agent/connect',
        { pin: session.pin },
        await agentToken({ user_id: 'bea' }),
      );
      expect(refused.status).toBe(200);
    } finally {
      await b.close();
    }
  });
});
