/**
 * The page stream over a real socket: Connection + DomUplink (as the session wires them) against
 * a real `ws` server on port 0. A dropped socket must lose nothing and duplicate nothing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { PROTOCOL_VERSION, type SessionWelcome } from '@sightline/protocol';
import { systemClock } from '../src/clock.js';
import { DomUplink } from '../src/capture/uplink.js';
import { Connection, type ConnectionHandlers } from '../src/transport/connection.js';
import type { WebSocketConstructor } from '../src/transport/websocket.js';
import { FakeSightlineServer } from './fake-server.js';
import { input } from './rrweb-events.js';

const TAB = 'tab-transport';

let server: FakeSightlineServer;
let connection: Connection | undefined;

beforeEach(async () => {
  server = await FakeSightlineServer.start();
});

afterEach(async () => {
  connection?.close();
  connection = undefined;
  await server.close();
});

function connect(overrides: Partial<ConnectionHandlers> = {}) {
  const log = {
    welcomes: [] as SessionWelcome[],
    reconnects: [] as { code: number; attempt: number }[],
    closed: [] as { code: number; gaveUp: boolean }[],
    invalid: 0,
  };
  const uplink = new DomUplink({
    tabId: TAB,
    clock: systemClock,
    send: (frame) => conn.sendBinary(frame),
    onSnapshotNeeded: () => {},
    onError: (error) => {
      throw error;
    },
  });
  const conn = new Connection({
    url: `${server.url.replace('http', 'ws')}/ws`,
    hello: {
      type: 'session.hello',
      protocolVersion: PROTOCOL_VERSION,
      resumeToken: 'r',
      tabId: TAB,
    },
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    reconnect: { baseDelayMs: 10, maxDelayMs: 40, maxAttempts: 3 },
    handlers: {
      onWelcome: (welcome) => {
        log.welcomes.push(welcome);
        uplink.connected(welcome);
      },
      onMessage: (message) => {
        if (message.type === 'dom.ack') uplink.acked(message);
      },
      onInvalidFrame: () => (log.invalid += 1),
      onReconnecting: ({ code, attempt }) => {
        log.reconnects.push({ code, attempt });
        uplink.disconnected();
      },
      onClosed: ({ code, gaveUp }) => log.closed.push({ code, gaveUp }),
      ...overrides,
    },
  });
  connection = conn;
  conn.open();
  return { conn, uplink, log };
}

describe('Connection + DomUplink against a real ws server', () => {
  it('says hello with the resume token and tab id, and is welcomed', async () => {
    const { log } = connect();
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(1));
    expect(server.hellos).toEqual([
      { type: 'session.hello', protocolVersion: PROTOCOL_VERSION, resumeToken: 'r', tabId: TAB },
    ]);
  });

  it('reconnects after a drop and resends unacked batches: no gap, no duplicate', async () => {
    const { uplink, log } = connect();
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(1));

    // 1–3 are stored and acked.
    for (const text of ['a', 'ab', 'abc']) uplink.push(input(text));
    await vi.waitFor(() => expect(uplink.unackedSeqs).toEqual([]));
    expect(server.highestContiguous).toBe(3);

    // 4 is stored but its ack is lost; 5 is lost in flight. Then the socket dies.
    server.batchPolicy = 'store';
    uplink.push(input('abcd'));
    await vi.waitFor(() => expect(server.received).toContain(4));
    server.batchPolicy = 'drop';
    uplink.push(input('abcde'));
    await vi.waitFor(() => expect(server.received).toContain(5));
    server.batchPolicy = 'store_and_ack';
    server.latest.terminate();
    await vi.waitFor(() => expect(log.reconnects).toHaveLength(1));
    expect(log.reconnects[0]!.code).toBe(1006);

    // 6 is captured while offline. (If the reconnect already happened, it goes out at once.)
    uplink.push(input('abcdef'));

    await vi.waitFor(() => expect(log.welcomes).toHaveLength(2));
    expect(log.welcomes[1]!.lastAckedSeq).toEqual({ [TAB]: 4 });
    await vi.waitFor(() => expect(server.highestContiguous).toBe(6));
    await vi.waitFor(() => expect(uplink.unackedSeqs).toEqual([]));

    expect(server.violations).toEqual([]);
    expect(server.received).toEqual([1, 2, 3, 4, 5, 5, 6]);
    expect([...server.stored.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const typed = [1, 2, 3, 4, 5, 6].map(
      (seq) => (server.stored.get(seq)![0] as { data: { text: string } }).data.text,
    );
    expect(typed).toEqual(['a', 'ab', 'abc', 'abcd', 'abcde', 'abcdef']);
    expect(log.closed).toEqual([]);
  });

  it('does not reconnect when the server closes with a code that says a retry cannot help', async () => {
    const { log } = connect();
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(1));
    server.latest.close(4401, 'token expired');
    await vi.waitFor(() => expect(log.closed).toEqual([{ code: 4401, gaveUp: false }]));
    expect(log.reconnects).toEqual([]);
    expect(server.sockets).toHaveLength(1);
  });

  it('reconnects on a retryable server code (4503), and resets its attempts once welcomed', async () => {
    const { log } = connect();
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(1));
    server.latest.close(4503, 'restarting');
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(2));
    server.latest.close(4503, 'restarting again');
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(3));
    expect(log.reconnects.map((r) => r.attempt)).toEqual([1, 1]);
  });

  it('gives up after maxAttempts when the server is gone', async () => {
    const { log } = connect();
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(1));
    await server.close();
    await vi.waitFor(() => expect(log.closed).toEqual([{ code: 1006, gaveUp: true }]));
    expect(log.reconnects.map((r) => r.attempt)).toEqual([1, 2, 3]);
    server = await FakeSightlineServer.start();
  });

  it('ignores frames that fail validation and keeps handling valid ones', async () => {
    const { uplink, log } = connect();
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(1));
    server.batchPolicy = 'store';
    uplink.push(input('x'));
    await vi.waitFor(() => expect(server.received).toEqual([1]));
    server.latest.send('not json');
    server.latest.send(JSON.stringify({ type: 'dom.ack', tabId: TAB, seq: 'one' }));
    server.send({ type: 'dom.ack', tabId: TAB, seq: 1 });
    await vi.waitFor(() => expect(uplink.unackedSeqs).toEqual([]));
    expect(log.invalid).toBe(2);
  });

  it('sends no batch before the welcome', async () => {
    const { uplink, log } = connect();
    uplink.push(input('early'));
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(1));
    await vi.waitFor(() => expect(server.received).toEqual([1]));
    expect(server.violations).toEqual([]);
  });
});
