/**
 * @module
 * Internal: the session's deadline and the questions to extend it, as one agent sees them. The
 * server sends the deadline with each welcome and each change (`session.deadline`), in server
 * time with the server's clock beside it; this maps it onto the agent's clock. Every agent hears
 * of every question to extend (`session.extension`): who asked, and how it ended.
 */
import type { Clock } from '@sightline/client';
import {
  SightlineError,
  errorNameOf,
  type DeadlineInfo,
  type SessionExtension,
} from '@sightline/protocol';
import type { AgentEventMap } from '../events.js';

/** Mapping and transit jitter below this is no change. */
const SAME_WITHIN_MS = 1_000;

/** Where the deadline and its extension stand, for `getSessionInfo()`. */
export interface DeadlineState {
  /** When the session ends by itself, ms since the epoch on the agent's clock. */
  endsAt: number;
  /** What one more extension would add, in ms; 0 when the session cannot be extended. */
  extensionMs: number;
  /** The question to extend the customer is being asked now, if any. */
  pendingRequestId?: string;
}

/** What the view reports. */
export interface DeadlineEvents {
  deadline(change: AgentEventMap['deadline_changed']): void;
  requested(question: AgentEventMap['extension_requested']): void;
  decided(outcome: AgentEventMap['extension_decided']): void;
}

/** Follows the deadline and the questions to extend it. */
export class DeadlineView {
  readonly #clock: Clock;
  readonly #events: DeadlineEvents;
  #state: DeadlineState | undefined;

  constructor(clock: Clock, events: DeadlineEvents) {
    this.#clock = clock;
    this.#events = events;
  }

  /** The deadline as it stands; undefined until a server says it. */
  get state(): DeadlineState | undefined {
    return this.#state && { ...this.#state };
  }

  /** The deadline as the server sent it (a welcome's, or a `session.deadline`). */
  update(info: DeadlineInfo): void {
    const now = this.#clock.now();
    const endsAt = now + (info.endsAt - info.serverTime);
    const before = this.#state;
    const moved = before === undefined || Math.abs(endsAt - before.endsAt) >= SAME_WITHIN_MS;
    if (!moved && before.extensionMs === info.extensionMs) return;
    const kept = moved ? endsAt : before.endsAt;
    this.#state = { ...before, endsAt: kept, extensionMs: info.extensionMs };
    this.#events.deadline({
      endsAt: kept,
      remainingMs: Math.max(0, kept - now),
      extensionMs: info.extensionMs,
      extended: before !== undefined && kept > before.endsAt,
    });
  }

  /** A question to extend the session moved on. */
  extension(message: SessionExtension): void {
    const { requestId, agent, outcome } = message;
    if (outcome === 'pending') {
      if (this.#state) this.#state.pendingRequestId = requestId;
      this.#events.requested({ requestId, agent, extensionMs: message.extensionMs });
      return;
    }
    if (this.#state?.pendingRequestId === requestId) delete this.#state.pendingRequestId;
    const name = message.code === undefined ? undefined : errorNameOf(message.code);
    const why = name ? { code: message.code, errorMsg: new SightlineError(name).message } : {};
    this.#events.decided({ requestId, agent, outcome, ...why });
  }
}
