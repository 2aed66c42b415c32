/**
 * @module
 * The real clock: `Date.now()` and Node timers.
 */
import type { Clock, Timer } from '../../core/ports.js';

/** Longest delay one Node timer can hold; longer ones are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The system clock. Timers are unref'd: a pending session timeout never keeps a process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, callback) {
    const dueAt = Date.now() + delayMs;
    let handle: NodeJS.Timeout | undefined;
    const schedule = (): void => {
      const remaining = dueAt - Date.now();
      handle = setTimeout(
        remaining > MAX_TIMER_MS ? schedule : callback,
        Math.max(0, Math.min(remaining, MAX_TIMER_MS)),
      );
      handle.unref();
    };
    schedule();
    const timer: Timer = {
      cancel: () => clearTimeout(handle),
    };
    return timer;
  },
};
