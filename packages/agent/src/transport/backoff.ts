/**
 * @module
 * Reconnection delays: exponential backoff with "full jitter", so a server restart does not see
 * every agent come back in the same millisecond.
 */

/** The backoff's bounds. */
export interface BackoffPolicy {
  /** Delay ceiling of the first attempt, in ms. */
  baseDelayMs: number;
  /** Ceiling of every delay, in ms. */
  maxDelayMs: number;
}

/**
 * The wait before reconnection attempt `attempt` (1 for the first): a random point in
 * `[ceiling / 2, ceiling]`, where the ceiling doubles per attempt up to `maxDelayMs`. The lower
 * half is kept so a fast retry loop cannot hammer the server with near-zero delays.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
