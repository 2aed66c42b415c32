/**
 * @module
 * The session lifecycle as data: states, events, the transition table, which end reasons each
 * state allows, and the timed transitions. Pure: the runtime that applies it against the store and
 * the clock is `session-lifecycle.ts`.
 *
 * ```
 * created → waiting → pending_consent → active ⇄ reconnecting
 *    └─────────┴──────────────┴────────────┴──────────┴──→ ended(reason)
 * ```
 *
 * A session is `created` until its customer claims it: at once when the customer starts it, or,
 * when an agent invited the customer, once the link is opened (`issue_pin`). Agents may wait in a
 * `created` session; nobody is asked anything until the customer is there, and a link nobody
 * opens ends the session when it expires (`timeout_waiting`).
 *
 * The first agent admitted to a waiting session moves it to `pending_consent`; the customer's
 * Allow (or the app's `pre_approved` policy) moves it to `active`, a Deny of the only pending agent
 * ends it (`declined`), and that agent leaving unanswered takes it back to `waiting`. Later agents
 * are asked one by one without changing the session's state (`consent.ts`).
 */
import type { EndReason, SessionState } from '@sightline/protocol';

/** Everything that can happen to a session. */
export type SessionEvent =
  /** The customer claimed the session (started it, or opened its invitation); the PIN is shown. */
  | { type: 'issue_pin' }
  /** The first agent was admitted and the customer is being asked to let it see the page. */
  | { type: 'request_consent' }
  /** The customer allowed an agent (or the app's policy pre-approved viewing). */
  | { type: 'consent_granted' }
  /** The only agent waiting for consent left before the customer answered. */
  | { type: 'request_withdrawn' }
  /** The customer's last socket closed while the session was active. */
  | { type: 'customer_dropped' }
  /** The customer is back within the reconnect window. */
  | { type: 'customer_returned' }
  /** The session is over, for the reason given. */
  | { type: 'end'; reason: EndReason };

/** The name of a {@link SessionEvent}. */
export type SessionEventType = SessionEvent['type'];

/** Every state but `ended`. */
export type LiveState = Exclude<SessionState, 'ended'>;

type TransitionTable = {
  readonly [S in SessionState]: { readonly [E in SessionEventType]: SessionState | null };
};

/**
 * The transition table. `null` marks a forbidden transition: applying it is refused, never
 * silently ignored. Every cell is spelled out so a new state or event cannot be left undecided.
 */
export const TRANSITIONS: TransitionTable = {
  created: {
    issue_pin: 'waiting',
    request_consent: null,
    consent_granted: null,
    request_withdrawn: null,
    customer_dropped: null,
    customer_returned: null,
    end: 'ended',
  },
  waiting: {
    issue_pin: null,
    request_consent: 'pending_consent',
    consent_granted: null,
    request_withdrawn: null,
    customer_dropped: null,
    customer_returned: null,
    end: 'ended',
  },
  pending_consent: {
    issue_pin: null,
    request_consent: null,
    consent_granted: 'active',
    request_withdrawn: 'waiting',
    customer_dropped: null,
    customer_returned: null,
    end: 'ended',
  },
  active: {
    issue_pin: null,
    request_consent: null,
    consent_granted: null,
    request_withdrawn: null,
    customer_dropped: 'reconnecting',
    customer_returned: null,
    end: 'ended',
  },
  reconnecting: {
    issue_pin: null,
    request_consent: null,
    consent_granted: null,
    request_withdrawn: null,
    customer_dropped: null,
    customer_returned: 'active',
    end: 'ended',
  },
  ended: {
    issue_pin: null,
    request_consent: null,
    consent_granted: null,
    request_withdrawn: null,
    customer_dropped: null,
    customer_returned: null,
    end: null,
  },
};

/** Reasons any live session may end for. */
const ALWAYS: readonly EndReason[] = [
  'customer_ended',
  'agent_ended',
  'revoked',
  'timeout_max',
  'error',
];

/**
 * The end reasons each live state allows. A timeout belongs to the state it times: a session that
 * is no longer waiting cannot end with `timeout_waiting`, even if a stale timer fires late.
 */
export const END_REASONS: { readonly [S in LiveState]: readonly EndReason[] } = {
  created: [...ALWAYS, 'timeout_waiting'],
  waiting: [...ALWAYS, 'timeout_waiting'],
  pending_consent: [...ALWAYS, 'declined'],
  active: [...ALWAYS, 'timeout_idle'],
  reconnecting: [...ALWAYS, 'timeout_reconnect'],
};

/**
 * The state `event` leads to from `state`, or `undefined` when the table forbids it (including
 * an `end` with a reason the state does not allow).
 */
export function nextState(state: SessionState, event: SessionEvent): SessionState | undefined {
  const target = TRANSITIONS[state][event.type];
  if (target === null) return undefined;
  if (event.type === 'end' && state !== 'ended' && !END_REASONS[state].includes(event.reason)) {
    return undefined;
  }
  return target;
}

/** How long each state may last before a timed transition fires. */
export interface StateTimeouts {
  /**
   * `created` → `ended(timeout_waiting)`: how long a session waits for its customer to claim it,
   * which is an invitation's lifetime (a customer's own start leaves `created` at once).
   */
  inviteMs: number;
  /** `waiting` → `ended(timeout_waiting)`. */
  waitingMs: number;
  /** `reconnecting` → `ended(timeout_reconnect)`. */
  reconnectMs: number;
  /**
   * `active` → `ended(timeout_idle)`, counted from the later of entering `active` and the
   * customer's last activity (see {@link TimedTransition.restartsOnActivity}).
   */
  idleMs: number;
}

/** A transition that fires by itself after `afterMs` in a state, unless the state changed first. */
export interface TimedTransition {
  afterMs: number;
  event: SessionEvent;
  /**
   * Whether the customer's activity restarts the countdown. The runtime does not re-arm a timer
   * per batch: it records the time of the last activity, and the one timer, when it fires early,
   * re-arms itself for what is left.
   */
  restartsOnActivity: boolean;
}

/**
 * The timed transitions of `state`. The absolute deadline (`timeout_max` at `expiresAt`) applies
 * to every live state and is armed separately, since it does not restart on each transition.
 */
export function timedTransitionOf(
  state: SessionState,
  timeouts: StateTimeouts,
): TimedTransition | undefined {
  switch (state) {
    case 'created':
      return {
        afterMs: timeouts.inviteMs,
        event: { type: 'end', reason: 'timeout_waiting' },
        restartsOnActivity: false,
      };
    case 'waiting':
      return {
        afterMs: timeouts.waitingMs,
        event: { type: 'end', reason: 'timeout_waiting' },
        restartsOnActivity: false,
      };
    case 'reconnecting':
      return {
        afterMs: timeouts.reconnectMs,
        event: { type: 'end', reason: 'timeout_reconnect' },
        restartsOnActivity: false,
      };
    case 'active':
      return {
        afterMs: timeouts.idleMs,
        event: { type: 'end', reason: 'timeout_idle' },
        restartsOnActivity: true,
      };
    // `pending_consent` has no timed transition of its own: each consent question times out
    // by itself (`consent.ts`), and the session follows the questions.
    case 'pending_consent':
    case 'ended':
      return undefined;
  }
}

/** What `GET /api/session/list?status=` filters on. */
export type ListStatus = 'live' | 'ended';

/** Maps a state to its public list status. Exhaustive: a new state must be placed here. */
export function listStatusOf(state: SessionState): ListStatus {
  switch (state) {
    case 'created':
    case 'waiting':
    case 'pending_consent':
    case 'active':
    case 'reconnecting':
      return 'live';
    case 'ended':
      return 'ended';
  }
}

/** Whether a session in `state` can still be joined, resumed or ended. */
export function isLive(state: SessionState): state is LiveState {
  return listStatusOf(state) === 'live';
}

/**
 * How a session may go on past its deadline (`timeout_max`): an allowed agent asks, the customer
 * allows, and the deadline moves by one step. Extensions never stack beyond `maxTotalMs` in all,
 * counted from the session's first deadline, whatever moved it.
 */
export interface ExtensionPolicy {
  /** What one extension adds, in ms. */
  stepMs: number;
  /** The most all of a session's extensions may add together, in ms; 0 turns extending off. */
  maxTotalMs: number;
}

/**
 * How much one more extension would add to a session whose extensions already added
 * `extendedMs`: the step, or what is left of the total when that is less; 0 when nothing is.
 */
export function nextExtensionMs(extendedMs: number, policy: ExtensionPolicy): number {
  return Math.max(0, Math.min(policy.stepMs, policy.maxTotalMs - extendedMs));
}

/**
 * Whether an agent may ask to extend a session in `state`: only once someone watches, which is
 * `active` or, while the customer is away, `reconnecting` (the question waits for their return).
 * Exhaustive: a new state must be placed here.
 */
export function isExtendable(state: SessionState): boolean {
  switch (state) {
    case 'active':
    case 'reconnecting':
      return true;
    case 'created':
    case 'waiting':
    case 'pending_consent':
    case 'ended':
      return false;
  }
}
