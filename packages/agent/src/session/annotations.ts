/**
 * @module
 * Internal: this agent's annotations and pointer (ADR 0012). Outgoing annotations are validated
 * before they leave, so a bad one throws at the call rather than coming back as a 3001. The
 * server relays each to everyone else, so this agent's own drawings are reported locally
 * (`local: true`) for its own mirror. Pointer moves are sent at most about 30 times a second:
 * between two sends only the latest position is kept, and it always goes out last.
 */
import type { Clock, TimerHandle } from '@sightline/client';
import {
  Annotation,
  AnnotationId,
  PointerMove,
  SightlineError,
  type AgentToServer,
  type AuthoredAnnotation,
  type Participant,
  type PointerMoved,
} from '@sightline/protocol';
import type { AgentEventMap } from '../events.js';

/** The least time between two `pointer.move` frames: at most about 30 a second. */
export const POINTER_INTERVAL_MS = 34;

/** A pointer position to send: on an element of a tab, or gone (`nodeId` and `at` absent). */
export type PointerPosition = Omit<PointerMove, 'type'>;

/** Sends frames at most every `intervalMs`; a frame that must wait replaces the one waiting. */
export class Throttle<T> {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #send: (value: T) => void;
  #lastSentAt = -Infinity;
  #waiting: { value: T } | undefined;
  #timer: TimerHandle | undefined;

  constructor(clock: Clock, intervalMs: number, send: (value: T) => void) {
    this.#clock = clock;
    this.#intervalMs = intervalMs;
    this.#send = send;
  }

  /** Sends `value` now if the interval has passed, else when it has (unless replaced). */
  push(value: T): void {
    const wait = this.#lastSentAt + this.#intervalMs - this.#clock.now();
    if (wait <= 0 && this.#timer === undefined) {
      this.#flush(value);
      return;
    }
    this.#waiting = { value };
    this.#timer ??= this.#clock.setTimeout(
      () => {
        this.#timer = undefined;
        const waiting = this.#waiting;
        this.#waiting = undefined;
        if (waiting) this.#flush(waiting.value);
      },
      Math.max(0, wait),
    );
  }

  /** Drops what waits. */
  cancel(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#waiting = undefined;
  }

  #flush(value: T): void {
    this.#lastSentAt = this.#clock.now();
    this.#send(value);
  }
}

/** What the annotation link needs from its session. */
export interface AnnotationLinkOptions {
  clock: Clock;
  /** Sends a frame; false when the socket is not open. */
  send(frame: AgentToServer): boolean;
  /** This agent, once joined. */
  self(): Participant | undefined;
  drawn(event: AgentEventMap['annotation_drawn']): void;
  erased(event: AgentEventMap['annotation_erased']): void;
  cleared(event: AgentEventMap['annotation_cleared']): void;
}

/** This agent's side of annotating: outgoing frames, and its own drawings reported locally. */
export class AnnotationLink {
  readonly #options: AnnotationLinkOptions;
  readonly #pointer: Throttle<PointerPosition>;

  constructor(options: AnnotationLinkOptions) {
    this.#options = options;
    this.#pointer = new Throttle(options.clock, POINTER_INTERVAL_MS, (position) => {
      options.send({ type: 'pointer.move', ...position });
    });
  }

  /** Sends `annotation` (validated; throws 4001 if it is not one) and reports it locally. */
  draw(annotation: Annotation): void {
    const parsed = Annotation.safeParse(annotation);
    if (!parsed.success) {
      throw new SightlineError('REQUEST_INVALID', `Not an annotation: ${parsed.error.message}`);
    }
    const self = this.#sendOrThrow({ type: 'annotation.draw', annotation: parsed.data });
    this.#options.drawn({ annotation: parsed.data, author: self, local: true });
  }

  /** Erases annotations by id, and reports it locally. */
  erase(ids: readonly string[]): void {
    if (ids.length === 0) return;
    if (!ids.every((id) => AnnotationId.safeParse(id).success)) {
      throw new SightlineError('REQUEST_INVALID', 'An annotation id is malformed.');
    }
    const self = this.#sendOrThrow({ type: 'annotation.erase', ids: [...ids] });
    this.#options.erased({ ids: [...ids], by: self, local: true });
  }

  /** Clears every annotation of the session, and reports it locally. */
  clear(): void {
    const self = this.#sendOrThrow({ type: 'annotation.clear' });
    this.#options.cleared({ by: self, local: true });
  }

  /** Where this agent's pointer is (throttled), or that it left (`nodeId` and `at` absent). */
  pointer(position: PointerPosition): void {
    const parsed = PointerMove.safeParse({ type: 'pointer.move', ...position });
    if (!parsed.success) {
      throw new SightlineError(
        'REQUEST_INVALID',
        `Not a pointer position: ${parsed.error.message}`,
      );
    }
    this.#pointer.push(position);
  }

  /** Drops a pointer move waiting to be sent. */
  dispose(): void {
    this.#pointer.cancel();
  }

  #sendOrThrow(frame: AgentToServer): Participant {
    const self = this.#options.self();
    if (!self || !this.#options.send(frame)) {
      throw new SightlineError('SESSION_CONNECTING_IN_PROGRESS', 'Not connected right now.');
    }
    return self;
  }
}

/** The payload of `pointer_moved` from a relayed frame. */
export function pointerMovedEvent(message: PointerMoved): AgentEventMap['pointer_moved'] {
  return {
    kind: message.kind,
    tabId: message.tabId,
    author: message.author,
    ...(message.nodeId === undefined ? {} : { nodeId: message.nodeId, at: message.at }),
  };
}

/** An annotation drawn by someone else, as `annotation_drawn` reports it. */
export function drawnEvent(item: AuthoredAnnotation): AgentEventMap['annotation_drawn'] {
  return { annotation: item.annotation, author: item.author, local: false };
}
