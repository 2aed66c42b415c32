/**
 * Consent first, over real sockets: nothing of the page reaches an agent before the customer
 * allows it; a Deny closes that agent with CONSENT_DECLINED (4403) and, when nobody was allowed,
 * ends the session `declined`; later agents are asked one by one; an app may pre-approve.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectAgent, connectCustomer, startSession } from './support/flows.js';
import { startServer, type TestServer } from './support/server.js';
import type { ServerToClient } from '@sightline/protocol';
import { payload, textOf, type TestSocket } from './support/socket.js';

let t: TestServer | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function send(customer: TestSocket, seq: number, full = false) {
  customer.sendBatch({ tabId: 'tab-1', seq, full }, payload(`batch ${seq}`));
  expect(await customer.expect('dom.ack')).toMatchObject({ seq });
}

/** A session with its customer connected and a first batch stored before any agent came. */
async function sharedPage(options = {}) {
  t = await startServer(options);
  const session = await startSession(t);
  const { socket: customer } = await connectCustomer(t, session);
  return { server: t, session, customer };
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

/** The consent decisions on record (transitions left out). */
async function consentActions(server: TestServer, sessionId: string) {
  const audit = await server.server.store.listAudit(sessionId);
  return audit
    .filter((entry) => entry.action.startsWith('consent_') && entry.toState === undefined)
    .map(({ actor, action, reason }) => ({ actor, action, reason }));
}

describe('consent to view', () => {
  it('asks the customer, and sends the agent the page only after Allow', async () => {
    const { server, session, customer } = await sharedPage();
    await send(customer, 1, true);
    const agent = await connectAgent(server, session.pin, 'agent-1');
    const pending = await agent.expect('consent.pending');
    expect(await customer.expect('session.state')).toEqual({
      type: 'session.state',
      state: 'pending_consent',
    });
    await customer.expect('session.participant_joined');
    const request = await customer.expect('consent.request');
    expect(request).toEqual({
      type: 'consent.request',
      requestId: pending.requestId,
      kind: 'view',
      agent: { userId: 'agent-1', userName: 'Agent agent-1', role: 'agent' },
    });
    // A batch sent while the question is open is stored, not relayed.
    await send(customer, 2);
    expect(agent.pending).toEqual([]);
    expect((await server.server.store.getSession(session.sessionId))?.state).toBe(
      'pending_consent',
    );

    customer.sendJson({
      type: 'consent.response',
      requestId: request.requestId,
      decision: 'allow',
    });
    // Every tab of the customer's closes its prompt for the question, answered here.
    expect(await customer.expect('consent.settled')).toEqual({
      type: 'consent.settled',
      requestId: request.requestId,
    });
    expect(await customer.expect('session.state')).toMatchObject({ state: 'active' });
    expect(await customer.expect('dom.snapshot_request')).toMatchObject({ reason: 'agent_joined' });
    expect(await customer.expect('consent.viewers')).toEqual({
      type: 'consent.viewers',
      agents: [{ userId: 'agent-1', userName: 'Agent agent-1', role: 'agent' }],
    });
    expect(await agent.expect('session.state')).toMatchObject({ state: 'active' });
    expect(await agent.expect('consent.allowed')).toEqual({
      type: 'consent.allowed',
      requestId: request.requestId,
    });
    for (const seq of [1, 2]) {
      const frame = await agent.expectBatch();
      expect(frame.header).toMatchObject({ seq });
      expect(textOf(frame.payload)).toBe(`batch ${seq}`);
    }
    await send(customer, 3);
    expect((await agent.expectBatch()).header).toMatchObject({ seq: 3 });
    expect(await consentActions(server, session.sessionId)).toEqual([
      {
        actor: 'agent:agent-1',
        action: 'consent_requested',
        reason: `agent:agent-1 request:${request.requestId}`,
      },
      {
        actor: 'customer:customer-1',
        action: 'consent_allowed',
        reason: `agent:agent-1 request:${request.requestId}`,
      },
    ]);
  });

  it('closes a declined agent with 4403 and ends the session declined when it was the only one', async () => {
    const { server, session, customer } = await sharedPage();
    const agent = await connectAgent(server, session.pin, 'agent-1');
    const { requestId } = await agent.expect('consent.pending');
    await customer.expect('session.state');
    await customer.expect('session.participant_joined');
    await customer.expect('consent.request');
    customer.sendJson({ type: 'consent.response', requestId, decision: 'deny' });

    expect(await agent.expect('session.error')).toMatchObject({
      code: 3009,
      name: 'CONSENT_DECLINED',
    });
    expect((await agent.closed).code).toBe(4403);
    expect(await customer.expect('consent.settled')).toMatchObject({ requestId });
    expect(await customer.expect('session.ended')).toEqual({
      type: 'session.ended',
      reason: 'declined',
    });
    expect((await customer.closed).code).toBe(4999);
    expect(await server.server.store.getSession(session.sessionId)).toMatchObject({
      state: 'ended',
      endReason: 'declined',
    });
    const audit = await server.server.store.listAudit(session.sessionId);
    expect(audit.map((entry) => entry.action)).toContain('consent_denied');
    expect(audit.at(-1)).toMatchObject({
      actor: 'customer:customer-1',
      fromState: 'pending_consent',
      toState: 'ended',
      reason: 'declined',
    });
  });

  it('asks again for a second agent, which gets nothing while the first keeps watching', async () => {
    const { server, session, customer } = await sharedPage({ viewConsent: 'ask' });
    const one = await connectAgent(server, session.pin, 'agent-1');
    const first = await one.expect('consent.pending');
    customer.sendJson({
      type: 'consent.response',
      requestId: first.requestId,
      decision: 'allow',
    });
    await one.expect('session.state');
    await one.expect('consent.allowed');
    await until(customer, 'consent.viewers');
    await send(customer, 1, true);
    expect((await one.expectBatch()).header).toMatchObject({ seq: 1 });

    const two = await connectAgent(server, session.pin, 'agent-2');
    const second = await two.expect('consent.pending');
    expect(second.requestId).not.toBe(first.requestId);
    expect((await until(customer, 'consent.request')).agent.userId).toBe('agent-2');
    expect((await one.expect('session.participant_joined')).participant.userId).toBe('agent-2');
    await send(customer, 2);
    expect((await one.expectBatch()).header).toMatchObject({ seq: 2 });
    expect(two.pending).toEqual([]);

    // Denying the second agent leaves the session going for the first.
    customer.sendJson({ type: 'consent.response', requestId: second.requestId, decision: 'deny' });
    expect((await two.closed).code).toBe(4403);
    expect((await one.expect('session.participant_left')).participant.userId).toBe('agent-2');
    expect((await until(customer, 'session.participant_left')).participant.userId).toBe('agent-2');
    await send(customer, 3);
    expect((await one.expectBatch()).header).toMatchObject({ seq: 3 });
    expect((await server.server.store.getSession(session.sessionId))?.state).toBe('active');
  });

  it('refuses a consent.response from an agent, and one naming no open request', async () => {
    const { server, session, customer } = await sharedPage();
    const agent = await connectAgent(server, session.pin, 'agent-1');
    const { requestId } = await agent.expect('consent.pending');
    agent.sendJson({ type: 'consent.response', requestId, decision: 'allow' });
    expect(await agent.expect('session.error')).toMatchObject({ name: 'MESSAGE_NOT_ALLOWED' });

    await customer.expect('session.state');
    await customer.expect('session.participant_joined');
    await customer.expect('consent.request');
    customer.sendJson({ type: 'consent.response', requestId: 'cr_unknown0000', decision: 'allow' });
    expect(await customer.expect('session.error')).toMatchObject({
      name: 'PROTOCOL_INVALID_MESSAGE',
    });
    customer.sendJson({ type: 'consent.response', requestId, decision: 'allow' });
    await customer.expect('consent.settled');
    await customer.expect('session.state');
    customer.sendJson({ type: 'consent.response', requestId, decision: 'deny' });
    await customer.expect('dom.snapshot_request');
    await customer.expect('consent.viewers');
    expect(await customer.expect('session.error')).toMatchObject({
      name: 'PROTOCOL_INVALID_MESSAGE',
    });
    expect((await server.server.store.getSession(session.sessionId))?.state).toBe('active');
  });

  it('asks a reloaded page again, and does not ask again for an agent that reconnects', async () => {
    const { server, session, customer } = await sharedPage();
    const agent = await connectAgent(server, session.pin, 'agent-1');
    const { requestId } = await agent.expect('consent.pending');
    customer.close();
    await customer.closed;
    const again = await connectCustomer(server, session, 'tab-1');
    expect(await again.socket.expect('consent.request')).toMatchObject({ requestId });
    again.socket.sendJson({ type: 'consent.response', requestId, decision: 'allow' });
    await until(agent, 'consent.allowed');
    agent.close();
    await agent.closed;
    const back = await connectAgent(server, session.pin, 'agent-1');
    expect(await until(back, 'consent.allowed')).toEqual({ type: 'consent.allowed', requestId });
    const requested = (await consentActions(server, session.sessionId)).filter(
      (entry) => entry.action === 'consent_requested',
    );
    expect(requested).toHaveLength(1);
  });

  it('goes back to waiting when the only agent waiting for an answer leaves', async () => {
    const { server, session } = await sharedPage();
    const agent = await connectAgent(server, session.pin, 'agent-1');
    await agent.expect('consent.pending');
    agent.close();
    await agent.closed;
    await expect
      .poll(async () => (await server.server.store.getSession(session.sessionId))?.state)
      .toBe('waiting');
  });

  it('skips the prompt when the app pre-approves viewing, and audits it', async () => {
    const { server, session, customer } = await sharedPage({ viewConsent: 'pre_approved' });
    await send(customer, 1, true);
    const agent = await connectAgent(server, session.pin, 'agent-1');
    const { requestId } = await agent.expect('consent.allowed');
    expect((await agent.expectBatch()).header).toMatchObject({ seq: 1 });
    expect(await customer.expect('session.state')).toMatchObject({ state: 'pending_consent' });
    expect(await customer.expect('session.state')).toMatchObject({ state: 'active' });
    await customer.expect('session.participant_joined');
    await customer.expect('dom.snapshot_request');
    expect((await customer.expect('consent.viewers')).agents).toHaveLength(1);
    expect(customer.pending.filter((f) => f.kind === 'text')).toEqual([]);
    expect(await consentActions(server, session.sessionId)).toEqual([
      expect.objectContaining({ action: 'consent_requested' }),
      {
        actor: 'customer:customer-1',
        action: 'consent_pre_approved',
        reason: `agent:agent-1 request:${requestId}`,
      },
    ]);
  });
});
