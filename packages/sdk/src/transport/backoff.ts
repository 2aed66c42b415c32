/**
 * @module
 * Reconnect delays: exponential, capped, with jitter, so a server restart is not met by every
 * client at the same instant.
 */

/** The shape of the backoff curve. */
export interface BackoffOptions {
  /** Delay ceiling of the first retry. */
  baseDelayMs: number;
  /** Largest delay ceiling. */
  maxDelayMs: number;
}

/**
 * The delay before retry number `attempt` (0 for the first): the ceiling
 * `min(maxDelayMs, baseDelayMs * 2^attempt)`, jittered uniformly into its upper half ("equal
 * jitter"), so retries spread out but never fire at once.
 *
 * @param random - a number in [0, 1), injectable for tests.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
