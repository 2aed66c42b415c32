/**
 * @module
 * Batches the server has not acknowledged yet. Each batch is sent as soon as the connection is
 * ready, and kept until a `dom.ack` covers its seq. After a reconnect, `session.welcome` says
 * which seq the server holds for this tab; everything above it is resent, in order. So a dropped
 * connection loses nothing and duplicates nothing.
 */
import { MAX_UNACKED_BATCHES } from '@sightline/protocol';
import type { EncodedBatch } from './batcher.js';

/** Construction options of an {@link Outbox}. */
export interface OutboxOptions {
  /** Puts a frame on the socket. Only called while the outbox is resumed. */
  send: (frame: Uint8Array) => void;
  /**
   * Called when the bound forced the outbox to drop batches that no full snapshot supersedes.
   * The caller must take a full snapshot, which restarts the tab's stream from a clean state.
   */
  onOverflow?: () => void;
  /**
   * Most batches kept unacknowledged.
   * @default MAX_UNACKED_BATCHES
   */
  maxUnacked?: number;
}

/** Unacknowledged batches, in seq order, with resend after a reconnect. */
export class Outbox {
  readonly #options: OutboxOptions;
  readonly #max: number;
  #batches: EncodedBatch[] = [];
  #online = false;

  constructor(options: OutboxOptions) {
    this.#options = options;
    this.#max = options.maxUnacked ?? MAX_UNACKED_BATCHES;
  }

  /** How many batches wait for an ack. */
  get size(): number {
    return this.#batches.length;
  }

  /** The seqs waiting for an ack, oldest first. */
  get pendingSeqs(): number[] {
    return this.#batches.map((batch) => batch.seq);
  }

  /** Keeps `batch` until acked and sends it now if the connection is ready. */
  push(batch: EncodedBatch): void {
    this.#batches.push(batch);
    if (this.#batches.length > this.#max && !this.#trim()) return;
    if (this.#online) this.#options.send(batch.frame);
  }

  /** Forgets every batch up to and including `seq` (acks are cumulative). */
  ack(seq: number): void {
    let drop = 0;
    while (drop < this.#batches.length && this.#batches[drop]!.seq <= seq) drop += 1;
    if (drop > 0) this.#batches.splice(0, drop);
  }

  /**
   * The connection is ready again and the server holds everything up to `lastAckedSeq`: forget
   * those, resend the rest in order, and send new batches as they come.
   */
  resume(lastAckedSeq: number): void {
    this.ack(lastAckedSeq);
    this.#online = true;
    for (const batch of this.#batches) this.#options.send(batch.frame);
  }

  /** The connection dropped: keep batches, send nothing until {@link Outbox.resume}. */
  pause(): void {
    this.#online = false;
  }

  /** Forgets everything. */
  clear(): void {
    this.#batches = [];
  }

  /**
   * Restores the bound. Batches before the newest full snapshot are obsolete (a late agent starts
   * from that snapshot), so they go first. If that is not enough, everything goes and the caller
   * is asked for a fresh snapshot. Returns whether the newest batch survived.
   */
  #trim(): boolean {
    let newestFull = -1;
    for (let i = this.#batches.length - 1; i > 0; i -= 1) {
      if (this.#batches[i]!.full) {
        newestFull = i;
        break;
      }
    }
    if (newestFull > 0) this.#batches.splice(0, newestFull);
    if (this.#batches.length <= this.#max) return true;
    this.#batches = [];
    this.#options.onOverflow?.();
    return false;
  }
}
