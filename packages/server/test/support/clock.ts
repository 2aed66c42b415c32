/**
 * @module
 * A `Clock` that moves only when told, for timed transitions. Timers due by the new time run in
 * due order.
 */
import type { Clock, Timer } from '../../src/index.js';

/** A manual clock starting at `start` (ms). */
export class ManualClock implements Clock {
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private ids = 0;

  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, callback: () => void): Timer {
    const timer = { at: this.time + delayMs, callback, id: (this.ids += 1) };
    this.timers.push(timer);
    return { cancel: () => (this.timers = this.timers.filter((t) => t !== timer)) };
  }

  /** Moves time forward by `ms`, running every timer that falls due. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = target;
  }

  /** Timers not yet run. */
  get pending(): number {
    return this.timers.length;
  }
}
