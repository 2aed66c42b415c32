/**
 * @module
 * Agent SDK settings: what `init()` accepts, resolved once against {@link DEFAULTS}.
 */
import { systemClock, type Clock, type WebSocketConstructor } from '@sightline/client';
import { SightlineError } from '@sightline/protocol';

/** Optional settings. Every one has a default in {@link DEFAULTS}. */
export interface AgentOptions {
  /**
   * Base URL of the Sightline server (`https://cobrowse.example.com`). The socket URL is derived
   * from it (`wss://…/ws`).
   * @default the page's origin (`location.origin`)
   */
  serverUrl: string;
  /**
   * First reconnection delay after a dropped socket; each further attempt doubles it, with
   * jitter, up to {@link AgentOptions.reconnectMaxDelayMs}.
   * @default 500
   */
  reconnectBaseDelayMs: number;
  /**
   * Longest wait between two reconnection attempts.
   * @default 10000
   */
  reconnectMaxDelayMs: number;
  /**
   * Reconnection attempts in a row before the session is given up as `failed`. A successful
   * rejoin resets the count.
   * @default 20
   */
  maxReconnectAttempts: number;
  /**
   * How long a socket may take to open and be welcomed (`session.welcome`) before it is dropped
   * and retried.
   * @default 10000
   */
  handshakeTimeoutMs: number;
  /**
   * How long `end()` waits for the server to confirm over the socket before it revokes the
   * session over HTTP instead.
   * @default 5000
   */
  endTimeoutMs: number;
  /**
   * How long none of the customer's tabs may be in front before `customer_focus_lost`: switching
   * between two of the site's tabs passes through a moment with neither focused.
   * @default 1000
   */
  focusLostGraceMs: number;
  /**
   * The `WebSocket` implementation. Tests inject one.
   * @default globalThis.WebSocket
   */
  WebSocket: WebSocketConstructor;
  /**
   * The `fetch` implementation. Tests inject one.
   * @default globalThis.fetch
   */
  fetch: typeof fetch;
  /**
   * Time and timers. Tests inject one.
   * @default the browser's monotonic clock
   */
  clock: Clock;
  /**
   * Random numbers in [0, 1), for reconnection jitter. Tests inject one.
   * @default Math.random
   */
  random: () => number;
}

/** What `init()` accepts: the mirror's element, and any {@link AgentOptions} to override. */
export interface AgentSettings extends Partial<AgentOptions> {
  /** The element the live mirror renders into. It must be in the document when a session joins. */
  root: HTMLElement;
}

/** {@link AgentSettings} with every default applied. */
export interface ResolvedAgentSettings extends AgentOptions {
  root: HTMLElement;
}

/**
 * The defaults. `serverUrl`, `WebSocket` and `fetch` are read from the page when settings are
 * resolved, so importing the SDK touches no browser global.
 */
export const DEFAULTS: Omit<AgentOptions, 'serverUrl' | 'WebSocket' | 'fetch'> = {
  reconnectBaseDelayMs: 500,
  reconnectMaxDelayMs: 10_000,
  maxReconnectAttempts: 20,
  handshakeTimeoutMs: 10_000,
  endTimeoutMs: 5_000,
  focusLostGraceMs: 1_000,
  clock: systemClock,
  random: Math.random,
};

function invalid(reason: string): SightlineError {
  return new SightlineError('REQUEST_INVALID', reason);
}

/** Applies {@link DEFAULTS} to `settings` and checks the result. Throws `REQUEST_INVALID` (4001). */
export function resolveSettings(settings: AgentSettings): ResolvedAgentSettings {
  const resolved: ResolvedAgentSettings = {
    ...DEFAULTS,
    serverUrl: globalThis.location?.origin ?? '',
    WebSocket: globalThis.WebSocket,
    fetch: globalThis.fetch?.bind(globalThis),
    ...definedOnly(settings),
    root: settings.root,
  };
  if (typeof settings.root?.appendChild !== 'function') throw invalid('root must be an element.');
  if (!resolved.serverUrl) throw invalid('serverUrl is required outside a web page.');
  let url: URL;
  try {
    url = new URL(resolved.serverUrl);
  } catch {
    throw invalid(`serverUrl is not a URL: ${resolved.serverUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid('serverUrl must be an http or https URL.');
  }
  resolved.serverUrl = url.origin + url.pathname.replace(/\/+$/, '');
  if (typeof resolved.WebSocket !== 'function') throw invalid('No WebSocket implementation.');
  if (typeof resolved.fetch !== 'function') throw invalid('No fetch implementation.');
  for (const key of [
    'reconnectBaseDelayMs',
    'reconnectMaxDelayMs',
    'maxReconnectAttempts',
    'handshakeTimeoutMs',
    'endTimeoutMs',
    'focusLostGraceMs',
  ] as const) {
    if (!Number.isFinite(resolved[key]) || resolved[key] < 0) {
      throw invalid(`${key} must be a non-negative number.`);
    }
  }
  return resolved;
}

/** The socket URL for a server base URL: same host, `ws:`/`wss:`, path `/ws`. */
export function socketUrlOf(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/ws`;
  return url.toString();
}

/** The socket settings of a connection for `settings`: everything but the join token and events. */
export function socketSettingsOf(settings: ResolvedAgentSettings) {
  return {
    url: socketUrlOf(settings.serverUrl),
    WebSocket: settings.WebSocket,
    clock: settings.clock,
    random: settings.random,
    reconnect: {
      baseDelayMs: settings.reconnectBaseDelayMs,
      maxDelayMs: settings.reconnectMaxDelayMs,
      maxAttempts: settings.maxReconnectAttempts,
      welcomeTimeoutMs: settings.handshakeTimeoutMs,
    },
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
