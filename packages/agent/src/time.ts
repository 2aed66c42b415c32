/**
 * @module
 * The clock seam. The SDK reads time and sets timers only through a {@link Clock}, so tests can
 * drive reconnection and pacing without real waiting.
 */

/** Time and timers, injectable for tests. */
export interface Clock {
  /** Milliseconds since the epoch, on a clock that only moves forward. */
  now(): number;
  /** Runs `fn` after `ms` milliseconds; returns a handle for {@link Clock.clearTimeout}. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a timer set with {@link Clock.setTimeout}. Unknown handles are ignored. */
  clearTimeout(handle: unknown): void;
}

/**
 * The browser's clock. `now()` is `performance.timeOrigin + performance.now()`, not `Date.now()`:
 * rrweb's live timer measures elapsed time with `performance.now()`, and the wall clock can be
 * stepped by NTP mid-session, which would stall or rush the mirror.
 */
export const systemClock: Clock = {
  now: () =>
    typeof performance === 'undefined' ? Date.now() : performance.timeOrigin + performance.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};
