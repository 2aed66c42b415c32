import { describe, expect, it } from 'vitest';
import { decodeBinaryFrame, encodeBinaryFrame } from './binary.js';
import { MAX_BATCH_HEADER_BYTES } from './limits.js';
import { parseCustomerBatch, parseRelayedBatch } from './parse.js';

describe('binary frames', () => {
  it('round-trips header and payload, and the payload is a view, not a copy', () => {
    const payload = new Uint8Array([1, 2, 3, 250]);
    const frame = encodeBinaryFrame({ type: 'dom.batch', tabId: 't', seq: 7 }, payload);
    const decoded = decodeBinaryFrame(frame);
    expect(decoded?.header).toEqual({ type: 'dom.batch', tabId: 't', seq: 7 });
    expect(Array.from(decoded?.payload ?? [])).toEqual([1, 2, 3, 250]);
    expect(decoded?.payload.buffer).toBe(frame.buffer);
  });

  it('decodes a frame that sits at an offset inside a larger buffer', () => {
    const frame = encodeBinaryFrame({ a: 1 }, new Uint8Array([9]));
    const host = new Uint8Array(frame.length + 10);
    host.set(frame, 10);
    expect(decodeBinaryFrame(host.subarray(10))?.header).toEqual({ a: 1 });
  });

  it('refuses short, truncated, oversized-header and non-JSON frames', () => {
    expect(decodeBinaryFrame(new Uint8Array([0, 0]))).toBeUndefined();
    const truncated = encodeBinaryFrame({ a: 1 }, new Uint8Array()).subarray(0, 6);
    expect(decodeBinaryFrame(truncated)).toBeUndefined();
    const huge = new Uint8Array(8);
    new DataView(huge.buffer).setUint32(0, MAX_BATCH_HEADER_BYTES + 1);
    expect(decodeBinaryFrame(huge)).toBeUndefined();
    const notJson = new Uint8Array([0, 0, 0, 2, 0x7b, 0x7b]);
    expect(decodeBinaryFrame(notJson)).toBeUndefined();
    const zeroHeader = new Uint8Array([0, 0, 0, 0, 1]);
    expect(decodeBinaryFrame(zeroHeader)).toBeUndefined();
  });

  it('validates the header by direction', () => {
    const fromCustomer = encodeBinaryFrame(
      { type: 'dom.batch', tabId: 't', seq: 1, full: true },
      new Uint8Array([1]),
    );
    expect(parseCustomerBatch(fromCustomer).ok).toBe(true);
    expect(parseRelayedBatch(fromCustomer).ok).toBe(false);
    const relayed = encodeBinaryFrame(
      { type: 'dom.batch', tabId: 't', seq: 1, full: false, receivedAt: 5 },
      new Uint8Array([1]),
    );
    expect(parseRelayedBatch(relayed).ok).toBe(true);
    const bad = parseCustomerBatch(relayed);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe(3001);
  });
});
