/**
 * @module
 * `dom.*` messages: the page stream. A `dom.batch` is an envelope around an opaque, compressed
 * payload (a deflate-compressed JSON array of rrweb events) and travels as a binary frame; see
 * `../binary.ts`. The server never decompresses the payload on the relay path.
 */
import * as z from 'zod';
import { Seq, TabId } from './common.js';

/**
 * Header of a `dom.batch` binary frame, sent by the customer SDK to the server. `full` marks a
 * batch that starts with a full snapshot (rrweb Meta + FullSnapshot), which resets the tab's
 * checkout. The server acks every batch with `dom.ack`.
 */
export const DomBatchHeader = z
  .object({
    type: z.literal('dom.batch'),
    tabId: TabId,
    seq: Seq,
    full: z.boolean().optional(),
  })
  .strict();
export type DomBatchHeader = z.infer<typeof DomBatchHeader>;

/**
 * Header of a `dom.batch` binary frame, relayed by the server to every agent in the session.
 * `receivedAt` is the server's receive time (ms since the epoch): agents pace replay by it, so the
 * customer's clock never matters.
 */
export const DomBatchRelayHeader = z.object({
  type: z.literal('dom.batch'),
  tabId: TabId,
  seq: Seq,
  full: z.boolean(),
  receivedAt: z.number(),
});
export type DomBatchRelayHeader = z.infer<typeof DomBatchRelayHeader>;

/**
 * Sent by the server to the customer SDK: every batch of `tabId` up to and including `seq` is
 * stored. The SDK may forget them. Cumulative.
 */
export const DomAck = z.object({
  type: z.literal('dom.ack'),
  tabId: TabId,
  seq: z.number().int().min(0),
});
export type DomAck = z.infer<typeof DomAck>;

/**
 * Sent by the server to the customer SDK: take a full snapshot of `tabId` now. Sent when an agent
 * joins, and when the tab's checkout tail grows past its bound.
 */
export const DomSnapshotRequest = z.object({
  type: z.literal('dom.snapshot_request'),
  tabId: TabId.optional(),
  reason: z.enum(['agent_joined', 'checkout_tail']),
});
export type DomSnapshotRequest = z.infer<typeof DomSnapshotRequest>;
