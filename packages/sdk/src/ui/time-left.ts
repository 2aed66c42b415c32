/**
 * @module
 * How long the session has left, in words, for the sharing banner. The session ends by itself at
 * its deadline (`timeout_max`); near it, the customer sees the time left, so an agent's request to
 * extend is no surprise and the end is not either. Updated once a minute, on the SDK's clock.
 */
import type { Clock, TimerHandle } from '@sightline/client';

/** From how long before the end the banner shows the time left. */
export const TIME_LEFT_SHOWN_MS = 10 * 60_000;

const MINUTE = 60_000;

/** "9 min left", "1 min left", "less than a minute left". Whole minutes are rounded up. */
export function timeLeftText(remainingMs: number): string {
  if (remainingMs < MINUTE) return 'less than a minute left';
  return `${Math.ceil(remainingMs / MINUTE)} min left`;
}

/** Counts down to a deadline and reports the words to show, or `undefined` while it is far. */
export class TimeLeft {
  readonly #clock: Clock;
  readonly #show: (text: string | undefined) => void;
  #endsAt: number | undefined;
  #timer: TimerHandle | undefined;

  constructor(clock: Clock, show: (text: string | undefined) => void) {
    this.#clock = clock;
    this.#show = show;
  }

  /** Counts down to `endsAt` (ms since the epoch, on the SDK's clock) instead of any earlier one. */
  until(endsAt: number): void {
    this.#endsAt = endsAt;
    this.#tick();
  }

  /** Stops counting; nothing more is reported. */
  dispose(): void {
    this.#clear();
    this.#endsAt = undefined;
  }

  #tick(): void {
    this.#clear();
    if (this.#endsAt === undefined) return;
    const remaining = this.#endsAt - this.#clock.now();
    if (remaining > TIME_LEFT_SHOWN_MS) {
      this.#show(undefined);
      this.#schedule(remaining - TIME_LEFT_SHOWN_MS);
      return;
    }
    this.#show(timeLeftText(Math.max(0, remaining)));
    // The words change on each whole minute, and just under the last one ("less than a
    // minute"); the end itself arrives from the server.
    if (remaining > MINUTE) this.#schedule(remaining % MINUTE || MINUTE);
    else if (remaining === MINUTE) this.#schedule(1);
  }

  #schedule(delayMs: number): void {
    this.#timer = this.#clock.setTimeout(() => this.#tick(), delayMs);
  }

  #clear(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
