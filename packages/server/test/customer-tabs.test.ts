/**
 * The customer's tabs, over real sockets: each tab reports whether it is focused, visible or
 * hidden; agents get the list of open tabs after their welcome and on every change, from any
 * node; a tab whose socket closes leaves the list; only the customer may report tabs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CustomerTabs } from '@sightline/protocol';
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
    expect(states(await expectTabs(agent))).toEqual([['tab-one', 'visible']]);
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
