/**
 * @module
 * The public shapes of an agent session: what `join()` takes and resolves with, and what
 * `getSessionInfo()` returns.
 */
import type { CustomerTab, EndReason, Participant } from '@sightline/protocol';
import type { MirrorStatus } from '../events.js';
import type { Size } from '../viewer/fit.js';
import type { ControlInfo } from './control.js';
import type { DeadlineState } from './deadline.js';
import type { ConnectionStatus } from './lifecycle.js';

/** What `join()` needs. */
export interface JoinOptions {
  /** The PIN the customer reads out. Spaces and dashes are ignored ("123 456", "123-456"). */
  pinCode: string;
  /** An agent SDK JWT (`role_type: 2`), or the token from a console sign-in. */
  sdkToken: string;
}

/** What `join()` resolves with: the same as the `session_joined` event. */
export interface JoinResult {
  sessionId: string;
  /** Everyone else in the session when this agent joined. */
  participants: Participant[];
}

/** A snapshot of the session, from `getSessionInfo()`. */
export interface SessionInfo {
  /** Known once the PIN has been accepted. */
  sessionId: string | undefined;
  status: ConnectionStatus;
  /** This agent, as the server knows it; known once joined. */
  self: Participant | undefined;
  /** Everyone else in the session now. */
  participants: Participant[];
  /** The customer's viewport, once a page has arrived. */
  customerViewport?: Size;
  /** Whether the mirror shows a page. */
  mirrorStatus: MirrorStatus;
  /** Why the session ended, once it has. */
  endReason?: EndReason;
  /** Whether the customer has allowed this agent to see the page; unknown before the welcome. */
  consent?: 'pending' | 'allowed';
  /** When the session ends by itself, and whether it may be extended; known from the welcome. */
  deadline?: DeadlineState;
  /** The customer's open tabs, oldest first. */
  customerTabs: CustomerTab[];
  /** The tab the customer is using, if any; the mirror follows it. */
  focusedTabId?: string;
  /** The tab the mirror shows, once a page has arrived. */
  shownTabId?: string;
  /** The control mode and who holds it, once the server said (`control_state`). */
  control?: ControlInfo;
}
