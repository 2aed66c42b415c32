/**
 * Extending a session past its deadline (`timeout_max`), issue 3: with a real server, real
 * sockets and a manual clock. An allowed agent asks (`session.extend`), the customer is asked with
 * a consent question of kind `extend`, and only Allow moves the deadline, re-arms its timer and
 * tells everyone; Deny and silence leave it. One question at a time, up to a cap.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerOptions } from '../src/index.js';
import type { ServerToClient } from '@sightline/protocol';
import { connectAgent, connectCustomer, joinToken, startSession } from './support/flows.js';
import { ManualClock } from './support/clock.js';
import { startServer, type TestServer } from './support/server.js';
import { TestSocket, payload } from './support/socket.js';

const MINUTE = 60_000;
const MAX = 45 * MINUTE;
const STEP = 15 * MINUTE;
const CONSENT = 2 * MINUTE;
let servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** Skips frames until a text frame of `type`. */
async function until<T extends ServerToClient['type']>(socket: TestSocket, type: T) {
  for (;;) {
    const frame = await socket.next();
    if (frame.kind === 'text' && frame.message.type === type) {
      return frame.message as Extract<ServerToClient, { type: T }>;
    }
  }
}

/**
 * An active session whose agent `agent-1` the customer allowed (viewing is pre-approved here, so
 * the only questions the customer sees are the ones to extend), with every timer on `clock`.
 */
async function activeSession(options: Partial<ServerOptions> = {}) {
  const clock = new ManualClock(Date.now());
  const t = await startServer({
    clock,
    viewConsent: 'pre_approved',
    sessionMaxDurationMs: MAX,
    sessionExtensionMs: STEP,
    // Long enough that neither of these ends a test's session first.
    idleTimeoutMs: 10 * MAX,
    waitingTimeoutMs: 10 * MAX,
    consentTimeoutMs: CONSENT,
    ...options,
  });
  servers.push(t);
  const session = await startSession(t);
  const { socket: customer } = await connectCustomer(t, session);
  const agent = await connectAgent(t, session.pin, 'agent-1');
  await until(agent, 'consent.allowed');
  await vi.waitFor(async () => expect((await record(t, session.sessionId))?.state).toBe('active'));
  const expiresAt = Date.parse(session.expiresAt);
  return { clock, t, session, customer, agent, expiresAt };
}

async function record(t: TestServer, sessionId: string) {
  return t.server.store.getSession(sessionId);
}

/**
 * Checks the session did not end: a batch round trip gives a wrongly fired end time to arrive
 * first, and the customer saw no `session.ended`.
 */
async function stillActive(t: TestServer, sessionId: string, customer: TestSocket, seq: number) {
  customer.sendBatch({ tabId: 'tab-1', seq, full: seq === 1 }, payload(`batch ${seq}`));
  for (;;) {
    const frame = await customer.next();
    if (frame.kind !== 'text') continue;
    expect(frame.message.type).not.toBe('session.ended');
    if (frame.message.type === 'dom.ack') break;
  }
  expect((await record(t, sessionId))?.state).toBe('active');
}

/** The agent asks; the customer is asked; both sides see the question. */
async function ask(agent: TestSocket, customer: TestSocket) {
  agent.sendJson({ type: 'session.extend' });
  const request = await until(customer, 'consent.request');
  expect(request.kind).toBe('extend');
  // Every agent hears of every question: skip what came before this one.
  let pending = await until(agent, 'session.extension');
  while (pending.requestId !== request.requestId) pending = await until(agent, 'session.extension');
  return { pending, request };
}

describe('the deadline', () => {
  it('is in every welcome, with what one extension would add', async () => {
    const clock = new ManualClock(Date.now());
    const t = await startServer({ clock, sessionMaxDurationMs: MAX, sessionExtensionMs: STEP });
    servers.push(t);
    const session = await startSession(t);
    const expiresAt = Date.parse(session.expiresAt);
    expect(expiresAt - clock.now()).toBe(MAX);
    clock.advance(MINUTE);
    const customer = await TestSocket.hello(t.wsUrl, {
      resumeToken: session.resumeToken,
      tabId: 'tab-1',
    });
    expect((await customer.expect('session.welcome')).deadline).toEqual({
      endsAt: expiresAt,
      serverTime: clock.now(),
      extensionMs: STEP,
    });
    const agent = await TestSocket.hello(t.wsUrl, { joinToken: await joinToken(t, session.pin) });
    expect((await agent.expect('session.welcome')).deadline).toMatchObject({ endsAt: expiresAt });
  });
});

describe('extending a session', () => {
  it('Allow moves timeout_max by one step, re-arms it, audits it and tells everyone', async () => {
    const { clock, t, session, customer, agent, expiresAt } = await activeSession();
    const { pending, request } = await ask(agent, customer);
    expect(pending).toMatchObject({
      outcome: 'pending',
      extensionMs: STEP,
      agent: { userId: 'agent-1', userName: 'Agent agent-1', role: 'agent' },
    });
    expect(request).toMatchObject({ extensionMs: STEP, agent: { userId: 'agent-1' } });

    clock.advance(MINUTE);
    customer.sendJson({
      type: 'consent.response',
      requestId: request.requestId,
      decision: 'allow',
    });
    expect(await until(customer, 'consent.settled')).toEqual({
      type: 'consent.settled',
      requestId: request.requestId,
    });
    const told = { type: 'session.deadline', endsAt: expiresAt + STEP, extensionMs: STEP };
    expect(await until(customer, 'session.deadline')).toMatchObject(told);
    expect(await until(agent, 'session.extension')).toMatchObject({
      outcome: 'allowed',
      requestId: request.requestId,
    });
    expect(await until(agent, 'session.deadline')).toMatchObject(told);
    expect((await record(t, session.sessionId))?.expiresAt).toBe(expiresAt + STEP);

    // The old deadline passes without an end; the new one ends the session.
    clock.advance(expiresAt - clock.now());
    await stillActive(t, session.sessionId, customer, 1);
    clock.advance(STEP - 1);
    await stillActive(t, session.sessionId, customer, 2);
    clock.advance(1);
    expect(await until(customer, 'session.ended')).toMatchObject({ reason: 'timeout_max' });
    expect(await until(agent, 'session.ended')).toMatchObject({ reason: 'timeout_max' });

    const audit = await t.server.store.listAudit(session.sessionId);
    const reason = `agent:agent-1 request:${request.requestId} kind:extend`;
    const extension = audit.filter((entry) => entry.reason?.startsWith(reason));
    expect(extension).toEqual([
      expect.objectContaining({ action: 'consent_requested', actor: 'agent:agent-1', reason }),
      expect.objectContaining({ action: 'consent_allowed', actor: 'customer:customer-1', reason }),
      expect.objectContaining({
        action: 'session_extended',
        actor: 'customer:customer-1',
        reason: `${reason} added_ms:${STEP}`,
      }),
    ]);
    expect(audit.at(-1)).toMatchObject({ actor: 'system', reason: 'timeout_max' });
  });

  it('follows a deadline another node moved: the timer reads it again when it fires', async () => {
    const { clock, t, session, customer, expiresAt } = await activeSession();
    // As another node's Allow would: the store moves, this node's timer is not told.
    const moved = await t.server.store.extendSession({
      sessionId: session.sessionId,
      from: expiresAt,
      to: expiresAt + STEP,
      at: clock.now(),
      actor: 'customer:customer-1',
      action: 'session_extended',
    });
    expect(moved?.expiresAt).toBe(expiresAt + STEP);
    clock.advance(expiresAt - clock.now());
    await stillActive(t, session.sessionId, customer, 1);
    clock.advance(STEP);
    expect(await until(customer, 'session.ended')).toMatchObject({ reason: 'timeout_max' });
  });

  it('Deny leaves the deadline: the agents are told why, and timeout_max ends the session on time', async () => {
    const { clock, t, session, customer, agent, expiresAt } = await activeSession();
    const { request } = await ask(agent, customer);
    customer.sendJson({ type: 'consent.response', requestId: request.requestId, decision: 'deny' });
    expect(await until(agent, 'session.extension')).toMatchObject({
      outcome: 'denied',
      code: 3016,
    });
    expect(await until(customer, 'consent.settled')).toMatchObject({
      requestId: request.requestId,
    });
    expect((await record(t, session.sessionId))?.expiresAt).toBe(expiresAt);
    clock.advance(expiresAt - clock.now());
    expect(await until(customer, 'session.ended')).toMatchObject({ reason: 'timeout_max' });
    const actions = (await t.server.store.listAudit(session.sessionId)).map((e) => e.action);
    expect(actions).toContain('consent_denied');
    expect(actions).not.toContain('session_extended');
  });

  it('withdraws an unanswered question after the consent timeout, and a later one may be asked', async () => {
    const { clock, t, session, customer, agent, expiresAt } = await activeSession();
    const { request } = await ask(agent, customer);
    clock.advance(CONSENT - 1);
    agent.sendJson({ type: 'session.extend' });
    expect(await until(agent, 'session.error')).toMatchObject({ code: 3014 });
    clock.advance(1);
    expect(await until(agent, 'session.extension')).toMatchObject({
      outcome: 'expired',
      code: 3017,
      requestId: request.requestId,
    });
    expect(await until(customer, 'consent.settled')).toMatchObject({
      requestId: request.requestId,
    });
    // Too late: the answer is refused, and the deadline stays.
    customer.sendJson({
      type: 'consent.response',
      requestId: request.requestId,
      decision: 'allow',
    });
    expect(await until(customer, 'session.error')).toMatchObject({ code: 3001 });
    expect((await record(t, session.sessionId))?.expiresAt).toBe(expiresAt);
    const audit = await t.server.store.listAudit(session.sessionId);
    expect(audit.filter((e) => e.action === 'consent_expired')).toEqual([
      expect.objectContaining({ actor: 'system' }),
    ]);
    // The agent asks again; the socket was never closed.
    const again = await ask(agent, customer);
    expect(again.request.requestId).not.toBe(request.requestId);
  });

  it('asks one question at a time: a second agent is refused (3014) and stays connected', async () => {
    const { t, session, customer, agent } = await activeSession();
    const other = await connectAgent(t, session.pin, 'agent-2');
    await until(other, 'consent.allowed');
    await ask(agent, customer);
    // The other agent sees the question too.
    expect(await until(other, 'session.extension')).toMatchObject({ outcome: 'pending' });
    other.sendJson({ type: 'session.extend' });
    expect(await until(other, 'session.error')).toMatchObject({
      code: 3014,
      name: 'EXTENSION_PENDING',
    });
    // Refused, not closed: it can still end the session.
    other.sendJson({ type: 'session.end' });
    expect(await until(customer, 'session.ended')).toMatchObject({ reason: 'agent_ended' });
  });

  it('withdraws the question of an agent who left when another asks', async () => {
    const { t, session, customer, agent } = await activeSession();
    const other = await connectAgent(t, session.pin, 'agent-2');
    await until(other, 'consent.allowed');
    const first = await ask(agent, customer);
    agent.close();
    await agent.closed;
    await until(customer, 'session.participant_left');
    const second = await ask(other, customer);
    const audit = await t.server.store.listAudit(session.sessionId);
    expect(audit.filter((e) => e.action === 'consent_expired')).toEqual([
      expect.objectContaining({
        actor: 'system',
        reason: expect.stringContaining(first.request.requestId),
      }),
    ]);
    expect(second.request.agent.userId).toBe('agent-2');
  });

  it('stops at the cap: the last extension is cut to fit, then 3015', async () => {
    const { t, session, customer, agent, expiresAt } = await activeSession({
      sessionMaxExtensionMs: STEP + 5 * MINUTE,
    });
    for (const added of [STEP, 5 * MINUTE]) {
      const { request } = await ask(agent, customer);
      expect(request.extensionMs).toBe(added);
      customer.sendJson({
        type: 'consent.response',
        requestId: request.requestId,
        decision: 'allow',
      });
      await until(agent, 'session.deadline');
    }
    const last = await until(customer, 'session.deadline');
    expect(last).toMatchObject({ endsAt: expiresAt + STEP + 5 * MINUTE, extensionMs: 0 });
    agent.sendJson({ type: 'session.extend' });
    expect(await until(agent, 'session.error')).toMatchObject({
      code: 3015,
      name: 'EXTENSION_LIMIT_REACHED',
    });
    expect((await record(t, session.sessionId))?.expiresAt).toBe(expiresAt + STEP + 5 * MINUTE);
    // A reconnecting customer learns the same from its welcome.
    const tab = await TestSocket.hello(t.wsUrl, { resumeToken: session.resumeToken, tabId: 't2' });
    expect((await tab.expect('session.welcome')).deadline).toMatchObject({
      endsAt: expiresAt + STEP + 5 * MINUTE,
      extensionMs: 0,
    });
  });

  it('is never pre-approved, and only an allowed agent may ask', async () => {
    // The app pre-approves viewing: the extension is still asked (the tests above), and here an
    // agent the customer has not allowed yet, under `ask`, and the customer are refused.
    const clock = new ManualClock(Date.now());
    const t = await startServer({ clock, consentTimeoutMs: CONSENT });
    servers.push(t);
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session);
    const agent = await connectAgent(t, session.pin, 'agent-1');
    await until(agent, 'consent.pending');
    agent.sendJson({ type: 'session.extend' });
    expect(await until(agent, 'session.error')).toMatchObject({ code: 3006 });
    const view = await until(customer, 'consent.request');
    expect(view.kind).toBe('view');
    customer.sendJson({ type: 'session.extend' });
    expect(await until(customer, 'session.error')).toMatchObject({
      code: 3006,
      name: 'MESSAGE_NOT_ALLOWED',
    });
    const actions = (await t.server.store.listAudit(session.sessionId)).map((e) => e.reason);
    expect(actions.some((reason) => reason?.includes('kind:extend'))).toBe(false);
  });

  it('asks a reloaded page the open question again', async () => {
    const { t, session, customer, agent } = await activeSession();
    const { request } = await ask(agent, customer);
    customer.close();
    await customer.closed;
    const { socket: back } = await connectCustomer(t, session);
    const again = await until(back, 'consent.request');
    expect(again).toMatchObject({ requestId: request.requestId, kind: 'extend' });
    back.sendJson({ type: 'consent.response', requestId: request.requestId, decision: 'allow' });
    expect(await until(agent, 'session.extension')).toMatchObject({ outcome: 'allowed' });
  });
});
