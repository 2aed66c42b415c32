/**
 * @module
 * Reconnection delays: exponential, capped, with jitter, so a server restart is not met by every
 * client in the same millisecond.
 */

/** The shape of the backoff curve. */
export interface BackoffPolicy {
  /** Delay ceiling of the first attempt, in ms. */
  baseDelayMs: number;
  /** Ceiling of every delay, in ms. */
  maxDelayMs: number;
}

/**
 * The wait before reconnection attempt `attempt` (1 for the first; 0 counts as 1): the ceiling
 * `min(maxDelayMs, baseDelayMs * 2^(attempt - 1))`, jittered uniformly into its upper half ("equal
 * jitter"). The lower half is kept so a fast retry loop cannot hammer the server with near-zero
 * delays.
 *
 * @param random - a number in [0, 1), injectable for tests.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  // Capped so a huge attempt number cannot overflow to Infinity (and 0 * Infinity to NaN).
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
