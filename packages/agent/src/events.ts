/**
 * @module
 * The public events and a small typed emitter. A handler that throws never breaks the SDK: the
 * error is reported (to `reportError` in browsers) and the other handlers still run.
 */
import type { EndReason, Participant } from '@sightline/protocol';
import type { ConnectionStatus } from './session/lifecycle.js';

/** Whether the mirror shows a page yet. */
export type MirrorStatus = 'empty' | 'rendered';

/** Every event an `AgentSession` emits, with its payload. */
export interface AgentEventMap {
  /** The first `session.welcome`: the agent is in. `participants` are the others present. */
  session_joined: { sessionId: string; participants: Participant[] };
  /** This agent left (`leave()`); the session goes on for the others. */
  session_left: { sessionId: string };
  /** The session is over for everyone. */
  session_ended: { reason: EndReason };
  /** The customer connected (or reconnected). */
  customer_joined: Participant;
  /** The customer's last socket closed. */
  customer_left: Participant;
  /** Another agent joined. */
  agent_joined: Participant;
  /** Another agent left. */
  agent_left: Participant;
  /** The agent's own connection changed. */
  connection_status: { status: ConnectionStatus };
  /** Something failed. `code` is from the error catalogue (Zoom's numbers where they match). */
  session_error: { code: number; errorMsg: string };
  /** The mirror started showing a page (`rendered`) or was cleared for a rejoin (`empty`). */
  mirror_status: { status: MirrorStatus };
}

/** An event name. */
export type AgentEventName = keyof AgentEventMap;

/** A handler for event `K`. */
export type AgentEventHandler<K extends AgentEventName> = (payload: AgentEventMap[K]) => void;

/** Reports a handler's error without throwing into the SDK. */
export type HandlerErrorSink = (error: unknown) => void;

const reportToPage: HandlerErrorSink = (error) => {
  globalThis.reportError?.(error);
};

/** A typed event emitter whose `emit` never throws. */
export class Emitter<M extends object> {
  readonly #handlers = new Map<keyof M, Set<(payload: never) => void>>();
  readonly #onHandlerError: HandlerErrorSink;

  constructor(onHandlerError: HandlerErrorSink = reportToPage) {
    this.#onHandlerError = onHandlerError;
  }

  /** Adds `handler` for `event`. Adding the same handler twice has no effect. */
  on<K extends keyof M>(event: K, handler: (payload: M[K]) => void): void {
    let set = this.#handlers.get(event);
    if (!set) {
      set = new Set();
      this.#handlers.set(event, set);
    }
    set.add(handler);
  }

  /** Removes `handler` from `event`. */
  off<K extends keyof M>(event: K, handler: (payload: M[K]) => void): void {
    this.#handlers.get(event)?.delete(handler);
  }

  /** Calls every handler of `event` with `payload`, in the order they were added. */
  emit<K extends keyof M>(event: K, payload: M[K]): void {
    const set = this.#handlers.get(event);
    if (!set) return;
    // A copy, so a handler that adds or removes handlers does not change this round.
    for (const handler of [...set] as ((payload: M[K]) => void)[]) {
      try {
        handler(payload);
      } catch (error) {
        this.#onHandlerError(error);
      }
    }
  }

  /** Drops every handler. */
  clear(): void {
    this.#handlers.clear();
  }
}
