/**
 * The inactivity timeout (`timeout_idle`) and the unanswered-consent timeout, with a real server,
 * real sockets and a manual clock: only new customer batches count as activity, and a consent
 * question nobody answers is withdrawn without blame (CONSENT_TIMEOUT), unless an answer came first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerToClient } from '@sightline/protocol';
import { SqliteSessionStore } from '../src/index.js';
import { connectAgent, connectCustomer, startSession } from './support/flows.js';
import { ManualClock } from './support/clock.js';
import { startServer, type TestServer } from './support/server.js';
import { payload, type TestSocket } from './support/socket.js';

const MINUTE = 60_000;
const IDLE = 5 * MINUTE;
const CONSENT = 2 * MINUTE;
let servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serverWith(clock: ManualClock, quietConsent: boolean): Promise<TestServer> {
  const t = await startServer(
    {
      clock,
      sessionMaxDurationMs: 60 * MINUTE,
      waitingTimeoutMs: 10 * MINUTE,
      idleTimeoutMs: IDLE,
      consentTimeoutMs: CONSENT,
    },
    { quietConsent },
  );
  servers.push(t);
  return t;
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

async function send(customer: TestSocket, seq: number) {
  customer.sendBatch({ tabId: 'tab-1', seq, full: seq === 1 }, payload(`batch ${seq}`));
  expect(await until(customer, 'dom.ack')).toMatchObject({ seq });
}

/** An active session (viewing pre-approved) with its customer and one watching agent. */
async function activeSession() {
  const clock = new ManualClock(Date.now());
  const t = await serverWith(clock, true);
  const session = await startSession(t);
  const { socket: customer } = await connectCustomer(t, session);
  const agent = await connectAgent(t, session.pin);
  await vi.waitFor(async () => expect(await stateOf(t, session.sessionId)).toBe('active'));
  return { clock, t, session, customer, agent };
}

async function stateOf(t: TestServer, sessionId: string) {
  return (await t.server.store.getSession(sessionId))?.state;
}

async function expectIdleEnd(t: TestServer, sessionId: string, sockets: TestSocket[]) {
  for (const socket of sockets) {
    expect(await until(socket, 'session.ended')).toEqual({
      type: 'session.ended',
      reason: 'timeout_idle',
    });
    expect(await socket.closed).toMatchObject({ code: 4999 });
  }
  const audit = await t.server.store.listAudit(sessionId);
  const ends = audit.filter((entry) => entry.toState === 'ended');
  expect(ends).toEqual([
    expect.objectContaining({ actor: 'system', fromState: 'active', reason: 'timeout_idle' }),
  ]);
}

describe('inactivity timeout', () => {
  it('ends an active session after exactly idleTimeoutMs without customer batches', async () => {
    const { clock, t, session, customer, agent } = await activeSession();
    clock.advance(IDLE - 1);
    expect(await stateOf(t, session.sessionId)).toBe('active');
    clock.advance(1);
    await expectIdleEnd(t, session.sessionId, [customer, agent]);
    expect(await t.server.store.getSession(session.sessionId)).toMatchObject({
      state: 'ended',
      endReason: 'timeout_idle',
    });
    clock.advance(IDLE);
    expect(clock.pending).toBe(0);
  });

  it('does not fire while customer batches keep coming, and fires idleTimeoutMs after the last', async () => {
    const { clock, t, session, customer, agent } = await activeSession();
    for (let seq = 1; seq <= 4; seq += 1) {
      clock.advance(IDLE - MINUTE);
      await send(customer, seq);
    }
    expect(await stateOf(t, session.sessionId)).toBe('active');
    // One timer per session, however many batches arrived.
    expect(clock.pending).toBe(2);
    clock.advance(IDLE - 1);
    expect(await stateOf(t, session.sessionId)).toBe('active');
    clock.advance(1);
    await expectIdleEnd(t, session.sessionId, [customer, agent]);
  });

  it('is not kept alive by agent traffic or by resent duplicates', async () => {
    const { clock, t, session, customer, agent } = await activeSession();
    await send(customer, 1);
    clock.advance(IDLE - MINUTE);
    // The agent reconnects, and the customer resends a batch the server already holds.
    agent.close();
    await agent.closed;
    const again = await connectAgent(t, session.pin);
    customer.sendBatch({ tabId: 'tab-1', seq: 1, full: true }, payload('batch 1'));
    expect(await until(customer, 'dom.ack')).toMatchObject({ seq: 1 });
    clock.advance(MINUTE);
    await expectIdleEnd(t, session.sessionId, [customer, again]);
  });

  it('gives an active session a full idle window after a restart, not an instant end', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sightline-idle-'));
    try {
      const clock = new ManualClock(Date.now());
      const options = { clock, dataDir, sessionMaxDurationMs: 60 * MINUTE, idleTimeoutMs: IDLE };
      const first = await startServer(options, { quietConsent: true });
      const session = await startSession(first);
      await connectCustomer(first, session);
      await connectAgent(first, session.pin);
      await vi.waitFor(async () => expect(await stateOf(first, session.sessionId)).toBe('active'));
      const activeAt = clock.now();
      await first.close();
      // As if the node had crashed instead: the store still says active, since long ago.
      const store = new SqliteSessionStore({ filename: join(dataDir, 'sightline.db') });
      const back = await store.transitionSession({
        sessionId: session.sessionId,
        from: 'reconnecting',
        to: 'active',
        at: activeAt,
        actor: 'test',
        action: 'customer_returned',
      });
      expect(back?.state).toBe('active');
      await store.close();
      clock.advance(2 * IDLE);
      const second = await startServer(options, { quietConsent: true });
      servers.push(second);
      clock.advance(IDLE - 1);
      // A welcome after the timers ran: a session ended at restart would refuse the customer.
      const { socket: customer } = await connectCustomer(second, session);
      expect(await stateOf(second, session.sessionId)).toBe('active');
      clock.advance(1);
      expect(await until(customer, 'session.ended')).toMatchObject({ reason: 'timeout_idle' });
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      servers = [];
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** A pending session: the customer is connected and one agent waits for an answer. */
async function pendingSession() {
  const clock = new ManualClock(Date.now());
  const t = await serverWith(clock, false);
  const session = await startSession(t);
  const { socket: customer } = await connectCustomer(t, session);
  const agent = await connectAgent(t, session.pin, 'agent-1');
  const { requestId } = await agent.expect('consent.pending');
  const request = await until(customer, 'consent.request');
  expect(request.requestId).toBe(requestId);
  return { clock, t, session, customer, agent, requestId };
}

describe('consent timeout', () => {
  it('withdraws an unanswered question after consentTimeoutMs: the agent is told, the session waits again', async () => {
    const { clock, t, session, customer, agent, requestId } = await pendingSession();
    clock.advance(CONSENT - 1);
    expect(await stateOf(t, session.sessionId)).toBe('pending_consent');
    clock.advance(1);
    expect(await until(agent, 'session.error')).toMatchObject({
      code: 3010,
      name: 'CONSENT_TIMEOUT',
    });
    expect((await agent.closed).code).toBe(4403);
    // The customer's prompt closes with the agent leaving; the session is not over.
    expect(await until(customer, 'session.participant_left')).toMatchObject({
      participant: { userId: 'agent-1', role: 'agent' },
    });
    expect(await until(customer, 'session.state')).toEqual({
      type: 'session.state',
      state: 'waiting',
    });
    const audit = await t.server.store.listAudit(session.sessionId);
    expect(audit.filter((entry) => entry.action === 'consent_expired')).toEqual([
      expect.objectContaining({
        actor: 'system',
        reason: `agent:agent-1 request:${requestId}`,
      }),
    ]);
    expect(audit.at(-1)).toMatchObject({
      actor: 'system',
      fromState: 'pending_consent',
      toState: 'waiting',
    });
    // The answer comes too late.
    customer.sendJson({ type: 'consent.response', requestId, decision: 'allow' });
    expect(await until(customer, 'session.error')).toMatchObject({
      name: 'PROTOCOL_INVALID_MESSAGE',
    });
    expect(await stateOf(t, session.sessionId)).toBe('waiting');
  });

  it('lets an answer given just before the deadline win', async () => {
    const { clock, t, session, customer, agent, requestId } = await pendingSession();
    clock.advance(CONSENT - 1);
    customer.sendJson({ type: 'consent.response', requestId, decision: 'allow' });
    expect(await until(agent, 'consent.allowed')).toEqual({ type: 'consent.allowed', requestId });
    clock.advance(CONSENT);
    expect(await stateOf(t, session.sessionId)).toBe('active');
    const audit = await t.server.store.listAudit(session.sessionId);
    expect(audit.map((entry) => entry.action)).not.toContain('consent_expired');
    expect(
      agent.pending.filter((f) => f.kind === 'text' && f.message.type === 'session.error'),
    ).toEqual([]);
  });

  it("withdraws a later agent's question without touching the active session or the agent who watches", async () => {
    const { clock, t, session, customer, agent, requestId } = await pendingSession();
    customer.sendJson({ type: 'consent.response', requestId, decision: 'allow' });
    await until(agent, 'consent.allowed');
    clock.advance(MINUTE);
    const later = await connectAgent(t, session.pin, 'agent-2');
    const pending = await later.expect('consent.pending');
    expect((await until(customer, 'consent.request')).requestId).toBe(pending.requestId);
    clock.advance(CONSENT);
    expect(await until(later, 'session.error')).toMatchObject({ name: 'CONSENT_TIMEOUT' });
    expect((await later.closed).code).toBe(4403);
    expect(await until(customer, 'session.participant_left')).toMatchObject({
      participant: { userId: 'agent-2' },
    });
    expect(await stateOf(t, session.sessionId)).toBe('active');
    await send(customer, 1);
    let frame = await agent.next();
    while (frame.kind === 'text') frame = await agent.next();
    expect(frame.header).toMatchObject({ seq: 1 });
  });
});
