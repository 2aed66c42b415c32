/**
 * @module
 * A small typed event emitter for the SDKs' public events. Integrator handlers run inside the
 * SDK's own control flow, so a throwing handler is isolated: its error is reported, the other
 * handlers still run and the SDK carries on.
 */

/** A handler for event `K` of event map `M`. */
export type Handler<M, K extends keyof M> = (payload: M[K]) => void;

/** Where the error of a throwing handler goes instead of up into the SDK. */
export type HandlerErrorSink = (error: unknown) => void;

/**
 * Reports an error thrown by integrator code (a handler, a callback) without unwinding the SDK:
 * the browser's `reportError` sends it to `window.onerror` and the console, as an uncaught error
 * would. Where there is no `reportError`, it is rethrown from a fresh task, to the same effect.
 */
export function reportHandlerError(error: unknown): void {
  // Chrome 94, inside the customer SDK's browser range, has no `reportError`.
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  (report ?? rethrowLater)(error);
}

function rethrowLater(error: unknown): void {
  setTimeout(() => {
    throw error;
  });
}

/** A typed event emitter whose `emit` never throws. */
export class Emitter<M extends object> {
  readonly #handlers = new Map<keyof M, Set<(payload: never) => void>>();
  readonly #onHandlerError: HandlerErrorSink;

  /** @param onHandlerError - where a throwing handler's error goes; defaults to `reportError`. */
  constructor(onHandlerError: HandlerErrorSink = reportHandlerError) {
    this.#onHandlerError = onHandlerError;
  }

  /** Adds `handler` for `event`. Adding the same handler twice has no effect. */
  on<K extends keyof M>(event: K, handler: Handler<M, K>): void {
    let set = this.#handlers.get(event);
    if (!set) this.#handlers.set(event, (set = new Set()));
    set.add(handler as (payload: never) => void);
  }

  /** Removes `handler` for `event`. */
  off<K extends keyof M>(event: K, handler: Handler<M, K>): void {
    this.#handlers.get(event)?.delete(handler as (payload: never) => void);
  }

  /** Calls every handler of `event` with `payload`, in the order they were added. */
  emit<K extends keyof M>(event: K, payload: M[K]): void {
    const set = this.#handlers.get(event);
    if (!set) return;
    // A copy, so a handler that adds or removes handlers does not change this round.
    for (const handler of [...set] as Handler<M, K>[]) {
      try {
        handler(payload);
      } catch (error) {
        this.#onHandlerError(error);
      }
    }
  }
}
