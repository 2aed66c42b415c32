/**
 * @module
 * The public customer session (Zoom Cobrowse's shape): `start`, `end`, `on`/`off`,
 * `getSessionInfo`. It wires the parts together: the start request, the connection, the page
 * stream and the recorder, and turns server frames into Zoom-named events.
 *
 * Privacy ordering: consent first. Each agent's `consent.request` is shown in the SDK's own prompt
 * (`../ui/`); the server relays nothing to an agent, and asks for no snapshot, before Allow. The
 * recorder starts only on `dom.snapshot_request` (sent once an agent is allowed) and stops when no
 * allowed agent is left, so nothing of the page is serialised while nobody may watch.
 */
import {
  Emitter,
  reportHandlerError,
  systemClock,
  type Clock,
  type Connection,
  type ServerMessage,
  type WebSocketConstructor,
} from '@sightline/client';
import {
  SightlineError,
  type ConsentRequest,
  type EndReason,
  type Participant,
  type SessionWelcome,
} from '@sightline/protocol';
import { Disposables } from '../disposables.js';
import type { AgentInfo, CustomerEventMap } from '../events.js';
import type { ResolvedSettings } from '../options.js';
import { compileMaskPolicy } from '../privacy/masking.js';
import { Recorder } from '../capture/recorder.js';
import { DomUplink } from '../capture/uplink.js';
import { customerConnection, type ReconnectOptions } from '../transport/connection.js';
import { currentTabId } from '../tab-id.js';
import { SharingUi } from '../ui/sharing-ui.js';
import { Lifecycle, sessionStatusOf, type SessionStatus } from './lifecycle.js';
import {
  clearStoredSession,
  pageSessionStore,
  readStoredSession,
  saveStoredSession,
  type SessionStore,
  type StoredSession,
} from './resume-store.js';
import { errorPayloadOf, requestStart, type SessionErrorPayload } from './start-request.js';

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
  /** Where the session is kept for a reload of the tab. @default globalThis.sessionStorage */
  storage?: SessionStore;
}

/** Sessions of this page that started and have not ended: at most one (rrweb records one per page). */
const liveSessions = new Set<CustomerSession>();

function agentOf(participant: Participant): AgentInfo {
  return { userId: participant.userId, userName: participant.userName };
}

/** Error for a socket the server closed for good without saying why in a frame first. */
function closeError(code: number): SightlineError {
  return new SightlineError('SESSION_JOIN_FAILED', `The server closed the connection (${code}).`);
}

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
  readonly #agents = new Map<string, AgentInfo>();
  /** Agents the customer allowed (or the app pre-approved) that are still here: the banner. */
  #viewers = new Map<string, AgentInfo>();
  #ui: SharingUi | undefined;
  #sessionId: string | null = null;
  #pin: string | null = null;
  #connection: Connection | undefined;
  #uplink: DomUplink | undefined;
  #recorder: Recorder | undefined;
  /** Set when the server reported an error on the socket, so its close is not reported twice. */
  #serverReportedError = false;

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
      agents: [...this.#agents.values()],
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
    this.#connection?.send({ type: 'session.end' });
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
    const recorder = new Recorder({
      policy: compileMaskPolicy(settings.piiMask),
      emit: (event) => uplink.push(event),
      onError: () =>
        this.#events.emit(
          'session_error',
          errorPayloadOf(new SightlineError('UNDEFINED', 'Page capture failed.')),
        ),
    });
    const uplink = new DomUplink({
      tabId: this.#tabId,
      clock: this.#clock,
      send: (frame) => connection.send(frame),
      onSnapshotNeeded: () => recorder.snapshot(),
      onError: (error) => this.#events.emit('session_error', errorPayloadOf(error)),
    });
    const connection = customerConnection(
      {
        // The injected WebSocket and reconnect tuning pass through.
        ...this.#environment,
        url: settings.wsUrl,
        resumeToken,
        tabId: this.#tabId,
        clock: this.#clock,
      },
      {
        welcome: (welcome) => this.#welcomed(welcome),
        message: (message) => this.#received(message),
        reconnecting: ({ attempt }) => {
          uplink.disconnected();
          this.#lifecycle.apply('socket_lost');
          this.#events.emit('session_reconnecting', { attempt });
        },
        closed: ({ code, gaveUp }) => this.#closed(code, gaveUp),
      },
    );
    this.#recorder = recorder;
    this.#uplink = uplink;
    this.#connection = connection;
    const doc = this.#environment.document ?? globalThis.document;
    if (doc) {
      const ui = new SharingUi(
        doc,
        {
          agentLabel: settings.agentLabel,
          allInputsMasked: settings.piiMask.maskType === 'all_input',
        },
        {
          answer: (request, decision) => this.#answer(request, decision),
          stop: () => this.end(),
        },
      );
      this.#ui = ui;
      this.#disposables.add(() => ui.dispose());
    }
    // Newest first on end(): recorder, then stream, then socket.
    this.#disposables.add(() => connection.close());
    this.#disposables.add(() => uplink.dispose());
    this.#disposables.add(() => recorder.stop());
    connection.open();
  }

  #welcomed(welcome: SessionWelcome): void {
    this.#serverReportedError = false;
    this.#uplink?.connected(welcome);
    const present = new Map(
      welcome.participants
        .filter((participant) => participant.role === 'agent')
        .map((participant) => [participant.userId, agentOf(participant)]),
    );
    for (const [userId, agent] of this.#agents) {
      if (!present.has(userId)) this.#agentLeft(agent);
    }
    for (const [userId, agent] of present) {
      if (!this.#agents.has(userId)) this.#agentJoined(agent);
    }
    // Whoever left while the socket was down no longer sees the page; the server re-sends the
    // viewers who are still here right after the welcome.
    this.#showViewers([...this.#viewers.values()].filter((v) => present.has(v.userId)));
    this.#lifecycle.apply(this.#agents.size > 0 ? 'agent_present' : 'no_agent');
  }

  #received(message: ServerMessage): void {
    switch (message.type) {
      case 'session.participant_joined':
        if (message.participant.role === 'agent') this.#agentJoined(agentOf(message.participant));
        return;
      case 'session.participant_left':
        if (message.participant.role === 'agent') this.#agentLeft(agentOf(message.participant));
        return;
      case 'consent.request':
        this.#ui?.ask(message);
        this.#events.emit('consent_requested', { agent: agentOf(message.agent) });
        return;
      case 'consent.viewers':
        this.#showViewers(message.agents.map(agentOf));
        return;
      // Presence and `session.ended` carry what the customer side acts on; `consent.pending`
      // and `consent.allowed` are for agents.
      case 'session.state':
      case 'consent.pending':
      case 'consent.allowed':
        return;
      case 'session.ended':
        this.#finish(message.reason);
        return;
      case 'session.error':
        this.#serverReportedError = true;
        this.#events.emit('session_error', { code: message.code, errorMsg: message.message });
        return;
      case 'dom.ack':
        this.#uplink?.acked(message);
        return;
      case 'dom.snapshot_request': {
        if (message.tabId !== undefined && message.tabId !== this.#tabId) return;
        // Only an agent joining starts capture; a checkout refresh only renews a running one.
        const recorder = this.#recorder;
        if (message.reason === 'agent_joined' || recorder?.recording) recorder?.snapshot();
        return;
      }
    }
  }

  #agentJoined(agent: AgentInfo): void {
    if (this.#agents.has(agent.userId)) return;
    this.#agents.set(agent.userId, agent);
    this.#lifecycle.apply('agent_present');
    this.#events.emit('agent_joined', agent);
  }

  #agentLeft(agent: AgentInfo): void {
    if (!this.#agents.delete(agent.userId)) return;
    this.#ui?.cancel(agent.userId);
    if (this.#viewers.has(agent.userId)) {
      this.#showViewers([...this.#viewers.values()].filter((v) => v.userId !== agent.userId));
    }
    if (this.#agents.size === 0) this.#lifecycle.apply('no_agent');
    this.#events.emit('agent_left', agent);
  }

  /** The agents allowed to see the page changed: the banner follows, and capture stops at none. */
  #showViewers(viewers: AgentInfo[]): void {
    const before = [...this.#viewers.keys()].join('\n');
    this.#viewers = new Map(viewers.map((viewer) => [viewer.userId, viewer]));
    if ([...this.#viewers.keys()].join('\n') !== before) {
      this.#events.emit('viewers_changed', { agents: [...viewers] });
    }
    this.#ui?.showViewers(viewers.map((viewer) => viewer.userName));
    if (viewers.length === 0 && this.#recorder?.recording) {
      // Nobody may watch: send what was captured while someone could, then capture nothing more.
      this.#uplink?.flush();
      this.#recorder.stop();
    }
  }

  #answer(request: ConsentRequest, decision: 'allow' | 'deny'): void {
    this.#connection?.send({ type: 'consent.response', requestId: request.requestId, decision });
    this.#events.emit('consent_decided', { agent: agentOf(request.agent), decision });
  }

  #closed(code: number, gaveUp: boolean): void {
    if (gaveUp) {
      this.#events.emit('session_error', errorPayloadOf(new SightlineError('NETWORK_ERROR')));
    } else if (!this.#serverReportedError && code !== 4999) {
      this.#events.emit('session_error', errorPayloadOf(closeError(code)));
    }
    this.#finish('error');
  }

  /** Ends locally, once: undo everything, then tell the integrator. */
  #finish(reason: EndReason): void {
    if (!this.#lifecycle.apply('end')) return;
    liveSessions.delete(this);
    this.#stored = undefined;
    clearStoredSession(this.#storage);
    this.#disposables.disposeAll();
    this.#connection = undefined;
    this.#uplink = undefined;
    this.#recorder = undefined;
    this.#agents.clear();
    this.#viewers.clear();
    this.#ui = undefined;
    this.#events.emit('session_ended', { reason });
  }
}
