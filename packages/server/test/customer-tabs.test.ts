/**
 * The customer's tabs, over real sockets: each tab reports whether it is focused, visible or
 * hidden; agents get the list of open tabs after their welcome and on every change, from any
 * node; a tab whose socket closes leaves the list; only the customer may report tabs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CustomerTabs, ServerToClient } from '@sightline/protocol';
import { connectCustomer, joinToken, startSession } from './support/flows.js';
import { startServer, type TestServer } from './support/server.js';
import { TestSocket } from './support/socket.js';

let t: TestServer | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** An agent socket that keeps `customer.tabs` frames, past its welcome. */
async function tabWatchingAgent(server: TestServer, pin: string, userId = 'agent-1') {
  const socket = await TestSocket.hello(server.wsUrl, {
    joinToken: await joinToken(server, pin, userId),
  });
  socket.keepTabFrames = true;
  socket.ignore = (message) => message.type !== 'customer.tabs' && message.type !== 'session.error';
  await expectTabs(socket);
  return socket;
}

async function expectTabs(socket: TestSocket): Promise<CustomerTabs> {
  return socket.expect('customer.tabs');
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

/** The types of the text frames before one of `type` (which is read too). */
async function typesUntil(socket: TestSocket, type: ServerToClient['type']): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    const frame = await socket.next();
    if (frame.kind !== 'text') continue;
    if (frame.message.type === type) return seen;
    seen.push(frame.message.type);
  }
}

const states = (tabs: CustomerTabs) => tabs.tabs.map((tab) => [tab.tabId, tab.state]);

describe('customer tabs', () => {
  it('tells agents which tabs are open and which one is focused, oldest first', async () => {
    t = await startServer({}, { quietConsent: true });
    const session = await startSession(t);
    const one = (await connectCustomer(t, session, 'tab-one')).socket;
    one.sendJson({ type: 'tab.activity', state: 'focused' });
    const agent = await tabWatchingAgent(t, session.pin);

    const two = (await connectCustomer(t, session, 'tab-two')).socket;
    two.sendJson({ type: 'tab.activity', state: 'focused' });
    const opened = await expectTabs(agent);
    expect(states(opened)).toEqual([
      ['tab-one', 'focused'],
      ['tab-two', 'focused'],
    ]);
    one.sendJson({ type: 'tab.activity', state: 'hidden' });
    const switched = await expectTabs(agent);
    expect(states(switched)).toEqual([
      ['tab-one', 'hidden'],
      ['tab-two', 'focused'],
    ]);
    expect(switched.revision).toBeGreaterThan(opened.revision);
    expect(switched.tabs[0]!.openedAt).toBeLessThanOrEqual(switched.tabs[1]!.openedAt);

    // The same state again is not news.
    two.sendJson({ type: 'tab.activity', state: 'focused' });
    two.close();
    const closed = await expectTabs(agent);
    expect(states(closed)).toEqual([['tab-one', 'hidden']]);
  });

  it('gives a late agent the list after its welcome, whatever node the tabs reported to', async () => {
    t = await startServer({}, { quietConsent: true });
    const session = await startSession(t);
    const { socket } = await connectCustomer(t, session, 'tab-one');
    socket.sendJson({ type: 'tab.activity', state: 'visible' });
    await expect
      .poll(async () => (await t!.server.bus.readTabs(session.sessionId)).tabs.length)
      .toBe(1);
    const agent = await TestSocket.hello(t.wsUrl, { joinToken: await joinToken(t, session.pin) });
    agent.keepTabFrames = true;
    await agent.expect('session.welcome');
    await agent.expect('consent.allowed');
    expect(states(await expectTabs(agent))).toEqual([['tab-one', 'visible']]);
  });

  it('tells an agent nothing of the tabs until the customer allows it, then the list before the page', async () => {
    t = await startServer();
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session, 'tab-one');
    const agentSocket = async (userId: string) => {
      const socket = await TestSocket.hello(t!.wsUrl, {
        joinToken: await joinToken(t!, session.pin, userId),
      });
      socket.keepTabFrames = true;
      return socket;
    };
    const first = await agentSocket('agent-1');
    const request = await until(customer, 'consent.request');
    expect(await typesUntil(first, 'consent.pending')).not.toContain('customer.tabs');
    customer.sendJson({
      type: 'consent.response',
      requestId: request.requestId,
      decision: 'allow',
    });
    const beforeAllowed = await typesUntil(first, 'consent.allowed');
    expect(beforeAllowed).not.toContain('customer.tabs');
    // Right after consent.allowed, before any batch: the list (empty: no tab reported yet).
    expect(states(await expectTabs(first))).toEqual([]);
    customer.sendJson({ type: 'tab.activity', state: 'focused' });
    expect(states(await until(first, 'customer.tabs'))).toEqual([['tab-one', 'focused']]);

    // A second agent, still pending, hears nothing of the tabs while the first one does.
    const second = await agentSocket('agent-2');
    await until(second, 'consent.pending');
    customer.sendJson({ type: 'tab.activity', state: 'hidden' });
    expect(states(await until(first, 'customer.tabs'))).toEqual([['tab-one', 'hidden']]);
    customer.sendJson({ type: 'session.end' });
    expect(await typesUntil(second, 'session.ended')).not.toContain('customer.tabs');
  });

  it('refuses tab reports from an agent, and a state it does not know', async () => {
    t = await startServer({}, { quietConsent: true });
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session, 'tab-one');
    customer.ignore = (message) => message.type !== 'session.error';
    const agent = await tabWatchingAgent(t, session.pin);
    agent.sendJson({ type: 'tab.activity', state: 'focused' });
    expect(await agent.expect('session.error')).toMatchObject({
      code: 3006,
      name: 'MESSAGE_NOT_ALLOWED',
    });
    customer.sendJson({ type: 'tab.activity', state: 'asleep' });
    expect(await customer.expect('session.error')).toMatchObject({
      name: 'PROTOCOL_INVALID_MESSAGE',
    });
    expect((await t.server.bus.readTabs(session.sessionId)).tabs).toEqual([]);
  });
});
