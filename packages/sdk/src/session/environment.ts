/**
 * @module
 * The replaceable parts of a customer session's host, for tests and unusual hosts. Browsers need
 * none of them.
 */
import type { Clock, WebSocketConstructor } from '@sightline/client';
import type { TabPresence } from '../tabs/presence.js';
import type { ReconnectOptions } from '../transport/connection.js';
import type { SessionStore } from './resume-store.js';

/** Replaceable parts, for tests and unusual hosts. Browsers need none of them. */
export interface SessionEnvironment {
  /** @default globalThis.WebSocket */
  WebSocket?: WebSocketConstructor;
  /** @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** @default systemClock */
  clock?: Clock;
  /** @default the tab's id from sessionStorage */
  tabId?: string;
  /** Where the prompt and the banner go. @default globalThis.document */
  document?: Document;
  /** Reconnect tuning. @default RECONNECT_DEFAULTS */
  reconnect?: Partial<ReconnectOptions>;
  /**
   * Where the session is kept for a reload of the tab.
   * @default globalThis.sessionStorage, or localStorage with `multiTabSessionPersistence`
   */
  storage?: SessionStore;
  /** Which of the site's tabs hold a session live. @default the page's Web Locks */
  presence?: TabPresence;
  /** Where tab activity is read. @default the page's window */
  window?: EventTarget;
}
