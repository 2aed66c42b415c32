/**
 * Issue 5, control modes (ADR 0012), over a real server and real sockets: every step up is asked
 * by an agent and acknowledged by the customer; steps down apply at once; one change at a time;
 * the customer's Stop; handover; the customer's grant; the controller leaving; time limits; and
 * the page's remote assist settings. Every move is broadcast as `control.state` and audited.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from './support/clock.js';
import {
  ALL_ALLOWED,
  allowedAgent,
  askAndAnswer,
  auditOf,
  controlSession,
  customerSocket,
  stateIn,
  until,
  type ControlSession,
} from './support/control.js';
import { connectAgent, connectCustomer, startSession } from './support/flows.js';
import { startServer, type TestServer } from './support/server.js';

const servers: TestServer[] = [];

afterEach(async () => {
  for (const t of servers.splice(0)) await t.close();
});

async function session(...args: Parameters<typeof controlSession>): Promise<ControlSession> {
  const s = await controlSession(...args);
  servers.push(s.t);
  return s;
}

const annAgent = { userId: 'ann', userName: 'Agent ann', role: 'agent' };
const bobAgent = { userId: 'bob', userName: 'Agent bob', role: 'agent' };

describe('the control state', () => {
  it('starts view only in every welcome, and carries the page settings once sent', async () => {
    const t = await startServer({ viewConsent: 'pre_approved' });
    servers.push(t);
    const started = await startSession(t);
    const customer = await customerSocket(t, started);
    expect(await until(customer, 'control.state')).toMatchObject({
      revision: 0,
      mode: 'view_only',
      controller: null,
      grantUntil: null,
      pending: null,
      settings: null,
    });
    customer.sendJson({ type: 'control.settings', settings: ALL_ALLOWED });
    expect(await until(customer, 'control.state')).toMatchObject({
      revision: 1,
      settings: ALL_ALLOWED,
    });
    // The same settings again (a reconnect) change nothing.
    customer.sendJson({ type: 'control.settings', settings: ALL_ALLOWED });
    const agent = await allowedAgent(t, started.pin, 'ann');
    expect(await until(agent, 'control.state')).toMatchObject({ revision: 1, mode: 'view_only' });
    expect(await auditOf(t, started.sessionId, 'control_')).toEqual([
      {
        actor: 'customer:customer-1',
        action: 'control_settings',
        reason:
          'remote_assist:true customer_consent:true types:scroll_page,click,hover,type,select,key,navigate stop_confirmation:false agent_annotation:true customer_annotation:true',
      },
    ]);
  });
});

describe('stepping up', () => {
  it('asks the customer, and moves only on Allow, with everyone told and all of it audited', async () => {
    const s = await session();
    s.ann.sendJson({ type: 'control.request', mode: 'guided' });
    // Everyone learns of the pending step; the customer is asked right after.
    for (const socket of [s.customer, s.ann, s.bob]) {
      expect(await until(socket, 'control.state')).toMatchObject({
        mode: 'view_only',
        pending: { mode: 'guided', agent: annAgent, waitingFor: 'customer' },
      });
    }
    const request = await s.customer.expect('consent.request');
    expect(request).toEqual({
      type: 'consent.request',
      requestId: request.requestId,
      kind: 'control',
      agent: annAgent,
      mode: 'guided',
    });
    s.customer.sendJson({
      type: 'consent.response',
      requestId: request.requestId,
      decision: 'allow',
    });
    for (const socket of [s.customer, s.ann, s.bob]) {
      expect(await until(socket, 'control.state')).toMatchObject({
        mode: 'guided',
        controller: null,
        pending: null,
      });
    }
    // Then the prompt closes in every tab.
    expect(await s.customer.expect('consent.settled')).toEqual({
      type: 'consent.settled',
      requestId: request.requestId,
    });
    const { requestId } = request;
    const audit = await auditOf(s.t, s.session.sessionId, 'control_', 'consent_');
    // The control questions only, not those to see the page.
    expect(
      audit.filter((e) => !e.action.startsWith('consent_') || e.reason?.includes('kind:control')),
    ).toEqual([
      expect.objectContaining({ action: 'control_settings' }),
      {
        actor: 'agent:ann',
        action: 'control_requested',
        reason: `mode:guided from:view_only waiting:customer request:${requestId}`,
      },
      {
        actor: 'agent:ann',
        action: 'consent_requested',
        reason: `agent:ann request:${requestId} kind:control mode:guided`,
      },
      {
        actor: 'customer:customer-1',
        action: 'consent_allowed',
        reason: `agent:ann request:${requestId} kind:control mode:guided`,
      },
      {
        actor: 'customer:customer-1',
        action: 'control_changed',
        reason: 'from:view_only to:guided controller:none cause:allowed',
      },
    ]);
  });

  it('makes the asking agent the controller, and any agent steps down at once', async () => {
    const s = await session();
    await askAndAnswer(s, s.ann, 'controlled');
    const controlled = await stateIn(s.bob, 'controlled', 'ann');
    expect(controlled.controller).toEqual(annAgent);
    // Bob is not the controller, and steps the session down without asking anyone.
    s.bob.sendJson({ type: 'control.request', mode: 'guided' });
    const guided = await stateIn(s.ann, 'guided', null);
    expect(guided.revision).toBeGreaterThan(controlled.revision);
    expect(
      s.customer.pending.some((f) => f.kind === 'text' && f.message.type === 'consent.request'),
    ).toBe(false);
    expect((await auditOf(s.t, s.session.sessionId, 'control_changed')).at(-1)).toEqual({
      actor: 'agent:bob',
      action: 'control_changed',
      reason: 'from:controlled to:guided controller:none cause:step_down',
    });
  });

  it('leaves the mode on Deny, telling the agent 3020', async () => {
    const s = await session();
    await askAndAnswer(s, s.ann, 'controlled', 'deny');
    // The state moves first (the pending step is gone), then the agent hears why.
    const after = await until(s.ann, 'control.state', (st) => st.pending === null);
    expect(after.mode).toBe('view_only');
    expect(await s.ann.expect('session.error')).toMatchObject({
      code: 3020,
      name: 'CONTROL_DECLINED',
    });
    expect((await auditOf(s.t, s.session.sessionId, 'consent_')).at(-1)).toMatchObject({
      action: 'consent_denied',
    });
  });

  it('allows one change at a time (3019), and the socket stays open', async () => {
    const s = await session();
    s.ann.sendJson({ type: 'control.request', mode: 'controlled' });
    await until(s.bob, 'control.state', (st) => st.pending !== null);
    s.bob.sendJson({ type: 'control.request', mode: 'guided' });
    expect(await until(s.bob, 'session.error')).toMatchObject({
      code: 3019,
      name: 'CONTROL_PENDING',
    });
    s.bob.sendJson({ type: 'control.handover', toUserId: 'ann' });
    expect(await until(s.bob, 'session.error')).toMatchObject({ code: 3018 });
    // Still open: the question is answered and Bob hears the new state.
    const request = await until(s.customer, 'consent.request');
    s.customer.sendJson({
      type: 'consent.response',
      requestId: request.requestId,
      decision: 'allow',
    });
    await stateIn(s.bob, 'controlled', 'ann');
  });

  it('refuses a step up from the customer (3006) and an answer to a settled question', async () => {
    const s = await session();
    s.customer.sendJson({ type: 'control.set', mode: 'guided' });
    expect(await until(s.customer, 'session.error')).toMatchObject({ code: 3006 });
    const request = await askAndAnswer(s, s.ann, 'guided');
    s.customer.sendJson({
      type: 'consent.response',
      requestId: request.requestId,
      decision: 'deny',
    });
    expect(await until(s.customer, 'session.error')).toMatchObject({ code: 3001 });
    await stateIn(s.ann, 'guided');
  });

  it('asks a reloaded page the open control question again', async () => {
    const s = await session();
    s.ann.sendJson({ type: 'control.request', mode: 'guided' });
    const request = await until(s.customer, 'consent.request');
    s.customer.close();
    await s.customer.closed;
    const back = await customerSocket(s.t, s.session);
    expect(await until(back, 'control.state')).toMatchObject({ pending: { mode: 'guided' } });
    const again = await until(back, 'consent.request');
    expect(again).toEqual(request);
    back.sendJson({ type: 'consent.response', requestId: request.requestId, decision: 'allow' });
    await stateIn(s.ann, 'guided');
  });

  it('refuses an agent the customer has not allowed to see the page (3006)', async () => {
    const t = await startServer();
    servers.push(t);
    const started = await startSession(t);
    await connectCustomer(t, started);
    const agent = await connectAgent(t, started.pin, 'ann');
    await until(agent, 'consent.pending');
    agent.sendJson({ type: 'control.request', mode: 'guided' });
    expect(await until(agent, 'session.error')).toMatchObject({ code: 3006 });
  });
});

describe('the page settings', () => {
  it('refuses controlled and full control when remote assist is off (3018, audited)', async () => {
    const off = { ...ALL_ALLOWED, remoteAssist: { ...ALL_ALLOWED.remoteAssist, enable: false } };
    const s = await session({}, off);
    s.ann.sendJson({ type: 'control.request', mode: 'controlled' });
    expect(await until(s.ann, 'session.error')).toMatchObject({
      code: 3018,
      name: 'CONTROL_NOT_ALLOWED',
    });
    expect(await auditOf(s.t, s.session.sessionId, 'control_refused')).toEqual([
      {
        actor: 'agent:ann',
        action: 'control_refused',
        reason: 'mode:controlled from:view_only why:remote_assist_disabled',
      },
    ]);
    // Guided needs no remote assist.
    await askAndAnswer(s, s.ann, 'guided');
    await stateIn(s.bob, 'guided');
  });

  it('starts controlled without the question when the page turned customer consent off', async () => {
    const noConsent = {
      ...ALL_ALLOWED,
      remoteAssist: { ...ALL_ALLOWED.remoteAssist, enableCustomerConsent: false },
    };
    const s = await session({}, noConsent);
    s.ann.sendJson({ type: 'control.request', mode: 'controlled' });
    await stateIn(s.customer, 'controlled', 'ann');
    expect(await auditOf(s.t, s.session.sessionId, 'control_requested', 'control_changed')).toEqual(
      [
        {
          actor: 'agent:ann',
          action: 'control_requested',
          reason: 'mode:controlled from:view_only waiting:none',
        },
        {
          actor: 'customer:customer-1',
          action: 'control_changed',
          reason: 'from:view_only to:controlled controller:ann cause:pre_approved',
        },
      ],
    );
    // Full control is always asked.
    s.ann.sendJson({ type: 'control.request', mode: 'full_control' });
    await until(s.ann, 'control.state', (st) => st.pending?.waitingFor === 'manager');
  });

  it('ends control when the page turns remote assist off', async () => {
    const s = await session();
    await askAndAnswer(s, s.ann, 'controlled');
    await stateIn(s.bob, 'controlled', 'ann');
    const off = { ...ALL_ALLOWED, remoteAssist: { ...ALL_ALLOWED.remoteAssist, enable: false } };
    s.customer.sendJson({ type: 'control.settings', settings: off });
    const state = await stateIn(s.bob, 'guided', null);
    expect(state.settings).toEqual(off);
  });
});

describe('the customer stepping down', () => {
  it('stops control at once with Stop, everyone told, audited', async () => {
    const s = await session();
    await askAndAnswer(s, s.ann, 'controlled');
    await stateIn(s.customer, 'controlled', 'ann');
    s.customer.sendJson({ type: 'control.set', mode: 'view_only' });
    for (const socket of [s.customer, s.ann, s.bob]) await stateIn(socket, 'view_only', null);
    expect((await auditOf(s.t, s.session.sessionId, 'control_changed')).at(-1)).toEqual({
      actor: 'customer:customer-1',
      action: 'control_changed',
      reason: 'from:controlled to:view_only controller:none cause:stop',
    });
  });

  it('withdraws a step waiting for an answer when the customer stops (3020 to the agent)', async () => {
    const s = await session();
    await askAndAnswer(s, s.ann, 'guided');
    await stateIn(s.ann, 'guided');
    s.ann.sendJson({ type: 'control.request', mode: 'controlled' });
    const request = await until(s.customer, 'consent.request');
    s.customer.sendJson({ type: 'control.set', mode: 'view_only' });
    expect(await until(s.customer, 'consent.settled')).toMatchObject({
      requestId: request.requestId,
    });
    expect(await stateIn(s.ann, 'view_only')).toMatchObject({ pending: null });
    expect(await s.ann.expect('session.error')).toMatchObject({ code: 3020 });
    expect(await auditOf(s.t, s.session.sessionId, 'control_withdrawn')).toEqual([
      {
        actor: 'customer:customer-1',
        action: 'control_withdrawn',
        reason: `agent:ann request:${request.requestId} mode:controlled cause:customer_stopped`,
      },
    ]);
  });

  it('grants a window of actions in controlled only', async () => {
    const s = await session();
    s.customer.sendJson({ type: 'control.grant', durationMs: 120_000 });
    expect(await until(s.customer, 'session.error')).toMatchObject({ code: 3018 });
    await askAndAnswer(s, s.ann, 'controlled');
    await stateIn(s.ann, 'controlled', 'ann');
    const before = Date.now();
    s.customer.sendJson({ type: 'control.grant', durationMs: 120_000 });
    const granted = await until(s.ann, 'control.state', (st) => st.grantUntil !== null);
    expect(granted.grantUntil).toBeGreaterThanOrEqual(before + 120_000);
    expect(granted.grantUntil).toBeLessThanOrEqual(Date.now() + 120_000);
    s.customer.sendJson({ type: 'control.grant', durationMs: 0 });
    await until(s.ann, 'control.state', (st) => st.grantUntil === null);
    expect(
      (await auditOf(s.t, s.session.sessionId, 'control_granted')).map((e) => e.reason),
    ).toEqual([
      `controller:ann duration_ms:120000 until:${granted.grantUntil}`,
      'controller:ann duration_ms:0 until:none',
    ]);
  });
});

describe('handover and leaving', () => {
  it('hands control over once the customer allows; until then the old controller keeps it', async () => {
    const s = await session();
    await askAndAnswer(s, s.ann, 'controlled');
    await stateIn(s.bob, 'controlled', 'ann');
    s.bob.sendJson({ type: 'control.handover', toUserId: 'ann' });
    expect(await until(s.bob, 'session.error')).toMatchObject({ code: 3018 });
    s.ann.sendJson({ type: 'control.handover', toUserId: 'nobody' });
    expect(await until(s.ann, 'session.error')).toMatchObject({ code: 3018 });

    s.ann.sendJson({ type: 'control.handover', toUserId: 'bob' });
    const request = await until(s.customer, 'consent.request');
    expect(request).toMatchObject({ kind: 'control', agent: bobAgent, mode: 'controlled' });
    const waiting = await until(s.bob, 'control.state', (st) => st.pending !== null);
    expect(waiting).toMatchObject({ controller: annAgent, pending: { agent: bobAgent } });
    s.customer.sendJson({
      type: 'consent.response',
      requestId: request.requestId,
      decision: 'allow',
    });
    await stateIn(s.ann, 'controlled', 'bob');
    expect((await auditOf(s.t, s.session.sessionId, 'control_changed')).at(-1)).toMatchObject({
      reason: 'from:controlled to:controlled controller:bob cause:handover',
    });
  });

  it('drops to guided when the controller leaves', async () => {
    const s = await session();
    await askAndAnswer(s, s.ann, 'controlled');
    await stateIn(s.bob, 'controlled', 'ann');
    s.ann.close();
    await stateIn(s.bob, 'guided', null);
    expect((await auditOf(s.t, s.session.sessionId, 'control_changed')).at(-1)).toEqual({
      actor: 'agent:ann',
      action: 'control_changed',
      reason: 'from:controlled to:guided controller:none cause:controller_left',
    });
  });

  it('withdraws the question of an agent who left, closing the prompt', async () => {
    const s = await session();
    s.bob.sendJson({ type: 'control.request', mode: 'guided' });
    const request = await until(s.customer, 'consent.request');
    s.bob.close();
    expect(await until(s.customer, 'consent.settled')).toMatchObject({
      requestId: request.requestId,
    });
    expect(await until(s.ann, 'control.state', (st) => st.pending === null)).toMatchObject({
      mode: 'view_only',
    });
  });
});

describe('time limits', () => {
  it('withdraws a question nobody answers in time: 3024 to the agent, the prompt closed', async () => {
    const clock = new ManualClock(Date.now());
    const s = await session({ clock, consentTimeoutMs: 60_000 });
    s.ann.sendJson({ type: 'control.request', mode: 'guided' });
    const request = await until(s.customer, 'consent.request');
    clock.advance(59_999);
    s.ann.sendJson({ type: 'control.request', mode: 'guided' });
    expect(await until(s.ann, 'session.error')).toMatchObject({ code: 3019 });
    clock.advance(1);
    expect(await until(s.ann, 'session.error')).toMatchObject({
      code: 3024,
      name: 'CONTROL_TIMEOUT',
    });
    expect(await until(s.customer, 'consent.settled')).toMatchObject({
      requestId: request.requestId,
    });
    await vi.waitFor(async () =>
      expect((await auditOf(s.t, s.session.sessionId, 'consent_')).at(-1)).toEqual({
        actor: 'system',
        action: 'consent_expired',
        reason: `agent:ann request:${request.requestId} kind:control mode:guided`,
      }),
    );
    s.customer.sendJson({
      type: 'consent.response',
      requestId: request.requestId,
      decision: 'allow',
    });
    expect(await until(s.customer, 'session.error')).toMatchObject({ code: 3001 });
  });
});
