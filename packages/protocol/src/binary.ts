/**
 * @module
 * The binary frame layout for `dom.batch`:
 *
 * ```
 * [u32 big-endian: header length H][H bytes: UTF-8 JSON header][rest: payload]
 * ```
 *
 * The header is small JSON validated by a schema; the payload is opaque to the server (the customer
 * SDK's deflate-compressed JSON array of rrweb events). Relaying swaps the header and reuses the
 * payload bytes, so relay cost grows with bytes, not with DOM complexity.
 */
import { MAX_BATCH_HEADER_BYTES } from './limits.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Builds a binary frame from a header object and a payload. */
export function encodeBinaryFrame(header: object, payload: Uint8Array): Uint8Array {
  const headerBytes = encoder.encode(JSON.stringify(header));
  const frame = new Uint8Array(4 + headerBytes.length + payload.length);
  new DataView(frame.buffer).setUint32(0, headerBytes.length, false);
  frame.set(headerBytes, 4);
  frame.set(payload, 4 + headerBytes.length);
  return frame;
}

/** A binary frame split into its parts. The header is parsed JSON, not yet validated. */
export interface DecodedBinaryFrame {
  header: unknown;
  payload: Uint8Array;
}

/**
 * Splits a binary frame. Returns `undefined` for anything that is not a well-formed frame (too
 * short, header too long or not JSON); the caller answers with `PROTOCOL_INVALID_MESSAGE`.
 * The payload is a view on `frame`, not a copy.
 */
export function decodeBinaryFrame(frame: Uint8Array): DecodedBinaryFrame | undefined {
  if (frame.length < 4) return undefined;
  const headerLength = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(
    0,
    false,
  );
  if (
    headerLength === 0 ||
    headerLength > MAX_BATCH_HEADER_BYTES ||
    4 + headerLength > frame.length
  ) {
    return undefined;
  }
  try {
    const header: unknown = JSON.parse(decoder.decode(frame.subarray(4, 4 + headerLength)));
    return { header, payload: frame.subarray(4 + headerLength) };
  } catch {
    return undefined;
  }
}
