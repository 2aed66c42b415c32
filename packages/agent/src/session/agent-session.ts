/**
 * @module
 * `AgentSession`: the public object. It joins a session by PIN, keeps the participant list,
 * drives the mirror and turns everything that happens into the public events.
 */
import { Emitter, type CloseOutcome, type Connection } from '@sightline/client';
import {
  SightlineError,
  toSightlineError,
  type ControlMode,
  type EndReason,
  type RemoteAction,
  type SessionWelcome,
} from '@sightline/protocol';
import type { AgentEventMap, AgentEventName } from '../events.js';
import { socketSettingsOf, type ResolvedAgentSettings } from '../options.js';
import { normalizePinCode } from '../pin.js';
import type { ServerMessage } from '@sightline/client';
import { agentConnection, resumesAgents, type RelayedBatch } from '../transport/connection.js';
import { joinTokenByPin, revokeSession, type HttpContext } from '../transport/http.js';
import { Mirror } from '../viewer/mirror.js';
import type { Annotations } from './drawing.js';
import { Collaboration } from './collaboration.js';
import { isControlErrorCode, type CommandResult } from './control.js';
import { DeadlineView } from './deadline.js';
import { FinalWaiters, Lifecycle, connectionStatusOf, closeVerdict, isFinal } from './lifecycle.js';
import { optional } from './optional.js';
import { CustomerTabsView } from './customer-tabs.js';
import { Roster } from './participants.js';
import type { JoinOptions, JoinResult, SessionInfo } from './types.js';

export type { JoinOptions, JoinResult, SessionInfo } from './types.js';

type Final = 'left' | 'ended' | 'failed';

/** One agent in one session. Create it with `init()`; it joins once. */
export class AgentSession {
  readonly #settings: ResolvedAgentSettings;
  readonly #emitter = new Emitter<AgentEventMap>();
  readonly #lifecycle: Lifecycle;
  #connection: Connection | undefined;
  #mirror: Mirror | undefined;
  #http: HttpContext | undefined;
  #sessionId: string | undefined;
  readonly #roster = new Roster((participant, change) =>
    this.#emitter.emit(`${participant.role}_${change}`, { ...participant }),
  );
  #endReason: EndReason | undefined;
  #lastError: SightlineError | undefined;
  #badBatchReported = false;
  /** The server resumes agents (its welcome said 1.1 or later): a rejoin says what is shown. */
  #serverResumes = false;
  #consent: 'pending' | 'allowed' | undefined;
  /** The customer answered Deny: the close that follows ends the session as `declined`. */
  #declined = false;
  #pendingJoin:
    { resolve(result: JoinResult): void; reject(error: SightlineError): void } | undefined;
  /** The deadline and the questions to extend it (`requestExtension`). */
  readonly #deadline: DeadlineView;
  readonly #customerTabs: CustomerTabsView;
  /** Control mode, commands, annotations and pointers. */
  readonly #collaboration: Collaboration;
  readonly #finalWaiters: FinalWaiters;

  /** Use `init()`, which resolves the settings. */
  constructor(settings: ResolvedAgentSettings) {
    this.#settings = settings;
    this.#deadline = new DeadlineView(settings.clock, {
      deadline: (change) => this.#emitter.emit('deadline_changed', change),
      requested: (question) => this.#emitter.emit('extension_requested', question),
      decided: (outcome) => this.#emitter.emit('extension_decided', outcome),
    });
    this.#customerTabs = new CustomerTabsView(settings.clock, settings.focusLostGraceMs, {
      changed: (tabs, focusedTabId) => {
        if (focusedTabId !== undefined) this.#mirror?.follow(focusedTabId);
        this.#emitter.emit('customer_tabs', { tabs, focusedTabId });
      },
      focusLost: () =>
        this.#emitter.emit('customer_focus_lost', { sessionId: this.#sessionId ?? '' }),
    });
    this.#finalWaiters = new FinalWaiters(settings.clock);
    this.#collaboration = new Collaboration({
      clock: settings.clock,
      random: settings.random,
      send: (frame) => this.#lifecycle.state === 'joined' && !!this.#connection?.send(frame),
      self: () => this.#roster.self,
      emit: (event, payload) => this.#emitter.emit(event, payload),
    });
    this.#lifecycle = new Lifecycle((state) => {
      this.#emitter.emit('connection_status', { status: connectionStatusOf(state) });
    });
  }

  /**
   * Joins the session whose PIN the customer read out: exchanges the PIN for a join token
   * (`POST /api/agent/connect`), opens the socket and starts the mirror. Resolves on the first
   * `session.welcome`; rejects with a `SightlineError` (also emitted as `session_error`), e.g.
   * 1006 for an unknown PIN, 1008 for a malformed one, 2001 for a bad token.
   */
  join(options: JoinOptions): Promise<JoinResult> {
    const state = this.#lifecycle.state;
    if (state !== 'idle') {
      const error = isFinal(state)
        ? new SightlineError('REQUEST_INVALID', 'This session is over; create a new one to join.')
        : new SightlineError('SESSION_CONNECTING_IN_PROGRESS');
      return Promise.reject(error);
    }
    let pin: string;
    try {
      if (!options.sdkToken) throw new SightlineError('TOKEN_INVALID', 'sdkToken is required.');
      pin = normalizePinCode(options.pinCode ?? '');
    } catch (thrown) {
      // Input errors leave the session idle, so the same object can try again.
      const error = toSightlineError(thrown);
      this.#report(error);
      return Promise.reject(error);
    }
    const http: HttpContext = {
      serverUrl: this.#settings.serverUrl,
      sdkToken: options.sdkToken,
      fetch: this.#settings.fetch,
    };
    this.#http = http;
    const result = new Promise<JoinResult>((resolve, reject) => {
      this.#pendingJoin = { resolve, reject };
    });
    this.#lifecycle.to('connecting');
    try {
      const mirror = new Mirror(this.#settings.root, this.#settings.clock, {
        status: (status) => this.#emitter.emit('mirror_status', { status }),
      });
      this.#mirror = mirror;
      this.#collaboration.attach(mirror, () => mirror.shownTabId);
    } catch (thrown) {
      this.#fail(toSightlineError(thrown));
      return result;
    }
    const connection = agentConnection(
      {
        ...socketSettingsOf(this.#settings),
        getJoinToken: () => this.#fetchJoinToken(http, pin),
        resumeFrom: () => (this.#serverResumes ? this.#mirror?.resumeFrom : undefined),
      },
      {
        welcome: (welcome, rejoin) => this.#onWelcome(welcome, rejoin),
        message: (message) => this.#onMessage(message),
        batch: (batch) => this.#onBatch(batch),
        error: (error) => {
          if (error.errorName === 'CONSENT_DECLINED') this.#declined = true;
          if (!isControlErrorCode(error.code)) this.#report(error);
          else this.#emitter.emit('control_error', { code: error.code, errorMsg: error.message });
        },
        reconnecting: () => {
          if (this.#lifecycle.state === 'joined') this.#lifecycle.to('reconnecting');
        },
        closed: (outcome) => this.#onClosed(outcome),
      },
    );
    this.#connection = connection;
    connection.open();
    return result;
  }

  /** Leaves the session; it goes on for the customer and the other agents. */
  leave(): void {
    const state = this.#lifecycle.state;
    if (state === 'idle' || isFinal(state)) return;
    this.#finish('left', new SightlineError('SESSION_JOIN_FAILED', 'Cancelled by leave().'));
    this.#emitter.emit('session_left', { sessionId: this.#sessionId ?? '' });
  }

  /**
   * Ends the session for everyone (`session.end`; the others see reason `agent_ended`). While
   * the socket is down, or if the server does not confirm in time, it revokes the session over
   * HTTP instead (reason `revoked`). Resolves once the session is over.
   */
  async end(): Promise<void> {
    const state = this.#lifecycle.state;
    if (state === 'idle' || isFinal(state)) return;
    if (state === 'connecting') throw new SightlineError('SESSION_CONNECTING_IN_PROGRESS');
    if (state === 'joined' && this.#connection?.send({ type: 'session.end' })) {
      if (await this.#finalWaiters.wait(this.#settings.endTimeoutMs)) return;
    }
    const sessionId = this.#sessionId;
    const http = this.#http;
    if (!sessionId || !http) return;
    try {
      await revokeSession(http, sessionId);
    } catch (thrown) {
      const error = toSightlineError(thrown);
      this.#report(error);
      throw error;
    }
    if (!isFinal(this.#lifecycle.state)) this.#endWith('revoked');
  }

  /**
   * Asks the customer to let the session go on past its deadline, by the server's step (15 min
   * by default): `extension_requested`, then `extension_decided`, and on Allow `deadline_changed`.
   * Only once the customer allowed this agent to see the page (throws 3006 before). The server
   * refuses, as `session_error`, while another question is open (3014) and once the session may
   * last no longer (3015, `getSessionInfo().deadline.extensionMs` is 0). Throws 1002 while the
   * connection is down.
   */
  requestExtension(): void {
    if (this.#consent !== 'allowed') {
      throw new SightlineError('MESSAGE_NOT_ALLOWED', 'The customer has not allowed you yet.');
    }
    if (this.#lifecycle.state !== 'joined' || !this.#connection?.send({ type: 'session.extend' })) {
      throw new SightlineError('SESSION_CONNECTING_IN_PROGRESS', 'Not connected right now.');
    }
  }

  /**
   * Asks for control mode `mode` (ADR 0012): a step down applies at once, a step up asks the
   * customer (and for `full_control` a manager first). Follow `control_state`; refusals arrive
   * as `control_error`. Throws 1002 while not connected.
   */
  requestMode(mode: ControlMode): void {
    this.#collaboration.requestMode(mode);
  }

  /** As the controller, gives control to agent `userId`, once the customer allows it. */
  handOver(userId: string): void {
    this.#collaboration.handOver(userId);
  }

  /**
   * As the controller, acts on tab `tabId` (elements by rrweb node id). Resolves with its
   * result, also `command_result`. Rejects 4001 for a malformed action, 1002 while not connected.
   */
  command(tabId: string, action: RemoteAction): Promise<CommandResult> {
    return this.#collaboration.command(tabId, action);
  }

  /**
   * The annotations over the mirror, and how this agent draws: `setTool` (also `interact`, to act
   * on the page as the controller), `setStyle`, `undo`, `redo`, `clear`, `draw`, `erase`,
   * `pointer`, and `block`, why drawing is not possible now.
   */
  get annotations(): Annotations {
    return this.#collaboration.drawing;
  }

  /** Adds a handler. A handler that throws does not affect the SDK or other handlers. */
  on<K extends AgentEventName>(event: K, handler: (payload: AgentEventMap[K]) => void): void {
    this.#emitter.on(event, handler);
  }

  /** Removes a handler added with `on`. */
  off<K extends AgentEventName>(event: K, handler: (payload: AgentEventMap[K]) => void): void {
    this.#emitter.off(event, handler);
  }

  /** The session as it is now. */
  getSessionInfo(): SessionInfo {
    const viewport = this.#mirror?.viewport;
    return {
      sessionId: this.#sessionId,
      status: connectionStatusOf(this.#lifecycle.state),
      self: this.#roster.self,
      participants: this.#roster.others,
      ...(viewport ? { customerViewport: { ...viewport } } : {}),
      mirrorStatus: this.#mirror?.status ?? 'empty',
      ...(this.#endReason ? { endReason: this.#endReason } : {}),
      ...(this.#consent ? { consent: this.#consent } : {}),
      ...(this.#deadline.state ? { deadline: this.#deadline.state } : {}),
      customerTabs: this.#customerTabs.tabs,
      ...optional('focusedTabId', this.#customerTabs.focusedTabId),
      ...optional('shownTabId', this.#mirror?.shownTabId),
      ...optional('control', this.#collaboration.control),
    };
  }

  async #fetchJoinToken(http: HttpContext, pin: string): Promise<string> {
    const rejoin = this.#sessionId !== undefined && this.#roster.self !== undefined;
    const answer = await joinTokenByPin(http, pin, this.#sessionId, rejoin);
    this.#sessionId = answer.sessionId;
    return answer.joinToken;
  }

  #onWelcome(welcome: SessionWelcome, rejoin: boolean): void {
    this.#sessionId = welcome.sessionId;
    this.#badBatchReported = false;
    this.#serverResumes = resumesAgents(welcome.protocolVersion);
    try {
      // A rejoin keeps the page on screen, for every tab the server resumed.
      if (rejoin) this.#mirror?.rejoin(welcome.serverTime, welcome.resumed);
      else this.#mirror?.reset(welcome.serverTime);
    } catch (thrown) {
      this.#fail(toSightlineError(thrown));
      return;
    }
    if (welcome.deadline) this.#deadline.update(welcome.deadline);
    this.#lifecycle.to('joined');
    this.#roster.welcome(welcome, rejoin);
    if (rejoin) return;
    const result = { sessionId: welcome.sessionId, participants: this.#roster.others };
    this.#emitter.emit('session_joined', result);
    this.#pendingJoin?.resolve(result);
    this.#pendingJoin = undefined;
  }

  #onMessage(message: ServerMessage): void {
    if (this.#collaboration.receive(message)) return;
    switch (message.type) {
      case 'session.participant_joined':
        this.#roster.joined(message.participant);
        return;
      case 'session.participant_left':
        this.#roster.left(message.participant);
        return;
      case 'session.ended':
        this.#endWith(message.reason);
        return;
      case 'consent.pending':
        this.#consent = 'pending';
        this.#emitter.emit('consent_pending', { requestId: message.requestId });
        return;
      case 'consent.allowed':
        this.#consent = 'allowed';
        this.#emitter.emit('consent_allowed', { requestId: message.requestId });
        return;
      case 'customer.tabs':
        this.#customerTabs.update(message);
        return;
      case 'session.deadline':
        this.#deadline.update(message);
        return;
      case 'session.extension':
        this.#deadline.extension(message);
        return;
      // `reconnecting` is the one state that says the customer's socket dropped and the server
      // waits for it (a `participant_left` alone may be one of several tabs); the end arrives
      // as `session.ended`.
      case 'session.state':
        if (message.state === 'reconnecting') {
          this.#emitter.emit('customer_reconnecting', { sessionId: this.#sessionId ?? '' });
        }
        return;
      // Acks, snapshot requests and consent questions are customer-only, and `session.error`
      // reaches the session through the `error` callback.
      case 'dom.ack':
      case 'dom.snapshot_request':
      case 'session.error':
      case 'consent.request':
      case 'consent.viewers':
      case 'consent.settled':
      case 'control.command':
        return;
    }
  }

  #onBatch(batch: RelayedBatch): void {
    try {
      this.#mirror?.apply(batch);
    } catch (thrown) {
      const error = toSightlineError(thrown);
      if (error.errorName !== 'PROTOCOL_INVALID_MESSAGE') {
        // The sandbox check failed and the mirror is gone: there is no safe way to go on.
        this.#fail(error);
        return;
      }
      // A payload that does not decode: reported once per socket, so a customer sending garbage
      // cannot flood the handlers. Later batches still apply; rrweb skips what it cannot find.
      if (!this.#badBatchReported) this.#report(error);
      this.#badBatchReported = true;
    }
  }

  #onClosed(outcome: CloseOutcome): void {
    if (isFinal(this.#lifecycle.state)) return;
    const verdict = closeVerdict(outcome, this.#declined, this.#roster.self !== undefined);
    if ('ended' in verdict) this.#endWith(verdict.ended);
    else this.#fail(verdict.failed);
  }

  #endWith(reason: EndReason): void {
    this.#endReason = reason;
    this.#finish('ended', new SightlineError('SESSION_ENDED', `Reason: ${reason}.`));
    this.#emitter.emit('session_ended', { reason });
  }

  #fail(error: SightlineError): void {
    if (error !== this.#lastError) this.#report(error);
    this.#finish('failed', error);
  }

  /** Moves to a final state and releases everything: socket, mirror, a pending `join()`. */
  #finish(state: Final, joinError: SightlineError): void {
    this.#connection?.close();
    this.#connection = undefined;
    this.#mirror?.destroy();
    this.#customerTabs.dispose();
    this.#collaboration.dispose();
    this.#lifecycle.to(state);
    this.#pendingJoin?.reject(joinError);
    this.#pendingJoin = undefined;
    this.#finalWaiters.release();
  }

  #report(error: SightlineError): void {
    this.#lastError = error;
    this.#emitter.emit('session_error', { code: error.code, errorMsg: error.message });
  }
}
