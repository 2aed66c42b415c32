/**
 * Issue 3, "agent drops": a reconnecting agent's hello says what its mirror holds per tab
 * (`resumeFrom`), and the server sends only what follows when the tab's checkout still holds a
 * contiguous run from there; otherwise the tab's checkout, and the welcome's `resumed` leaves the
 * tab out so the agent starts it again. Over real sockets, against a real server.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION, type ServerToClient } from '@sightline/protocol';
import { connectAgent, connectCustomer, joinToken, startSession } from './support/flows.js';
import { startServer, type TestServer } from './support/server.js';
import { TestSocket, payload, textOf } from './support/socket.js';

let t: TestServer;

beforeEach(async () => {
  t = await startServer({}, { quietConsent: true });
});

afterEach(async () => {
  await t.close();
});

/** Sends a batch and waits for its ack (presence and state frames before it are skipped). */
async function send(customer: TestSocket, seq: number, full = false, tabId = 'tab-1') {
  customer.sendBatch({ tabId, seq, full }, payload(`${tabId} batch ${seq}`));
  expect(await until(customer, 'dom.ack')).toEqual({ type: 'dom.ack', tabId, seq });
}

async function expectBatches(agent: TestSocket, seqs: number[], tabId = 'tab-1') {
  for (const seq of seqs) {
    const frame = await agent.expectBatch();
    expect(frame.header).toMatchObject({ tabId, seq });
    expect(textOf(frame.payload)).toBe(`${tabId} batch ${seq}`);
  }
}

/**
 * An agent socket whose hello carries `resumeFrom` (absent: a first join, or an older SDK).
 * Consent frames and others' arrivals are skipped unless `quiet` is false.
 */
async function agentHello(pin: string, resumeFrom?: Record<string, number>, quiet = true) {
  const socket = await TestSocket.open(t.wsUrl);
  if (quiet) {
    socket.ignore = (message) =>
      message.type.startsWith('consent.') || message.type === 'session.participant_joined';
  }
  socket.sendJson({
    type: 'session.hello',
    protocolVersion: PROTOCOL_VERSION,
    joinToken: await joinToken(t, pin),
    ...(resumeFrom ? { resumeFrom } : {}),
  });
  return socket;
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

/** A session whose customer sent a full batch and two more, watched by an agent that left. */
async function watchedThenDropped() {
  const session = await startSession(t);
  const { socket: customer } = await connectCustomer(t, session);
  await send(customer, 1, true);
  const first = await connectAgent(t, session.pin);
  await expectBatches(first, [1]);
  await send(customer, 2);
  await send(customer, 3);
  await expectBatches(first, [2, 3]);
  first.close();
  return { session, customer };
}

/** Skips the customer's frames until one of `type`, returning what came before it. */
async function framesUntil(customer: TestSocket, type: ServerToClient['type']) {
  const before: string[] = [];
  for (;;) {
    const frame = await customer.next();
    if (frame.kind !== 'text') continue;
    if (frame.message.type === type) return before;
    before.push(frame.message.type);
  }
}

describe('agent resume', () => {
  it('sends a returning agent only the batches after its seq, then the live stream', async () => {
    const { session, customer } = await watchedThenDropped();
    // The customer goes on while the agent is away: the checkout holds 1 (full) to 5.
    await send(customer, 4);
    await send(customer, 5);
    const again = await agentHello(session.pin, { 'tab-1': 3 });
    const welcome = await again.expect('session.welcome');
    expect(welcome.resumed).toEqual(['tab-1']);
    await expectBatches(again, [4, 5]);
    await send(customer, 6);
    await expectBatches(again, [6]);
    expect(again.pending).toEqual([]);
    again.close();
  });

  it('sends nothing but the live stream to an agent that already has the last seq', async () => {
    const { session, customer } = await watchedThenDropped();
    const again = await agentHello(session.pin, { 'tab-1': 3 });
    expect((await again.expect('session.welcome')).resumed).toEqual(['tab-1']);
    await send(customer, 4);
    await expectBatches(again, [4]);
    again.close();
  });

  it('starts a tab again from its checkout when the checkout moved past the agent’s seq', async () => {
    const { session, customer } = await watchedThenDropped();
    await send(customer, 4, true);
    await send(customer, 5);
    const again = await agentHello(session.pin, { 'tab-1': 2 });
    expect((await again.expect('session.welcome')).resumed).toEqual([]);
    await expectBatches(again, [4, 5]);
    again.close();
  });

  it('starts a tab again when the agent claims a seq the server never had', async () => {
    const { session } = await watchedThenDropped();
    const again = await agentHello(session.pin, { 'tab-1': 7, 'tab-gone': 2 });
    expect((await again.expect('session.welcome')).resumed).toEqual([]);
    await expectBatches(again, [1, 2, 3]);
    again.close();
  });

  it('decides per tab: one resumes, the other starts again', async () => {
    const session = await startSession(t);
    const { socket: one } = await connectCustomer(t, session, 'tab-1');
    const { socket: two } = await connectCustomer(t, session, 'tab-2');
    await send(one, 1, true, 'tab-1');
    await send(two, 1, true, 'tab-2');
    await send(one, 2, false, 'tab-1');
    await send(two, 2, false, 'tab-2');
    await send(two, 3, true, 'tab-2');
    // tab-1 holds 1 (full) and 2; tab-2's checkout starts at its full batch 3, past seq 2.
    const again = await agentHello(session.pin, { 'tab-1': 1, 'tab-2': 1 });
    expect((await again.expect('session.welcome')).resumed).toEqual(['tab-1']);
    await expectBatches(again, [2], 'tab-1');
    await expectBatches(again, [3], 'tab-2');
    again.close();
  });

  it('sends an agent without resumeFrom (a first join, an older SDK) the whole checkout', async () => {
    const { session } = await watchedThenDropped();
    const again = await agentHello(session.pin);
    expect((await again.expect('session.welcome')).resumed).toBeUndefined();
    await expectBatches(again, [1, 2, 3]);
    again.close();
  });

  it('misses nothing and repeats nothing when batches flow while the agent resumes', async () => {
    const { session, customer } = await watchedThenDropped();
    const againPromise = agentHello(session.pin, { 'tab-1': 3 });
    for (let seq = 4; seq <= 40; seq += 1) {
      customer.sendBatch({ tabId: 'tab-1', seq }, payload(`tab-1 batch ${seq}`));
    }
    const again = await againPromise;
    expect((await again.expect('session.welcome')).resumed).toEqual(['tab-1']);
    const seen: number[] = [];
    await vi.waitFor(async () => {
      while (again.pending.length > 0) {
        const frame = await again.next();
        if (frame.kind === 'binary') seen.push(frame.header.seq as number);
      }
      expect(seen.at(-1)).toBe(40);
    });
    expect(seen).toEqual(Array.from({ length: 37 }, (_, i) => i + 4));
    again.close();
  });

  it('asks the customer for a snapshot when the agent had left, not when it took over its own socket', async () => {
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session);
    customer.ignore = (message) => message.type === 'session.participant_joined';
    await send(customer, 1, true);
    const first = await agentHello(session.pin, {});
    await first.expect('session.welcome');
    await expectBatches(first, [1]);
    // The first watcher: the customer is asked to start capturing, then told who watches.
    expect(await framesUntil(customer, 'consent.viewers')).toContain('dom.snapshot_request');

    // A reconnect that races its still-open socket: the customer never stopped capturing.
    const second = await agentHello(session.pin, { 'tab-1': 1 });
    expect((await second.expect('session.welcome')).resumed).toEqual(['tab-1']);
    expect(await framesUntil(customer, 'consent.viewers')).toEqual([]);
    expect((await first.closed).code).toBe(4409);

    // Its last socket closed, the agent comes back: the customer may have stopped capturing.
    second.close();
    expect(await framesUntil(customer, 'session.participant_left')).toEqual([]);
    const third = await agentHello(session.pin, { 'tab-1': 1 });
    expect((await third.expect('session.welcome')).resumed).toEqual(['tab-1']);
    expect(await framesUntil(customer, 'consent.viewers')).toEqual(['dom.snapshot_request']);
    third.close();
  });
});

describe('agent resume before consent', () => {
  it('resumes no tab for an agent not allowed yet, and sends the checkout after Allow', async () => {
    await t.close();
    t = await startServer();
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session);
    const pending = await agentHello(session.pin, { 'tab-1': 1 }, false);
    expect((await pending.expect('session.welcome')).resumed).toEqual([]);
    await until(pending, 'consent.pending');
    const request = await until(customer, 'consent.request');
    await send(customer, 1, true);
    await send(customer, 2);
    customer.sendJson({
      type: 'consent.response',
      requestId: request.requestId,
      decision: 'allow',
    });
    await until(pending, 'consent.allowed');
    await expectBatches(pending, [1, 2]);
    pending.close();
  });
});
