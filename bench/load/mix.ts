/**
 * @module
 * What each customer of the load bench sends: 10 batches/s, a full snapshot first, then mostly
 * small mutation batches (the relay bench's 120 B – 1 KB), every 5th a medium one (1–4 KB, a
 * form or a list re-rendering), every 50th a larger one (16–64 KB, a route change). Payloads are
 * the relay bench's: the send time and the batch number in the first 12 bytes, so latency is read
 * on the load generator's clock without the relay parsing anything.
 */
import { payload, smallSize } from '../relay/load.js';

/** Batches per second, per customer. */
export const BATCHES_PER_SECOND = 10;

/** The full snapshot a customer sends first (a deflated rrweb snapshot of a shop page). */
export const SNAPSHOT_BYTES = 200 * 1024;

/** What a batch is, for the report. */
export type BatchKind = 'snapshot' | 'small' | 'medium' | 'large';

/** The kind of batch number `seq` (from 1) of a customer's stream. */
export function kindOf(seq: number): BatchKind {
  if (seq === 1) return 'snapshot';
  if (seq % 50 === 0) return 'large';
  if (seq % 5 === 0) return 'medium';
  return 'small';
}

/** A number in [0, 1) spread evenly over `seq`, the same in every run. */
function spread(seq: number): number {
  return ((seq * 2654435761) % 1000) / 1000;
}

/** Payload size in bytes of batch `seq` of kind `kind`. */
export function sizeOf(seq: number, kind: BatchKind): number {
  switch (kind) {
    case 'snapshot':
      return SNAPSHOT_BYTES;
    case 'large':
      return Math.round(16_384 + 49_152 * spread(seq));
    case 'medium':
      return Math.round(1024 + 3072 * spread(seq));
    case 'small':
      return smallSize(seq);
  }
}

/** The payload of batch `seq`, stamped with the send time now; `full` overrides the kind. */
export function batchPayload(seq: number, full = false): Uint8Array {
  return payload(full ? SNAPSHOT_BYTES : sizeOf(seq, kindOf(seq)), seq);
}

/** Reads the send time (performance.now() of the generator) and batch number from a payload. */
export function readStamp(bytes: Uint8Array): { sentAt: number; seq: number } | undefined {
  if (bytes.length < 12) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { sentAt: view.getFloat64(0), seq: view.getUint32(8) };
}

/** Mean payload bytes per batch after the snapshot, over one cycle of 50 batches. */
export function meanBatchBytes(): number {
  let total = 0;
  for (let seq = 51; seq <= 100; seq += 1) total += sizeOf(seq, kindOf(seq));
  return total / 50;
}
