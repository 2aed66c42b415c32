/**
 * @module
 * A `ws` client for tests that queues every frame it receives, so a test can assert on the exact
 * sequence: text frames parsed as JSON, binary frames split into header and payload.
 */
import { WebSocket } from 'ws';
import {
  PROTOCOL_VERSION,
  decodeBinaryFrame,
  encodeBinaryFrame,
  type ServerToClient,
} from '@sightline/protocol';

/** One received frame. */
export type Frame =
  | { kind: 'text'; message: ServerToClient }
  | { kind: 'binary'; header: Record<string, unknown>; payload: Uint8Array; raw: Uint8Array };

/** How a socket closed. */
export interface Closed {
  code: number;
  reason: string;
}

const WAIT_MS = 3_000;

/** A test client socket. */
export class TestSocket {
  private readonly frames: Frame[] = [];
  private wake?: () => void;
  /** Text frames this test does not look at: they are dropped as they arrive. */
  ignore?: (message: ServerToClient) => boolean;
  /**
   * Keep `customer.tabs` frames. Off by default: agents get one after every welcome and on every
   * change of the customer's tabs, which only the tab tests look at.
   */
  keepTabFrames = false;
  /**
   * Keep `control.state` frames. Off by default: every socket gets one after its welcome and on
   * every change of the session's control (issue 5), which only the control tests look at.
   */
  keepControlFrames = false;
  /** Resolves when the socket closes. */
  readonly closed: Promise<Closed>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        const raw = new Uint8Array(data);
        const decoded = decodeBinaryFrame(raw);
        if (!decoded) throw new Error('server sent a malformed binary frame');
        this.frames.push({
          kind: 'binary',
          header: decoded.header as Record<string, unknown>,
          payload: decoded.payload,
          raw,
        });
      } else {
        const message = JSON.parse(data.toString()) as ServerToClient;
        if (this.ignore?.(message)) return;
        if (message.type === 'customer.tabs' && !this.keepTabFrames) return;
        if (message.type === 'control.state' && !this.keepControlFrames) return;
        this.frames.push({ kind: 'text', message });
      }
      this.wake?.();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake?.();
      });
    });
  }

  /** Opens a socket; `origin` sets the Origin header. */
  static open(url: string, origin?: string): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { origin, perMessageDeflate: false });
      const socket = new TestSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('error', reject);
      ws.once('unexpected-response', (_request, response) =>
        reject(new Error(`upgrade refused: ${response.statusCode}`)),
      );
    });
  }

  /** Opens a socket and says hello with `credential`. */
  static async hello(
    url: string,
    credential: { resumeToken: string; tabId: string } | { joinToken: string },
  ): Promise<TestSocket> {
    const socket = await TestSocket.open(url);
    socket.sendJson({ type: 'session.hello', protocolVersion: PROTOCOL_VERSION, ...credential });
    return socket;
  }

  sendJson(value: unknown): void {
    this.ws.send(JSON.stringify(value));
  }

  sendRaw(data: string | Uint8Array): void {
    this.ws.send(data);
  }

  /** Sends a customer `dom.batch`. */
  sendBatch(header: { tabId: string; seq: number; full?: boolean }, payload: Uint8Array): void {
    this.ws.send(encodeBinaryFrame({ type: 'dom.batch', ...header }, payload));
  }

  /** The next frame, waiting up to 3 s. */
  async next(): Promise<Frame> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const frame = this.frames.shift();
      if (frame) return frame;
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error('socket closed; no more frames');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no frame within 3 s');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** The next frame, which must be a text frame of `type`. */
  async expect<T extends ServerToClient['type']>(
    type: T,
  ): Promise<Extract<ServerToClient, { type: T }>> {
    const frame = await this.next();
    if (frame.kind !== 'text' || frame.message.type !== type) {
      throw new Error(`expected ${type}, got ${describe(frame)}`);
    }
    return frame.message as Extract<ServerToClient, { type: T }>;
  }

  /** The next frame, which must be a binary `dom.batch`. */
  async expectBatch(): Promise<Extract<Frame, { kind: 'binary' }>> {
    const frame = await this.next();
    if (frame.kind !== 'binary') throw new Error(`expected a dom.batch, got ${describe(frame)}`);
    return frame;
  }

  /** Frames received and not yet read. */
  get pending(): readonly Frame[] {
    return this.frames;
  }

  close(): void {
    this.ws.close();
  }
}

function describe(frame: Frame): string {
  return frame.kind === 'text'
    ? JSON.stringify(frame.message)
    : `binary ${JSON.stringify(frame.header)}`;
}

/** A recognisable payload: `text` as bytes (the server never looks inside). */
export function payload(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** The payload's text. */
export function textOf(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
