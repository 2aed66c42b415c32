/**
 * @module
 * The customer session's lifecycle as an explicit state table. Every change of state goes through
 * {@link Lifecycle.apply}; an event a state does not list is refused, so impossible sequences
 * (an agent joining an ended session, a second start) cannot corrupt the session.
 *
 * ```
 * idle ──start──▶ starting ──created──▶ waiting ⇄ sharing
 *  │▲               │                   ▲  │  ▲      │
 *  │└─start_failed──┘                   │  │  │      ▼ socket_lost
 *  │recover                        resume│ socket_lost
 *  ▼                                    │  ▼  │
 * recoverable ──────────────────────────┘  reconnecting ─┘ (welcome: waiting or sharing)
 * any state but ended ──end──▶ ended; recoverable ──start──▶ starting (a new session);
 * recoverable ──forget──▶ idle (another tab ended the shared session)
 * ```
 */
import { StateMachine } from '@sightline/client';

/** Internal states. `waiting`: PIN issued, no agent. `sharing`: at least one agent connected. */
export type LifecycleState =
  'idle' | 'recoverable' | 'starting' | 'waiting' | 'sharing' | 'reconnecting' | 'ended';

/** What can happen to a session. */
export type LifecycleEvent =
  | 'start'
  | 'recover'
  | 'resume'
  | 'forget'
  | 'start_failed'
  | 'created'
  | 'agent_present'
  | 'no_agent'
  | 'socket_lost'
  | 'end';

/** The public `sessionStatus` of `getSessionInfo()`. */
export type SessionStatus =
  | 'session_not_started'
  | 'session_recoverable'
  | 'session_starting'
  | 'session_waiting'
  | 'session_in_progress'
  | 'session_reconnecting'
  | 'session_ended';

const ENDABLE = { end: 'ended' } as const;

/** Every allowed transition: state → event → next state. */
export const TRANSITIONS: Readonly<
  Record<LifecycleState, Readonly<Partial<Record<LifecycleEvent, LifecycleState>>>>
> = {
  idle: { start: 'starting', recover: 'recoverable', ...ENDABLE },
  /** This tab stored an unexpired session (a reload): `join()` resumes it, `start()` replaces it. */
  recoverable: { resume: 'waiting', start: 'starting', forget: 'idle', ...ENDABLE },
  starting: { created: 'waiting', start_failed: 'idle', ...ENDABLE },
  waiting: {
    agent_present: 'sharing',
    no_agent: 'waiting',
    socket_lost: 'reconnecting',
    ...ENDABLE,
  },
  sharing: {
    agent_present: 'sharing',
    no_agent: 'waiting',
    socket_lost: 'reconnecting',
    ...ENDABLE,
  },
  reconnecting: {
    agent_present: 'sharing',
    no_agent: 'waiting',
    socket_lost: 'reconnecting',
    ...ENDABLE,
  },
  ended: {},
};

/** The public status of a state. */
export function sessionStatusOf(state: LifecycleState): SessionStatus {
  switch (state) {
    case 'idle':
      return 'session_not_started';
    case 'recoverable':
      return 'session_recoverable';
    case 'starting':
      return 'session_starting';
    case 'waiting':
      return 'session_waiting';
    case 'sharing':
      return 'session_in_progress';
    case 'reconnecting':
      return 'session_reconnecting';
    case 'ended':
      return 'session_ended';
  }
}

/** The current state and its transitions: {@link TRANSITIONS} held by the shared state machine. */
export class Lifecycle extends StateMachine<LifecycleState, LifecycleEvent> {
  /** @param onChange - called after every transition that changes the state. */
  constructor(onChange?: (next: LifecycleState, previous: LifecycleState) => void) {
    super('idle', (state, event) => TRANSITIONS[state][event], onChange);
  }

  /** Whether the current state is `state` (a method, so callers re-read it after callbacks). */
  is(state: LifecycleState): boolean {
    return this.state === state;
  }

  /** Whether `event` is allowed now. */
  can(event: LifecycleEvent): boolean {
    return TRANSITIONS[this.state][event] !== undefined;
  }
}
