/**
 * Issue 5, `full_control` needs a manager (ADR 0012): an agent below `manager` asking for it waits
 * for a console manager or admin of the app (`/api/agent/control-approvals`); approve asks the
 * customer, deny or silence (`CONTROL_APPROVAL_WAIT_MS`) is 3021 to the agent. An agent who is a
 * manager is asked about by the customer alone. Real server, real sockets, real HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CONTROL_APPROVAL_WAIT_MS, type ControlApprovalListResponse } from '@sightline/protocol';
import type { ServerOptions as Options } from '../src/index.js';
import { ManualClock } from './support/clock.js';
import {
  allowedAgent,
  auditOf,
  consoleUser,
  controlSession,
  stateIn,
  until,
  type ControlSession,
} from './support/control.js';
import type { TestServer } from './support/server.js';
import { customerToken } from './support/tokens.js';

const servers: TestServer[] = [];

afterEach(async () => {
  for (const t of servers.splice(0)) await t.close();
});

async function session(options: Partial<Options> = {}): Promise<ControlSession> {
  const s = await controlSession(options);
  servers.push(s.t);
  return s;
}

async function api(
  t: TestServer,
  method: 'GET' | 'POST',
  path: string,
  token: string,
  body?: unknown,
) {
  const response = await fetch(`${t.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const list = async (t: TestServer, token: string) =>
  (await api(t, 'GET', '/api/agent/control-approvals', token)).body as ControlApprovalListResponse;

/** Ann (an agent) asks for full control; it waits for a manager. Returns its approval id. */
async function annAsksFullControl(s: ControlSession, manager: string): Promise<string> {
  s.ann.sendJson({ type: 'control.request', mode: 'full_control' });
  const waiting = await until(s.ann, 'control.state', (st) => st.pending !== null);
  expect(waiting.pending).toEqual({
    mode: 'full_control',
    agent: { userId: 'ann', userName: 'Agent ann', role: 'agent' },
    waitingFor: 'manager',
  });
  const { approvals } = await list(s.t, manager);
  expect(approvals).toHaveLength(1);
  return approvals[0]?.id ?? '';
}

describe('full control without a manager', () => {
  it('waits for a manager, without asking the customer, and lists the request for the app', async () => {
    const s = await session();
    const manager = await consoleUser(s.t, 'mia', 'manager');
    const before = Date.now();
    await annAsksFullControl(s, manager);
    const { approvals } = await list(s.t, manager);
    expect(approvals).toEqual([
      {
        id: expect.stringMatching(/^ca_/),
        sessionId: s.session.sessionId,
        mode: 'full_control',
        agent: { userId: 'ann', userName: 'Agent ann', role: 'agent' },
        customerUserName: 'Casey Customer',
        requestedAt: expect.any(String),
        expiresAt: expect.any(String),
      },
    ]);
    const requested = Date.parse(approvals[0]?.requestedAt ?? '');
    expect(requested).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(approvals[0]?.expiresAt ?? '') - requested).toBe(CONTROL_APPROVAL_WAIT_MS);
    expect(
      s.customer.pending.some((f) => f.kind === 'text' && f.message.type === 'consent.request'),
    ).toBe(false);
    // One change at a time: nobody else may ask meanwhile.
    s.bob.sendJson({ type: 'control.request', mode: 'guided' });
    expect(await until(s.bob, 'session.error')).toMatchObject({ code: 3019 });
  });

  it('is refused (3021) when a manager denies it, audited with who denied', async () => {
    const s = await session();
    const manager = await consoleUser(s.t, 'mia', 'manager');
    const id = await annAsksFullControl(s, manager);
    const denied = await api(s.t, 'POST', `/api/agent/control-approvals/${id}`, manager, {
      decision: 'deny',
    });
    expect(denied).toEqual({
      status: 200,
      body: { id, sessionId: s.session.sessionId, decision: 'deny' },
    });
    await until(s.ann, 'control.state', (st) => st.pending === null && st.mode === 'view_only');
    expect(await s.ann.expect('session.error')).toMatchObject({
      code: 3021,
      name: 'CONTROL_APPROVAL_REQUIRED',
    });
    expect((await list(s.t, manager)).approvals).toEqual([]);
    const again = await api(s.t, 'POST', `/api/agent/control-approvals/${id}`, manager, {
      decision: 'approve',
    });
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ error: { code: 4011, name: 'APPROVAL_NOT_FOUND' } });
    expect(await auditOf(s.t, s.session.sessionId, 'full_control_')).toEqual([
      {
        actor: 'agent:mia',
        action: 'full_control_denied',
        reason: `agent:ann request:${id} mode:full_control`,
      },
    ]);
  });

  it('is refused (3021) when no manager answers within CONTROL_APPROVAL_WAIT_MS', async () => {
    const clock = new ManualClock(Date.now());
    const s = await session({ clock, idleTimeoutMs: 10 * CONTROL_APPROVAL_WAIT_MS });
    const admin = await consoleUser(s.t, 'ada', 'admin');
    const id = await annAsksFullControl(s, admin);
    clock.advance(CONTROL_APPROVAL_WAIT_MS - 1);
    expect((await list(s.t, admin)).approvals).toHaveLength(1);
    clock.advance(1);
    await until(s.ann, 'control.state', (st) => st.pending === null);
    expect(await s.ann.expect('session.error')).toMatchObject({ code: 3021 });
    expect((await list(s.t, admin)).approvals).toEqual([]);
    const late = await api(s.t, 'POST', `/api/agent/control-approvals/${id}`, admin, {
      decision: 'approve',
    });
    expect(late.status).toBe(404);
    expect((await auditOf(s.t, s.session.sessionId, 'full_control_')).at(-1)).toEqual({
      actor: 'system',
      action: 'full_control_denied',
      reason: `agent:ann request:${id} mode:full_control cause:no_answer`,
    });
  });
});

describe('full control with a manager', () => {
  it("asks the customer once a manager approved, and the asking agent controls on the customer's Allow", async () => {
    const s = await session();
    const manager = await consoleUser(s.t, 'mia', 'manager');
    const id = await annAsksFullControl(s, manager);
    const approved = await api(s.t, 'POST', `/api/agent/control-approvals/${id}`, manager, {
      decision: 'approve',
    });
    expect(approved.status).toBe(200);
    const waiting = await until(
      s.bob,
      'control.state',
      (st) => st.pending?.waitingFor === 'customer',
    );
    expect(waiting.pending?.mode).toBe('full_control');
    const request = await until(s.customer, 'consent.request');
    expect(request).toMatchObject({
      kind: 'control',
      mode: 'full_control',
      agent: { userId: 'ann' },
    });
    expect(request.requestId).not.toBe(id);
    s.customer.sendJson({
      type: 'consent.response',
      requestId: request.requestId,
      decision: 'allow',
    });
    await stateIn(s.bob, 'full_control', 'ann');
    expect(await auditOf(s.t, s.session.sessionId, 'full_control_', 'control_changed')).toEqual([
      {
        actor: 'agent:mia',
        action: 'full_control_approved',
        reason: `agent:ann request:${id} mode:full_control`,
      },
      {
        actor: 'customer:customer-1',
        action: 'control_changed',
        reason: 'from:view_only to:full_control controller:ann cause:allowed',
      },
    ]);
    // And commands run without a prompt: the server relays them.
    s.ann.sendJson({
      type: 'control.command',
      commandId: 'go',
      tabId: 'tab-1',
      action: { kind: 'navigate', to: 'reload' },
    });
    expect(await until(s.customer, 'control.command')).toMatchObject({ commandId: 'go' });
  });

  it('skips the approval when the asking agent is a manager, asking the customer at once', async () => {
    const s = await session();
    await consoleUser(s.t, 'mia', 'manager');
    const mia = await allowedAgent(s.t, s.session.pin, 'mia');
    mia.sendJson({ type: 'control.request', mode: 'full_control' });
    const request = await until(s.customer, 'consent.request');
    expect(request).toMatchObject({
      kind: 'control',
      mode: 'full_control',
      agent: { userId: 'mia' },
    });
    s.customer.sendJson({
      type: 'consent.response',
      requestId: request.requestId,
      decision: 'allow',
    });
    await stateIn(s.ann, 'full_control', 'mia');
    expect(await auditOf(s.t, s.session.sessionId, 'full_control_')).toEqual([]);
  });
});

describe('who may approve', () => {
  it('only a manager or admin of the same app, with a console token', async () => {
    const s = await session();
    const manager = await consoleUser(s.t, 'mia', 'manager');
    const id = await annAsksFullControl(s, manager);
    for (const role of ['agent', 'senior_agent'] as const) {
      const token = await consoleUser(s.t, `u-${role}`, role);
      const listed = await api(s.t, 'GET', '/api/agent/control-approvals', token);
      expect(listed).toMatchObject({ status: 403, body: { error: { code: 4005 } } });
      const decided = await api(s.t, 'POST', `/api/agent/control-approvals/${id}`, token, {
        decision: 'approve',
      });
      expect(decided.status).toBe(403);
    }
    const customer = await api(s.t, 'GET', '/api/agent/control-approvals', await customerToken());
    expect(customer).toMatchObject({ status: 401, body: { error: { code: 2001 } } });
    // A manager of another app does not see, nor answer, this app's requests.
    await s.t.server.store.saveApp({
      id: 'other',
      name: 'Other',
      sdkKey: 'other-key',
      sdkSecret: 'other-secret-0123456789abcdefghijklmnop',
      createdAt: 0,
      viewConsent: 'ask',
    });
    const stranger = await s.t.server.store.getUserByUsername('mia');
    await s.t.server.store.saveUser({
      ...stranger!,
      id: 'user-otto',
      username: 'otto',
      appId: 'other',
    });
    // Otto's console token is signed for the default app, whose user he is not: forbidden.
    const otto = await api(
      s.t,
      'GET',
      '/api/agent/control-approvals',
      await consoleLogin(s.t, 'otto'),
    );
    expect(otto.status).toBe(403);
    const bad = await api(s.t, 'POST', '/api/agent/control-approvals/not-an-id', manager, {
      decision: 'approve',
    });
    expect(bad).toMatchObject({ status: 404, body: { error: { code: 4011 } } });
    const unknown = await api(
      s.t,
      'POST',
      `/api/agent/control-approvals/ca_${'x'.repeat(16)}`,
      manager,
      { decision: 'approve' },
    );
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 4011 } } });
    const invalid = await api(s.t, 'POST', `/api/agent/control-approvals/${id}`, manager, {
      decision: 'maybe',
    });
    expect(invalid).toMatchObject({ status: 400, body: { error: { code: 4001 } } });
    expect((await list(s.t, manager)).approvals).toHaveLength(1);
  });
});

async function consoleLogin(t: TestServer, username: string): Promise<string> {
  const response = await fetch(`${t.url}/api/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'correct horse battery staple' }),
  });
  return ((await response.json()) as { token: string }).token;
}
