/**
 * The relay over real sockets: customer → server → agents, acks, dedupe of resends, the checkout
 * a late agent starts from, presence, state changes and the end of a session. The app
 * pre-approves viewing here and the consent frames are skipped; `consent.test.ts` covers asking.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectAgent, connectCustomer, joinToken, post, startSession } from './support/flows.js';
import { startServer, type TestServer } from './support/server.js';
import { TestSocket, payload, textOf } from './support/socket.js';
import { agentToken } from './support/tokens.js';

let t: TestServer;

beforeEach(async () => {
  t = await startServer({ checkoutTailRefreshBatches: 3 }, { quietConsent: true });
});

afterEach(async () => {
  await t.close();
});

/** Sends a batch and waits for its ack. */
async function send(customer: TestSocket, seq: number, full = false, tabId = 'tab-1') {
  customer.sendBatch({ tabId, seq, full }, payload(`batch ${seq}`));
  const ack = await customer.expect('dom.ack');
  expect(ack).toEqual({ type: 'dom.ack', tabId, seq });
}

async function expectBatches(agent: TestSocket, seqs: number[], tabId = 'tab-1') {
  for (const seq of seqs) {
    const frame = await agent.expectBatch();
    expect(frame.header).toMatchObject({ type: 'dom.batch', tabId, seq });
    expect(textOf(frame.payload)).toBe(`batch ${seq}`);
  }
}

describe('relay', () => {
  it('relays each batch to two agents, unchanged, stamped with the receive time, and acks it', async () => {
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session);
    const one = await connectAgent(t, session.pin, 'agent-1');
    expect(await customer.expect('session.state')).toMatchObject({ state: 'active' });
    expect(await customer.expect('session.participant_joined')).toMatchObject({
      participant: { userId: 'agent-1', role: 'agent' },
    });
    expect(await customer.expect('dom.snapshot_request')).toMatchObject({ reason: 'agent_joined' });
    const two = await connectAgent(t, session.pin, 'agent-2');
    expect((await one.expect('session.participant_joined')).participant.userId).toBe('agent-2');

    const before = Date.now();
    customer.sendBatch({ tabId: 'tab-1', seq: 1, full: true }, payload('snapshot'));
    await customer.expect('session.participant_joined');
    await customer.expect('dom.snapshot_request');
    expect(await customer.expect('dom.ack')).toEqual({ type: 'dom.ack', tabId: 'tab-1', seq: 1 });
    for (const agent of [one, two]) {
      const frame = await agent.expectBatch();
      expect(frame.header).toEqual({
        type: 'dom.batch',
        tabId: 'tab-1',
        seq: 1,
        full: true,
        receivedAt: expect.any(Number),
      });
      expect(frame.header.receivedAt as number).toBeGreaterThanOrEqual(before);
      expect(frame.header.receivedAt as number).toBeLessThanOrEqual(Date.now());
      expect(textOf(frame.payload)).toBe('snapshot');
    }
    await send(customer, 2);
    await expectBatches(one, [2]);
    await expectBatches(two, [2]);
  });

  it('drops a resent seq after a reconnect and resumes from lastAckedSeq', async () => {
    const session = await startSession(t);
    const first = await connectCustomer(t, session);
    const agent = await connectAgent(t, session.pin);
    await first.socket.expect('session.state');
    await first.socket.expect('session.participant_joined');
    await first.socket.expect('dom.snapshot_request');
    await send(first.socket, 1, true);
    await send(first.socket, 2);
    await expectBatches(agent, [1, 2]);
    first.socket.close();
    await first.socket.closed;

    const again = await connectCustomer(t, session);
    expect(again.lastAckedSeq).toEqual({ 'tab-1': 2 });
    // The SDK resends what it never saw acked: the server holds it already.
    again.socket.sendBatch({ tabId: 'tab-1', seq: 2 }, payload('batch 2'));
    await again.socket.expect('dom.snapshot_request');
    expect(await again.socket.expect('dom.ack')).toMatchObject({ seq: 2 });
    await send(again.socket, 3);
    const frames = [];
    for (;;) {
      const frame = await agent.next();
      if (frame.kind === 'binary') {
        frames.push(frame.header.seq);
        break;
      }
    }
    expect(frames).toEqual([3]);
  });

  it('sends a late agent the checkout (latest full and tail), then the live stream', async () => {
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session);
    for (const [seq, full] of [
      [1, true],
      [2, false],
      [3, true],
      [4, false],
      [5, false],
    ] as const) {
      await send(customer, seq, full);
    }
    const agent = await connectAgent(t, session.pin);
    await expectBatches(agent, [3, 4, 5]);
    await customer.expect('session.state');
    await customer.expect('session.participant_joined');
    await customer.expect('dom.snapshot_request');
    await send(customer, 6);
    await expectBatches(agent, [6]);
    expect(agent.pending).toEqual([]);
  });

  it('misses nothing and repeats nothing when batches flow while an agent joins', async () => {
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session);
    customer.sendBatch({ tabId: 'tab-1', seq: 1, full: true }, payload('batch 1'));
    const agentPromise = connectAgent(t, session.pin);
    for (let seq = 2; seq <= 40; seq += 1) {
      customer.sendBatch({ tabId: 'tab-1', seq }, payload(`batch ${seq}`));
    }
    const agent = await agentPromise;
    const seen: number[] = [];
    await vi.waitFor(async () => {
      while (agent.pending.length > 0) {
        const frame = await agent.next();
        if (frame.kind === 'binary') seen.push(frame.header.seq as number);
      }
      expect(seen.at(-1)).toBe(40);
    });
    // The checkout starts at the latest full batch: seq 1 here.
    expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('asks for a fresh snapshot once the tail passes its bound, once per full batch', async () => {
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session);
    await send(customer, 1, true);
    await send(customer, 2);
    await send(customer, 3);
    customer.sendBatch({ tabId: 'tab-1', seq: 4 }, payload('batch 4'));
    await customer.expect('dom.ack');
    expect(await customer.expect('dom.snapshot_request')).toEqual({
      type: 'dom.snapshot_request',
      tabId: 'tab-1',
      reason: 'checkout_tail',
    });
    await send(customer, 5);
    await send(customer, 6, true);
    await send(customer, 7);
    await send(customer, 8);
    customer.sendBatch({ tabId: 'tab-1', seq: 9 }, payload('batch 9'));
    await customer.expect('dom.ack');
    expect((await customer.expect('dom.snapshot_request')).reason).toBe('checkout_tail');
  });
});

describe('presence and state', () => {
  it('announces leaving, and moves a session whose customer dropped to reconnecting and back', async () => {
    const session = await startSession(t);
    const first = await connectCustomer(t, session);
    const agent = await connectAgent(t, session.pin);
    first.socket.close();
    expect(await agent.expect('session.participant_left')).toMatchObject({
      participant: { role: 'customer', userId: 'customer-1' },
    });
    expect(await agent.expect('session.state')).toMatchObject({ state: 'reconnecting' });
    const again = await connectCustomer(t, session);
    expect(await agent.expect('session.state')).toMatchObject({ state: 'active' });
    expect(await agent.expect('session.participant_joined')).toMatchObject({
      participant: { role: 'customer' },
    });
    // Agents are watching, so the returning customer is asked for a snapshot at once.
    expect(await again.socket.expect('dom.snapshot_request')).toMatchObject({ tabId: 'tab-1' });
    agent.close();
    expect(await again.socket.expect('session.participant_left')).toMatchObject({
      participant: { role: 'agent' },
    });
  });

  it('welcomes with the others present and the current state', async () => {
    const session = await startSession(t);
    await connectCustomer(t, session);
    const socket = await TestSocket.hello(t.wsUrl, { joinToken: await joinToken(t, session.pin) });
    const welcome = await socket.expect('session.welcome');
    expect(welcome).toMatchObject({
      sessionId: session.sessionId,
      role: 'agent',
      self: { userId: 'agent-1', userName: 'Agent agent-1', role: 'agent' },
      participants: [{ userId: 'customer-1', userName: 'Casey Customer', role: 'customer' }],
      state: 'active',
    });
    expect(Math.abs(welcome.serverTime - Date.now())).toBeLessThan(5_000);
    expect(welcome.lastAckedSeq).toBeUndefined();
  });
});

describe('ending', () => {
  it.each([
    ['customer', 'customer_ended'],
    ['agent', 'agent_ended'],
  ] as const)('ends for everyone when the %s sends session.end', async (who, reason) => {
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session);
    await send(customer, 1, true);
    const agents = [
      await connectAgent(t, session.pin, 'agent-1'),
      await connectAgent(t, session.pin, 'agent-2'),
    ];
    (who === 'customer' ? customer : agents[0])?.sendJson({ type: 'session.end' });
    for (const socket of [customer, ...agents]) {
      expect((await socket.closed).code).toBe(4999);
    }
    for (const socket of agents) {
      const frames = [];
      for (;;) {
        const frame = await socket.next().catch(() => undefined);
        if (!frame) break;
        frames.push(frame);
      }
      expect(frames.at(-1)).toEqual({ kind: 'text', message: { type: 'session.ended', reason } });
    }
    const stored = await t.server.store.getSession(session.sessionId);
    expect(stored).toMatchObject({ state: 'ended', endReason: reason });
    expect(await t.server.bus.listTabs(session.sessionId)).toEqual([]);
    const audit = await t.server.store.listAudit(session.sessionId);
    expect(audit.at(-1)).toMatchObject({ action: 'end', toState: 'ended', reason });
  });

  it('ends every socket with 4999 when an agent revokes the session over HTTP', async () => {
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session);
    const agent = await connectAgent(t, session.pin);
    const revoked = await post(
      t.url,
      '/api/session/revoke',
      { sessionId: session.sessionId },
      await agentToken({ user_id: 'supervisor' }),
    );
    expect(revoked).toEqual({
      status: 200,
      body: { sessionId: session.sessionId, state: 'ended', endReason: 'revoked' },
    });
    expect(await customer.closed).toMatchObject({ code: 4999 });
    expect(await agent.closed).toMatchObject({ code: 4999 });
    const audit = await t.server.store.listAudit(session.sessionId);
    expect(audit.at(-1)).toMatchObject({ actor: 'agent:supervisor', reason: 'revoked' });
  });

  it('closes every socket with 4503 when the server shuts down', async () => {
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session);
    const agent = await connectAgent(t, session.pin);
    const closing = t.server.close();
    expect((await customer.closed).code).toBe(4503);
    expect((await agent.closed).code).toBe(4503);
    await closing;
  });
});

describe('backpressure', () => {
  it('closes an agent that cannot keep up with 4503 instead of buffering without bound', async () => {
    const slow = await startServer({ agentMaxBufferedBytes: 256 * 1024 }, { quietConsent: true });
    try {
      const session = await startSession(slow);
      const { socket: customer } = await connectCustomer(slow, session);
      const agent = await connectAgent(slow, session.pin);
      agent.ws.pause();
      const big = new Uint8Array(2 * 1024 * 1024);
      for (let seq = 1; seq <= 8; seq += 1) {
        customer.sendBatch({ tabId: 'tab-1', seq, full: seq === 1 }, big);
      }
      await vi.waitFor(
        async () => {
          const tabs = await slow.server.bus.lastSeqs(session.sessionId);
          expect(tabs['tab-1']).toBe(8);
        },
        { timeout: 5_000 },
      );
      agent.ws.resume();
      expect((await agent.closed).code).toBe(4503);
      const errors = agent.pending.filter(
        (frame) => frame.kind === 'text' && frame.message.type === 'session.error',
      );
      expect(errors.map((frame) => frame.kind === 'text' && frame.message)).toEqual([
        expect.objectContaining({ code: 3008, name: 'SLOW_CONSUMER' }),
      ]);
      expect(customer.ws.readyState).toBe(customer.ws.OPEN);
    } finally {
      await slow.close();
    }
  });
});
