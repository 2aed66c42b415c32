/**
 * @module
 * Internal: one session's live link to the server, from the first connection to the end. It wires
 * the parts together (the connection, the page stream, the recorder and the SDK's own UI), keeps
 * the agents present and the agents allowed to watch, and turns server frames into Zoom-named
 * events. `customer-session.ts` owns the public surface and creates one of these per session.
 *
 * Privacy ordering: consent first. Each agent's `consent.request` is shown in the SDK's own prompt
 * (`../ui/`); the server relays nothing to an agent, and asks for no snapshot, before Allow. The
 * recorder starts only on `dom.snapshot_request` (sent once an agent is allowed) and stops when no
 * allowed agent is left, so nothing of the page is serialised while nobody may watch. The app's
 * server-managed mask rules are fetched as the session connects, and capture waits for them
 * (`../privacy/server-rules.ts`): every snapshot goes through {@link Sharing.#rules}.
 *
 * Control and annotations (ADR 0012) have their own links: `control-link.ts` (the mode, the
 * banner's control buttons, and every `control.command` through the pipeline in `../control/`)
 * and `annotation-link.ts` (the overlay). Both name elements by the recorder's rrweb node ids.
 */
import type { Clock, Connection, Emitter, ServerMessage } from '@sightline/client';
import {
  SightlineError,
  type ConsentRequest,
  type EndReason,
  type Participant,
  type SessionWelcome,
} from '@sightline/protocol';
import { Recorder } from '../capture/recorder.js';
import { DomUplink } from '../capture/uplink.js';
import { Disposables } from '../disposables.js';
import type { AgentInfo, CustomerEventMap } from '../events.js';
import type { ResolvedSettings } from '../options.js';
import { compileMaskPolicy, withExtraRules, type MaskPolicy } from '../privacy/masking.js';
import { mergeServerDetection } from '../privacy/pii/redact.js';
import { RuleGate, fetchPageRules } from '../privacy/server-rules.js';
import { CustomerOverlay } from '../overlay/index.js';
import { TabActivityWatcher } from '../tabs/activity.js';
import { customerConnection } from '../transport/connection.js';
import { SharingUi } from '../ui/sharing-ui.js';
import { AnnotationLink } from './annotation-link.js';
import { ControlLink } from './control-link.js';
import type { SessionEnvironment } from './environment.js';
import { pageNodes } from './page-nodes.js';
import type { Lifecycle } from './lifecycle.js';
import { DeadlineTracker } from './deadline.js';
import { errorPayloadOf } from './start-request.js';

/** What a {@link Sharing} reports back to the session that owns it. */
export interface SharingHost {
  readonly events: Emitter<CustomerEventMap>;
  readonly lifecycle: Lifecycle;
  /** The session is over (the server said so, or the socket closed for good). */
  finish(reason: EndReason): void;
  /** The customer pressed Stop in the banner. */
  end(): void;
}

/** Where and as whom this tab connects. */
export interface SharingTarget {
  settings: ResolvedSettings;
  environment: SessionEnvironment;
  clock: Clock;
  tabId: string;
  resumeToken: string;
}

function agentOf(participant: Participant): AgentInfo {
  return { userId: participant.userId, userName: participant.userName };
}

/** Error for a socket the server closed for good without saying why in a frame first. */
function closeError(code: number): SightlineError {
  return new SightlineError('SESSION_JOIN_FAILED', `The server closed the connection (${code}).`);
}

/** One session's connection, stream, recorder and UI. Opens on construction; `dispose` undoes it. */
export class Sharing {
  readonly #host: SharingHost;
  readonly #tabId: string;
  readonly #disposables = new Disposables();
  readonly #agents = new Map<string, AgentInfo>();
  /** Agents the customer allowed (or the app pre-approved) that are still here: the banner. */
  #viewers = new Map<string, AgentInfo>();
  readonly #connection: Connection;
  readonly #uplink: DomUplink;
  readonly #recorder: Recorder;
  /** Holds capture until the server rules are in, and gives the recorder the policy with them. */
  readonly #rules: RuleGate<MaskPolicy>;
  readonly #ui: SharingUi | undefined;
  readonly #activity: TabActivityWatcher | undefined;
  readonly #control: ControlLink;
  readonly #annotations: AnnotationLink;
  /** The customer as the server knows them, from the welcome. */
  #self: Participant | undefined;
  /** When the session ends by itself, on this browser's clock (`deadline_changed`). */
  readonly #deadline: DeadlineTracker;
  /** Set when the server reported an error on the socket, so its close is not reported twice. */
  #serverReportedError = false;

  constructor(target: SharingTarget, host: SharingHost) {
    const { settings, environment, clock, tabId } = target;
    this.#host = host;
    this.#tabId = tabId;
    this.#deadline = new DeadlineTracker(clock, (change) => {
      this.#ui?.showDeadline(change.endsAt);
      host.events.emit('deadline_changed', change);
    });
    const rules = new RuleGate({
      base: compileMaskPolicy(settings),
      merge: withExtraRules,
      rules: fetchPageRules({
        serverUrl: settings.serverUrl,
        resumeToken: target.resumeToken,
        fetch: environment.fetch ?? globalThis.fetch.bind(globalThis),
        clock,
      }),
    });
    const recorder = new Recorder({
      // Read at every start of capture: the page's policy plus the rules for its path now.
      get policy() {
        return rules.policy();
      },
      emit: (event) => {
        if (rules.admit()) uplink.push(event);
      },
      // Read for every event: the page's switches, plus those the server rules turn on.
      piiDetection: () => mergeServerDetection(settings.piiDetection, rules.detectors()),
      onError: () =>
        host.events.emit(
          'session_error',
          errorPayloadOf(new SightlineError('UNDEFINED', 'Page capture failed.')),
        ),
    });
    const uplink = new DomUplink({
      tabId,
      clock,
      send: (frame) => connection.send(frame),
      onSnapshotNeeded: () => rules.snapshot(),
      onError: (error) => host.events.emit('session_error', errorPayloadOf(error)),
    });
    const connection = customerConnection(
      {
        // The injected WebSocket and reconnect tuning pass through.
        ...environment,
        url: settings.wsUrl,
        resumeToken: target.resumeToken,
        tabId,
        clock,
      },
      {
        welcome: (welcome) => this.#welcomed(welcome),
        message: (message) => this.#received(message),
        reconnecting: ({ attempt }) => {
          uplink.disconnected();
          host.lifecycle.apply('socket_lost');
          host.events.emit('session_reconnecting', { attempt });
        },
        closed: ({ code, gaveUp }) => this.#closed(code, gaveUp),
      },
    );
    rules.attach(recorder);
    this.#rules = rules;
    this.#recorder = recorder;
    this.#uplink = uplink;
    this.#connection = connection;
    const doc = environment.document ?? globalThis.document;
    if (doc) {
      const ui = new SharingUi(
        doc,
        {
          agentLabel: settings.agentLabel,
          allInputsMasked: settings.piiMask.maskType !== 'custom_input',
          remoteAssistTypes: settings.remoteAssist.remoteAssistTypes,
          requireStopConfirmation: settings.remoteAssist.requireStopConfirmation,
        },
        {
          answer: (request, decision) => this.#answer(request, decision),
          stop: () => host.end(),
          stepDown: (mode) => this.#control.stepDown(mode),
          withdrawGrant: () => this.#control.withdrawGrant(),
          toggleDrawing: () => this.#annotations.toggleDrawing(),
        },
        clock,
      );
      if (settings.showMaskedAreas) ui.outlineHiddenAreas(() => rules.policy());
      this.#ui = ui;
      this.#disposables.add(() => ui.dispose());
      // Which tab is in front, for agents to follow (`tab.activity`).
      const activity = new TabActivityWatcher(
        { document: doc, window: environment.window ?? doc.defaultView ?? globalThis },
        (state, changed) => {
          // Only while someone may watch: before Allow nothing but the hello and the page's control
          // settings (no page content) leaves the browser.
          if (this.#viewers.size === 0) return;
          connection.send({ type: 'tab.activity', state });
          // The tab in front is the one agents show: it sends a fresh page, which a tab back from
          // the background (its timers throttled) also needs.
          if (changed && state === 'focused' && recorder.recording) rules.snapshot();
        },
      );
      this.#activity = activity;
      this.#disposables.add(() => activity.dispose());
    }
    const nodes = pageNodes(recorder);
    this.#control = new ControlLink({
      settings,
      tabId,
      clock,
      document: doc,
      ui: this.#ui,
      events: host.events,
      policy: () => rules.policy(),
      nodeOf: nodes.nodeOf,
      send: (frame) => connection.send(frame),
    });
    this.#annotations = new AnnotationLink({
      tabId,
      allowAgentAnnotation: settings.allowAgentAnnotation,
      allowCustomerAnnotation: settings.allowCustomerAnnotation,
      createOverlay:
        doc && (() => new CustomerOverlay(doc, nodes.elementOf, { tabId, idOf: nodes.idOf })),
      mode: () => this.#control.view.mode,
      self: () => this.#self,
      send: (frame) => connection.send(frame),
      drawingChanged: (drawing) => this.#showDrawing(drawing),
    });
    this.#disposables.add(() => this.#annotations.dispose());
    this.#disposables.add(() => this.#control.dispose());
    // Newest first on dispose: recorder, then stream, then socket.
    this.#disposables.add(() => connection.close());
    this.#disposables.add(() => uplink.dispose());
    this.#disposables.add(() => recorder.stop());
    this.#disposables.add(() => rules.dispose());
    connection.open();
  }

  /** Agents connected now. */
  get agents(): AgentInfo[] {
    return [...this.#agents.values()];
  }

  /** Tells the server the customer ends the session. Frames on one socket arrive in order. */
  sendEnd(): void {
    this.#connection.send({ type: 'session.end' });
  }

  /** Stops recording, closes the socket and removes everything attached to the page. */
  dispose(): void {
    this.#disposables.disposeAll();
    this.#agents.clear();
    this.#viewers.clear();
  }

  #welcomed(welcome: SessionWelcome): void {
    this.#serverReportedError = false;
    this.#self = welcome.self;
    this.#uplink.connected(welcome);
    this.#control.welcomed();
    if (welcome.deadline) this.#deadline.update(welcome.deadline);
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
    this.#host.lifecycle.apply(this.#agents.size > 0 ? 'agent_present' : 'no_agent');
  }

  #received(message: ServerMessage): void {
    const events = this.#host.events;
    switch (message.type) {
      case 'session.participant_joined':
        if (message.participant.role === 'agent') this.#agentJoined(agentOf(message.participant));
        return;
      case 'session.participant_left':
        if (message.participant.role === 'agent') this.#agentLeft(agentOf(message.participant));
        return;
      case 'consent.request': {
        this.#ui?.ask(message);
        const { kind, extensionMs, mode } = message;
        const extension = extensionMs === undefined ? {} : { extensionMs };
        const control = mode === undefined ? {} : { mode };
        const agent = agentOf(message.agent);
        events.emit('consent_requested', { agent, kind, ...extension, ...control });
        return;
      }
      case 'control.state':
        this.#control.state(message);
        return;
      case 'control.command':
        this.#control.command(message);
        return;
      case 'annotation.drawn':
      case 'annotation.erased':
      case 'annotation.cleared':
      case 'pointer.moved':
        this.#annotations.received(message);
        return;
      case 'consent.settled':
        this.#ui?.settle(message.requestId);
        return;
      case 'session.deadline':
        this.#deadline.update(message);
        return;
      case 'consent.viewers':
        this.#showViewers(message.agents.map(agentOf));
        return;
      // Presence and `session.ended` carry what the customer side acts on; `consent.pending`,
      // `consent.allowed`, `session.extension` and `customer.tabs` are for agents.
      case 'session.state':
      case 'consent.pending':
      case 'consent.allowed':
      case 'session.extension':
      case 'customer.tabs':
      case 'control.result':
      case 'annotation.sync':
        return;
      case 'session.ended':
        this.#host.finish(message.reason);
        return;
      case 'session.error':
        this.#serverReportedError = true;
        events.emit('session_error', { code: message.code, errorMsg: message.message });
        return;
      case 'dom.ack':
        this.#uplink.acked(message);
        return;
      case 'dom.snapshot_request': {
        if (message.tabId !== undefined && message.tabId !== this.#tabId) return;
        // Only an agent joining starts capture; a checkout refresh only renews a running one.
        if (message.reason === 'agent_joined' || this.#recorder.recording) {
          this.#rules.snapshot();
          // The annotations on the tab go with its snapshot, for whoever starts from it.
          this.#annotations.snapshotRequested();
        }
        return;
      }
    }
  }

  #agentJoined(agent: AgentInfo): void {
    if (this.#agents.has(agent.userId)) return;
    this.#agents.set(agent.userId, agent);
    this.#host.lifecycle.apply('agent_present');
    this.#host.events.emit('agent_joined', agent);
  }

  #agentLeft(agent: AgentInfo): void {
    if (!this.#agents.delete(agent.userId)) return;
    this.#ui?.cancel(agent.userId);
    if (this.#viewers.has(agent.userId)) {
      this.#showViewers([...this.#viewers.values()].filter((v) => v.userId !== agent.userId));
    }
    if (this.#agents.size === 0) this.#host.lifecycle.apply('no_agent');
    this.#host.events.emit('agent_left', agent);
  }

  /** The agents allowed to see the page changed: the banner follows, and capture stops at none. */
  #showViewers(viewers: AgentInfo[]): void {
    const before = [...this.#viewers.keys()].join('\n');
    this.#viewers = new Map(viewers.map((viewer) => [viewer.userId, viewer]));
    // The server sends the viewers after every welcome: the tab's state goes with them.
    if (viewers.length > 0) this.#activity?.resend();
    if ([...this.#viewers.keys()].join('\n') !== before) {
      this.#host.events.emit('viewers_changed', { agents: [...viewers] });
    }
    this.#ui?.showViewers(viewers.map((viewer) => viewer.userName));
    if (viewers.length === 0) this.#annotations.stopDrawing();
    else this.#showDrawing(this.#annotations.drawing);
    if (viewers.length === 0 && this.#recorder.recording) {
      // Nobody may watch: send what was captured while someone could, then capture nothing more.
      this.#uplink.flush();
      this.#recorder.stop();
      this.#rules.stopped();
    }
  }

  #showDrawing(drawing: boolean): void {
    this.#ui?.showDrawing(this.#annotations.customerMayDraw, drawing);
  }

  #answer(request: ConsentRequest, decision: 'allow' | 'deny'): void {
    this.#connection.send({ type: 'consent.response', requestId: request.requestId, decision });
    const agent = agentOf(request.agent);
    this.#host.events.emit('consent_decided', { agent, decision, kind: request.kind });
  }

  #closed(code: number, gaveUp: boolean): void {
    const events = this.#host.events;
    if (gaveUp) {
      events.emit('session_error', errorPayloadOf(new SightlineError('NETWORK_ERROR')));
    } else if (!this.#serverReportedError && code !== 4999) {
      events.emit('session_error', errorPayloadOf(closeError(code)));
    }
    this.#host.finish('error');
  }
}
