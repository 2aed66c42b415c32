// Issue 3, "agent drops", against a real server: the agent's connection loses its socket, says in
// its next hello what it holds (`resumeFrom`), and the tracker that feeds the mirror ends with
// every batch once, in order, after only the missing ones crossed the wire. A tab the server
// cannot resume starts again from its checkout on its own. A second window of the same agent
// takes the session over: the first is told 1015 and does not reconnect.
import { systemClock, type CloseOutcome, type WebSocketConstructor } from '@sightline/client';
import type { SessionWelcome, SightlineError } from '@sightline/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { connectCustomer, joinToken, startSession } from '../../server/test/support/flows.js';
import { startServer, type TestServer } from '../../server/test/support/server.js';
import { payload, type TestSocket } from '../../server/test/support/socket.js';
import { agentConnection, resumesAgents } from '../src/transport/connection.js';
import { TabTracker, type BatchVerdict } from '../src/viewer/tabs.js';

let t: TestServer;

beforeEach(async () => {
  t = await startServer({}, { quietConsent: true });
});

afterEach(async () => {
  await t.close();
});

/**
 * An agent as the SDK wires it, without the DOM: the connection, and a tracker that keeps what
 * the mirror would, told on each rejoin which tabs the server resumed.
 */
function agent(pin: string, userId = 'agent-1') {
  const sockets: WebSocket[] = [];
  class Recorded extends WebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  }
  const tracker = new TabTracker();
  const log = {
    welcomes: [] as SessionWelcome[],
    /** Every batch received, with what the tracker made of it. */
    batches: [] as { tabId: string; seq: number; verdict: BatchVerdict }[],
    errors: [] as SightlineError[],
    reconnecting: 0,
    closed: [] as CloseOutcome[],
  };
  let resumes = false;
  const connection = agentConnection(
    {
      url: t.wsUrl,
      getJoinToken: () => joinToken(t, pin, userId),
      resumeFrom: () => (resumes ? tracker.resumePoints() : undefined),
      WebSocket: Recorded as unknown as WebSocketConstructor,
      clock: systemClock,
      random: () => 0,
      reconnect: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 5, welcomeTimeoutMs: 2_000 },
    },
    {
      welcome(welcome, rejoin) {
        log.welcomes.push(welcome);
        resumes = resumesAgents(welcome.protocolVersion);
        if (rejoin && welcome.resumed) tracker.keepOnly(new Set(welcome.resumed));
      },
      message() {},
      batch({ header }) {
        log.batches.push({ tabId: header.tabId, seq: header.seq, verdict: tracker.accept(header) });
      },
      error: (error) => log.errors.push(error),
      reconnecting: () => (log.reconnecting += 1),
      closed: (outcome) => log.closed.push(outcome),
    },
  );
  connection.open();
  /** Cuts the current socket, as a dead network does: the server sees it go. */
  const drop = () => sockets.at(-1)?.terminate();
  const applied = (tabId = 'tab-1') =>
    log.batches.filter((b) => b.tabId === tabId && b.verdict === 'apply').map((b) => b.seq);
  return { connection, tracker, log, drop, applied };
}

async function send(customer: TestSocket, seq: number, full = false, tabId = 'tab-1') {
  customer.sendBatch({ tabId, seq, full }, payload(`${tabId} ${seq}`));
  for (;;) {
    const frame = await customer.next();
    if (frame.kind === 'text' && frame.message.type === 'dom.ack' && frame.message.seq === seq) {
      return;
    }
  }
}

describe('agent resume', () => {
  it('resumes after a drop with only the batches it lacks, each applied once, in order', async () => {
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session);
    const a = agent(session.pin);
    await send(customer, 1, true);
    await send(customer, 2);
    await send(customer, 3);
    await vi.waitFor(() => expect(a.applied()).toEqual([1, 2, 3]));

    a.drop();
    // The customer types on while the agent is away.
    await send(customer, 4);
    await send(customer, 5);
    await vi.waitFor(() => expect(a.log.welcomes).toHaveLength(2));
    expect(a.log.welcomes[1]?.resumed).toEqual(['tab-1']);
    await send(customer, 6);
    await vi.waitFor(() => expect(a.applied()).toEqual([1, 2, 3, 4, 5, 6]));
    // Only what was missing crossed the wire again: no checkout, nothing twice.
    expect(a.log.batches.map((b) => b.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(a.log.errors).toEqual([]);
    a.connection.close();
  });

  it('starts again only the tab the server cannot resume, from its full snapshot', async () => {
    const session = await startSession(t);
    const { socket: one } = await connectCustomer(t, session, 'tab-1');
    const { socket: two } = await connectCustomer(t, session, 'tab-2');
    const a = agent(session.pin);
    await send(one, 1, true, 'tab-1');
    await send(two, 1, true, 'tab-2');
    await vi.waitFor(() => expect(a.log.batches).toHaveLength(2));

    a.drop();
    // tab-1 moves to a new full snapshot past what the agent has; tab-2 just goes on.
    await send(one, 2, false, 'tab-1');
    await send(one, 3, true, 'tab-1');
    await send(two, 2, false, 'tab-2');
    await vi.waitFor(() => expect(a.log.welcomes).toHaveLength(2));
    expect(a.log.welcomes[1]?.resumed).toEqual(['tab-2']);
    await vi.waitFor(() => expect(a.log.batches).toHaveLength(4));
    expect(a.log.batches.slice(2).map((b) => `${b.tabId}:${b.seq}`)).toEqual([
      'tab-1:3',
      'tab-2:2',
    ]);
    await send(one, 4, false, 'tab-1');
    await vi.waitFor(() => expect(a.applied('tab-1')).toEqual([1, 3, 4]));
    expect(a.tracker.resumePoints()).toEqual({ 'tab-1': 4, 'tab-2': 2 });
    a.connection.close();
  });
});

describe('takeover', () => {
  it('closes the first window with 1015 when the same agent opens a second, with no retry', async () => {
    const session = await startSession(t);
    await connectCustomer(t, session);
    const first = agent(session.pin);
    await vi.waitFor(() => expect(first.log.welcomes).toHaveLength(1));
    const second = agent(session.pin);
    await vi.waitFor(() => expect(first.log.closed).toHaveLength(1));
    expect(first.log.closed[0]).toMatchObject({ code: 4409, gaveUp: false });
    expect(first.log.closed[0]?.error?.code).toBe(1015);
    expect(first.log.closed[0]?.error?.message).toMatch(/opened in another window/);
    expect(first.log.reconnecting).toBe(0);
    expect(second.log.welcomes).toHaveLength(1);
    expect(second.log.closed).toEqual([]);
    second.connection.close();
  });
});
