/**
 * @module
 * The public events of a customer session (Zoom Cobrowse's names) and a small typed emitter.
 * Integrator handlers run inside the SDK's own control flow, so a throwing handler is isolated:
 * the error is reported, the other handlers still run and the SDK carries on.
 */
import type { EndReason } from '@sightline/protocol';

/** An agent as the customer sees them. */
export interface AgentInfo {
  userId: string;
  userName: string;
}

/** Every event a {@link CustomerSession} emits, with its payload. */
export interface CustomerEventMap {
  /** The PIN to read to the agent. Emitted once the server has created the session. */
  pincode_updated: { pincode: string };
  /** The session exists and waits for an agent. */
  session_started: { sessionId: string };
  /** An agent joined the session. */
  agent_joined: AgentInfo;
  /** An agent left the session. */
  agent_left: AgentInfo;
  /** The connection dropped; the SDK is reconnecting and will resend anything unacknowledged. */
  session_reconnecting: { attempt: number };
  /** The session is over, for the reason given. Emitted once. */
  session_ended: { reason: EndReason };
  /** Something failed. `code` is from the error catalogue (`docs/errors.md`). */
  session_error: { code: number; errorMsg: string };
}

/** The name of a customer session event. */
export type CustomerEventName = keyof CustomerEventMap;

/** A handler for event `K`. */
export type Handler<M, K extends keyof M> = (payload: M[K]) => void;

/**
 * Reports an error thrown by integrator code (a handler, a callback) without unwinding the SDK:
 * the browser's `reportError` sends it to `window.onerror` and the console, as an uncaught error
 * would.
 */
export function reportHandlerError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (report) {
    report(error);
    return;
  }
  globalThis.setTimeout(() => {
    throw error;
  }, 0);
}

/** A typed event emitter whose handlers cannot break the emitter's caller. */
export class Emitter<M extends object> {
  readonly #handlers = new Map<keyof M, Set<(payload: never) => void>>();
  readonly #onHandlerError: (error: unknown) => void;

  /** @param onHandlerError - where a throwing handler's error goes; defaults to `reportError`. */
  constructor(onHandlerError: (error: unknown) => void = reportHandlerError) {
    this.#onHandlerError = onHandlerError;
  }

  /** Adds `handler` for `event`. Adding the same handler twice has no effect. */
  on<K extends keyof M>(event: K, handler: Handler<M, K>): void {
    let set = this.#handlers.get(event);
    if (!set) {
      set = new Set();
      this.#handlers.set(event, set);
    }
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
    // A copy: a handler may call on/off while we iterate.
    for (const handler of [...set]) {
      try {
        (handler as Handler<M, K>)(payload);
      } catch (error) {
        this.#onHandlerError(error);
      }
    }
  }

  /** Forgets every handler. */
  clear(): void {
    this.#handlers.clear();
  }
}
