/**
 * @module
 * The public customer session (Zoom Cobrowse's shape): `start`, `join`, `end`, `on`/`off`,
 * `getSessionInfo`. It owns the session's lifecycle, its stored copy for a reload, and the rule of
 * one live session per page and per site; the live link itself (socket, stream, recorder, UI) is
 * a {@link Sharing}, created when the session connects and disposed when it ends.
 *
 * One active session per browser per site (1004): a tab holding a session live says so through
 * Web Locks, and `start()` in another tab is refused while one does. With
 * `multiTabSessionPersistence`, the session is kept in `localStorage` instead of the tab's
 * `sessionStorage`: every tab of the site finds it `session_recoverable` and may `join()` it,
 * each with its own stream, and tabs tell each other when it starts or ends. Where and how is
 * `site-slot.ts`.
 *
 * A session is opened by `start()` (the customer's token) or by `acceptInvite()` (an agent's
 * invitation link, `invite.ts`); the server answers both alike, and they go on alike.
 */
import { Emitter, reportHandlerError, systemClock, type Clock } from '@sightline/client';
import { SightlineError, type EndReason } from '@sightline/protocol';
import { Disposables } from '../disposables.js';
import type { AgentInfo, CustomerEventMap } from '../events.js';
import type { ResolvedSettings } from '../options.js';
import type { TabNews } from '../tabs/channel.js';
import type { SessionEnvironment } from './environment.js';
import { Lifecycle, sessionStatusOf, type SessionStatus } from './lifecycle.js';
import type { StoredSession } from './resume-store.js';
import { SiteSlot } from './site-slot.js';
import { explainInviteFailure, inviteRefusal, newOpenerId, requestInvite } from './invite.js';
import { Sharing } from './sharing.js';
import {
  errorPayloadOf,
  requestStart,
  type SessionErrorPayload,
  type SessionRequestOptions,
  type StartResult,
} from './start-request.js';

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

/** Why `start(options)` cannot run with these options, if it cannot. */
function startRefusal(options: StartOptions): SessionErrorPayload | undefined {
  if (typeof options?.sdkToken !== 'string' || options.sdkToken === '') {
    return errorPayloadOf(new SightlineError('TOKEN_INVALID', 'start() needs { sdkToken }.'));
  }
  if (options.customPinCode !== undefined && typeof options.customPinCode !== 'string') {
    return errorPayloadOf(new SightlineError('SESSION_PIN_INVALID_FORMAT'));
  }
  return undefined;
}

/** Passes `outcome` to a Zoom-style callback, which may throw without harm, and returns it. */
function settle(outcome: StartOutcome, callback?: (outcome: StartOutcome) => void): StartOutcome {
  try {
    callback?.(outcome);
  } catch (error) {
    reportHandlerError(error);
  }
  return outcome;
}

/** Sessions of this page that started and have not ended: at most one (rrweb records one per page). */
const liveSessions = new Set<CustomerSession>();

/** A customer's co-browsing session. Create it with `Sightline.init()`. */
export class CustomerSession {
  readonly #settings: ResolvedSettings | undefined;
  readonly #initError: SessionErrorPayload | undefined;
  readonly #environment: SessionEnvironment;
  readonly #clock: Clock;
  readonly #slot: SiteSlot;
  /** The stored session a `join()` resumes, while `recoverable`. */
  #stored: StoredSession | undefined;
  readonly #events = new Emitter<CustomerEventMap>();
  readonly #lifecycle = new Lifecycle();
  readonly #disposables = new Disposables();
  #sessionId: string | null = null;
  #pin: string | null = null;
  /** Stops waiting for this tab to come to the front (see {@link CustomerSession.#followInto}). */
  #stopFollowing: (() => void) | undefined;
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
    this.#slot = new SiteSlot(this.#settings, environment, this.#clock, (news) =>
      this.#heard(news),
    );
    if (this.#settings) {
      this.#recover();
      this.#followInto();
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
      tabId: this.#slot.tabId,
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
    return settle(await this.#start(options), callback);
  }

  /**
   * Rejoins the session this tab stored before a reload (`sessionStatus` is
   * `session_recoverable`), with the same PIN and tab: `pincode_updated`, then `session_started`,
   * and agents already allowed see the new page without being asked again. Never rejects.
   */
  async join(callback?: (outcome: StartOutcome) => void): Promise<StartOutcome> {
    return settle(await this.#join(), callback);
  }

  /**
   * Joins the session an agent invited the customer to, with the invitation from the link's
   * `sightline_invite` parameter: `pincode_updated`, then `session_started`, then the consent
   * prompt for the agent waiting in it. `init` calls it by itself unless `acceptInvites` is off.
   * A link that cannot be used (3011 not valid, 3012 expired, 3013 used, 4004 its session is over)
   * is explained in the SDK's own notice, and emitted as `session_error`. Never rejects.
   */
  async acceptInvite(
    invite: string,
    callback?: (outcome: StartOutcome) => void,
  ): Promise<StartOutcome> {
    const refused = this.#refusal() ?? inviteRefusal(invite);
    const openerId = newOpenerId();
    const outcome = refused
      ? this.#fail(refused)
      : await this.#open((signal) =>
          requestInvite({ ...this.#requestOptions(signal), invite, openerId }),
        );
    if (!outcome.success) explainInviteFailure(outcome.error, this.#environment.document);
    return settle(outcome, callback);
  }

  async #join(): Promise<StartOutcome> {
    const refused = this.#joinRefusal();
    if (refused) return this.#fail(refused);
    // Another tab's live session is this one's only when the site's tabs share it.
    if (!this.#slot.multiTab && (await this.#slot.othersLive())) {
      return this.#fail(errorPayloadOf(new SightlineError('SESSION_COUNT_LIMIT')));
    }
    const stored = this.#stored;
    // Checked again: the wait let another call in.
    if (this.#joinRefusal() || !stored || !this.#settings) {
      return this.#fail(errorPayloadOf(new SightlineError('SESSION_CONNECTING_IN_PROGRESS')));
    }
    this.#stored = undefined;
    this.#lifecycle.apply('resume');
    liveSessions.add(this);
    this.#events.emit('pincode_updated', { pincode: stored.pin });
    this.#events.emit('session_started', { sessionId: stored.sessionId });
    await this.#slot.claim();
    if (this.#lifecycle.is('waiting')) this.#connect(this.#settings, stored);
    return { success: true };
  }

  #joinRefusal(): SessionErrorPayload | undefined {
    if (!this.#lifecycle.is('recoverable') || !this.#stored || !this.#settings) {
      return errorPayloadOf(new SightlineError('SESSION_JOIN_FAILED', 'No session to rejoin.'));
    }
    if (liveSessions.size > 0) return errorPayloadOf(new SightlineError('SESSION_COUNT_LIMIT'));
    return undefined;
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
    const refused = this.#refusal() ?? startRefusal(options);
    if (refused) return this.#fail(refused);
    return this.#open((signal) => requestStart({ ...this.#requestOptions(signal), ...options }));
  }

  /** How this session's requests to the server are made. */
  #requestOptions(signal: AbortSignal): SessionRequestOptions & { serverUrl: string } {
    return {
      serverUrl: this.#settings!.serverUrl,
      fetch: this.#environment.fetch ?? globalThis.fetch.bind(globalThis),
      clock: this.#clock,
      signal,
    };
  }

  /**
   * Opens a session with the server's answer to `request` (a start, or an invitation), if this
   * tab may: one active session per browser per site. The answer is kept for a reload, then the
   * socket connects.
   */
  async #open(request: (signal: AbortSignal) => Promise<StartResult>): Promise<StartOutcome> {
    const settings = this.#settings!;
    const recoverable = this.#lifecycle.is('recoverable');
    this.#lifecycle.apply('start');
    liveSessions.add(this);
    // One active session per browser per site, whatever the tab.
    const othersLive = await this.#slot.othersLive();
    if (!this.#lifecycle.is('starting')) return this.#cancelled();
    if (othersLive) {
      this.#lifecycle.apply('start_failed');
      liveSessions.delete(this);
      if (recoverable) this.#recover();
      return this.#fail(errorPayloadOf(new SightlineError('SESSION_COUNT_LIMIT')));
    }
    // A new session replaces the one a reload could have rejoined.
    this.#stored = undefined;
    this.#sessionId = null;
    this.#pin = null;
    this.#slot.forget();
    await this.#slot.claim();
    const abort = new AbortController();
    const stopRequest = this.#disposables.add(() => abort.abort());
    const result = await request(abort.signal);
    this.#disposables.run(stopRequest);
    if (!this.#lifecycle.is('starting')) return this.#cancelled();
    if (!result.ok) {
      this.#lifecycle.apply('start_failed');
      liveSessions.delete(this);
      return this.#fail(result.error);
    }
    const { sessionId, pin, resumeToken, expiresAt, reconnectWindowSeconds } = result.session;
    const stored: StoredSession = {
      sessionId,
      pin,
      resumeToken,
      expiresAt,
      activeAt: this.#clock.now(),
      ...(reconnectWindowSeconds ? { graceMs: reconnectWindowSeconds * 1000 } : {}),
    };
    this.#slot.save(stored);
    this.#sessionId = sessionId;
    this.#pin = pin;
    this.#lifecycle.apply('created');
    this.#events.emit('pincode_updated', { pincode: pin });
    this.#events.emit('session_started', { sessionId });
    // A handler above may have called end().
    if (this.#lifecycle.is('waiting')) this.#connect(settings, stored);
    return { success: true };
  }

  /** Why no session can be opened now, if none can. */
  #refusal(): SessionErrorPayload | undefined {
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
    return undefined;
  }

  /** end() ran while `start` was waiting; it already reported the end. */
  #cancelled(): StartOutcome {
    return {
      success: false,
      error: errorPayloadOf(new SightlineError('SESSION_CANCELING_IN_PROGRESS')),
    };
  }

  #fail(error: SessionErrorPayload): StartOutcome {
    this.#events.emit('session_error', error);
    return { success: false, error };
  }

  #connect(settings: ResolvedSettings, stored: StoredSession): void {
    const target = {
      settings,
      environment: this.#environment,
      clock: this.#clock,
      tabId: this.#slot.tabId,
      resumeToken: stored.resumeToken,
    };
    const sharing = new Sharing(target, {
      events: this.#events,
      lifecycle: this.#lifecycle,
      finish: (reason) => this.#finish(reason),
      end: () => this.end(),
    });
    this.#sharing = sharing;
    this.#disposables.add(() => sharing.dispose());
    // An extension moves the end: a reload in the extra time must still find the session.
    const extend = this.#slot.keepAlive(stored, this.#disposables);
    const extended = ({ endsAt }: CustomerEventMap['deadline_changed']) => extend(endsAt);
    this.#events.on('deadline_changed', extended);
    this.#disposables.add(() => this.#events.off('deadline_changed', extended));
  }

  /**
   * Takes the stored session up (or the one another tab just announced), if there is a current
   * one: `session_recoverable`.
   */
  #recover(announced?: StoredSession): void {
    const stored = announced ?? this.#slot.read();
    if (!stored || !this.#lifecycle.apply('recover')) return;
    this.#stored = stored;
    this.#sessionId = stored.sessionId;
    this.#pin = stored.pin;
  }

  /**
   * With `multiTabSessionPersistence`, the session follows the customer into the site's tabs: a
   * tab holding it recoverable joins it once the customer brings that tab to the front, whether it
   * opened after the session started or was already open. (A page that calls `join()` itself, as
   * Zoom's pattern does, simply gets there first.)
   */
  #followInto(): void {
    if (!this.#slot.multiTab || !this.#lifecycle.is('recoverable')) return;
    this.#stopFollowing?.();
    this.#stopFollowing = this.#slot.whenInFront(() => {
      this.#stopFollowing = undefined;
      if (this.#lifecycle.is('recoverable')) void this.join();
    });
  }

  /** Another tab of the site started or ended the shared session. */
  #heard(news: TabNews): void {
    if (news.type === 'started' && this.#lifecycle.is('idle')) {
      const announced = this.#slot.announced(news);
      if (!announced) return;
      this.#recover(announced);
      this.#followInto();
    }
    if (
      news.type === 'ended' &&
      this.#lifecycle.is('recoverable') &&
      this.#stored?.sessionId === news.sessionId
    ) {
      this.#lifecycle.apply('forget');
      this.#stopFollowing?.();
      this.#stopFollowing = undefined;
      this.#stored = undefined;
      this.#sessionId = null;
      this.#pin = null;
    }
  }

  /** Ends locally, once: undo everything, then tell the integrator. */
  #finish(reason: EndReason): void {
    if (!this.#lifecycle.apply('end')) return;
    liveSessions.delete(this);
    this.#stopFollowing?.();
    this.#slot.release(this.#sessionId ?? this.#stored?.sessionId, reason);
    this.#stored = undefined;
    this.#disposables.disposeAll();
    this.#sharing = undefined;
    this.#events.emit('session_ended', { reason });
  }
}
