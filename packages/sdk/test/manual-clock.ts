/**
 * @module
 * A {@link Clock} driven by hand: time moves only when a test calls `advance`.
 */
import type { Clock, TimerHandle } from '@sightline/client';

interface Timer {
  at: number;
  fn: () => void;
}

/** A clock whose timers fire only inside {@link ManualClock.advance}, in time order. */
export class ManualClock implements Clock {
  #now = 1_700_000_000_000;
  #nextId = 1;
  readonly #timers = new Map<number, Timer>();

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete(handle as number);
  }

  /** How many timers are scheduled. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing due timers in order (including ones they schedule). */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      let nextId: number | undefined;
      let next: Timer | undefined;
      for (const [id, timer] of this.#timers) {
        if (timer.at <= target && (!next || timer.at < next.at)) {
          nextId = id;
          next = timer;
        }
      }
      if (nextId === undefined || !next) break;
      this.#timers.delete(nextId);
      this.#now = next.at;
      next.fn();
    }
    this.#now = target;
  }
}
