/**
 * @module
 * The customer's WebSocket to `/ws`: says hello, validates every inbound frame, and reconnects
 * after a drop with exponential backoff and jitter. Whether to reconnect is decided by the close
 * code alone (`shouldReconnect` from the protocol), never by the reason text.
 *
 * A socket is "ready" once the server's `session.welcome` arrived; nothing but the hello is sent
 * before that, so the server never sees a frame from an unauthenticated socket.
 */
import {
  HELLO_DEADLINE_MS,
  parseServerText,
  shouldReconnect,
  type ServerToClient,
  type SessionHello,
  type SessionWelcome,
  type SightlineError,
} from '@sightline/protocol';
import { systemClock, type Clock, type TimerHandle } from '../clock.js';
import { backoffDelay } from './backoff.js';
import {
  OPEN,
  type CloseEventLike,
  type MessageEventLike,
  type WebSocketConstructor,
  type WebSocketLike,
} from './websocket.js';

/** Reconnection tuning. */
export interface ReconnectOptions {
  /**
   * Delay ceiling of the first retry.
   * @default 500
   */
  baseDelayMs: number;
  /**
   * Largest delay between retries.
   * @default 10_000
   */
  maxDelayMs: number;
  /**
   * Consecutive failed attempts before giving up (about a minute with the defaults, inside the
   * server's two-minute reconnect window).
   * @default 10
   */
  maxAttempts: number;
  /**
   * How long a socket may take to open and be welcomed before it counts as failed.
   * @default 2 * HELLO_DEADLINE_MS (10 s)
   */
  welcomeTimeoutMs: number;
}

/** The defaults of {@link ReconnectOptions}. */
export const RECONNECT_DEFAULTS: ReconnectOptions = {
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxAttempts: 10,
  welcomeTimeoutMs: 2 * HELLO_DEADLINE_MS,
};

/** What the connection reports. Handlers run synchronously, in frame order. */
export interface ConnectionHandlers {
  /** The server admitted the socket (first connect and every reconnect). */
  onWelcome(welcome: SessionWelcome): void;
  /** Any other valid frame from the server. */
  onMessage(message: Exclude<ServerToClient, SessionWelcome>): void;
  /** A frame failed validation and was ignored. */
  onInvalidFrame?(error: SightlineError): void;
  /** The socket dropped and a reconnect is scheduled. */
  onReconnecting?(info: { code: number; attempt: number; delayMs: number }): void;
  /**
   * The connection is over for good: the server refused it (a non-retryable close code), or
   * `maxAttempts` reconnects failed (`gaveUp`). Not called after {@link Connection.close}.
   */
  onClosed(info: { code: number; reason: string; gaveUp: boolean }): void;
}

/** Construction options of a {@link Connection}. */
export interface ConnectionOptions {
  /** The `/ws` URL. */
  url: string;
  /** The first frame on every socket. */
  hello: SessionHello;
  handlers: ConnectionHandlers;
  /** @default globalThis.WebSocket */
  WebSocket?: WebSocketConstructor;
  /** @default systemClock */
  clock?: Clock;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
  /** @default RECONNECT_DEFAULTS */
  reconnect?: Partial<ReconnectOptions>;
}

/** Close code for the local "abnormal closure" we report when a socket is abandoned. */
const ABNORMAL_CLOSURE = 1006;

type Phase = 'idle' | 'connecting' | 'ready' | 'backing_off' | 'closed';

/** One logical connection to the server, made of as many sockets as reconnection needs. */
export class Connection {
  readonly #options: ConnectionOptions;
  readonly #handlers: ConnectionHandlers;
  readonly #WebSocket: WebSocketConstructor;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #reconnect: ReconnectOptions;
  #phase: Phase = 'idle';
  #socket: WebSocketLike | undefined;
  #timer: TimerHandle | undefined;
  /** Consecutive sockets that failed before a welcome. */
  #failures = 0;

  constructor(options: ConnectionOptions) {
    this.#options = options;
    this.#handlers = options.handlers;
    this.#WebSocket =
      options.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor);
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#reconnect = { ...RECONNECT_DEFAULTS, ...options.reconnect };
  }

  /** Whether the server has welcomed the current socket, so frames may be sent. */
  get ready(): boolean {
    return this.#phase === 'ready';
  }

  /** Opens the first socket. */
  open(): void {
    if (this.#phase !== 'idle') return;
    this.#connect();
  }

  /** Sends a JSON frame if ready. Returns whether it was sent. */
  sendText(message: object): boolean {
    if (!this.ready || this.#socket?.readyState !== OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  /** Sends a binary frame if ready. Returns whether it was sent. */
  sendBinary(frame: Uint8Array): boolean {
    if (!this.ready || this.#socket?.readyState !== OPEN) return false;
    this.#socket.send(frame);
    return true;
  }

  /** Closes for good (normal closure). No handler is called afterwards. */
  close(): void {
    if (this.#phase === 'closed') return;
    this.#phase = 'closed';
    this.#cancelTimer();
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) this.#abandon(socket, 1000);
  }

  #connect(): void {
    this.#phase = 'connecting';
    let socket: WebSocketLike;
    try {
      socket = new this.#WebSocket(this.#options.url);
    } catch {
      // A bad URL or a blocked scheme: treat like a refused connection, so backoff applies.
      this.#dropped(ABNORMAL_CLOSURE, '');
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.#socket = socket;
    this.#startTimer(this.#reconnect.welcomeTimeoutMs, () => {
      this.#socket = undefined;
      this.#abandon(socket, 1000);
      this.#dropped(ABNORMAL_CLOSURE, 'no welcome in time');
    });
    socket.onopen = () => {
      socket.send(JSON.stringify(this.#options.hello));
    };
    socket.onmessage = (event: MessageEventLike) => {
      if (this.#socket === socket) this.#receive(event.data);
    };
    socket.onclose = (event: CloseEventLike) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#dropped(event.code, event.reason);
    };
    socket.onerror = () => {
      // Always followed by a close event, which decides what happens next.
    };
  }

  #receive(data: unknown): void {
    if (typeof data !== 'string') {
      // The server sends customers no binary frames; anything else is not ours to act on.
      return;
    }
    const parsed = parseServerText(data);
    if (!parsed.ok) {
      this.#handlers.onInvalidFrame?.(parsed.error);
      return;
    }
    const message = parsed.value;
    if (message.type === 'session.welcome') {
      this.#cancelTimer();
      this.#phase = 'ready';
      this.#failures = 0;
      this.#handlers.onWelcome(message);
      return;
    }
    this.#handlers.onMessage(message);
  }

  #dropped(code: number, reason: string): void {
    if (this.#phase === 'closed') return;
    this.#cancelTimer();
    if (!shouldReconnect(code)) {
      this.#phase = 'closed';
      this.#handlers.onClosed({ code, reason, gaveUp: false });
      return;
    }
    this.#failures += 1;
    if (this.#failures > this.#reconnect.maxAttempts) {
      this.#phase = 'closed';
      this.#handlers.onClosed({ code, reason, gaveUp: true });
      return;
    }
    const delayMs = backoffDelay(this.#failures - 1, this.#reconnect, this.#random);
    this.#phase = 'backing_off';
    this.#startTimer(delayMs, () => this.#connect());
    this.#handlers.onReconnecting?.({ code, attempt: this.#failures, delayMs });
  }

  /** Detaches our handlers so a late event from an old socket cannot act, then closes it. */
  #abandon(socket: WebSocketLike, code: number): void {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = () => {};
    try {
      socket.close(code);
    } catch {
      // Closing a socket that never opened can throw in some engines; it is gone either way.
    }
  }

  #startTimer(ms: number, fn: () => void): void {
    this.#cancelTimer();
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      fn();
    }, ms);
  }

  #cancelTimer(): void {
    if (this.#timer === undefined) return;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
