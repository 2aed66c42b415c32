/**
 * @module
 * Internal: applies the session machine (`session-machine.ts`) against the store and the clock.
 * Every transition is a compare-and-set in the store with its audit entry; timed transitions are
 * `Clock` timers armed on entering a state and cancelled on leaving it, and the `timeout_max`
 * deadline is a timer too, which an extension re-arms (`extend`). Used by the session service and
 * the gateway; announcements go to the hub through `onTransition`.
 */
import type { SessionState } from '@sightline/protocol';
import type { Clock, Logger, SessionRecord, SessionStore, Timer } from './ports.js';
import {
  isLive,
  nextState,
  timedTransitionOf,
  type SessionEvent,
  type StateTimeouts,
  type TimedTransition,
} from './session-machine.js';

/** The actor recorded for transitions nobody asked for (timers). */
export const SYSTEM_ACTOR = 'system';

/** The audit action of a deadline moved by an extension (`SessionLifecycle.extend`). */
export const SESSION_EXTENDED = 'session_extended';

/** The result of {@link SessionLifecycle.apply}. */
export type ApplyResult =
  | { ok: true; session: SessionRecord; from: SessionState }
  /** Refused by the table, or no such session (`session` absent). */
  | { ok: false; session?: SessionRecord };

interface Dependencies {
  store: SessionStore;
  clock: Clock;
  logger: Logger;
  timeouts: StateTimeouts;
  /**
   * The session's last customer activity on any node (ms), if known: the idle timer asks before
   * it ends a session, so a node that does not hold the customer's socket never ends a session
   * that is busy on another.
   */
  sharedActivity(sessionId: string): Promise<number | undefined>;
  /** Told about every transition this node made, after it is stored. */
  onTransition: (session: SessionRecord, from: SessionState) => Promise<void>;
}

/** A compare-and-set can lose to another node; a few retries always settle a live session. */
const MAX_ATTEMPTS = 4;

/** Runs sessions through their lifecycle. One per node. */
export class SessionLifecycle {
  private readonly deadlines = new Map<string, Timer>();
  private readonly stateTimers = new Map<string, Timer>();
  /** When each session's customer was last active on this node (see {@link SessionLifecycle.touch}). */
  private readonly lastActivity = new Map<string, number>();

  constructor(private readonly deps: Dependencies) {}

  /**
   * Applies `event` to the session's current state. Forbidden transitions are refused with the
   * current record, so callers can say why (ended, wrong state). On success the timers follow the
   * new state and `onTransition` is awaited.
   */
  async apply(
    sessionId: string,
    event: SessionEvent,
    actor: string,
    reason?: string,
  ): Promise<ApplyResult> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const current = await this.deps.store.getSession(sessionId);
      if (!current) return { ok: false };
      const to = nextState(current.state, event);
      if (to === undefined) return { ok: false, session: current };
      const updated = await this.deps.store.transitionSession({
        sessionId,
        from: current.state,
        to,
        at: this.deps.clock.now(),
        endReason: event.type === 'end' ? event.reason : undefined,
        actor,
        action: event.type,
        reason: reason ?? (event.type === 'end' ? event.reason : undefined),
      });
      if (!updated) continue;
      this.arm(updated);
      await this.deps.onTransition(updated, current.state);
      return { ok: true, session: updated, from: current.state };
    }
    const latest = await this.deps.store.getSession(sessionId);
    return { ok: false, session: latest };
  }

  /**
   * Arms the session's timers for its current state: the `timeout_max` deadline (once) and the
   * state's own timed transition (replacing any earlier state's). An ended session has none.
   */
  arm(session: SessionRecord): void {
    this.stateTimers.get(session.id)?.cancel();
    this.stateTimers.delete(session.id);
    if (!isLive(session.state)) {
      this.disarm(session.id);
      return;
    }
    if (!this.deadlines.has(session.id)) this.armDeadline(session.id, session.expiresAt);
    const timed = timedTransitionOf(session.state, this.deps.timeouts);
    if (timed) this.armTimed(session.id, session.updatedAt, timed);
  }

  /**
   * Moves the session's deadline from `from` to `to` (an extension the customer allowed), with
   * its audit entry, and re-arms this node's `timeout_max` timer for it. Returns the updated
   * session, or `undefined` when the session ended or its deadline had already moved (another
   * answer won). Other nodes' timers find the new deadline when they fire.
   */
  async extend(
    sessionId: string,
    deadline: { from: number; to: number },
    actor: string,
    reason: string,
  ): Promise<SessionRecord | undefined> {
    const updated = await this.deps.store.extendSession({
      sessionId,
      ...deadline,
      at: this.deps.clock.now(),
      actor,
      action: SESSION_EXTENDED,
      reason,
    });
    if (updated && isLive(updated.state)) this.armDeadline(sessionId, updated.expiresAt);
    return updated;
  }

  /**
   * Arms (or re-arms) the `timeout_max` timer for `expiresAt`. The deadline may have moved since
   * (an extension allowed on another node), so the timer reads it again when it fires and, if it
   * is later, re-arms itself for it instead of ending the session.
   */
  private armDeadline(sessionId: string, expiresAt: number): void {
    this.deadlines.get(sessionId)?.cancel();
    const delay = Math.max(0, expiresAt - this.deps.clock.now());
    this.deadlines.set(
      sessionId,
      this.deps.clock.setTimer(delay, () => {
        this.deadlines.delete(sessionId);
        this.deadlineDue(sessionId).catch((error: unknown) => {
          this.deps.logger.error({ err: error, sessionId }, 'deadline check failed');
        });
      }),
    );
  }

  private async deadlineDue(sessionId: string): Promise<void> {
    const session = await this.deps.store.getSession(sessionId);
    if (!session || !isLive(session.state)) return;
    if (session.expiresAt > this.deps.clock.now()) {
      // Re-armed meanwhile on this node (an extension) or moved on another: the newer wins.
      if (!this.deadlines.has(sessionId)) this.armDeadline(sessionId, session.expiresAt);
      return;
    }
    this.fire(sessionId, { type: 'end', reason: 'timeout_max' });
  }

  /**
   * Records customer activity (a `dom.batch`) at the clock's time. Called on the hot path, so it
   * only writes the time down: the idle timer reads it when it fires. Activity on other nodes is
   * asked for (`sharedActivity`) only when the timer finds this node's own too old.
   */
  touch(sessionId: string): void {
    this.lastActivity.set(sessionId, this.deps.clock.now());
  }

  /**
   * Arms the state's timed transition, due `afterMs` after `enteredAt` or, when activity restarts
   * it, after the later of `enteredAt` and the last activity. A timer that finds its deadline
   * moved on re-arms itself for the rest instead of firing, so there is one timer per session.
   */
  private armTimed(sessionId: string, enteredAt: number, timed: TimedTransition): void {
    // This node has seen no activity yet (it just started, or the session just became active
    // here): the countdown starts now, so a restarted node does not end every session at once.
    if (timed.restartsOnActivity && !this.lastActivity.has(sessionId)) {
      this.lastActivity.set(sessionId, this.deps.clock.now());
    }
    const due = (): number => {
      const activity = timed.restartsOnActivity ? (this.lastActivity.get(sessionId) ?? 0) : 0;
      return Math.max(enteredAt, activity) + timed.afterMs;
    };
    const schedule = (): void => {
      const delay = Math.max(0, due() - this.deps.clock.now());
      const timer = this.deps.clock.setTimer(delay, () => {
        this.stateTimers.delete(sessionId);
        if (due() > this.deps.clock.now()) schedule();
        else if (!timed.restartsOnActivity) this.fire(sessionId, timed.event);
        else this.idleDue(sessionId, timer, due, schedule, timed.event);
      });
      this.stateTimers.set(sessionId, timer);
    };
    schedule();
  }

  /**
   * The idle timer found this node's last activity too old: asks the other nodes' (the bus's
   * checkout times) before ending the session. Unless the session was re-armed or disarmed
   * meanwhile, later activity elsewhere re-arms the timer for the rest of its window.
   */
  private idleDue(
    sessionId: string,
    timer: Timer,
    due: () => number,
    schedule: () => void,
    event: SessionEvent,
  ): void {
    this.stateTimers.set(sessionId, timer);
    this.deps.sharedActivity(sessionId).then(
      (shared) => {
        if (this.stateTimers.get(sessionId) !== timer) return;
        this.stateTimers.delete(sessionId);
        if (shared !== undefined && shared > (this.lastActivity.get(sessionId) ?? 0)) {
          this.lastActivity.set(sessionId, shared);
        }
        if (due() > this.deps.clock.now()) schedule();
        else this.fire(sessionId, event);
      },
      (error: unknown) => {
        // The bus did not answer: the session is not ended on a guess; the next window decides.
        if (this.stateTimers.get(sessionId) !== timer) return;
        this.stateTimers.delete(sessionId);
        this.deps.logger.warn({ err: error, sessionId }, 'shared activity unknown');
        this.lastActivity.set(sessionId, this.deps.clock.now());
        schedule();
      },
    );
  }

  /** Cancels every timer of the session. */
  disarm(sessionId: string): void {
    this.lastActivity.delete(sessionId);
    this.deadlines.get(sessionId)?.cancel();
    this.deadlines.delete(sessionId);
    this.stateTimers.get(sessionId)?.cancel();
    this.stateTimers.delete(sessionId);
  }

  /** Cancels every timer this node holds (shutdown). */
  close(): void {
    for (const id of [...this.deadlines.keys(), ...this.stateTimers.keys()]) this.disarm(id);
  }

  /**
   * A timer fired. If the state moved on meanwhile (on this node or another), the table refuses
   * the stale event, which is exactly the wanted outcome, so a refusal is not an error.
   */
  private fire(sessionId: string, event: SessionEvent): void {
    this.apply(sessionId, event, SYSTEM_ACTOR).then(
      (result) => {
        if (!result.ok) {
          this.deps.logger.debug({ sessionId, event: event.type }, 'timed transition not applied');
        }
      },
      (error: unknown) => {
        this.deps.logger.error({ err: error, sessionId }, 'timed transition failed');
      },
    );
  }
}
