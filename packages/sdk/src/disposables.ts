/**
 * @module
 * Undo lists. Everything the SDK attaches to the page (listeners, observers, timers, sockets, the
 * recorder) registers how to detach itself here, so `session.end()` leaves the page as it was.
 */

/** A function that undoes one thing. */
export type Disposer = () => void;

/** Collects disposers and runs them all, newest first, exactly once each. */
export class Disposables {
  #disposers: Disposer[] = [];

  /** Registers `disposer` and returns it, so it can also be run early with {@link Disposables.run}. */
  add(disposer: Disposer): Disposer {
    this.#disposers.push(disposer);
    return disposer;
  }

  /** Runs one registered disposer now and forgets it. */
  run(disposer: Disposer): void {
    const index = this.#disposers.indexOf(disposer);
    if (index === -1) return;
    this.#disposers.splice(index, 1);
    disposer();
  }

  /**
   * Runs every disposer, newest first. A throwing disposer does not stop the others: leaving one
   * listener behind is better than leaving all of them. The first error is returned for reporting.
   */
  disposeAll(): unknown {
    let firstError: unknown;
    const disposers = this.#disposers.splice(0).reverse();
    for (const disposer of disposers) {
      try {
        disposer();
      } catch (error) {
        firstError ??= error;
      }
    }
    return firstError;
  }
}
