/**
 * @module
 * One tab's checkout as a value: the latest full batch, the tail since, the last seq, and the
 * rules for appending. Used by the memory bus; a Redis bus keeps the same rules in Redis.
 */
import type { AppendResult, Checkout, StoredBatch } from '../../../core/ports.js';

/** A tab's checkout. */
export class TabCheckout {
  private full?: StoredBatch;
  private tail: StoredBatch[] = [];
  private tailBytes = 0;
  private lastSeq = 0;
  /** Overflowed: nothing is kept until the next full batch gives a new base. */
  private stale = false;

  constructor(private readonly maxBytes: number) {}

  /**
   * Appends a batch. A seq at or below the last one is a duplicate (a resend after a reconnect)
   * and changes nothing. A full batch replaces everything. Past `maxBytes` the checkout drops its
   * content and stays empty until the next full batch: a tail without its base is useless.
   */
  append(batch: StoredBatch): AppendResult {
    if (batch.seq <= this.lastSeq) return { status: 'duplicate', lastSeq: this.lastSeq };
    this.lastSeq = batch.seq;
    if (batch.full) {
      this.full = batch;
      this.tail = [];
      this.tailBytes = 0;
      this.stale = false;
    } else if (!this.stale) {
      this.tail.push(batch);
      this.tailBytes += batch.frame.byteLength;
    }
    if ((this.full?.frame.byteLength ?? 0) + this.tailBytes > this.maxBytes) {
      this.full = undefined;
      this.tail = [];
      this.tailBytes = 0;
      this.stale = true;
    }
    return {
      status: 'appended',
      tailBytes: this.tailBytes,
      tailBatches: this.tail.length,
      truncated: this.stale,
    };
  }

  /** A snapshot of the checkout; later appends do not change it. */
  read(): Checkout {
    return { full: this.full, tail: [...this.tail], lastSeq: this.lastSeq };
  }

  /** The highest seq accepted. */
  get last(): number {
    return this.lastSeq;
  }
}
