/**
 * @module
 * A small stand-in for the Sightline server, for in-process tests of the SDK's HTTP and socket
 * behaviour: a real `node:http` server with `POST /api/customer/start` and a real `ws` server on
 * `/ws` that speaks the protocol (hello → welcome, `dom.batch` → store and ack). Every frame is
 * parsed with `@sightline/protocol`, as the real server does. Tests steer it through its fields.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateSync } from 'node:zlib';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  PROTOCOL_VERSION,
  parseClientText,
  parseCustomerBatch,
  type Participant,
  type ServerToClient,
  type SessionHello,
} from '@sightline/protocol';

/** What the fake does with one `dom.batch`. */
export type BatchPolicy = 'store_and_ack' | 'store' | 'drop';

/** A start request as the fake received it. */
export interface StartRequestSeen {
  authorization: string | undefined;
  body: unknown;
}

/** The fake's answer to `POST /api/customer/start`. */
export interface StartAnswer {
  status: number;
  body: unknown;
  contentType?: string;
}

const CUSTOMER: Participant = {
  userId: 'customer-1',
  userName: 'Casey Customer',
  role: 'customer',
};

/** A running fake server. */
export class FakeSightlineServer {
  readonly #http: Server;
  readonly #wss: WebSocketServer;
  /** The base URL, e.g. `http://127.0.0.1:43123`. */
  readonly url: string;
  /** Every start request. */
  readonly startRequests: StartRequestSeen[] = [];
  /** Every hello, in order (one per socket). */
  readonly hellos: SessionHello[] = [];
  /** Every text frame after the hello, parsed. */
  readonly textFrames: unknown[] = [];
  /** Every batch seq received, duplicates included, in arrival order. */
  readonly received: number[] = [];
  /** Stored batches by seq: the decoded rrweb events. */
  readonly stored = new Map<number, unknown[]>();
  /** Agents in the session, sent in `welcome.participants`. */
  agents: Participant[] = [];
  /** What to do with the next batches. */
  batchPolicy: BatchPolicy = 'store_and_ack';
  /** How to answer start requests. */
  answerStart: (request: StartRequestSeen) => StartAnswer = () => ({
    status: 200,
    body: {
      sessionId: 'sess_0123456789',
      pin: '123456',
      status: 'waiting',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      resumeToken: 'resume-token-1',
      reconnectWindowSeconds: 120,
    },
  });
  /** Sockets opened, in order. */
  readonly sockets: WebSocket[] = [];
  /** Protocol rules the client broke (a test expects none). */
  readonly violations: string[] = [];

  private constructor(http: Server, wss: WebSocketServer, url: string) {
    this.#http = http;
    this.#wss = wss;
    this.url = url;
  }

  /** Starts on 127.0.0.1, port 0. */
  static async start(): Promise<FakeSightlineServer> {
    const http = createServer();
    const wss = new WebSocketServer({ server: http, path: '/ws' });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    const server = new FakeSightlineServer(http, wss, `http://127.0.0.1:${port}`);
    http.on('request', (request, response) => {
      void server.#answerHttp(request).then(({ status, body, contentType }) => {
        response.writeHead(status, { 'content-type': contentType ?? 'application/json' });
        response.end(typeof body === 'string' ? body : JSON.stringify(body));
      });
    });
    wss.on('connection', (socket) => server.#accept(socket));
    return server;
  }

  /** The highest seq stored with no gap below it. */
  get highestContiguous(): number {
    let seq = 0;
    while (this.stored.has(seq + 1)) seq += 1;
    return seq;
  }

  /** The socket opened last. */
  get latest(): WebSocket {
    const socket = this.sockets[this.sockets.length - 1];
    if (!socket) throw new Error('no socket yet');
    return socket;
  }

  /** Sends a server frame on the latest socket. */
  send(message: ServerToClient): void {
    this.latest.send(JSON.stringify(message));
  }

  /** Stops accepting and closes every socket abruptly. */
  async close(): Promise<void> {
    for (const socket of this.#wss.clients) socket.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }

  async #answerHttp(request: IncomingMessage): Promise<StartAnswer> {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    if (request.method !== 'POST' || request.url !== '/api/customer/start') {
      return {
        status: 404,
        body: { error: { code: 4002, name: 'ROUTE_NOT_FOUND', message: 'No.' } },
      };
    }
    const seen = {
      authorization: request.headers.authorization,
      body: JSON.parse(text) as unknown,
    };
    this.startRequests.push(seen);
    return this.answerStart(seen);
  }

  #accept(socket: WebSocket): void {
    this.sockets.push(socket);
    let welcomed = false;
    socket.on('message', (data, isBinary) => {
      const bytes = new Uint8Array(data as Buffer);
      if (isBinary) {
        if (!welcomed) this.violations.push('binary frame before welcome');
        else this.#batch(socket, bytes);
        return;
      }
      const parsed = parseClientText(Buffer.from(bytes).toString('utf8'));
      if (!parsed.ok) {
        this.violations.push(`invalid text frame: ${parsed.error.message}`);
        return;
      }
      if (!welcomed) {
        if (parsed.value.type !== 'session.hello') {
          this.violations.push('first frame is not session.hello');
          return;
        }
        welcomed = true;
        this.hellos.push(parsed.value);
        this.#welcome(socket, parsed.value);
        return;
      }
      this.textFrames.push(parsed.value);
    });
  }

  #welcome(socket: WebSocket, hello: SessionHello): void {
    const message: ServerToClient = {
      type: 'session.welcome',
      protocolVersion: PROTOCOL_VERSION,
      sessionId: 'sess_0123456789',
      role: 'customer',
      self: CUSTOMER,
      participants: this.agents,
      state: this.agents.length > 0 ? 'active' : 'waiting',
      serverTime: Date.now(),
      lastAckedSeq: hello.tabId ? { [hello.tabId]: this.highestContiguous } : {},
    };
    socket.send(JSON.stringify(message));
  }

  #batch(socket: WebSocket, frame: Uint8Array): void {
    const parsed = parseCustomerBatch(frame);
    if (!parsed.ok) {
      this.violations.push(`invalid batch: ${parsed.error.message}`);
      return;
    }
    const { header, payload } = parsed.value;
    this.received.push(header.seq);
    if (header.seq > this.highestContiguous + 1) {
      this.violations.push(`gap: got ${header.seq} after ${this.highestContiguous}`);
    }
    if (this.stored.has(header.seq)) this.violations.push(`duplicate: ${header.seq}`);
    if (this.batchPolicy === 'drop' || this.stored.has(header.seq)) return;
    this.stored.set(header.seq, JSON.parse(inflateSync(payload).toString('utf8')) as unknown[]);
    if (this.batchPolicy === 'store_and_ack') {
      const ack: ServerToClient = {
        type: 'dom.ack',
        tabId: header.tabId,
        seq: this.highestContiguous,
      };
      socket.send(JSON.stringify(ack));
    }
  }
}
