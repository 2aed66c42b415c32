/**
 * @module
 * Pacing: when each event of a batch plays on the agent's clock.
 *
 * The customer's clock is never trusted for *when*: a customer whose clock runs a minute ahead
 * would otherwise see its page mirrored a minute late. A batch plays by the server's receive time
 * (`receivedAt`), mapped onto the agent's clock with the offset measured at `session.welcome`.
 * Customer timestamps are used only for spacing *within* a batch. Assigned times never decrease,
 * because rrweb applies events in timestamp order and reordering two mutations corrupts the DOM.
 */

/** Assigns agent-clock play times to batches of events. */
export class PacingClock {
  readonly #now: () => number;
  #offset = 0;
  #last = Number.NEGATIVE_INFINITY;

  /** @param now - the agent's clock, the same one the replayer is started with. */
  constructor(now: () => number) {
    this.#now = now;
  }

  /**
   * Sets the server-to-agent offset from a `session.welcome`'s `serverTime`, and forgets the
   * previous assignments (a rejoin rebuilds the mirror from scratch).
   */
  sync(serverTime: number): void {
    this.#offset = serverTime - this.#now();
    this.#last = Number.NEGATIVE_INFINITY;
  }

  /**
   * Re-measures the offset from a later welcome's `serverTime`, for a mirror that carries on
   * after a rejoin: earlier assignments are kept, so play times still never go back.
   */
  resync(serverTime: number): void {
    this.#offset = serverTime - this.#now();
  }

  /** The server-minus-agent clock offset, in ms. */
  get offset(): number {
    return this.#offset;
  }

  /**
   * Agent-clock play times for one batch's event timestamps (in the batch's order). The last
   * event plays at `receivedAt - offset`, but never later than now: the network latency already
   * spent must not be waited again, and a live mirror never waits for the future. Earlier events
   * keep their distance to the last one; every time is at least the one before it.
   */
  stamp(receivedAt: number, timestamps: readonly number[]): number[] {
    const lastTimestamp = timestamps[timestamps.length - 1];
    if (lastTimestamp === undefined) return [];
    const anchor = Math.min(receivedAt - this.#offset, this.#now());
    return timestamps.map((timestamp) => {
      this.#last = Math.max(this.#last, anchor + (timestamp - lastTimestamp));
      return this.#last;
    });
  }
}
