/**
 * @module
 * Time, injectable. Every timer in the SDKs (batch flushes, welcome timeouts, reconnection
 * backoff, HTTP retries, mirror pacing) goes through a {@link Clock}, so tests drive time by hand
 * instead of sleeping.
 */

/** An opaque timer handle, as returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/** Time and timers. */
export interface Clock {
  /** Milliseconds since the epoch, on a clock that only moves forward. */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds; returns a handle for {@link Clock.clearTimeout}. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer from {@link Clock.setTimeout}; unknown or fired handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The real clock and the global timers. `now()` is `performance.timeOrigin + performance.now()`,
 * not `Date.now()`: rrweb's live timer measures elapsed time with `performance.now()`, and the wall
 * clock can be stepped by NTP mid-session, which would stall or rush the agent's mirror.
 */
export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};
