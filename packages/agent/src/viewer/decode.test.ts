import { SightlineError } from '@sightline/protocol';
import { strToU8, zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeBatchPayload } from './decode.js';

const pack = (value: unknown) => zlibSync(strToU8(JSON.stringify(value)));

function expectRefused(payload: Uint8Array, reason: RegExp): void {
  let thrown: unknown;
  try {
    decodeBatchPayload(payload);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(SightlineError);
  expect((thrown as SightlineError).errorName).toBe('PROTOCOL_INVALID_MESSAGE');
  expect((thrown as SightlineError).message).toMatch(reason);
}

describe('decodeBatchPayload', () => {
  it('returns the events of a valid payload, in order', () => {
    const events = [
      {
        type: 4,
        timestamp: 1000,
        data: { href: 'https://shop.example/', width: 800, height: 600 },
      },
      {
        type: 3,
        timestamp: 1010,
        data: { source: 0, texts: [], attributes: [], removes: [], adds: [] },
      },
    ];
    expect(decodeBatchPayload(pack(events))).toEqual(events);
  });

  it('keeps non-ASCII text intact', () => {
    const events = [{ type: 5, timestamp: 1, data: { tag: 'note', payload: 'Zoë — 日本' } }];
    expect(decodeBatchPayload(pack(events))).toEqual(events);
  });

  it('accepts an empty array', () => {
    expect(decodeBatchPayload(pack([]))).toEqual([]);
  });

  it('refuses bytes that are not zlib', () => {
    expectRefused(strToU8('[{"type":4,"timestamp":1}]'), /not zlib/);
  });

  it('refuses a stream with a corrupted zlib header', () => {
    const payload = pack([{ type: 4, timestamp: 1, data: { width: 1, height: 1 } }]);
    payload[0] = 0x00;
    expectRefused(payload, /not zlib/);
  });

  it('refuses a stream with corrupted compressed data', () => {
    // fflate does not check the Adler-32 trailer, so corruption may surface as bad text instead.
    const payload = pack([{ type: 4, timestamp: 1, data: { width: 1, height: 1 } }]);
    for (let i = 3; i < payload.length - 4; i += 2) payload[i] = (payload[i] ?? 0) ^ 0x5a;
    expectRefused(payload, /dom\.batch payload: (not zlib|not JSON|not an|an element)/);
  });

  it('refuses a truncated payload', () => {
    const payload = pack([{ type: 2, timestamp: 1, data: { node: {}, initialOffset: {} } }]);
    expectRefused(payload.subarray(0, payload.length - 6), /not zlib/);
  });

  it('refuses invalid UTF-8', () => {
    expectRefused(zlibSync(new Uint8Array([0x5b, 0xff, 0xfe, 0x5d])), /UTF-8/);
  });

  it('refuses text that is not JSON', () => {
    expectRefused(zlibSync(strToU8('[{"type":4,')), /not JSON/);
  });

  it.each([
    ['an object', { type: 4, timestamp: 1 }],
    ['a string', 'events'],
    ['a number', 42],
    ['null', null],
  ])('refuses a payload that is %s, not an array', (_label, value) => {
    expectRefused(pack(value), /not an array/);
  });

  it.each([
    ['a number', [1]],
    ['null', [null]],
    ['an array', [[4, 1]]],
    ['an event without a timestamp', [{ type: 4 }]],
    ['an event with a string type', [{ type: '4', timestamp: 1 }]],
    ['an event with a non-finite timestamp', [{ type: 4, timestamp: '1e999' }]],
  ])('refuses an array holding %s', (_label, value) => {
    expectRefused(pack(value), /not an rrweb event/);
  });
});
