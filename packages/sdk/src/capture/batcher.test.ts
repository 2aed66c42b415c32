import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BATCH_INTERVAL_MS, MAX_BINARY_FRAME_BYTES } from '@sightline/protocol';
import { ManualClock } from '../../test/manual-clock.js';
import { decodeBatch, fullSnapshot, input, meta, mutation } from '../../test/rrweb-events.js';
import { Batcher, type EncodedBatch } from './batcher.js';

function setup() {
  const clock = new ManualClock();
  const batches: EncodedBatch[] = [];
  const oversize: { full: boolean; bytes: number }[] = [];
  const batcher = new Batcher({
    tabId: 'tab-1',
    clock,
    onBatch: (batch) => batches.push(batch),
    onOversize: (dropped) => oversize.push(dropped),
  });
  return { clock, batches, oversize, batcher };
}

describe('Batcher', () => {
  it('holds events for BATCH_INTERVAL_MS, then sends them as one batch', () => {
    const { clock, batches, batcher } = setup();
    const first = mutation('a');
    const second = mutation('b');
    batcher.add(first);
    clock.advance(10);
    batcher.add(second);
    clock.advance(BATCH_INTERVAL_MS - 11);
    expect(batches).toHaveLength(0);
    clock.advance(1);
    expect(batches).toHaveLength(1);
    expect(decodeBatch(batches[0]!.frame)).toEqual({
      header: { type: 'dom.batch', tabId: 'tab-1', seq: 1, full: false },
      events: [first, second],
    });
    expect(clock.pendingTimers).toBe(0);
  });

  it('sends an input event at once, together with what was pending', () => {
    const { clock, batches, batcher } = setup();
    const before = mutation();
    const typed = input('A');
    batcher.add(before);
    batcher.add(typed);
    expect(batches).toHaveLength(1);
    expect(decodeBatch(batches[0]!.frame).events).toEqual([before, typed]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('starts a new batch at a full snapshot, marks it full and sends it at once', () => {
    const { clock, batches, batcher } = setup();
    const before = mutation();
    const snapshotMeta = meta();
    const snapshot = fullSnapshot();
    batcher.add(before);
    batcher.add(snapshotMeta);
    batcher.add(snapshot);
    const decoded = batches.map((batch) => decodeBatch(batch.frame));
    expect(decoded.map((batch) => batch.header)).toEqual([
      { type: 'dom.batch', tabId: 'tab-1', seq: 1, full: false },
      { type: 'dom.batch', tabId: 'tab-1', seq: 2, full: true },
    ]);
    expect(decoded[0]!.events).toEqual([before]);
    expect(decoded[1]!.events).toEqual([snapshotMeta, snapshot]);
    expect(batches.map((batch) => batch.full)).toEqual([false, true]);

    const after = mutation();
    batcher.add(after);
    clock.advance(BATCH_INTERVAL_MS);
    expect(decodeBatch(batches[2]!.frame)).toEqual({
      header: { type: 'dom.batch', tabId: 'tab-1', seq: 3, full: false },
      events: [after],
    });
  });

  it('numbers batches 1, 2, 3, … with no gaps', () => {
    const { clock, batches, batcher } = setup();
    batcher.add(input('a'));
    batcher.add(mutation());
    clock.advance(BATCH_INTERVAL_MS);
    batcher.add(input('b'));
    batcher.flush();
    batcher.flush();
    expect(batches.map((batch) => batch.seq)).toEqual([1, 2, 3]);
    expect(batcher.nextSeq).toBe(4);
  });

  it('round-trips the payload through zlib.inflateSync, unicode included', () => {
    const { batches, batcher } = setup();
    const typed = input('Zoë — 東京 🚲');
    batcher.add(typed);
    expect(decodeBatch(batches[0]!.frame).events).toEqual([typed]);
  });

  it('never reuses a seq the server already holds (continueAfter)', () => {
    const { batches, batcher } = setup();
    batcher.continueAfter(41);
    batcher.add(input('a'));
    batcher.continueAfter(10);
    batcher.add(input('b'));
    expect(batches.map((batch) => batch.seq)).toEqual([42, 43]);
  });

  it('drops a batch the server would refuse, without using its seq', () => {
    const { batches, oversize, batcher } = setup();
    // Random bytes do not compress: base64 of 9 MiB stays above the 8 MiB frame limit.
    batcher.add(input(randomBytes(9 * 1024 * 1024).toString('base64')));
    expect(batches).toHaveLength(0);
    expect(oversize).toHaveLength(1);
    expect(oversize[0]!.full).toBe(false);
    expect(oversize[0]!.bytes).toBeGreaterThan(MAX_BINARY_FRAME_BYTES);
    batcher.add(input('small'));
    expect(batches.map((batch) => batch.seq)).toEqual([1]);
  });

  it('dispose drops pending events and cancels the timer', () => {
    const { clock, batches, batcher } = setup();
    batcher.add(mutation());
    batcher.dispose();
    expect(clock.pendingTimers).toBe(0);
    clock.advance(BATCH_INTERVAL_MS * 2);
    expect(batches).toHaveLength(0);
  });
});
