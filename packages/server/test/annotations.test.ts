/**
 * Issue 5, annotations and pointers relayed by the server (ADR 0012), over real sockets: agents
 * draw from `guided` on while the page allows it, the customer while the page allows it, anything
 * else is 3025; every relayed frame carries its author; a tab's drawings and pointers reach that
 * tab alone; `annotation.sync` reaches the agents as it is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Annotation, ControlSettings } from '@sightline/protocol';
import {
  ALL_ALLOWED,
  askAndAnswer,
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

async function guided(settings?: ControlSettings): Promise<ControlSession> {
  const s = await session(settings);
  await askAndAnswer(s, s.ann, 'guided');
  for (const socket of [s.customer, s.ann, s.bob]) await stateIn(socket, 'guided');
  return s;
}

const box = (id: string, tabId = 'tab-1'): Annotation => ({
  id,
  tool: 'rectangle',
  tabId,
  nodeId: 31,
  points: [
    { x: -0.1, y: -0.1 },
    { x: 1.1, y: 1.1 },
  ],
  color: '#ff0000',
  width: 3,
});

const ann = { userId: 'ann', userName: 'Agent ann', role: 'agent' };
const customer = { userId: 'customer-1', userName: 'Casey Customer', role: 'customer' };

/** Nothing of `type` reached `socket` before a round trip on it (a refused step up). */
async function heardNo(socket: TestSocket, type: string): Promise<void> {
  socket.sendJson({ type: 'control.set', mode: 'full_control' });
  for (;;) {
    const frame = await socket.next();
    if (frame.kind !== 'text') continue;
    expect(frame.message.type).not.toBe(type);
    if (frame.message.type === 'session.error') return;
  }
}

describe("agents' annotations", () => {
  it('are refused in view only (3025), and the page hears nothing', async () => {
    const s = await session();
    s.ann.sendJson({ type: 'annotation.draw', annotation: box('a1') });
    expect(await until(s.ann, 'session.error')).toMatchObject({
      code: 3025,
      name: 'ANNOTATION_NOT_ALLOWED',
    });
    s.ann.sendJson({
      type: 'pointer.move',
      kind: 'laser',
      tabId: 'tab-1',
      nodeId: 31,
      at: { x: 0.5, y: 0.5 },
    });
    expect(await until(s.ann, 'session.error')).toMatchObject({ code: 3025 });
    await heardNo(s.customer, 'annotation.drawn');
  });

  it('reach the tab drawn on and the other agents, with the author, from guided on', async () => {
    const s = await guided();
    const other = await customerSocket(s.t, s.session, 'tab-2');
    s.ann.sendJson({ type: 'annotation.draw', annotation: box('a1') });
    const drawn = { type: 'annotation.drawn', annotation: box('a1'), author: ann };
    expect(await until(s.customer, 'annotation.drawn')).toEqual(drawn);
    expect(await until(s.bob, 'annotation.drawn')).toEqual(drawn);
    await heardNo(other, 'annotation.drawn');
    await heardNo(s.ann, 'annotation.drawn');

    const at = { x: 0.25, y: 0.75 };
    s.ann.sendJson({ type: 'pointer.move', kind: 'cursor', tabId: 'tab-1', nodeId: 31, at });
    const moved = {
      type: 'pointer.moved',
      kind: 'cursor',
      tabId: 'tab-1',
      nodeId: 31,
      at,
      author: ann,
    };
    expect(await until(s.customer, 'pointer.moved')).toEqual(moved);
    expect(await until(s.bob, 'pointer.moved')).toEqual(moved);

    // Erasing and clearing name no tab: every tab hears them.
    s.ann.sendJson({ type: 'annotation.erase', ids: ['a1'] });
    for (const socket of [s.customer, other, s.bob]) {
      expect(await until(socket, 'annotation.erased')).toEqual({
        type: 'annotation.erased',
        ids: ['a1'],
        by: ann,
      });
    }
    s.ann.sendJson({ type: 'annotation.clear' });
    for (const socket of [s.customer, other, s.bob]) {
      expect(await until(socket, 'annotation.cleared')).toEqual({
        type: 'annotation.cleared',
        by: ann,
      });
    }
  });

  it("are refused when the page does not allow agents' annotations", async () => {
    const s = await guided({ ...ALL_ALLOWED, allowAgentAnnotation: false });
    s.bob.sendJson({ type: 'annotation.draw', annotation: box('b1') });
    expect(await until(s.bob, 'session.error')).toMatchObject({ code: 3025 });
    s.bob.sendJson({ type: 'annotation.clear' });
    expect(await until(s.bob, 'session.error')).toMatchObject({ code: 3025 });
    await heardNo(s.customer, 'annotation.drawn');
  });

  it('keep the socket open when refused: no count against invalid frames', async () => {
    const s = await session();
    for (let i = 0; i < 8; i += 1) s.ann.sendJson({ type: 'annotation.clear' });
    for (let i = 0; i < 8; i += 1)
      expect(await until(s.ann, 'session.error')).toMatchObject({ code: 3025 });
    await askAndAnswer(s, s.ann, 'guided');
    await stateIn(s.ann, 'guided');
  });
});

describe("the customer's annotations", () => {
  it('reach every agent with the customer as author, in any mode the page allows it', async () => {
    const s = await session();
    s.customer.sendJson({ type: 'annotation.draw', annotation: box('c1') });
    const drawn = { type: 'annotation.drawn', annotation: box('c1'), author: customer };
    expect(await until(s.ann, 'annotation.drawn')).toEqual(drawn);
    expect(await until(s.bob, 'annotation.drawn')).toEqual(drawn);
    await heardNo(s.customer, 'annotation.drawn');
  });

  it('are refused when the page does not allow them, and only for its own tab', async () => {
    const s = await session({ ...ALL_ALLOWED, allowCustomerAnnotation: false });
    s.customer.sendJson({ type: 'annotation.draw', annotation: box('c1') });
    expect(await until(s.customer, 'session.error')).toMatchObject({ code: 3025 });
    s.customer.sendJson({ type: 'annotation.draw', annotation: box('c2', 'tab-2') });
    expect(await until(s.customer, 'session.error')).toMatchObject({ code: 3006 });
  });
});

describe('annotation.sync', () => {
  it("relays the tab's set to the agents as it is; a tab sends only its own", async () => {
    const s = await session();
    const sync = {
      type: 'annotation.sync',
      tabId: 'tab-1',
      annotations: [{ annotation: box('a1'), author: ann }],
    };
    s.customer.sendJson(sync);
    expect(await until(s.ann, 'annotation.sync')).toEqual(sync);
    expect(await until(s.bob, 'annotation.sync')).toEqual(sync);
    s.customer.sendJson({ ...sync, tabId: 'tab-2' });
    expect(await until(s.customer, 'session.error')).toMatchObject({ code: 3006 });
    s.ann.sendJson(sync);
    expect(await until(s.ann, 'session.error')).toMatchObject({ code: 3006 });
  });
});
