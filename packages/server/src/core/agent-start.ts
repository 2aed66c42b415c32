/**
 * @module
 * Internal: what an allowed agent socket is sent before the live stream, per tab. A new agent
 * gets each tab's checkout (the latest full batch and the tail since). A reconnecting agent whose
 * hello said what its mirror holds (`resumeFrom`) gets, for each tab whose checkout still holds a
 * contiguous run from the seq after it, only that run: its mirror keeps the page it shows, with
 * no gap and no duplicate. For any other tab (the checkout moved past what the agent has, lost
 * its base, or the agent claims more than the server ever had) it gets the checkout, and the
 * welcome's `resumed` leaves that tab out so the agent starts it again.
 *
 * The checkouts are read after the socket joined the hub and while its frames are held, so every
 * batch is either in what is read here or among the held frames, which `markSent` filters.
 */
import type { ResumeFrom } from '@sightline/protocol';
import type { Bus, Checkout, StoredBatch } from './ports.js';

/** One tab's start: the stored batches to send, and whether they continue the agent's mirror. */
export interface TabStart {
  tabId: string;
  /** The batches follow the agent's `resumeFrom` seq for the tab; otherwise a checkout. */
  resumed: boolean;
  batches: StoredBatch[];
  /** The checkout's last seq: everything up to it is covered, sent or not. */
  lastSeq: number;
}

/** The part of a checkout that sends an agent who holds `from` nothing twice and misses nothing. */
export interface StartSink {
  /** Sends a stored batch and records its seq. */
  sendStored(batch: StoredBatch): void;
  /** Records everything up to `seq` of `tabId` as sent, so held frames do not repeat it. */
  markSent(tabId: string, seq: number): void;
}

/**
 * The batches of `checkout` after `from`, if they continue from it without a gap: the first one
 * is `from + 1` and each next one is one more. `[]` when the agent already has `lastSeq`.
 * `undefined` when the checkout cannot continue from `from`: it dropped batches the agent lacks,
 * or `from` is beyond anything the server accepted for the tab.
 */
export function batchesAfter(checkout: Checkout, from: number): StoredBatch[] | undefined {
  if (from > checkout.lastSeq) return undefined;
  const held = checkout.full ? [checkout.full, ...checkout.tail] : checkout.tail;
  const after = held.filter((batch) => batch.seq > from);
  let expected = from + 1;
  for (const batch of after) {
    if (batch.seq !== expected) return undefined;
    expected += 1;
  }
  // The run must reach the checkout's end: a checkout that lost its tail ends short of lastSeq.
  return expected === checkout.lastSeq + 1 ? after : undefined;
}

/**
 * Reads every tab's checkout and decides, per tab, between resuming from `resumeFrom` and the
 * whole checkout. Without `resumeFrom` (a first join, an older agent SDK), every tab is a checkout.
 */
export async function readStart(
  bus: Bus,
  sessionId: string,
  resumeFrom?: ResumeFrom,
): Promise<TabStart[]> {
  const starts: TabStart[] = [];
  for (const tabId of await bus.listTabs(sessionId)) {
    const checkout = await bus.readCheckout(sessionId, tabId);
    const from = resumeFrom?.[tabId];
    const resumed = from === undefined ? undefined : batchesAfter(checkout, from);
    starts.push({
      tabId,
      resumed: resumed !== undefined,
      batches: resumed ?? [...(checkout.full ? [checkout.full] : []), ...checkout.tail],
      lastSeq: checkout.lastSeq,
    });
  }
  return starts;
}

/** Sends each tab's start, marking every seq it covers as sent. */
export function sendStart(sink: StartSink, starts: readonly TabStart[]): void {
  for (const start of starts) {
    for (const batch of start.batches) sink.sendStored(batch);
    sink.markSent(start.tabId, start.lastSeq);
  }
}

/** The tabs that resume, for the welcome's `resumed`. */
export function resumedTabs(starts: readonly TabStart[]): string[] {
  return starts.filter((start) => start.resumed).map((start) => start.tabId);
}
