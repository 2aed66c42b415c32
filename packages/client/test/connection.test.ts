// The shared connection core against a real `ws` server on port 0: handshake, validation of every
// inbound frame, reconnection decided by the close code, backoff attempts and giving up. What each
// SDK configures (its credential, binary frames, retrying before the first welcome) is also
// tested in that SDK's own test of its connection.
import {
  CloseCode,
  PROTOCOL_VERSION,
  SightlineError,
  parseRelayedBatch,
  type BinaryBatch,
  type DomBatchRelayHeader,
} from '@sightline/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { systemClock } from '../src/clock.js';
import {
  createConnection,
  type CloseOutcome,
  type Connection,
  type ConnectionOptions,
  type ReconnectInfo,
  type ServerMessage,
} from '../src/connection.js';
import type { WebSocketConstructor } from '../src/websocket.js';
import { PeerServer, relayedFrame as relayed, welcomeFrame as welcome } from './peer-server.js';

type Batch = BinaryBatch<DomBatchRelayHeader>;

let server: PeerServer;
let connection: Connection | undefined;

/** The server welcomes every hello at once. */
function welcomeEveryHello(): void {
  server.onHello = (peer) => peer.socket.send(JSON.stringify(welcome()));
}

beforeEach(async () => {
  server = await PeerServer.start();
});

afterEach(async () => {
  connection?.close();
  connection = undefined;
  await server.close();
});

/** A connection wired to record everything it reports. */
function connect(overrides: Partial<ConnectionOptions<Batch>> = {}) {
  const log = {
    welcomes: [] as boolean[],
    messages: [] as ServerMessage[],
    batches: [] as Batch[],
    invalid: [] as SightlineError[],
    reconnects: [] as ReconnectInfo[],
    closed: [] as CloseOutcome[],
  };
  let tokens = 0;
  const conn = createConnection<Batch>(
    {
      url: server.url,
      credential: async () => ({ joinToken: `join-token-${++tokens}` }),
      parseBinary: parseRelayedBatch,
      retryBeforeWelcome: false,
      reconnect: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 3, welcomeTimeoutMs: 2_000 },
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      clock: systemClock,
      random: () => 0,
      ...overrides,
    },
    {
      welcome: (_welcome, rejoin) => log.welcomes.push(rejoin),
      message: (m) => log.messages.push(m),
      batch: (b) => log.batches.push(b),
      invalidFrame: (e) => log.invalid.push(e),
      reconnecting: (info) => log.reconnects.push(info),
      closed: (outcome) => log.closed.push(outcome),
    },
  );
  connection = conn;
  conn.open();
  return { conn, log };
}

const peerAt = (index: number) => server.peerAt(index);

describe('Connection', () => {
  it('says hello with the credential, and sends nothing else before the welcome', async () => {
    const { conn, log } = connect();
    const peer = await peerAt(0);
    expect(peer.received).toEqual([
      { type: 'session.hello', protocolVersion: PROTOCOL_VERSION, joinToken: 'join-token-1' },
    ]);
    expect(conn.send({ type: 'session.end' })).toBe(false);
    peer.socket.send(JSON.stringify(welcome()));
    await vi.waitFor(() => expect(log.welcomes).toEqual([false]));
    expect(conn.send({ type: 'session.end' })).toBe(true);
    expect(conn.send(new Uint8Array([9]))).toBe(true);
    await vi.waitFor(() => expect(peer.received).toHaveLength(3));
    expect(peer.received[1]).toEqual({ type: 'session.end' });
    expect([...(peer.received[2] as Buffer)]).toEqual([9]);
  });

  it('ignores frames that fail validation and keeps handling valid ones', async () => {
    const { log } = connect();
    const peer = await peerAt(0);
    peer.socket.send(JSON.stringify(welcome()));
    peer.socket.send('not json');
    peer.socket.send(JSON.stringify({ type: 'dom.ack', tabId: 'tab1', seq: 'one' }));
    peer.socket.send(relayed({ seq: 0 }));
    peer.socket.send(JSON.stringify({ type: 'dom.ack', tabId: 'tab1', seq: 1 }));
    peer.socket.send(relayed({ seq: 4 }));
    await vi.waitFor(() => expect(log.batches).toHaveLength(1));
    expect(log.invalid).toHaveLength(3);
    expect(log.invalid.map((e) => e.errorName)).toEqual([
      'PROTOCOL_INVALID_MESSAGE',
      'PROTOCOL_INVALID_MESSAGE',
      'PROTOCOL_INVALID_MESSAGE',
    ]);
    expect(log.messages).toEqual([{ type: 'dom.ack', tabId: 'tab1', seq: 1 }]);
    expect(log.batches.map((b) => [b.header.seq, [...b.payload]])).toEqual([[4, [1, 2, 3]]]);
    expect(log.closed).toEqual([]);
  });

  it('ignores a frame type from a newer minor version without reporting it', async () => {
    const { log } = connect();
    const peer = await peerAt(0);
    peer.socket.send(JSON.stringify(welcome()));
    peer.socket.send(JSON.stringify({ type: 'session.added_in_1_9', anything: [1] }));
    peer.socket.send(JSON.stringify({ type: 'dom.ack', tabId: 'tab1', seq: 1 }));
    await vi.waitFor(() => expect(log.messages).toHaveLength(1));
    expect(log.messages).toEqual([{ type: 'dom.ack', tabId: 'tab1', seq: 1 }]);
    expect(log.invalid).toEqual([]);
  });

  it('refuses a binary frame that arrives before the welcome', async () => {
    const { conn, log } = connect();
    const peer = await peerAt(0);
    peer.socket.send(relayed({}));
    await vi.waitFor(() => expect(log.invalid).toHaveLength(1));
    expect(log.invalid[0]?.message).toMatch(/before session.welcome/);
    expect(log.batches).toEqual([]);
    expect(conn.send({ type: 'session.end' })).toBe(false);
  });

  it('ignores binary frames when it has no parser for them', async () => {
    const { log } = connect({ parseBinary: undefined });
    const peer = await peerAt(0);
    peer.socket.send(JSON.stringify(welcome()));
    peer.socket.send(relayed({ seq: 4 }));
    peer.socket.send(JSON.stringify({ type: 'dom.ack', tabId: 'tab1', seq: 1 }));
    await vi.waitFor(() => expect(log.messages).toHaveLength(1));
    expect(log.batches).toEqual([]);
    expect(log.invalid).toEqual([]);
  });

  it('does not reconnect when the server closes with a code that says a retry cannot help', async () => {
    const { log } = connect();
    const peer = await peerAt(0);
    peer.socket.send(JSON.stringify(welcome()));
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(1));
    peer.socket.close(4401, 'token expired');
    await vi.waitFor(() => expect(log.closed).toHaveLength(1));
    expect(log.closed[0]).toEqual({ code: 4401, error: undefined, gaveUp: false });
    expect(log.reconnects).toEqual([]);
    expect(server.peers).toHaveLength(1);
  });

  it('stops for good on DO_NOT_RECONNECT, after delivering the frames before it', async () => {
    const { log } = connect();
    const peer = await peerAt(0);
    peer.socket.send(JSON.stringify(welcome()));
    peer.socket.send(JSON.stringify({ type: 'session.ended', reason: 'customer_ended' }));
    peer.socket.close(CloseCode.DO_NOT_RECONNECT);
    await vi.waitFor(() => expect(log.closed).toHaveLength(1));
    expect(log.messages.map((m) => m.type)).toEqual(['session.ended']);
    expect(log.closed[0]?.code).toBe(4999);
    expect(log.reconnects).toEqual([]);
  });

  it('reconnects on a retryable server code (4503) with a fresh credential, and resets its attempts once welcomed', async () => {
    welcomeEveryHello();
    const { log } = connect();
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(1));
    server.peers[0]!.socket.close(4503, 'restarting');
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(2));
    server.peers[1]!.socket.close(4503, 'restarting again');
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(3));
    expect(log.welcomes).toEqual([false, true, true]);
    expect(log.reconnects.map((r) => [r.code, r.attempt])).toEqual([
      [4503, 1],
      [4503, 1],
    ]);
    expect(server.peers.map((p) => p.received[0])).toMatchObject([
      { joinToken: 'join-token-1' },
      { joinToken: 'join-token-2' },
      { joinToken: 'join-token-3' },
    ]);
  });

  it('gives up after maxAttempts when the server is gone, with the backoff delays', async () => {
    welcomeEveryHello();
    const { log } = connect({ random: () => 1 });
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(1));
    await server.close();
    await vi.waitFor(() => expect(log.closed).toHaveLength(1));
    expect(log.closed[0]).toMatchObject({ code: 1006, gaveUp: true });
    expect(log.reconnects.map((r) => [r.attempt, r.delayMs])).toEqual([
      [1, 5],
      [2, 10],
      [3, 20],
    ]);
    server = await PeerServer.start();
  });

  it('retries before the first welcome only when configured to', async () => {
    const { log } = connect({ retryBeforeWelcome: true });
    const first = await peerAt(0);
    first.socket.terminate();
    const second = await peerAt(1);
    expect(second.received[0]).toMatchObject({ joinToken: 'join-token-2' });
    expect(log.reconnects.map((r) => [r.code, r.attempt])).toEqual([[1006, 1]]);
    second.socket.send(JSON.stringify(welcome()));
    await vi.waitFor(() => expect(log.welcomes).toEqual([false]));
    expect(log.closed).toEqual([]);
  });

  it('fails fast before the first welcome when not configured to retry', async () => {
    const { log } = connect();
    const peer = await peerAt(0);
    peer.socket.terminate();
    await vi.waitFor(() => expect(log.closed).toHaveLength(1));
    expect(log.closed[0]).toMatchObject({ code: 1006, gaveUp: false });
    expect(log.reconnects).toEqual([]);
    expect(server.peers).toHaveLength(1);
  });

  it('drops a socket whose welcome never comes (4408, HANDSHAKE_TIMEOUT) and retries it', async () => {
    const { log } = connect({
      retryBeforeWelcome: true,
      reconnect: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 3, welcomeTimeoutMs: 50 },
    });
    const first = await peerAt(0);
    await vi.waitFor(() => expect(log.reconnects).toHaveLength(1));
    expect(log.reconnects[0]).toMatchObject({ code: 4408, attempt: 1 });
    await vi.waitFor(() => expect(first.socket.readyState).toBe(WebSocket.CLOSED));
    const second = await peerAt(1);
    second.socket.send(JSON.stringify(welcome()));
    await vi.waitFor(() => expect(log.welcomes).toEqual([false]));
  });

  it('gives up when the credential cannot be had again (not retryable)', async () => {
    let calls = 0;
    const { log } = connect({
      credential: async () => {
        calls += 1;
        if (calls === 1) return { joinToken: 'join-token-1' };
        throw new SightlineError('SESSION_JOIN_PIN_NOT_FOUND');
      },
    });
    const peer = await peerAt(0);
    peer.socket.send(JSON.stringify(welcome()));
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(1));
    peer.socket.close(1001);
    await vi.waitFor(() => expect(log.closed).toHaveLength(1));
    expect(log.closed[0]?.error?.code).toBe(1006);
    expect(log.closed[0]?.gaveUp).toBe(false);
    expect(log.reconnects.map((r) => r.attempt)).toEqual([1]);
  });

  it('retries a retryable credential failure, up to the attempt limit', async () => {
    let calls = 0;
    const { log } = connect({
      reconnect: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 2, welcomeTimeoutMs: 2_000 },
      credential: async () => {
        calls += 1;
        if (calls === 1) return { joinToken: 'join-token-1' };
        throw new SightlineError('NETWORK_ERROR');
      },
    });
    const peer = await peerAt(0);
    peer.socket.send(JSON.stringify(welcome()));
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(1));
    peer.socket.close(1001);
    await vi.waitFor(() => expect(log.closed).toHaveLength(1));
    expect(log.reconnects.map((r) => r.attempt)).toEqual([1, 2]);
    expect(calls).toBe(3);
    expect(log.closed[0]?.error?.errorName).toBe('NETWORK_ERROR');
    expect(log.closed[0]?.gaveUp).toBe(true);
  });

  it('reports nothing after close()', async () => {
    const { conn, log } = connect();
    const peer = await peerAt(0);
    peer.socket.send(JSON.stringify(welcome()));
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(1));
    conn.close();
    await vi.waitFor(() => expect(peer.socket.readyState).toBe(WebSocket.CLOSED));
    expect(log.closed).toEqual([]);
    expect(log.reconnects).toEqual([]);
    expect(server.peers).toHaveLength(1);
  });

  it('close() while the credential is pending opens no socket', async () => {
    let release: (credential: { joinToken: string }) => void = () => {};
    let constructed = 0;
    class CountingWebSocket extends WebSocket {
      constructor(address: string) {
        super(address);
        constructed += 1;
      }
    }
    const { conn, log } = connect({
      WebSocket: CountingWebSocket as unknown as WebSocketConstructor,
      credential: () => new Promise((resolve) => (release = resolve)),
    });
    conn.close();
    release({ joinToken: 'late' });
    // The attempt resumes in a microtask; a macrotask later it has either opened a socket or not.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(constructed).toBe(0);
    expect(log.closed).toEqual([]);
  });
});
