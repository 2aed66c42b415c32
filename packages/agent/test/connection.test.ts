// The agent's connection against a real `ws` server on port 0: how it configures the shared core
// (a fresh join token per attempt, relayed batches, no retry before the first welcome) and how it
// turns `session.error` into the error that explains a close. The core's own behaviour is tested
// in packages/client/test/connection.test.ts.
import {
  systemClock,
  type CloseOutcome,
  type ReconnectPolicy,
  type ServerMessage,
  type WebSocketConstructor,
} from '@sightline/client';
import {
  CloseCode,
  PROTOCOL_VERSION,
  type BinaryBatch,
  type DomBatchRelayHeader,
  type SessionWelcome,
  type SightlineError,
} from '@sightline/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import {
  PeerServer,
  relayedFrame as relayed,
  welcomeFrame,
} from '../../client/test/peer-server.js';
import { agentConnection } from '../src/transport/connection.js';

const welcome = (serverTime = 1_000) => welcomeFrame({ serverTime });

let server: PeerServer;

beforeEach(async () => {
  server = await PeerServer.start();
});

afterEach(async () => {
  await server.close();
});

/** A connection wired to record everything it reports. */
function connect(reconnect: Partial<ReconnectPolicy> = {}) {
  const log = {
    welcomes: [] as { welcome: SessionWelcome; rejoin: boolean }[],
    messages: [] as ServerMessage[],
    batches: [] as BinaryBatch<DomBatchRelayHeader>[],
    errors: [] as SightlineError[],
    reconnecting: [] as number[],
    closed: [] as CloseOutcome[],
  };
  let tokens = 0;
  const connection = agentConnection(
    {
      url: server.url,
      getJoinToken: async () => `join-token-${++tokens}`,
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      clock: systemClock,
      random: () => 0,
      reconnect: {
        baseDelayMs: 5,
        maxDelayMs: 20,
        maxAttempts: 3,
        welcomeTimeoutMs: 2_000,
        ...reconnect,
      },
    },
    {
      welcome: (w, rejoin) => log.welcomes.push({ welcome: w, rejoin }),
      message: (m) => log.messages.push(m),
      batch: (b) => log.batches.push(b),
      error: (e) => log.errors.push(e),
      reconnecting: ({ attempt }) => log.reconnecting.push(attempt),
      closed: (outcome) => log.closed.push(outcome),
    },
  );
  connection.open();
  return { connection, log };
}

const peerAt = (index: number) => server.peerAt(index);

describe('Connection', () => {
  it('says hello with the join token, then delivers validated frames', async () => {
    const { connection, log } = connect();
    const peer = await peerAt(0);
    expect(peer.received[0]).toEqual({
      type: 'session.hello',
      protocolVersion: PROTOCOL_VERSION,
      joinToken: 'join-token-1',
    });
    peer.socket.send(JSON.stringify(welcome()));
    peer.socket.send(
      JSON.stringify({
        type: 'session.participant_joined',
        participant: { userId: 'a2', userName: 'Ben', role: 'agent' },
      }),
    );
    peer.socket.send(relayed({ seq: 4 }));
    peer.socket.send('{"type":"session.state","state":"nonsense"}');
    peer.socket.send(relayed({ seq: 0 }));
    await vi.waitFor(() => expect(log.errors).toHaveLength(2));
    expect(log.welcomes).toEqual([{ welcome: welcome(), rejoin: false }]);
    expect(log.messages.map((m) => m.type)).toEqual(['session.participant_joined']);
    expect(log.batches.map((b) => [b.header.seq, [...b.payload]])).toEqual([[4, [1, 2, 3]]]);
    expect(log.errors.map((e) => e.errorName)).toEqual([
      'PROTOCOL_INVALID_MESSAGE',
      'PROTOCOL_INVALID_MESSAGE',
    ]);
    expect(connection.send({ type: 'session.end' })).toBe(true);
    await vi.waitFor(() => expect(peer.received).toContainEqual({ type: 'session.end' }));
    connection.close();
  });

  it('reconnects after a drop with a fresh join token and reports the rejoin', async () => {
    const { connection, log } = connect();
    const first = await peerAt(0);
    first.socket.send(JSON.stringify(welcome(1_000)));
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(1));
    first.socket.close(1011);
    const second = await peerAt(1);
    expect(second.received[0]).toMatchObject({ joinToken: 'join-token-2' });
    expect(log.reconnecting).toEqual([1]);
    second.socket.send(JSON.stringify(welcome(2_000)));
    await vi.waitFor(() => expect(log.welcomes).toHaveLength(2));
    expect(log.welcomes[1]?.rejoin).toBe(true);
    // A successful rejoin resets the attempt count.
    second.socket.close(1012);
    await peerAt(2);
    expect(log.reconnecting).toEqual([1, 1]);
    expect(log.closed).toEqual([]);
    connection.close();
  });

  it('does not retry a first join; it reports why it failed', async () => {
    const { log } = connect();
    const peer = await peerAt(0);
    peer.socket.send(
      JSON.stringify({
        type: 'session.error',
        code: 2001,
        name: 'TOKEN_INVALID',
        message: 'The token is invalid. Expired.',
      }),
    );
    peer.socket.close(CloseCode.UNAUTHORIZED);
    await vi.waitFor(() => expect(log.closed).toHaveLength(1));
    expect(log.closed[0]?.code).toBe(4401);
    expect(log.closed[0]?.error?.code).toBe(2001);
    expect(log.closed[0]?.error?.message).toBe('The token is invalid. Expired.');
    expect(log.closed[0]?.error).toBe(log.errors[0]);
    expect(log.reconnecting).toEqual([]);
    expect(server.peers).toHaveLength(1);
  });

  it('does not retry a first join that drops before the welcome', async () => {
    const { log } = connect();
    const peer = await peerAt(0);
    peer.socket.terminate();
    await vi.waitFor(() => expect(log.closed).toHaveLength(1));
    expect(log.closed[0]?.code).toBe(1006);
    expect(log.reconnecting).toEqual([]);
  });

  it('gives up a first join whose welcome never comes', async () => {
    const { log } = connect({ welcomeTimeoutMs: 50 });
    await peerAt(0);
    await vi.waitFor(() => expect(log.closed).toHaveLength(1));
    expect(log.closed[0]?.error?.errorName).toBe('HANDSHAKE_TIMEOUT');
    await vi.waitFor(() => expect(server.peers[0]?.socket.readyState).toBe(WebSocket.CLOSED));
  });
});
