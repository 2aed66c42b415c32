/**
 * @module
 * One logical connection to the gateway's `/ws`, made of as many sockets as reconnection needs:
 * the core both browser SDKs configure.
 *
 * Each attempt gets the hello's credential (asynchronously: the agent fetches a fresh join token
 * every time), opens a socket, sends `session.hello` once it opens and waits for
 * `session.welcome`. The wait is counted from the socket's creation, so a socket stuck opening
 * times out too. Every inbound frame is validated with the protocol's parsers before anything
 * reads it. After a drop, {@link shouldReconnect} decides from the close code alone (never the
 * reason text) whether to try again, with exponential backoff and jitter, up to
 * `maxAttempts` failures in a row; a welcome resets the count.
 *
 * Nothing but the hello is sent before the welcome, so the server never sees a frame from an
 * unauthenticated socket.
 */
import {
  PROTOCOL_VERSION,
  SightlineError,
  parseServerText,
  shouldReconnect,
  toSightlineError,
  type ClientToServer,
  type Parsed,
  type ServerToClient,
  type SessionHello,
  type SessionWelcome,
} from '@sightline/protocol';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import type { Clock, TimerHandle } from './clock.js';
import {
  OPEN,
  type CloseEventLike,
  type MessageEventLike,
  type WebSocketConstructor,
  type WebSocketLike,
} from './websocket.js';

/** Every text frame from the server but the welcome, which has its own callback. */
export type ServerMessage = Exclude<ServerToClient, SessionWelcome>;

/** What identifies the client in `session.hello`: a resume token (and tab id), or a join token. */
export type HelloCredential = Omit<SessionHello, 'type' | 'protocolVersion'>;

/** When to give up, and how long to wait between attempts. */
export interface ReconnectPolicy extends BackoffPolicy {
  /** Failed attempts in a row before giving up. A welcome resets the count. */
  maxAttempts: number;
  /** How long a socket may take to open and be welcomed before it counts as failed. */
  welcomeTimeoutMs: number;
}

/** A scheduled reconnection. */
export interface ReconnectInfo {
  /** The close code that caused it (or the failed credential's close code). */
  code: number;
  /** 1 for the first attempt after a drop or a welcome. */
  attempt: number;
  delayMs: number;
}

/** How a connection ended for good. */
export interface CloseOutcome {
  /**
   * The close code of the last socket; for a failed credential the error's close code; for a
   * welcome that never came 4408 (`CloseCode.TIMEOUT`).
   */
  code: number;
  /** The client-side cause: the credential's error or `HANDSHAKE_TIMEOUT`. */
  error: SightlineError | undefined;
  /** Retrying was allowed but `maxAttempts` attempts in a row failed. */
  gaveUp: boolean;
}

/** What a {@link Connection} reports. Called synchronously, in frame order. */
export interface ConnectionEvents<B> {
  /** A socket was admitted. `rejoin` is true for every welcome after the first. */
  welcome(welcome: SessionWelcome, rejoin: boolean): void;
  /** A validated text frame other than the welcome, `session.error` included. */
  message(message: ServerMessage): void;
  /** A validated binary frame. Only delivered after the socket's welcome. */
  batch?(batch: B): void;
  /** An inbound frame failed validation and was dropped (silently, without this handler). */
  invalidFrame?(error: SightlineError): void;
  /** The socket dropped (or never came up) and an attempt is scheduled. */
  reconnecting(info: ReconnectInfo): void;
  /** The connection is over and will not retry. Not called after {@link Connection.close}. */
  closed(outcome: CloseOutcome): void;
}

/** How a {@link Connection} is configured. Each SDK resolves its own settings into one. */
export interface ConnectionOptions<B> {
  /** `ws:`/`wss:` URL of the gateway. */
  url: string;
  /**
   * The credential for one attempt's hello, called before every attempt. A rejection is turned
   * into a `SightlineError`, whose `retryable` decides whether to try again.
   */
  credential(): Promise<HelloCredential>;
  /**
   * Parses a binary frame. Without it binary frames are ignored: the server sends that client
   * none, and they are not its to act on.
   */
  parseBinary?: (frame: Uint8Array) => Parsed<B>;
  /**
   * Whether a failure before the first welcome is retried. When false the first attempt fails
   * fast and the reason is reported at once.
   */
  retryBeforeWelcome: boolean;
  reconnect: ReconnectPolicy;
  WebSocket: WebSocketConstructor;
  clock: Clock;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
}

/** Close code for a socket that could not even be created (as the browser reports a failed one). */
const ABNORMAL_CLOSURE = 1006;

/**
 * Stands in for our handlers on a socket: an error event always precedes the close event that
 * decides what happens next, and `ws` throws an 'error' event that has no listener (closing a
 * socket that is still connecting emits one).
 */
const ignore = (): void => {};

/** One logical connection to the server, across reconnections. */
export interface Connection {
  /** Starts the first attempt. Later calls, and calls after `close()`, do nothing. */
  open(): void;
  /**
   * Sends a text frame (as JSON) or a binary frame if the current socket is open and welcomed.
   * Returns whether it was sent.
   */
  send(frame: ClientToServer | Uint8Array): boolean;
  /** Closes for good (normal closure unless `code` says otherwise). No callback follows. */
  close(code?: number): void;
}

/**
 * A connection, not yet opened. State lives in this closure rather than in class fields: the
 * core ships inside both browser bundles, and locals minify to a letter each.
 */
export function createConnection<B = never>(
  options: ConnectionOptions<B>,
  events: ConnectionEvents<B>,
): Connection {
  const { clock, reconnect } = options;
  let socket: WebSocketLike | undefined;
  /** Whether `socket` has been welcomed. */
  let welcomed = false;
  /** Bumped by every attempt and by `close()`; async work from an older value is discarded. */
  let generation = 0;
  let closed = false;
  /** Whether any socket was ever welcomed; every later welcome is a rejoin. */
  let joined = false;
  /** Attempts in a row that failed before a welcome. */
  let failures = 0;
  /** The welcome timeout or the backoff wait; never both. */
  let timer: TimerHandle | undefined;
  const stopTimer = (): void => clock.clearTimeout(timer);

  async function attempt(): Promise<void> {
    const current = ++generation;
    const credential = await options.credential().catch(toSightlineError);
    if (current !== generation) return;
    if (credential instanceof SightlineError) {
      retryOrFinish(credential.closeCode, credential, credential.retryable);
      return;
    }
    const hello: SessionHello = {
      type: 'session.hello',
      protocolVersion: PROTOCOL_VERSION,
      ...credential,
    };

    let opened: WebSocketLike;
    try {
      opened = new options.WebSocket(options.url);
    } catch {
      // A bad URL or a blocked scheme: treated as a refused connection, so backoff applies.
      retryOrFinish(ABNORMAL_CLOSURE, undefined, true);
      return;
    }
    opened.binaryType = 'arraybuffer';
    socket = opened;
    stopTimer();
    timer = clock.setTimeout(welcomeTimedOut, reconnect.welcomeTimeoutMs);
    opened.onopen = () => {
      opened.send(JSON.stringify(hello));
    };
    opened.onmessage = (event: MessageEventLike) => {
      if (opened === socket) receive(event.data);
    };
    opened.onclose = (event: CloseEventLike) => {
      if (opened !== socket) return;
      socket = undefined;
      welcomed = false;
      retryOrFinish(event.code, undefined, shouldReconnect(event.code));
    };
    opened.onerror = ignore;
  }

  function receive(data: unknown): void {
    if (typeof data !== 'string') {
      const parse = options.parseBinary;
      if (!parse) return;
      if (!welcomed) {
        const reason = 'dom.batch before session.welcome.';
        events.invalidFrame?.(new SightlineError('PROTOCOL_INVALID_MESSAGE', reason));
        return;
      }
      // binaryType is 'arraybuffer'; anything else reads as an empty frame, which fails parsing.
      const parsed = parse(new Uint8Array(data as ArrayBuffer));
      if (parsed.ok) events.batch?.(parsed.value);
      else events.invalidFrame?.(parsed.error);
      return;
    }
    const parsed = parseServerText(data);
    // A newer minor version's frame: ignorable by definition.
    if (parsed.ok === 'unknown') return;
    if (!parsed.ok) {
      events.invalidFrame?.(parsed.error);
      return;
    }
    const message = parsed.value;
    if (message.type !== 'session.welcome') {
      events.message(message);
      return;
    }
    stopTimer();
    const rejoin = joined;
    welcomed = joined = true;
    failures = 0;
    events.welcome(message, rejoin);
  }

  function welcomeTimedOut(): void {
    const error = new SightlineError('HANDSHAKE_TIMEOUT', 'No session.welcome in time.');
    dropSocket(error.closeCode);
    retryOrFinish(error.closeCode, error, error.retryable);
  }

  function retryOrFinish(
    code: number,
    error: SightlineError | undefined,
    retryable: boolean,
  ): void {
    if (closed) return;
    stopTimer();
    const mayRetry = retryable && (options.retryBeforeWelcome || joined);
    if (mayRetry && failures < reconnect.maxAttempts) {
      failures += 1;
      const delayMs = backoffDelay(failures, reconnect, options.random);
      // Scheduled before it is reported, so a handler that calls close() cancels it.
      timer = clock.setTimeout(() => void attempt(), delayMs);
      events.reconnecting({ code, attempt: failures, delayMs });
      return;
    }
    closed = true;
    events.closed({ code, error, gaveUp: mayRetry });
  }

  /** Detaches our handlers so a late event from an old socket cannot act, then closes it. */
  function dropSocket(code: number): void {
    const dropped = socket;
    socket = undefined;
    welcomed = false;
    if (!dropped) return;
    dropped.onopen = dropped.onmessage = dropped.onclose = null;
    dropped.onerror = ignore;
    try {
      dropped.close(code);
    } catch {
      // Closing a socket that never opened can throw in some engines; it is gone either way.
    }
  }

  return {
    open() {
      // close() bumps the generation too, so a closed connection never opens.
      if (generation === 0) void attempt();
    },
    send(frame) {
      if (!welcomed || socket?.readyState !== OPEN) return false;
      socket.send(frame instanceof Uint8Array ? frame : JSON.stringify(frame));
      return true;
    },
    close(code = 1000) {
      if (closed) return;
      closed = true;
      generation += 1;
      stopTimer();
      dropSocket(code);
    },
  };
}
