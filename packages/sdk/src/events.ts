/**
 * @module
 * The public events of a customer session (Zoom Cobrowse's names). They are emitted through the
 * shared `Emitter` of `@sightline/client`, which isolates a throwing handler.
 */
import type { ConsentKind, ControlMode, EndReason } from '@sightline/protocol';

/** An agent as the customer sees them. */
export interface AgentInfo {
  userId: string;
  userName: string;
}

/** Every event a {@link CustomerSession} emits, with its payload. */
export interface CustomerEventMap {
  /** The PIN to read to the agent. Emitted once the server has created the session. */
  pincode_updated: { pincode: string };
  /** The session exists and waits for an agent. */
  session_started: { sessionId: string };
  /** An agent joined the session. */
  agent_joined: AgentInfo;
  /** An agent left the session. */
  agent_left: AgentInfo;
  /**
   * An agent asks to see the page (`kind: 'view'`; nothing is sent until Allow), to extend the
   * session by `extensionMs` (`kind: 'extend'`), or to step up to the control mode `mode`
   * (`kind: 'control'`); the SDK shows its consent prompt.
   */
  consent_requested: {
    agent: AgentInfo;
    kind: ConsentKind;
    extensionMs?: number;
    mode?: ControlMode;
  };
  /** The customer answered an agent's request in the prompt. */
  consent_decided: { agent: AgentInfo; decision: 'allow' | 'deny'; kind: ConsentKind };
  /**
   * When the session ends by itself changed: known at the first connection, then moved by an
   * extension the customer allowed (`extended: true`). `endsAt` is ms since the epoch on this
   * browser's clock (mapped from the server's, so a wrong local clock does not move it).
   */
  deadline_changed: { endsAt: number; remainingMs: number; extended: boolean };
  /**
   * The agents allowed to see the page changed (the customer's Allow, an agent leaving, or the
   * server's list after a reconnect or a reload).
   */
  viewers_changed: { agents: AgentInfo[] };
  /**
   * The session's control mode or its controller changed: a step up the customer allowed, a step
   * down (the banner's Stop control or Guide only, or an agent's), a handover, or the controller
   * leaving. `controller` acts in `controlled` and `full_control`; null otherwise.
   */
  control_mode_changed: {
    mode: ControlMode;
    previous: ControlMode;
    controller: AgentInfo | null;
  };
  /** Zoom's: an agent may now act on the page (`controlled` or `full_control` began). */
  remote_assist_started: { agent: AgentInfo; mode: ControlMode };
  /** Zoom's: agents may no longer act on the page (the mode fell to `guided` or `view_only`). */
  remote_assist_stopped: { mode: ControlMode };
  /** The connection dropped; the SDK is reconnecting and will resend anything unacknowledged. */
  session_reconnecting: { attempt: number };
  /** The session is over, for the reason given. Emitted once. */
  session_ended: { reason: EndReason };
  /** Something failed. `code` is from the error catalogue (`docs/errors.md`). */
  session_error: { code: number; errorMsg: string };
}

/** The name of a customer session event. */
export type CustomerEventName = keyof CustomerEventMap;
