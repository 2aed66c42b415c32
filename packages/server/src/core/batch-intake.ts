/**
 * @module
 * Internal: one customer tab's `dom.batch` frames, from bytes to relay. A batch is validated,
 * appended to the tab's checkout, relayed to the agents and acked; a resent seq is acked again
 * and goes no further. When the checkout's tail passes its bound the customer is asked for a
 * fresh full snapshot, once until it arrives. A tab resuming on a socket first has its newest
 * stored batch relayed again ({@link relayLastStored}).
 */
import {
  SightlineError,
  encodeBinaryFrame,
  parseCustomerBatch,
  type DomBatchRelayHeader,
  type ServerToClient,
} from '@sightline/protocol';
import type { GatewayContext } from './gateway-context.js';
import type { StoredBatch } from './ports.js';

/**
 * Relays `tabId`'s newest stored batch again, for a customer socket resuming the tab, before its
 * welcome. A node appends a batch to the checkout, then relays it, then acks it, one batch at a
 * time, and its bus carries its commands in order; so a node killed in between leaves at most
 * this one batch stored but never relayed, and the customer, welcomed with it as stored, does not
 * resend it. Agents that had it drop the copy by seq (`socket-feed.ts`).
 */
export async function relayLastStored(
  ctx: GatewayContext,
  sessionId: string,
  tabId: string,
): Promise<void> {
  const checkout = await ctx.bus.readCheckout(sessionId, tabId);
  const last = checkout.tail.at(-1) ?? checkout.full;
  if (last?.seq === checkout.lastSeq) ctx.hub.relayBatch(sessionId, last);
}

/** The batches of one customer socket. */
export class BatchIntake {
  /** A `checkout_tail` snapshot request is outstanding (until a full batch arrives). */
  private tailRequested = false;

  constructor(
    private readonly ctx: GatewayContext,
    private readonly sessionId: string,
    private readonly tabId: string,
    /** Sends a frame to this customer socket. */
    private readonly send: (message: ServerToClient) => void,
  ) {}

  /** Takes one binary frame. Returns the error to refuse it with, if it is refused. */
  async receive(data: Uint8Array): Promise<SightlineError | undefined> {
    const parsed = parseCustomerBatch(data);
    if (!parsed.ok) return parsed.error;
    const { header, payload } = parsed.value;
    if (header.tabId !== this.tabId) {
      return new SightlineError(
        'MESSAGE_NOT_ALLOWED',
        'dom.batch names another tab than the hello.',
      );
    }
    const full = header.full === true;
    const relayHeader: DomBatchRelayHeader = {
      type: 'dom.batch',
      tabId: header.tabId,
      seq: header.seq,
      full,
      receivedAt: this.ctx.clock.now(),
    };
    // The payload is copied once into the relay frame, never decompressed or parsed.
    const stored: StoredBatch = {
      tabId: header.tabId,
      seq: header.seq,
      full,
      receivedAt: relayHeader.receivedAt,
      frame: encodeBinaryFrame(relayHeader, payload),
    };
    const result = await this.ctx.bus.appendBatch(this.sessionId, stored);
    if (result.status === 'duplicate') {
      this.send({ type: 'dom.ack', tabId: header.tabId, seq: result.lastSeq });
      return undefined;
    }
    // A new batch is the customer's activity (the page changed or they typed); a resent
    // duplicate is not, and neither is anything an agent sends.
    this.ctx.lifecycle.touch(this.sessionId);
    this.ctx.hub.relayBatch(this.sessionId, stored);
    this.ctx.metrics.batchRelayed(data.byteLength);
    this.send({ type: 'dom.ack', tabId: header.tabId, seq: header.seq });

    const { checkoutTailRefreshBytes, checkoutTailRefreshBatches } = this.ctx.limits;
    if (full) {
      this.tailRequested = false;
    } else if (
      !this.tailRequested &&
      (result.truncated ||
        result.tailBytes >= checkoutTailRefreshBytes ||
        result.tailBatches >= checkoutTailRefreshBatches)
    ) {
      this.tailRequested = true;
      this.send({ type: 'dom.snapshot_request', tabId: header.tabId, reason: 'checkout_tail' });
    }
    return undefined;
  }
}
