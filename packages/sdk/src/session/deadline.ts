/**
 * @module
 * Internal: the session's deadline on this browser's clock. The server sends it with each welcome
 * and each change (`session.deadline`), in server time with the server's clock beside it; this
 * maps it onto the SDK's clock, so a customer whose clock is wrong still sees the right time
 * left, and reports only real changes.
 */
import type { Clock } from '@sightline/client';
import type { DeadlineInfo } from '@sightline/protocol';
import type { CustomerEventMap } from '../events.js';

/** Mapping and transit jitter below this is no change. */
const SAME_WITHIN_MS = 1_000;

/** Follows the deadline and reports each change once. */
export class DeadlineTracker {
  readonly #clock: Clock;
  readonly #changed: (change: CustomerEventMap['deadline_changed']) => void;
  #endsAt: number | undefined;

  constructor(clock: Clock, changed: (change: CustomerEventMap['deadline_changed']) => void) {
    this.#clock = clock;
    this.#changed = changed;
  }

  /** The deadline as the server sent it (a welcome's, or a `session.deadline`). */
  update(info: DeadlineInfo): void {
    const now = this.#clock.now();
    const endsAt = now + (info.endsAt - info.serverTime);
    const before = this.#endsAt;
    if (before !== undefined && Math.abs(endsAt - before) < SAME_WITHIN_MS) return;
    this.#endsAt = endsAt;
    this.#changed({
      endsAt,
      remainingMs: Math.max(0, endsAt - now),
      extended: before !== undefined && endsAt > before,
    });
  }
}
