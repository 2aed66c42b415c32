/**
 * @module
 * Minimal rrweb events of each kind the batcher treats differently, and a decoder for the
 * `dom.batch` frames it produces (header check, then `zlib.inflateSync`, then JSON).
 */
import { inflateSync } from 'node:zlib';
import { EventType, IncrementalSource, type eventWithTime } from '@rrweb/types';
import { parseCustomerBatch, type DomBatchHeader } from '@sightline/protocol';

let clock = 1_700_000_000_000;

/** rrweb's Meta event, the first half of a full snapshot. */
export function meta(): eventWithTime {
  return {
    type: EventType.Meta,
    data: { href: 'https://shop.test/', width: 800, height: 600 },
    timestamp: ++clock,
  };
}

/** rrweb's FullSnapshot event. */
export function fullSnapshot(): eventWithTime {
  return {
    type: EventType.FullSnapshot,
    data: {
      node: { type: 0, childNodes: [], id: 1 },
      initialOffset: { top: 0, left: 0 },
    },
    timestamp: ++clock,
  } as eventWithTime;
}

/** A DOM mutation (batched on the interval). */
export function mutation(text = 'x'): eventWithTime {
  return {
    type: EventType.IncrementalSnapshot,
    data: {
      source: IncrementalSource.Mutation,
      texts: [{ id: 7, value: text }],
      attributes: [],
      removes: [],
      adds: [],
    },
    timestamp: ++clock,
  };
}

/** An input event (sent at once). */
export function input(text: string): eventWithTime {
  return {
    type: EventType.IncrementalSnapshot,
    data: { source: IncrementalSource.Input, id: 9, text, isChecked: false },
    timestamp: ++clock,
  };
}

/** A decoded `dom.batch` frame. */
export interface DecodedBatch {
  header: DomBatchHeader;
  events: eventWithTime[];
}

/** Validates a frame's header as the server does and inflates its payload. */
export function decodeBatch(frame: Uint8Array): DecodedBatch {
  const parsed = parseCustomerBatch(frame);
  if (!parsed.ok) throw parsed.error;
  const events = JSON.parse(inflateSync(parsed.value.payload).toString('utf8')) as eventWithTime[];
  return { header: parsed.value.header, events };
}
