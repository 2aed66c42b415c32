/**
 * @module
 * Turns the stream of rrweb events into `dom.batch` frames: events are collected for
 * {@link BATCH_INTERVAL_MS} and sent together; input is sent at once, so typing feels live. A
 * full snapshot (rrweb Meta + FullSnapshot) always starts a new batch, marked `full`, because the
 * server resets the tab's checkout at a full batch and a late agent starts from it.
 *
 * Payload: `fflate.zlibSync(utf8(JSON.stringify(events)))`; the server relays it unopened.
 */
import { EventType, IncrementalSource, type eventWithTime } from '@rrweb/types';
import { zlibSync } from 'fflate';
import type { Clock, TimerHandle } from '@sightline/client';
import { BATCH_INTERVAL_MS, MAX_BINARY_FRAME_BYTES, encodeBinaryFrame } from '@sightline/protocol';

/** One encoded batch, ready for the socket. */
export interface EncodedBatch {
  /** Per tab, from 1, +1 per batch. */
  seq: number;
  /** Whether the batch begins with a full snapshot. */
  full: boolean;
  /** The binary frame: header plus compressed payload. */
  frame: Uint8Array;
}

/** Construction options of a {@link Batcher}. */
export interface BatcherOptions {
  tabId: string;
  clock: Clock;
  /** Receives every batch, in seq order. */
  onBatch: (batch: EncodedBatch) => void;
  /**
   * Called instead of `onBatch` when a batch would exceed `MAX_BINARY_FRAME_BYTES`: the server
   * would refuse it. Its events are dropped and no seq is used, so the stream has no gap.
   */
  onOversize?: (dropped: { full: boolean; bytes: number }) => void;
  /**
   * How long events wait to be sent together.
   * @default BATCH_INTERVAL_MS (50 ms)
   */
  intervalMs?: number;
}

const encoder = new TextEncoder();

function isInput(event: eventWithTime): boolean {
  return (
    event.type === EventType.IncrementalSnapshot && event.data.source === IncrementalSource.Input
  );
}

function startsSnapshot(event: eventWithTime | undefined): boolean {
  return event?.type === EventType.Meta || event?.type === EventType.FullSnapshot;
}

/** Collects rrweb events and emits them as numbered, compressed `dom.batch` frames. */
export class Batcher {
  readonly #options: BatcherOptions;
  readonly #intervalMs: number;
  #pending: eventWithTime[] = [];
  #timer: TimerHandle | undefined;
  #nextSeq = 1;

  constructor(options: BatcherOptions) {
    this.#options = options;
    this.#intervalMs = options.intervalMs ?? BATCH_INTERVAL_MS;
  }

  /** The seq the next batch will carry. */
  get nextSeq(): number {
    return this.#nextSeq;
  }

  /**
   * Makes the next seq at least `seq + 1`. Used when the server already holds batches of this tab
   * up to `seq` (a reload of the same tab): reusing a seq would make the server drop the batch as
   * a duplicate.
   */
  continueAfter(seq: number): void {
    if (seq >= this.#nextSeq) this.#nextSeq = seq + 1;
  }

  /** Adds one event. Sends at once for input and for a completed full snapshot. */
  add(event: eventWithTime): void {
    if (event.type === EventType.Meta) {
      this.flush();
    } else if (event.type === EventType.FullSnapshot) {
      // A FullSnapshot belongs with the Meta just before it; anything else goes out first.
      const last = this.#pending[this.#pending.length - 1];
      if (last?.type !== EventType.Meta) this.flush();
    }
    this.#pending.push(event);
    if (event.type === EventType.FullSnapshot || isInput(event)) {
      this.flush();
    } else {
      this.#timer ??= this.#options.clock.setTimeout(() => {
        this.#timer = undefined;
        this.flush();
      }, this.#intervalMs);
    }
  }

  /** Sends whatever is pending now. */
  flush(): void {
    this.#cancelTimer();
    if (this.#pending.length === 0) return;
    const events = this.#pending;
    this.#pending = [];
    const full = startsSnapshot(events[0]);
    const payload = zlibSync(encoder.encode(JSON.stringify(events)));
    const seq = this.#nextSeq;
    const frame = encodeBinaryFrame(
      { type: 'dom.batch', tabId: this.#options.tabId, seq, full },
      payload,
    );
    if (frame.length > MAX_BINARY_FRAME_BYTES) {
      this.#options.onOversize?.({ full, bytes: frame.length });
      return;
    }
    this.#nextSeq = seq + 1;
    this.#options.onBatch({ seq, full, frame });
  }

  /** Drops pending events and stops the timer. */
  dispose(): void {
    this.#cancelTimer();
    this.#pending = [];
  }

  #cancelTimer(): void {
    if (this.#timer === undefined) return;
    this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
