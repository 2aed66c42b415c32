/**
 * @module
 * Wrong-PIN limits. A 6-digit PIN has a million values and a session lives minutes, so guessing is
 * only a threat at volume: counting wrong PINs per agent and per client address over a sliding
 * window, and refusing further attempts (right or wrong) once either passes its limit, makes a
 * guess campaign hopeless while an agent who mistypes a few times never notices.
 *
 * The counts live on the bus (`FailureWindows`), which every node shares: a balancer spreading a
 * guesser's attempts over several nodes gives it no more tries than one node would.
 */
import type { Clock, FailureWindows } from './ports.js';

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

/** Counts wrong PINs per agent and per address in a sliding window, on the shared bus. */
export class PinGuessLimiter {
  constructor(
    private readonly clock: Clock,
    private readonly failures: FailureWindows,
    private readonly policy: PinGuessPolicy,
  ) {}

  /** Whether `who` may try a PIN now. */
  async check(who: Guesser): Promise<GuessVerdict> {
    const now = this.clock.now();
    let retryAfterMs = 0;
    for (const [key, limit] of this.keysOf(who)) {
      const times = await this.failures.read(key, now, this.policy.windowMs);
      const oldest = times.at(-limit);
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
  async recordFailure(who: Guesser): Promise<Array<'agent' | 'address'>> {
    const now = this.clock.now();
    const reached: Array<'agent' | 'address'> = [];
    for (const [key, limit, kind] of this.keysOf(who)) {
      const times = await this.failures.record(key, now, this.policy.windowMs, limit);
      if (times.length === limit) reached.push(kind);
    }
    return reached;
  }

  private keysOf(who: Guesser): Array<[string, number, 'agent' | 'address']> {
    return [
      [`pin:agent:${who.appId}:${who.userId}`, this.policy.perAgent, 'agent'],
      [`pin:address:${who.address}`, this.policy.perAddress, 'address'],
    ];
  }
}
