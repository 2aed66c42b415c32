/**
 * @module
 * Which batches reach the mirror when the customer has several tabs. Each tab's batches carry
 * their own `seq`; a batch at or below the last seq seen for its tab is a duplicate (a resend
 * after the customer reconnected, or the checkout overlapping the live stream) and is dropped.
 * The mirror shows one tab: the one whose latest full snapshot the server received last.
 */
import type { DomBatchRelayHeader } from '@sightline/protocol';

/** What to do with a batch. */
export type BatchVerdict =
  /** Apply it to the mirror. A `full` batch rebuilds the page (and may switch tabs). */
  | 'apply'
  /** Drop it: its seq was already seen for its tab. */
  | 'duplicate'
  /** Drop it: it belongs to a tab the mirror is not showing. */
  | 'inactive_tab';

/** Tracks per-tab seqs and the shown tab. */
export class TabTracker {
  readonly #lastSeq = new Map<string, number>();
  #active: { tabId: string; fullReceivedAt: number } | undefined;

  /** The tab the mirror shows, once a full snapshot has arrived. */
  get activeTabId(): string | undefined {
    return this.#active?.tabId;
  }

  /** The last seq seen for `tabId`, or 0. */
  lastSeq(tabId: string): number {
    return this.#lastSeq.get(tabId) ?? 0;
  }

  /** Decides on a batch and records its seq. Call once per batch, in arrival order. */
  accept(header: Pick<DomBatchRelayHeader, 'tabId' | 'seq' | 'full' | 'receivedAt'>): BatchVerdict {
    if (header.seq <= this.lastSeq(header.tabId)) return 'duplicate';
    this.#lastSeq.set(header.tabId, header.seq);
    // `>=`: of two snapshots the server received in the same millisecond, the later arrival wins.
    if (header.full && (!this.#active || header.receivedAt >= this.#active.fullReceivedAt)) {
      this.#active = { tabId: header.tabId, fullReceivedAt: header.receivedAt };
      return 'apply';
    }
    return this.#active?.tabId === header.tabId ? 'apply' : 'inactive_tab';
  }
}
