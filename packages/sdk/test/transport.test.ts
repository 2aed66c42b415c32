/**
 * The page stream over a real socket: Connection + DomUplink (as the session wires them) against
 * a real `ws` server on port 0. A dropped socket must lose nothing and duplicate nothing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import {
  systemClock,
  type Connection,
  type ConnectionEvents,
  type WebSocketConstructor,
} from '@sightline/client';
import { PROTOCOL_VERSION, type SessionWelcome } from '@sightline/protocol';
import { DomUplink } from '../src/capture/uplink.js';
import { customerConnection } from '../src/transport/connection.js';
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

function connect(
  overrides: Partial<ConnectionEvents<never>> = {},
  WebSocketClass: WebSocketConstructor = WebSocket as unknown as WebSocketConstructor,
) {
  const log = {
    welcomes: [] as SessionWelcome[],
    reconnects: [] as { code: number; attempt: number }[],
    closed: [] as { code: number; gaveUp: boolean }[],
    invalid: 0,
  };
  const uplink = new DomUplink({
    tabId: TAB,
    clock: systemClock,
    send: (frame) => conn.send(frame),
    onSnapshotNeeded: () => {},
    onError: (error) => {
      throw error;
    },
  });
  const conn = customerConnection(
    {
      url: `${server.url.replace('http', 'ws')}/ws`,
      resumeToken: 'r',
      tabId: TAB,
      WebSocket: WebSocketClass,
      clock: systemClock,
      reconnect: { baseDelayMs: 10, maxDelayMs: 40, maxAttempts: 3 },
    },
    {
      welcome: (welcome) => {
        log.welcomes.push(welcome);
        uplink.connected(welcome);
      },
      message: (message) => {
        if (message.type === 'dom.ack') uplink.acked(message);
      },
      invalidFrame: () => (log.invalid += 1),
      reconnecting: ({ code, attempt }) => {
        log.reconnects.push({ code, attempt });
        uplink.disconnected();
      },
      closed: ({ code, gaveUp }) => log.closed.push({ code, gaveUp }),
      ...overrides,
    },
  );
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

  it('sends no batch before the welcome', async () => {
    const { uplink, log } = connect();
    uplink.push(input('early'));
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(1));
    await vi.waitFor(() => expect(server.received).toEqual([1]));
    expect(server.violations).toEqual([]);
  });

  it('retries even when the first socket fails before any welcome: the session already exists', async () => {
    let constructed = 0;
    class FirstFailsWebSocket extends WebSocket {
      constructor(address: string) {
        constructed += 1;
        if (constructed === 1) throw new SyntaxError('refused by a test');
        super(address);
      }
    }
    const { log } = connect({}, FirstFailsWebSocket as unknown as WebSocketConstructor);
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(1));
    expect(log.reconnects).toEqual([{ code: 1006, attempt: 1 }]);
    expect(server.hellos).toHaveLength(1);
    expect(log.closed).toEqual([]);
  });
});
