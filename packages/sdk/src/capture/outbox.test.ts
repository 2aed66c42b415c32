import { describe, expect, it } from 'vitest';
import type { EncodedBatch } from './batcher.js';
import { Outbox } from './outbox.js';

function batch(seq: number, full = false): EncodedBatch {
  return { seq, full, frame: new Uint8Array([seq]) };
}

function setup(maxUnacked?: number) {
  const sent: number[] = [];
  let overflows = 0;
  const outbox = new Outbox({
    send: (frame) => sent.push(frame[0]!),
    onOverflow: () => (overflows += 1),
    maxUnacked,
  });
  return { sent, outbox, overflows: () => overflows };
}

describe('Outbox', () => {
  it('sends nothing before the connection is ready, then everything in order', () => {
    const { sent, outbox } = setup();
    outbox.push(batch(1));
    outbox.push(batch(2));
    expect(sent).toEqual([]);
    outbox.resume(0);
    expect(sent).toEqual([1, 2]);
    outbox.push(batch(3));
    expect(sent).toEqual([1, 2, 3]);
  });

  it('forgets batches when an ack covers them (cumulative)', () => {
    const { outbox } = setup();
    outbox.resume(0);
    for (const seq of [1, 2, 3, 4]) outbox.push(batch(seq));
    outbox.ack(2);
    expect(outbox.pendingSeqs).toEqual([3, 4]);
    outbox.ack(1);
    expect(outbox.pendingSeqs).toEqual([3, 4]);
    outbox.ack(4);
    expect(outbox.size).toBe(0);
  });

  it('after a reconnect, resends exactly the batches above lastAckedSeq, in order', () => {
    const { sent, outbox } = setup();
    outbox.resume(0);
    for (const seq of [1, 2, 3, 4, 5]) outbox.push(batch(seq));
    outbox.ack(2);
    outbox.pause();
    outbox.push(batch(6));
    sent.length = 0;
    // The server stored 3 but its ack was lost with the socket.
    outbox.resume(3);
    expect(sent).toEqual([4, 5, 6]);
    expect(outbox.pendingSeqs).toEqual([4, 5, 6]);
  });

  it('holds new batches while paused', () => {
    const { sent, outbox } = setup();
    outbox.resume(0);
    outbox.pause();
    outbox.push(batch(1));
    expect(sent).toEqual([]);
    outbox.resume(0);
    expect(sent).toEqual([1]);
  });

  it('at its bound, first drops what the newest full snapshot supersedes', () => {
    const { outbox, overflows } = setup(4);
    outbox.push(batch(1, true));
    outbox.push(batch(2));
    outbox.push(batch(3, true));
    outbox.push(batch(4));
    outbox.push(batch(5));
    expect(outbox.pendingSeqs).toEqual([3, 4, 5]);
    expect(overflows()).toBe(0);
  });

  it('with no newer full snapshot, drops everything and asks for one', () => {
    const { sent, outbox, overflows } = setup(3);
    outbox.push(batch(1, true));
    for (const seq of [2, 3, 4]) outbox.push(batch(seq));
    expect(outbox.size).toBe(0);
    expect(overflows()).toBe(1);
    outbox.resume(0);
    expect(sent).toEqual([]);
  });
});
