/**
 * @module
 * The public events of an agent session. They are emitted through the shared `Emitter` of
 * `@sightline/client`: a handler that throws never breaks the SDK; the error is reported (to
 * `reportError` in browsers) and the other handlers still run.
 */
import type {
  Annotation,
  AuthoredAnnotation,
  CustomerTab,
  EndReason,
  Participant,
  PointerMoved,
} from '@sightline/protocol';
import type { CommandResult, ControlInfo } from './session/control.js';
import type { ConnectionStatus } from './session/lifecycle.js';

/** Whether the mirror shows a page yet. */
export type MirrorStatus = 'empty' | 'rendered';

/** Every event an `AgentSession` emits, with its payload. */
export interface AgentEventMap {
  /** The first `session.welcome`: the agent is in. `participants` are the others present. */
  session_joined: { sessionId: string; participants: Participant[] };
  /** This agent left (`leave()`); the session goes on for the others. */
  session_left: { sessionId: string };
  /** The session is over for everyone. */
  session_ended: { reason: EndReason };
  /** The customer connected (or reconnected). */
  customer_joined: Participant;
  /** The customer's last socket closed. */
  customer_left: Participant;
  /**
   * The customer's connection dropped (a network drop or a reload) and the server holds the
   * session for it; `customer_joined` and a fresh page follow when it is back.
   */
  customer_reconnecting: { sessionId: string };
  /**
   * The customer's open tabs changed: one opened, closed, or came to the front. `focusedTabId` is
   * the tab the customer is using, which the mirror follows; undefined while none is focused.
   */
  customer_tabs: { tabs: CustomerTab[]; focusedTabId: string | undefined };
  /**
   * The customer left the site's tabs (another tab, window or app is in front) for longer than a
   * moment. The mirror keeps showing the last tab they used; `customer_tabs` says when they return.
   */
  customer_focus_lost: { sessionId: string };
  /** Another agent joined. */
  agent_joined: Participant;
  /** Another agent left. */
  agent_left: Participant;
  /** The agent's own connection changed. */
  connection_status: { status: ConnectionStatus };
  /** Something failed. `code` is from the error catalogue (Zoom's numbers where they match). */
  session_error: { code: number; errorMsg: string };
  /**
   * The customer is being asked whether this agent may see the page; nothing of it arrives
   * until `consent_allowed`. A Deny ends the session for this agent with reason `declined`.
   */
  consent_pending: { requestId: string };
  /** The customer allowed this agent (or the app pre-approves viewing): the page follows. */
  consent_allowed: { requestId: string };
  /**
   * When the session ends by itself (`timeout_max`): known at the welcome, then moved by each
   * extension the customer allows (`extended: true`). `endsAt` is ms since the epoch on this
   * agent's clock; `extensionMs` is what one more extension would add (0: it cannot be extended).
   */
  deadline_changed: {
    endsAt: number;
    remainingMs: number;
    extensionMs: number;
    extended: boolean;
  };
  /** An agent (`requestExtension()`, this one or another) asked the customer for more time. */
  extension_requested: { requestId: string; agent: Participant; extensionMs: number };
  /**
   * A question to extend the session was answered, or expired unanswered. `allowed` is followed
   * by `deadline_changed`; `denied` (3016) and `expired` (3017) carry the code and its words.
   */
  extension_decided: {
    requestId: string;
    agent: Participant;
    outcome: 'allowed' | 'denied' | 'expired';
    code?: number;
    errorMsg?: string;
  };
  /**
   * The mirror started showing a page (`rendered`), or was cleared (`empty`): when the session is
   * over, or on a rejoin to a server that does not resume. A rejoin that resumes keeps the page.
   */
  mirror_status: { status: MirrorStatus };
  /**
   * The control mode, the controller or a pending step up changed (and after each welcome). A
   * stale state (an older revision) is never reported.
   */
  control_state: ControlInfo;
  /**
   * What became of a command: this agent's (`mine`, also the promise of `command()`) or the
   * controller's. `reason` says in words why it was not done.
   */
  command_result: CommandResult;
  /**
   * The server refused a control or annotation request (3018–3025: not allowed in this mode,
   * a step up already pending, declined, no manager's approval, …). The session goes on.
   */
  control_error: { code: number; errorMsg: string };
  /** An annotation was drawn, by someone else or (`local`) by this agent. */
  annotation_drawn: { annotation: Annotation; author: Participant; local: boolean };
  /** Annotations were erased (the eraser, or an undo). */
  annotation_erased: { ids: string[]; by: Participant; local: boolean };
  /** Every annotation was cleared. */
  annotation_cleared: { by: Participant; local: boolean };
  /** The customer's tab `tabId` holds these annotations now (with each snapshot it sends). */
  annotation_synced: { tabId: string; annotations: AuthoredAnnotation[] };
  /** Someone else's pointer moved on a tab, or left it (`nodeId` absent). */
  pointer_moved: Omit<PointerMoved, 'type'>;
}

/** An event name. */
export type AgentEventName = keyof AgentEventMap;

/** A handler for event `K`. */
export type AgentEventHandler<K extends AgentEventName> = (payload: AgentEventMap[K]) => void;
