/**
 * @module
 * The customer's WebSocket to `/ws`: the shared connection core of `@sightline/client`, configured
 * for a customer. It says hello with the session's resume token and this tab's id, expects no
 * binary frames, and retries even before the first welcome: the session already exists (the
 * start request created it and the PIN is on screen), so a socket that fails to come up is a
 * network problem that retrying can fix.
 */
import {
  createConnection,
  type Connection,
  type Clock,
  type ConnectionEvents,
  type ReconnectPolicy,
  type WebSocketConstructor,
} from '@sightline/client';
import { HELLO_DEADLINE_MS } from '@sightline/protocol';

/** Reconnection tuning of the customer SDK. */
export type ReconnectOptions = ReconnectPolicy;

/** The defaults of {@link ReconnectOptions}. */
export const RECONNECT_DEFAULTS: ReconnectOptions = {
  /** Delay ceiling of the first retry. @default 500 */
  baseDelayMs: 500,
  /** Largest delay between retries. @default 10_000 */
  maxDelayMs: 10_000,
  /**
   * Failed attempts in a row before giving up (about a minute with the defaults, inside the
   * server's two-minute reconnect window). @default 10
   */
  maxAttempts: 10,
  /** How long a socket may take to open and be welcomed. @default 2 * HELLO_DEADLINE_MS (10 s) */
  welcomeTimeoutMs: 2 * HELLO_DEADLINE_MS,
};

/** What a customer connection needs. */
export interface CustomerConnectionOptions {
  /** The `/ws` URL. */
  url: string;
  /** From the start request; names the session and this customer. */
  resumeToken: string;
  /** This tab's id, so the server can tell tabs apart and resend per tab. */
  tabId: string;
  /** @default globalThis.WebSocket */
  WebSocket?: WebSocketConstructor;
  clock: Clock;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
  /** @default RECONNECT_DEFAULTS */
  reconnect?: Partial<ReconnectOptions>;
}

/** A customer's connection, not yet opened. The server sends customers no binary frames. */
export function customerConnection(
  options: CustomerConnectionOptions,
  events: ConnectionEvents<never>,
): Connection {
  return createConnection(
    {
      ...options,
      credential: async () => ({ resumeToken: options.resumeToken, tabId: options.tabId }),
      retryBeforeWelcome: true,
      reconnect: { ...RECONNECT_DEFAULTS, ...options.reconnect },
      WebSocket: options.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor),
    },
    events,
  );
}
