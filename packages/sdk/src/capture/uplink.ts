/**
 * @module
 * The page stream from recorder to socket: rrweb events go into the {@link Batcher}, batches into
 * the {@link Outbox}, and the outbox onto the connection. The server's `session.welcome` and
 * `dom.ack` drive what is resent and what is forgotten.
 */
import type { eventWithTime } from '@rrweb/types';
import type { Clock } from '@sightline/client';
import { SightlineError, type DomAck, type SessionWelcome } from '@sightline/protocol';
import { Batcher } from './batcher.js';
import { Outbox } from './outbox.js';

/** Construction options of a {@link DomUplink}. */
export interface DomUplinkOptions {
  tabId: string;
  clock: Clock;
  /** Puts a frame on the socket; returns false if it could not (the outbox resends it later). */
  send: (frame: Uint8Array) => boolean;
  /**
   * The stream lost batches it cannot resend (one was too large to send, or the outbox
   * overflowed): the recorder must take a full snapshot so agents resynchronise.
   */
  onSnapshotNeeded: () => void;
  /** Something the integrator should hear about, as `session_error`. */
  onError: (error: SightlineError) => void;
  /** @default MAX_UNACKED_BATCHES */
  maxUnacked?: number;
}

/** Batches, numbers, keeps and (re)sends the page stream of one tab. */
export class DomUplink {
  readonly #tabId: string;
  readonly #batcher: Batcher;
  readonly #outbox: Outbox;

  constructor(options: DomUplinkOptions) {
    this.#tabId = options.tabId;
    this.#outbox = new Outbox({
      send: (frame) => void options.send(frame),
      onOverflow: options.onSnapshotNeeded,
      maxUnacked: options.maxUnacked,
    });
    this.#batcher = new Batcher({
      tabId: options.tabId,
      clock: options.clock,
      onBatch: (batch) => this.#outbox.push(batch),
      onOversize: ({ full, bytes }) => {
        options.onError(
          new SightlineError('FRAME_TOO_LARGE', `A page batch of ${bytes} bytes was not sent.`),
        );
        // A lost incremental batch is repaired by a snapshot; a lost snapshot would only repeat.
        if (!full) options.onSnapshotNeeded();
      },
    });
  }

  /** The seqs sent or waiting that the server has not acknowledged, oldest first. */
  get unackedSeqs(): number[] {
    return this.#outbox.pendingSeqs;
  }

  /** The seq the next batch will carry. */
  get nextSeq(): number {
    return this.#batcher.nextSeq;
  }

  /** Takes one rrweb event. */
  push(event: eventWithTime): void {
    this.#batcher.add(event);
  }

  /** Sends pending events now. */
  flush(): void {
    this.#batcher.flush();
  }

  /**
   * The socket was (re)admitted. The server holds this tab's batches up to `lastAckedSeq`: resend
   * the rest in order, and never reuse a seq the server already has (after a reload of the tab).
   */
  connected(welcome: SessionWelcome): void {
    const held = welcome.lastAckedSeq?.[this.#tabId] ?? 0;
    this.#batcher.continueAfter(held);
    this.#outbox.resume(held);
  }

  /** Handles `dom.ack` (cumulative) for this tab. */
  acked(ack: DomAck): void {
    if (ack.tabId === this.#tabId) this.#outbox.ack(ack.seq);
  }

  /** The socket dropped: keep everything, send nothing until {@link DomUplink.connected}. */
  disconnected(): void {
    this.#outbox.pause();
  }

  /** Stops the batch timer and forgets everything. */
  dispose(): void {
    this.#batcher.dispose();
    this.#outbox.pause();
    this.#outbox.clear();
  }
}
