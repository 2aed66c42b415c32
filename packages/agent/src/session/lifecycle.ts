/**
 * @module
 * The agent session's lifecycle as an explicit table of transitions, and its mapping to the
 * public `connection_status`.
 *
 * ```
 * idle ──join()──▶ connecting ──welcome──▶ joined ◀──welcome── reconnecting
 *                      │                     │  └──socket dropped──▶ │
 *                      └────────┬────────────┴───────────┬──────────┘
 *                               ▼                        ▼
 *                   left (leave()) · ended (session over) · failed (cannot continue)
 * ```
 *
 * `connecting` never goes to `reconnecting`: a first join that fails is reported at once, since
 * a wrong PIN or an unreachable server does not get better by retrying in a loop. The three end
 * states are final; join another session with a new `AgentSession`.
 */
import { StateMachine, type Clock, type CloseOutcome } from '@sightline/client';
import { CloseCode, SightlineError, type EndReason } from '@sightline/protocol';

/** Where an agent session is in its life. */
export type LifecycleState =
  'idle' | 'connecting' | 'joined' | 'reconnecting' | 'left' | 'ended' | 'failed';

/** The connection status integrators see in `connection_status` and `getSessionInfo()`. */
export type ConnectionStatus =
  'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'ended' | 'failed';

/** Every allowed transition. Anything not listed is a bug, and {@link Lifecycle.to} throws. */
export const TRANSITIONS: { readonly [S in LifecycleState]: readonly LifecycleState[] } = {
  idle: ['connecting'],
  connecting: ['joined', 'left', 'ended', 'failed'],
  joined: ['reconnecting', 'left', 'ended', 'failed'],
  reconnecting: ['joined', 'left', 'ended', 'failed'],
  left: [],
  ended: [],
  failed: [],
};

/** Every lifecycle state, in table order. */
export const LIFECYCLE_STATES = Object.keys(TRANSITIONS) as LifecycleState[];

/** Whether the table allows `from → to`. */
export function canTransition(from: LifecycleState, to: LifecycleState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Whether `state` is one of the final states. */
export function isFinal(state: LifecycleState): boolean {
  return TRANSITIONS[state].length === 0;
}

/** The public status of a lifecycle state. */
export function connectionStatusOf(state: LifecycleState): ConnectionStatus {
  switch (state) {
    case 'joined':
      return 'connected';
    case 'left':
      return 'disconnected';
    // The rest are public under their own names.
    case 'idle':
    case 'connecting':
    case 'reconnecting':
    case 'ended':
    case 'failed':
      return state;
  }
}

/** Holds the current state and enforces {@link TRANSITIONS}. */
export class Lifecycle extends StateMachine<LifecycleState, LifecycleState> {
  /** @param onChange - called after every transition, with the new and the previous state. */
  constructor(onChange?: (state: LifecycleState, previous: LifecycleState) => void) {
    super('idle', (from, to) => (canTransition(from, to) ? to : undefined), onChange);
  }

  /**
   * Moves to `next`. Throws `UNDEFINED` (9999) for a transition the table forbids: that is a bug
   * in the SDK, and carrying on from an impossible state would hide it.
   */
  to(next: LifecycleState): void {
    if (!this.apply(next)) {
      throw new SightlineError(
        'UNDEFINED',
        `Agent session cannot go from ${this.state} to ${next}.`,
      );
    }
  }
}

/**
 * What a close of the socket (after the reconnects gave up) means for a session not yet over:
 * ended (`declined`: over for this agent only, the session may go on for agents the customer
 * allowed; `error`: a bare do-not-reconnect close after a welcome, for a reason the server did
 * not say, since `session.ended` normally comes first), or failed with the error that explains it.
 */
export function closeVerdict(
  outcome: CloseOutcome,
  declined: boolean,
  welcomed: boolean,
): { ended: EndReason } | { failed: SightlineError } {
  if (declined) return { ended: 'declined' };
  if (outcome.code === CloseCode.DO_NOT_RECONNECT && welcomed) return { ended: 'error' };
  return { failed: outcome.error ?? errorOfCloseCode(outcome.code) };
}

/** The error to report for a close that came without a `session.error`. */
export function errorOfCloseCode(code: number): SightlineError {
  if (code < 4000) return new SightlineError('NETWORK_ERROR', `The connection closed (${code}).`);
  return new SightlineError('SESSION_JOIN_FAILED', `The server closed the connection (${code}).`);
}

/** Promises that the session reaches a final state within a time. */
export class FinalWaiters {
  readonly #clock: Clock;
  readonly #waiters = new Set<() => void>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Resolves true when {@link FinalWaiters.release} is called within `timeoutMs`, else false. */
  wait(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (final: boolean) => {
        this.#clock.clearTimeout(timer);
        this.#waiters.delete(onFinal);
        resolve(final);
      };
      const onFinal = () => done(true);
      const timer = this.#clock.setTimeout(() => done(false), timeoutMs);
      this.#waiters.add(onFinal);
    });
  }

  /** The session is final: resolves every waiting promise. */
  release(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
