/**
 * @module
 * The machinery of a lifecycle state table: the current state, a guarded transition, and a
 * callback on every change. The table itself (which states, which moves) stays with each SDK;
 * this class only refuses what the table does not list.
 */

/**
 * The table as a function: the state `event` leads to from `state`, or `undefined` when the
 * table does not list that move.
 */
export type TransitionFn<S, E> = (state: S, event: E) => S | undefined;

/** A state held against a transition table. */
export class StateMachine<S, E> {
  #state: S;
  readonly #next: TransitionFn<S, E>;
  readonly #onChange: ((next: S, previous: S) => void) | undefined;

  /**
   * @param initial - the state before any event.
   * @param next - the transition table.
   * @param onChange - called after every transition that changes the state.
   */
  constructor(initial: S, next: TransitionFn<S, E>, onChange?: (next: S, previous: S) => void) {
    this.#state = initial;
    this.#next = next;
    this.#onChange = onChange;
  }

  /** The current state. */
  get state(): S {
    return this.#state;
  }

  /** Applies `event`. Returns false, changing nothing, if the current state does not allow it. */
  apply(event: E): boolean {
    const next = this.#next(this.#state, event);
    if (next === undefined) return false;
    const previous = this.#state;
    this.#state = next;
    // The state is already updated, so a callback that reads it (or applies another event) sees
    // the new one.
    if (next !== previous) this.#onChange?.(next, previous);
    return true;
  }
}
