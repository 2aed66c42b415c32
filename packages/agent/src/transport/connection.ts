/**
 * @module
 * The agent's socket to `/ws`: handshake, frame validation and reconnection.
 *
 * Every attempt asks for a fresh join token first (join tokens live two minutes, so one from the
 * first join cannot be reused an hour later), opens a socket, sends `session.hello` and waits for
 * `session.welcome`. Every inbound frame is validated with the protocol's parsers before anything
 * reads it. After a drop, {@link shouldReconnect} decides from the close code alone whether to try
 * again, with exponential backoff and jitter. Before the first welcome nothing is retried: a first
 * join fails fast and says why.
 */
import {
  PROTOCOL_VERSION,
  SightlineError,
  parseRelayedBatch,
  parseServerText,
  shouldReconnect,
  toSightlineError,
  type AgentToServer,
  type BinaryBatch,
  type DomBatchRelayHeader,
  type ServerToClient,
  type SessionWelcome,
} from '@sightline/protocol';
import type { WebSocketConstructor } from '../options.js';
import type { Clock } from '../time.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { errorFromBody } from './http.js';

/** `WebSocket.OPEN`, spelled out because an injected constructor may lack the static. */
const OPEN = 1;

/** A close code the client uses for its own handshake timeout (not sent by the server). */
const CLIENT_HANDSHAKE_TIMEOUT = 4408;

/** Every text frame except the welcome, which has its own callback. */
export type ServerMessage = Exclude<ServerToClient, SessionWelcome>;

/** How a connection ended for good. */
export interface CloseOutcome {
  /** The close code of the last socket, or the error's close code when no socket opened. */
  code: number;
  /** Why, when known: the server's `session.error`, or an HTTP or network failure. */
  error: SightlineError | undefined;
}

/** What a {@link Connection} reports. Called synchronously, from socket callbacks. */
export interface ConnectionEvents {
  /** A socket was admitted. `rejoin` is true for every welcome after the first. */
  welcome(welcome: SessionWelcome, rejoin: boolean): void;
  /** A validated text frame other than the welcome. */
  message(message: ServerMessage): void;
  /** A validated `dom.batch` frame. Only delivered after the socket's welcome. */
  batch(batch: BinaryBatch<DomBatchRelayHeader>): void;
  /** The server refused something (`session.error`), or sent a frame that does not validate. */
  error(error: SightlineError): void;
  /** The socket dropped and attempt number `attempt` is scheduled. */
  reconnecting(attempt: number): void;
  /** The connection is over and will not retry. Not called after {@link Connection.close}. */
  closed(outcome: CloseOutcome): void;
}

/** What a {@link Connection} needs. */
export interface ConnectionOptions extends BackoffPolicy {
  /** `ws:`/`wss:` URL of the gateway. */
  url: string;
  /** Fetches a fresh join token; throws a `SightlineError` (its `retryable` is honoured). */
  getJoinToken(): Promise<string>;
  WebSocket: WebSocketConstructor;
  clock: Clock;
  random: () => number;
  /** Reconnection attempts in a row before giving up. */
  maxAttempts: number;
  /** How long a socket may wait for `session.welcome`. */
  handshakeTimeoutMs: number;
}

/** One agent's connection to a session, across reconnections. */
export class Connection {
  readonly #options: ConnectionOptions;
  readonly #events: ConnectionEvents;
  #socket: WebSocket | undefined;
  /** Bumped by every attempt and by `close()`; async work from an older value is discarded. */
  #generation = 0;
  #closed = false;
  #welcomes = 0;
  #socketWelcomed = false;
  #failures = 0;
  #timer: unknown;
  #lastError: SightlineError | undefined;

  constructor(options: ConnectionOptions, events: ConnectionEvents) {
    this.#options = options;
    this.#events = events;
  }

  /** Starts the first attempt. */
  start(): void {
    void this.#attempt();
  }

  /** Sends a text frame if the socket is open and admitted. Returns whether it was sent. */
  send(message: AgentToServer): boolean {
    if (!this.#socket || !this.#socketWelcomed || this.#socket.readyState !== OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  /** Closes for good, with no reconnection and no `closed` callback. */
  close(code = 1000): void {
    this.#closed = true;
    this.#generation += 1;
    this.#options.clock.clearTimeout(this.#timer);
    this.#dropSocket(code);
  }

  async #attempt(): Promise<void> {
    const generation = ++this.#generation;
    this.#lastError = undefined;
    let joinToken: string;
    try {
      joinToken = await this.#options.getJoinToken();
    } catch (thrown) {
      if (generation !== this.#generation) return;
      const error = toSightlineError(thrown);
      this.#retryOrFinish({ code: error.closeCode, error }, error.retryable);
      return;
    }
    if (generation !== this.#generation) return;

    const socket = new this.#options.WebSocket(this.#options.url);
    socket.binaryType = 'arraybuffer';
    this.#socket = socket;
    this.#socketWelcomed = false;
    socket.onopen = () => {
      if (socket !== this.#socket) return;
      const hello: AgentToServer = {
        type: 'session.hello',
        protocolVersion: PROTOCOL_VERSION,
        joinToken,
      };
      socket.send(JSON.stringify(hello));
      this.#timer = this.#options.clock.setTimeout(
        () => this.#onHandshakeTimeout(socket),
        this.#options.handshakeTimeoutMs,
      );
    };
    socket.onmessage = (event: MessageEvent) => {
      if (socket === this.#socket) this.#onFrame(event.data);
    };
    socket.onclose = (event: CloseEvent) => {
      if (socket !== this.#socket) return;
      this.#options.clock.clearTimeout(this.#timer);
      this.#socket = undefined;
      // The error frame that preceded a close explains it only if it names the same code.
      const error = this.#lastError?.closeCode === event.code ? this.#lastError : undefined;
      this.#retryOrFinish({ code: event.code, error }, shouldReconnect(event.code));
    };
    // The close event that always follows carries the code; the error event carries nothing.
    socket.onerror = () => {};
  }

  #onFrame(data: unknown): void {
    if (typeof data === 'string') {
      this.#onText(data);
      return;
    }
    if (!(data instanceof ArrayBuffer)) {
      this.#reject('Unexpected frame type.');
      return;
    }
    if (!this.#socketWelcomed) {
      this.#reject('dom.batch before session.welcome.');
      return;
    }
    const parsed = parseRelayedBatch(new Uint8Array(data));
    if (parsed.ok) this.#events.batch(parsed.value);
    else this.#events.error(parsed.error);
  }

  #onText(text: string): void {
    const parsed = parseServerText(text);
    if (!parsed.ok) {
      this.#events.error(parsed.error);
      return;
    }
    const message = parsed.value;
    switch (message.type) {
      case 'session.welcome': {
        this.#options.clock.clearTimeout(this.#timer);
        this.#socketWelcomed = true;
        this.#failures = 0;
        this.#welcomes += 1;
        this.#events.welcome(message, this.#welcomes > 1);
        return;
      }
      case 'session.error': {
        const error =
          errorFromBody({ error: message }) ?? new SightlineError('UNDEFINED', message.message);
        this.#lastError = error;
        this.#events.error(error);
        return;
      }
      default:
        this.#events.message(message);
    }
  }

  #onHandshakeTimeout(socket: WebSocket): void {
    if (socket !== this.#socket) return;
    this.#dropSocket(CLIENT_HANDSHAKE_TIMEOUT);
    const error = new SightlineError('HANDSHAKE_TIMEOUT', 'No session.welcome arrived in time.');
    this.#retryOrFinish({ code: CLIENT_HANDSHAKE_TIMEOUT, error }, true);
  }

  #retryOrFinish(outcome: CloseOutcome, retryable: boolean): void {
    if (this.#closed) return;
    if (retryable && this.#welcomes > 0 && this.#failures < this.#options.maxAttempts) {
      this.#failures += 1;
      const delay = backoffDelay(this.#failures, this.#options, this.#options.random);
      this.#events.reconnecting(this.#failures);
      const generation = this.#generation;
      this.#timer = this.#options.clock.setTimeout(() => {
        if (generation === this.#generation) void this.#attempt();
      }, delay);
      return;
    }
    this.#closed = true;
    this.#events.closed(outcome);
  }

  #reject(reason: string): void {
    this.#events.error(new SightlineError('PROTOCOL_INVALID_MESSAGE', reason));
  }

  #dropSocket(code: number): void {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#socketWelcomed = false;
    if (!socket) return;
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
    try {
      socket.close(code);
    } catch {
      // Closing a socket that is still connecting can throw in some engines; it is gone either way.
    }
  }
}
