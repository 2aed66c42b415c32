/**
 * @module
 * A bare `ws` server on 127.0.0.1, port 0, for connection tests: it records every frame each
 * socket receives (text parsed as JSON, binary as a `Buffer`), and tests answer through each
 * peer's socket. The agent's connection test uses it too.
 */
import {
  PROTOCOL_VERSION,
  encodeBinaryFrame,
  type DomBatchRelayHeader,
  type SessionWelcome,
} from '@sightline/protocol';
import { vi } from 'vitest';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';

/** One socket the server accepted, and what it received so far. */
export interface Peer {
  socket: ServerSocket;
  received: unknown[];
}

/** A running peer server. */
export class PeerServer {
  readonly #wss: WebSocketServer;
  /** The `ws:` URL of `/ws`. */
  readonly url: string;
  /** Every socket accepted, in order. */
  readonly peers: Peer[] = [];
  /** Called with each socket once its first frame (the hello) arrived, e.g. to welcome it. */
  onHello: ((peer: Peer) => void) | undefined;

  private constructor(wss: WebSocketServer, url: string) {
    this.#wss = wss;
    this.url = url;
    wss.on('connection', (socket) => {
      const peer: Peer = { socket, received: [] };
      socket.on('message', (data, isBinary) => {
        peer.received.push(isBinary ? data : JSON.parse(String(data)));
        if (peer.received.length === 1) this.onHello?.(peer);
      });
      this.peers.push(peer);
    });
  }

  /** Starts listening. */
  static async start(): Promise<PeerServer> {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    const address = wss.address();
    if (address === null || typeof address === 'string') throw new Error('unexpected address');
    return new PeerServer(wss, `ws://127.0.0.1:${address.port}/ws`);
  }

  /** Waits until socket number `index` has said hello. */
  peerAt(index: number): Promise<Peer> {
    return vi.waitFor(() => {
      const peer = this.peers[index];
      if (!peer || peer.received.length === 0) throw new Error(`no hello on socket ${index} yet`);
      return peer;
    });
  }

  /** Drops every socket abruptly and stops listening. */
  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}

/** A `session.welcome` admitting an agent, with a customer present. */
export function welcomeFrame(overrides: Partial<SessionWelcome> = {}): SessionWelcome {
  return {
    type: 'session.welcome',
    protocolVersion: PROTOCOL_VERSION,
    sessionId: 'sess_12345678',
    role: 'agent',
    self: { userId: 'a1', userName: 'Ana', role: 'agent' },
    participants: [{ userId: 'c1', userName: 'Casey', role: 'customer' }],
    state: 'active',
    serverTime: 1_000,
    ...overrides,
  };
}

/** A relayed `dom.batch` frame with the payload bytes 1, 2, 3. */
export function relayedFrame(header: Partial<DomBatchRelayHeader>): Uint8Array {
  return encodeBinaryFrame(
    { type: 'dom.batch', tabId: 'tab1', seq: 1, full: true, receivedAt: 5, ...header },
    new Uint8Array([1, 2, 3]),
  );
}
