/**
 * Issue 5, remote assist commands checked by the server before any page sees them (ADR 0012,
 * "checked twice"), over real sockets: a raw `control.command` in view only, from an agent who is
 * not the controller, or of a type the page does not allow, is dropped, audited and answered;
 * the controller's reaches its tab alone; the page's result reaches the agents and the audit,
 * which never holds a typed text.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_INVALID_FRAMES, type ControlSettings } from '@sightline/protocol';
import {
  ALL_ALLOWED,
  askAndAnswer,
  auditOf,
  controlSession,
  customerSocket,
  stateIn,
  until,
  type ControlSession,
} from './support/control.js';
import type { TestServer } from './support/server.js';
import type { TestSocket } from './support/socket.js';

const servers: TestServer[] = [];

afterEach(async () => {
  for (const t of servers.splice(0)) await t.close();
});

async function session(settings?: ControlSettings): Promise<ControlSession> {
  const s = await controlSession({}, settings);
  servers.push(s.t);
  return s;
}

/** Ann controls the page in `controlled`. */
async function controlledByAnn(settings?: ControlSettings): Promise<ControlSession> {
  const s = await session(settings);
  await askAndAnswer(s, s.ann, 'controlled');
  for (const socket of [s.customer, s.ann, s.bob]) await stateIn(socket, 'controlled', 'ann');
  return s;
}

const click = (commandId: string, tabId = 'tab-1') => ({
  type: 'control.command',
  commandId,
  tabId,
  action: { kind: 'click', nodeId: 40 },
});

/**
 * No control.command reached the customer `socket`: a round trip on it (a customer's step up
 * is refused) gives a wrongly relayed command time to arrive first.
 */
async function receivedNoCommand(socket: TestSocket): Promise<void> {
  socket.sendJson({ type: 'control.set', mode: 'full_control' });
  for (;;) {
    const frame = await socket.next();
    if (frame.kind !== 'text') continue;
    expect(frame.message.type).not.toBe('control.command');
    if (frame.message.type === 'session.error') return;
  }
}

describe('a command the server refuses', () => {
  it('in view only, forced through a raw socket: dropped, audited, answered 3018', async () => {
    const s = await session();
    s.ann.sendJson(click('c-1'));
    expect(await until(s.ann, 'control.result')).toEqual({
      type: 'control.result',
      commandId: 'c-1',
      tabId: 'tab-1',
      agent: { userId: 'ann', userName: 'Agent ann', role: 'agent' },
      outcome: 'refused',
      code: 3018,
      message:
        "The session's control mode, or the page's settings, do not allow that. The session's control mode does not allow that.",
    });
    expect(await auditOf(s.t, s.session.sessionId, 'control_refused')).toEqual([
      {
        actor: 'agent:ann',
        action: 'control_refused',
        reason: 'agent:ann command:c-1 tab:tab-1 kind:click node:40 why:mode',
      },
    ]);
    // Refusals are no fault of the frame: the socket stays open past the invalid-frame limit.
    for (let i = 0; i < MAX_INVALID_FRAMES + 1; i += 1) s.ann.sendJson(click(`again-${i}`));
    await until(s.ann, 'control.result', (r) => r.commandId === `again-${MAX_INVALID_FRAMES}`);
    await receivedNoCommand(s.customer);
  });

  it('from an agent who is not the controller, or from the customer', async () => {
    const s = await controlledByAnn();
    s.bob.sendJson(click('from-bob'));
    expect(await until(s.bob, 'control.result')).toMatchObject({
      outcome: 'refused',
      code: 3018,
      message: expect.stringContaining('Only the agent in control may do that.'),
    });
    s.customer.sendJson(click('from-customer'));
    expect(await until(s.customer, 'session.error')).toMatchObject({ code: 3006 });
    await receivedNoCommand(s.customer);
    expect((await auditOf(s.t, s.session.sessionId, 'control_refused')).at(-1)?.reason).toBe(
      'agent:bob command:from-bob tab:tab-1 kind:click node:40 why:not_controller',
    );
  });

  it("of a type the page's remote assist types leave out: Zoom's scroll_page alone scrolls", async () => {
    const scrollOnly = {
      ...ALL_ALLOWED,
      remoteAssist: { ...ALL_ALLOWED.remoteAssist, types: ['scroll_page' as const] },
    };
    const s = await controlledByAnn(scrollOnly);
    s.ann.sendJson(click('no-click'));
    expect(await until(s.ann, 'control.result')).toMatchObject({
      commandId: 'no-click',
      outcome: 'refused',
      code: 3018,
      message: expect.stringContaining('This page does not allow that kind of action.'),
    });
    const scroll = { kind: 'scroll', left: 0, top: 800 };
    s.ann.sendJson({ type: 'control.command', commandId: 'down', tabId: 'tab-1', action: scroll });
    expect(await until(s.customer, 'control.command')).toMatchObject({
      commandId: 'down',
      action: scroll,
    });
  });

  it('to a tab that is not open: refused, gone', async () => {
    const s = await controlledByAnn();
    s.ann.sendJson(click('nowhere', 'tab-9'));
    expect(await until(s.ann, 'control.result')).toMatchObject({
      outcome: 'refused',
      refusal: 'gone',
      code: 3022,
    });
  });
});

describe("the controller's command", () => {
  it('reaches its tab alone, with its author', async () => {
    const s = await controlledByAnn();
    const other = await customerSocket(s.t, s.session, 'tab-2');
    s.ann.sendJson(click('c-1'));
    expect(await until(s.customer, 'control.command')).toEqual({
      type: 'control.command',
      commandId: 'c-1',
      tabId: 'tab-1',
      agent: { userId: 'ann', userName: 'Agent ann', role: 'agent' },
      action: { kind: 'click', nodeId: 40 },
    });
    await receivedNoCommand(other);
    for (const agent of [s.ann, s.bob]) {
      expect(
        agent.pending.some((f) => f.kind === 'text' && f.message.type === 'control.command'),
      ).toBe(false);
    }
  });

  it("relays the page's result to the agents and audits it, never the typed text", async () => {
    const s = await controlledByAnn();
    const typed = { kind: 'type', nodeId: 12, text: 'secret words', replace: true };
    s.ann.sendJson({ type: 'control.command', commandId: 't-1', tabId: 'tab-1', action: typed });
    await until(s.customer, 'control.command');
    s.customer.sendJson({
      type: 'control.result',
      commandId: 't-1',
      tabId: 'tab-1',
      outcome: 'done',
    });
    for (const agent of [s.ann, s.bob]) {
      expect(await until(agent, 'control.result')).toEqual({
        type: 'control.result',
        commandId: 't-1',
        tabId: 'tab-1',
        agent: { userId: 'ann', userName: 'Agent ann', role: 'agent' },
        outcome: 'done',
      });
    }
    const outcomes = [
      ['masked', 'refused', 'control_refused', 3022],
      ['declined', 'declined', 'control_declined', 3023],
      ['expired', 'expired', 'control_expired', 3024],
    ] as const;
    for (const [id, outcome, , code] of outcomes) {
      s.ann.sendJson(click(id));
      await until(s.customer, 'control.command', (c) => c.commandId === id);
      const refusal = outcome === 'refused' ? { refusal: 'masked' } : {};
      s.customer.sendJson({
        type: 'control.result',
        commandId: id,
        tabId: 'tab-1',
        outcome,
        ...refusal,
      });
      expect(await until(s.bob, 'control.result', (r) => r.commandId === id)).toMatchObject({
        outcome,
        code,
        ...refusal,
      });
    }
    const audit = await auditOf(
      s.t,
      s.session.sessionId,
      'control_action',
      'control_refused',
      'control_declined',
      'control_expired',
    );
    expect(audit).toEqual([
      {
        actor: 'agent:ann',
        action: 'control_action',
        reason: 'agent:ann command:t-1 tab:tab-1 kind:type node:12 text_length:12 replace:true',
      },
      ...outcomes.map(([id, , action]) => ({
        actor: 'customer:customer-1',
        action,
        reason: `agent:ann command:${id} tab:tab-1 kind:click node:40${id === 'masked' ? ' refusal:masked' : ''}`,
      })),
    ]);
    const all = JSON.stringify(await s.t.server.store.listAudit(s.session.sessionId));
    expect(all).not.toContain('secret words');
  });

  it('takes a result only once, from the tab it was sent to (3001, 3006 otherwise)', async () => {
    const s = await controlledByAnn();
    const other = await customerSocket(s.t, s.session, 'tab-2');
    s.ann.sendJson(click('c-1'));
    await until(s.customer, 'control.command');
    other.sendJson({ type: 'control.result', commandId: 'c-1', tabId: 'tab-1', outcome: 'done' });
    expect(await until(other, 'session.error')).toMatchObject({ code: 3006 });
    other.sendJson({ type: 'control.result', commandId: 'c-1', tabId: 'tab-2', outcome: 'done' });
    expect(await until(other, 'session.error')).toMatchObject({ code: 3001 });
    s.customer.sendJson({
      type: 'control.result',
      commandId: 'c-1',
      tabId: 'tab-1',
      outcome: 'done',
    });
    await until(s.ann, 'control.result');
    s.customer.sendJson({
      type: 'control.result',
      commandId: 'c-1',
      tabId: 'tab-1',
      outcome: 'done',
    });
    expect(await until(s.customer, 'session.error')).toMatchObject({ code: 3001 });
    expect(await auditOf(s.t, s.session.sessionId, 'control_action')).toHaveLength(1);
  });

  it('stops with Stop: the same command is refused after it', async () => {
    const s = await controlledByAnn();
    s.ann.sendJson(click('before'));
    await until(s.customer, 'control.command');
    s.customer.sendJson({ type: 'control.set', mode: 'view_only' });
    await stateIn(s.ann, 'view_only');
    s.ann.sendJson(click('after'));
    expect(await until(s.ann, 'control.result', (r) => r.commandId === 'after')).toMatchObject({
      outcome: 'refused',
      code: 3018,
    });
  });
});
