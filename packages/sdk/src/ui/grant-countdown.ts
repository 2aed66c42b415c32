/**
 * @module
 * The customer's window ("Allow for 2 minutes") counting down in the banner: "1:52", updated
 * every second on the SDK's clock, gone when it closes.
 */
import type { Clock, TimerHandle } from '@sightline/client';

/** "1:52", "0:07": minutes and seconds left, rounded up to the second. */
export function grantLeftText(remainingMs: number): string {
  const seconds = Math.max(0, Math.ceil(remainingMs / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Counts down to the end of a window and reports the words, or `undefined` once it is over. */
export class GrantCountdown {
  readonly #clock: Clock;
  readonly #show: (text: string | undefined) => void;
  #until: number | undefined;
  #timer: TimerHandle | undefined;

  constructor(clock: Clock, show: (text: string | undefined) => void) {
    this.#clock = clock;
    this.#show = show;
  }

  /** Counts down to `until` (SDK clock), or shows nothing for `undefined`. */
  until(until: number | undefined): void {
    if (until === this.#until) return;
    this.#until = until;
    this.#tick();
  }

  /** Stops; nothing more is reported. */
  dispose(): void {
    this.#clear();
    this.#until = undefined;
  }

  #tick(): void {
    this.#clear();
    const remaining = this.#until === undefined ? 0 : this.#until - this.#clock.now();
    if (remaining <= 0) {
      this.#until = undefined;
      this.#show(undefined);
      return;
    }
    this.#show(grantLeftText(remaining));
    // Next whole second of what is left.
    this.#timer = this.#clock.setTimeout(() => this.#tick(), remaining % 1000 || 1000);
  }

  #clear(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
