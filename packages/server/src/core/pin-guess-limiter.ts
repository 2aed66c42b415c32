/**
 * @module
 * Wrong-PIN limits. A 6-digit PIN has a million values and a session lives minutes, so guessing is
 * only a threat at volume: counting wrong PINs per agent and per client address over a sliding
 * window, and refusing further attempts (right or wrong) once either passes its limit, makes a
 * guess campaign hopeless while an agent who mistypes a few times never notices.
 *
 * The counts live in this node's memory. Several nodes behind a balancer each count on their own,
 * which multiplies the allowance by the node count; moving the counts to the shared bus is part
 * of the scale-out work.
 */
import type { Clock } from './ports.js';

/** How many wrong PINs are tolerated, and over what window. */
export interface PinGuessPolicy {
  /** Wrong PINs one agent (app + `user_id`) may enter per window. */
  perAgent: number;
  /** Wrong PINs one client address may enter per window, whoever the agent. */
  perAddress: number;
  /** The sliding window, in ms. */
  windowMs: number;
}

/** Who is guessing. */
export interface Guesser {
  appId: string;
  userId: string;
  address: string;
}

/** The verdict for one more attempt. */
export type GuessVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Keys are bounded: past this many, the ones whose failures are oldest are forgotten first. */
const MAX_TRACKED_KEYS = 100_000;

/** Counts wrong PINs per agent and per address in a sliding window. */
export class PinGuessLimiter {
  /** Failure times per key, oldest first, never longer than the key's limit. */
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly policy: PinGuessPolicy,
  ) {}

  /** Whether `who` may try a PIN now. */
  check(who: Guesser): GuessVerdict {
    const now = this.clock.now();
    let retryAfterMs = 0;
    for (const [key, limit] of this.keysOf(who)) {
      const times = this.recent(key, now);
      const oldest = times[0];
      if (times.length >= limit && oldest !== undefined) {
        retryAfterMs = Math.max(retryAfterMs, oldest + this.policy.windowMs - now);
      }
    }
    return retryAfterMs > 0 ? { allowed: false, retryAfterMs } : { allowed: true };
  }

  /**
   * Records a wrong PIN. Returns the keys that reached their limit with this failure, so the
   * caller audits the moment a limit is hit once, not every refused attempt after it.
   */
  recordFailure(who: Guesser): Array<'agent' | 'address'> {
    const now = this.clock.now();
    const reached: Array<'agent' | 'address'> = [];
    for (const [key, limit, kind] of this.keysOf(who)) {
      const times = this.recent(key, now);
      times.push(now);
      if (times.length > limit) times.shift();
      // Re-inserting moves the key to the end of the map's order: the eviction below drops the
      // keys that failed least recently.
      this.failures.delete(key);
      this.failures.set(key, times);
      if (times.length === limit) reached.push(kind);
    }
    while (this.failures.size > MAX_TRACKED_KEYS) {
      const stalest = this.failures.keys().next().value;
      if (stalest === undefined) break;
      this.failures.delete(stalest);
    }
    return reached;
  }

  private keysOf(who: Guesser): Array<[string, number, 'agent' | 'address']> {
    return [
      [`agent:${who.appId}:${who.userId}`, this.policy.perAgent, 'agent'],
      [`address:${who.address}`, this.policy.perAddress, 'address'],
    ];
  }

  /** The key's failures still inside the window (expired ones are dropped as a side effect). */
  private recent(key: string, now: number): number[] {
    const times = this.failures.get(key);
    if (!times) return [];
    const cutoff = now - this.policy.windowMs;
    while (times.length > 0 && (times[0] ?? 0) <= cutoff) times.shift();
    if (times.length === 0) this.failures.delete(key);
    return times;
  }
}
