/**
 * @module
 * The bytes the Redis bus writes: bus messages on a session's channel, and batches in a tab's
 * checkout. Binary frames travel raw, never as base64: a `dom.batch` is relayed at the cost of its
 * own bytes plus a header of a few dozen.
 *
 * A message is `[version u8][node id length u8][node id][header length u32 BE][header JSON]
 * [frame]`: the header is the message without its `frame`, and the frame, present for batches
 * only, is the rest. The node id comes first so a node can drop its own echoes before decoding.
 *
 * A stored batch is `[flags u8 (1: full)][seq f64 BE][receivedAt f64 BE][frame]`; its tab is in
 * the key it is stored under.
 */
import type { BusMessage, StoredBatch } from '../../../core/ports.js';

const VERSION = 1;
const STORED_HEADER_BYTES = 17;

/** Encodes a node id for {@link encodeMessage}; ids are 1 to 255 UTF-8 bytes. */
export function encodeNodeId(nodeId: string): Buffer {
  const bytes = Buffer.from(nodeId, 'utf8');
  if (bytes.byteLength < 1 || bytes.byteLength > 255 || nodeId.includes('\n')) {
    throw new Error('A bus node id is 1 to 255 bytes of UTF-8 without a newline');
  }
  return bytes;
}

/** Encodes `message` as published by the node whose {@link encodeNodeId} bytes are `nodeId`. */
export function encodeMessage(nodeId: Buffer, message: BusMessage): Buffer {
  const frame = message.kind === 'batch' ? message.frame : undefined;
  const header = Buffer.from(
    JSON.stringify(frame === undefined ? message : { ...message, frame: undefined }),
    'utf8',
  );
  const out = Buffer.allocUnsafe(
    2 + nodeId.byteLength + 4 + header.byteLength + (frame?.byteLength ?? 0),
  );
  let at = out.writeUInt8(VERSION, 0);
  at = out.writeUInt8(nodeId.byteLength, at);
  at += nodeId.copy(out, at);
  at = out.writeUInt32BE(header.byteLength, at);
  at += header.copy(out, at);
  if (frame !== undefined) out.set(frame, at);
  return out;
}

/**
 * Decodes a message unless it was published by `ownNodeId` (an echo) or is not one of ours
 * (another version, or garbage on the channel): `undefined` then.
 */
export function decodeMessage(ownNodeId: Buffer, data: Buffer): BusMessage | undefined {
  if (data.byteLength < 6 || data.readUInt8(0) !== VERSION) return undefined;
  const nodeLength = data.readUInt8(1);
  const nodeEnd = 2 + nodeLength;
  if (ownNodeId.equals(data.subarray(2, nodeEnd))) return undefined;
  if (data.byteLength < nodeEnd + 4) return undefined;
  const headerEnd = nodeEnd + 4 + data.readUInt32BE(nodeEnd);
  if (data.byteLength < headerEnd) return undefined;
  let message: BusMessage;
  try {
    message = JSON.parse(data.toString('utf8', nodeEnd + 4, headerEnd)) as BusMessage;
  } catch {
    return undefined;
  }
  if (message.kind === 'batch') {
    // A copy: the received buffer may be a slice of the connection's larger one, which a socket
    // still sending this frame would otherwise keep alive.
    message.frame = new Uint8Array(data.subarray(headerEnd));
  }
  return message;
}

/** Encodes a batch for its tab's checkout list. */
export function encodeStored(batch: StoredBatch): Buffer {
  const out = Buffer.allocUnsafe(STORED_HEADER_BYTES + batch.frame.byteLength);
  out.writeUInt8(batch.full ? 1 : 0, 0);
  out.writeDoubleBE(batch.seq, 1);
  out.writeDoubleBE(batch.receivedAt, 9);
  out.set(batch.frame, STORED_HEADER_BYTES);
  return out;
}

/** Decodes a batch of tab `tabId`'s checkout list. */
export function decodeStored(tabId: string, data: Buffer): StoredBatch {
  return {
    tabId,
    seq: data.readDoubleBE(1),
    full: data.readUInt8(0) === 1,
    receivedAt: data.readDoubleBE(9),
    frame: new Uint8Array(data.subarray(STORED_HEADER_BYTES)),
  };
}
