/**
 * @module
 * The public customer session (Zoom Cobrowse's shape): `start`, `join`, `end`, `on`/`off`,
 * `getSessionInfo`. It owns the session's lifecycle, its stored copy for a reload, and the rule of
 * one live session per page; the live link itself (socket, stream, recorder, UI) is a
 * {@link Sharing}, created when the session connects and disposed when it ends.
 */
import { Emitter, reportHandlerError, systemClock, type Clock } from '@sightline/client';
import { SightlineError, type EndReason } from '@sightline/protocol';
import { Disposables } from '../disposables.js';
import type { AgentInfo, CustomerEventMap } from '../events.js';
import type { ResolvedSettings } from '../options.js';
import { currentTabId } from '../tab-id.js';
import type { SessionEnvironment } from './environment.js';
import { Lifecycle, sessionStatusOf, type SessionStatus } from './lifecycle.js';
import {
  clearStoredSession,
  pageSessionStore,
  readStoredSession,
  saveStoredSession,
  type SessionStore,
  type StoredSession,
} from './resume-store.js';
import { Sharing } from './sharing.js';
import { errorPayloadOf, requestStart, type SessionErrorPayload } from './start-request.js';

export type { SessionEnvironment } from './environment.js';

/** What `session.start()` takes. */
export interface StartOptions {
  /** The customer's SDK JWT (`role_type: 1`), from your token server. */
  sdkToken: string;
  /** Bring-your-own PIN (needs `enable_byop: 1` in the JWT): 1–10 letters or digits. */
  customPinCode?: string;
}

/** The outcome of `session.start()`, also passed to its optional callback. */
export type StartOutcome = { success: true } | { success: false; error: SessionErrorPayload };

/** What `session.getSessionInfo()` returns. */
export interface SessionInfo {
  /** Null until the server has created the session. */
  sessionId: string | null;
  /** The PIN to read to the agent; null until the session exists. */
  pin: string | null;
  sessionStatus: SessionStatus;
  /** Agents connected now. */
  agents: AgentInfo[];
  /** This tab's id (kept across reloads of the tab). */
  tabId: string;
}

/** Sessions of this page that started and have not ended: at most one (rrweb records one per page). */
const liveSessions = new Set<CustomerSession>();

/** A customer's co-browsing session. Create it with `Sightline.init()`. */
export class CustomerSession {
  readonly #settings: ResolvedSettings | undefined;
  readonly #initError: SessionErrorPayload | undefined;
  readonly #environment: SessionEnvironment;
  readonly #clock: Clock;
  readonly #tabId: string;
  readonly #storage: SessionStore | undefined;
  /** The stored session a `join()` resumes, while `recoverable`. */
  #stored: StoredSession | undefined;
  readonly #events = new Emitter<CustomerEventMap>();
  readonly #lifecycle = new Lifecycle();
  readonly #disposables = new Disposables();
  #sessionId: string | null = null;
  #pin: string | null = null;
  /** The live link, from connecting until the end. */
  #sharing: Sharing | undefined;

  /**
   * @param settings - resolved settings, or the error that made `init` fail (then every `start`
   *   reports it).
   */
  constructor(settings: ResolvedSettings | SightlineError, environment: SessionEnvironment = {}) {
    if (settings instanceof SightlineError) {
      this.#initError = errorPayloadOf(settings);
    } else {
      this.#settings = settings;
    }
    this.#environment = environment;
    this.#clock = environment.clock ?? systemClock;
    this.#tabId = environment.tabId ?? currentTabId();
    this.#storage = 'storage' in environment ? environment.storage : pageSessionStore();
    if (this.#settings) {
      this.#stored = readStoredSession(this.#storage, this.#clock.now());
      if (this.#stored) {
        this.#lifecycle.apply('recover');
        this.#sessionId = this.#stored.sessionId;
        this.#pin = this.#stored.pin;
      }
    }
  }

  /** Adds a handler for a session event. */
  on<K extends keyof CustomerEventMap>(
    event: K,
    handler: (payload: CustomerEventMap[K]) => void,
  ): void {
    this.#events.on(event, handler);
  }

  /** Removes a handler added with {@link CustomerSession.on}. */
  off<K extends keyof CustomerEventMap>(
    event: K,
    handler: (payload: CustomerEventMap[K]) => void,
  ): void {
    this.#events.off(event, handler);
  }

  /** The session as it is now. */
  getSessionInfo(): SessionInfo {
    return {
      sessionId: this.#sessionId,
      pin: this.#pin,
      sessionStatus: sessionStatusOf(this.#lifecycle.state),
      agents: this.#sharing?.agents ?? [],
      tabId: this.#tabId,
    };
  }

  /**
   * Starts the session: asks the server for a PIN (`pincode_updated`, then `session_started`)
   * and connects. Nothing of the page is sent until an agent joins. Never rejects: failures are
   * emitted as `session_error` and returned (and passed to `callback`, Zoom style).
   */
  async start(
    options: StartOptions,
    callback?: (outcome: StartOutcome) => void,
  ): Promise<StartOutcome> {
    const outcome = await this.#start(options);
    if (callback) {
      try {
        callback(outcome);
      } catch (error) {
        reportHandlerError(error);
      }
    }
    return outcome;
  }

  /**
   * Rejoins the session this tab stored before a reload (`sessionStatus` is
   * `session_recoverable`), with the same PIN and tab: `pincode_updated`, then `session_started`,
   * and agents already allowed see the new page without being asked again. Never rejects.
   */
  async join(callback?: (outcome: StartOutcome) => void): Promise<StartOutcome> {
    const outcome = this.#join();
    if (callback) {
      try {
        callback(outcome);
      } catch (error) {
        reportHandlerError(error);
      }
    }
    return Promise.resolve(outcome);
  }

  #join(): StartOutcome {
    const stored = this.#stored;
    if (!this.#lifecycle.is('recoverable') || !stored || !this.#settings) {
      return this.#fail(
        errorPayloadOf(new SightlineError('SESSION_JOIN_FAILED', 'No session to rejoin.')),
      );
    }
    if (liveSessions.size > 0)
      return this.#fail(errorPayloadOf(new SightlineError('SESSION_COUNT_LIMIT')));
    this.#stored = undefined;
    this.#lifecycle.apply('resume');
    liveSessions.add(this);
    this.#events.emit('pincode_updated', { pincode: stored.pin });
    this.#events.emit('session_started', { sessionId: stored.sessionId });
    if (this.#lifecycle.is('waiting')) this.#connect(this.#settings, stored.resumeToken);
    return { success: true };
  }

  /**
   * Ends the session for everyone (`session_ended { reason: 'customer_ended' }`), stops
   * recording, closes the socket and removes everything the SDK attached to the page.
   */
  end(): void {
    if (this.#lifecycle.state === 'idle' || this.#lifecycle.state === 'ended') return;
    // Recoverable: no socket to tell the server; forgetting the stored session is the end here.
    // Frames on one socket arrive in order, so the server reads this before the close.
    this.#sharing?.sendEnd();
    this.#finish('customer_ended');
  }

  async #start(options: StartOptions): Promise<StartOutcome> {
    const refused = this.#refusal(options);
    if (refused) return this.#fail(refused);
    const settings = this.#settings!;
    // A new session replaces the one a reload could have rejoined.
    this.#stored = undefined;
    this.#sessionId = null;
    this.#pin = null;
    clearStoredSession(this.#storage);
    this.#lifecycle.apply('start');
    liveSessions.add(this);
    const abort = new AbortController();
    const stopRequest = this.#disposables.add(() => abort.abort());
    const result = await requestStart({
      serverUrl: settings.serverUrl,
      sdkToken: options.sdkToken,
      customPinCode: options.customPinCode,
      fetch: this.#environment.fetch ?? globalThis.fetch.bind(globalThis),
      clock: this.#clock,
      signal: abort.signal,
    });
    this.#disposables.run(stopRequest);
    if (this.#lifecycle.state !== 'starting') {
      // end() ran while the request was in flight; it already reported the end.
      return {
        success: false,
        error: errorPayloadOf(new SightlineError('SESSION_CANCELING_IN_PROGRESS')),
      };
    }
    if (!result.ok) {
      this.#lifecycle.apply('start_failed');
      liveSessions.delete(this);
      return this.#fail(result.error);
    }
    const { sessionId, pin, resumeToken, expiresAt } = result.session;
    saveStoredSession(this.#storage, { sessionId, pin, resumeToken, expiresAt });
    this.#sessionId = sessionId;
    this.#pin = pin;
    this.#lifecycle.apply('created');
    this.#events.emit('pincode_updated', { pincode: pin });
    this.#events.emit('session_started', { sessionId });
    // A handler above may have called end().
    if (this.#lifecycle.is('waiting')) this.#connect(settings, resumeToken);
    return { success: true };
  }

  /** Why `start` cannot run now, if it cannot. */
  #refusal(options: StartOptions): SessionErrorPayload | undefined {
    if (this.#initError) return this.#initError;
    if (this.#lifecycle.state === 'ended') {
      return errorPayloadOf(
        new SightlineError('SESSION_ENDED', 'Call Sightline.init() for a new session.'),
      );
    }
    if (this.#lifecycle.state !== 'idle' && this.#lifecycle.state !== 'recoverable') {
      return errorPayloadOf(new SightlineError('SESSION_CONNECTING_IN_PROGRESS'));
    }
    if (liveSessions.size > 0) {
      return errorPayloadOf(new SightlineError('SESSION_COUNT_LIMIT'));
    }
    if (typeof options?.sdkToken !== 'string' || options.sdkToken === '') {
      return errorPayloadOf(new SightlineError('TOKEN_INVALID', 'start() needs { sdkToken }.'));
    }
    if (options.customPinCode !== undefined && typeof options.customPinCode !== 'string') {
      return errorPayloadOf(new SightlineError('SESSION_PIN_INVALID_FORMAT'));
    }
    return undefined;
  }

  #fail(error: SessionErrorPayload): StartOutcome {
    this.#events.emit('session_error', error);
    return { success: false, error };
  }

  #connect(settings: ResolvedSettings, resumeToken: string): void {
    const target = {
      settings,
      environment: this.#environment,
      clock: this.#clock,
      tabId: this.#tabId,
      resumeToken,
    };
    const sharing = new Sharing(target, {
      events: this.#events,
      lifecycle: this.#lifecycle,
      finish: (reason) => this.#finish(reason),
      end: () => this.end(),
    });
    this.#sharing = sharing;
    this.#disposables.add(() => sharing.dispose());
  }

  /** Ends locally, once: undo everything, then tell the integrator. */
  #finish(reason: EndReason): void {
    if (!this.#lifecycle.apply('end')) return;
    liveSessions.delete(this);
    this.#stored = undefined;
    clearStoredSession(this.#storage);
    this.#disposables.disposeAll();
    this.#sharing = undefined;
    this.#events.emit('session_ended', { reason });
  }
}
