import { describe, expect, it } from 'vitest';
import { batchesAfter } from './agent-start.js';
import type { Checkout, StoredBatch } from './ports.js';

const batch = (seq: number, full = false): StoredBatch => ({
  tabId: 'tab-1',
  seq,
  full,
  receivedAt: 1_000 + seq,
  frame: new Uint8Array([seq]),
});

/** A checkout whose full batch is `fullSeq` and whose tail runs to `lastSeq`. */
function checkout(fullSeq: number, lastSeq: number): Checkout {
  const tail: StoredBatch[] = [];
  for (let seq = fullSeq + 1; seq <= lastSeq; seq += 1) tail.push(batch(seq));
  return { full: batch(fullSeq, true), tail, lastSeq };
}

const seqs = (batches: StoredBatch[] | undefined) => batches?.map((b) => b.seq);

describe('batchesAfter', () => {
  it('continues from the seq after the agent’s, within the tail or from the full batch', () => {
    expect(seqs(batchesAfter(checkout(3, 6), 4))).toEqual([5, 6]);
    expect(seqs(batchesAfter(checkout(3, 6), 3))).toEqual([4, 5, 6]);
    expect(seqs(batchesAfter(checkout(3, 6), 2))).toEqual([3, 4, 5, 6]);
  });

  it('sends nothing to an agent that already has the last seq', () => {
    expect(batchesAfter(checkout(3, 6), 6)).toEqual([]);
    // A checkout that lost its content still knows its last seq: nothing is missing.
    expect(batchesAfter({ tail: [], lastSeq: 9 }, 9)).toEqual([]);
  });

  it('cannot continue when the checkout moved past the agent’s seq', () => {
    expect(batchesAfter(checkout(5, 8), 3)).toBeUndefined();
  });

  it('cannot continue when the checkout dropped its content, or has a hole', () => {
    expect(batchesAfter({ tail: [], lastSeq: 9 }, 4)).toBeUndefined();
    const holed: Checkout = { full: batch(1, true), tail: [batch(2), batch(4)], lastSeq: 4 };
    expect(batchesAfter(holed, 1)).toBeUndefined();
    expect(seqs(batchesAfter(holed, 2))).toBeUndefined();
    expect(seqs(batchesAfter(holed, 3))).toEqual([4]);
  });

  it('cannot continue from a seq the server never accepted', () => {
    expect(batchesAfter(checkout(1, 3), 4)).toBeUndefined();
    expect(batchesAfter({ tail: [], lastSeq: 0 }, 1)).toBeUndefined();
  });
});
