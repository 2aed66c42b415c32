/**
 * @module
 * Which batches reach the mirror when the customer has several tabs. Each tab's batches carry
 * their own `seq`; a batch at or below the last seq seen for its tab is a duplicate (a resend
 * after the customer reconnected, or the checkout overlapping the live stream) and is dropped.
 * The mirror shows one tab: the tab the customer is using (see {@link TabTracker.follow}), from
 * its latest full snapshot on; until the customer's tabs are known, the tab whose full snapshot
 * the server received last. A background tab's snapshot (a checkout refresh) never takes over.
 */
import { MAX_RESUME_TABS, type DomBatchRelayHeader } from '@sightline/protocol';

/** What to do with a batch. */
export type BatchVerdict =
  /** Apply it to the mirror. A `full` batch rebuilds the page (and may switch tabs). */
  | 'apply'
  /** Drop it: its seq was already seen for its tab. */
  | 'duplicate'
  /** Drop it: it belongs to a tab the mirror is not showing. */
  | 'inactive_tab'
  /** Drop it: its tab starts again (a rejoin did not resume it) and has sent no full snapshot yet. */
  | 'awaiting_snapshot';

/** Tracks per-tab seqs and the shown tab. */
export class TabTracker {
  readonly #lastSeq = new Map<string, number>();
  /** Tabs that start again: nothing of theirs applies before their next full snapshot. */
  readonly #awaitingFull = new Set<string>();
  #active: { tabId: string; fullReceivedAt: number } | undefined;
  /** The tab the customer uses (or used last), whose snapshots the mirror switches to. */
  #followed: string | undefined;

  /** Starts with the tab to follow, if known (a new socket, same customer). */
  constructor(followed?: string) {
    this.#followed = followed;
  }

  /**
   * Follows `tabId`: its next full snapshot, or the next one after it, switches the mirror to it
   * (the customer SDK sends one when a tab comes to the front).
   */
  follow(tabId: string): void {
    this.#followed = tabId;
  }

  /** The tab being followed, if any. */
  get followedTabId(): string | undefined {
    return this.#followed;
  }

  /** The tab the mirror shows, once a full snapshot has arrived. */
  get activeTabId(): string | undefined {
    return this.#active?.tabId;
  }

  /** The last seq seen for `tabId`, or 0. */
  lastSeq(tabId: string): number {
    return this.#lastSeq.get(tabId) ?? 0;
  }

  /**
   * Forgets what was seen of `tabId`: its seqs start over, and nothing of it applies before its
   * next full snapshot (a rejoin whose welcome did not resume the tab). The page shown stays on
   * screen until then.
   */
  forget(tabId: string): void {
    this.#lastSeq.delete(tabId);
    this.#awaitingFull.add(tabId);
  }

  /** Forgets every tab but `kept` (see {@link TabTracker.forget}). */
  keepOnly(kept: ReadonlySet<string>): void {
    for (const tabId of [...this.#lastSeq.keys()]) if (!kept.has(tabId)) this.forget(tabId);
  }

  /**
   * Per tab, the last seq seen: what a reconnecting hello's `resumeFrom` says the mirror holds. At
   * most `limit` tabs: the one shown first, then the newest ones; a tab left out
   * starts again from its checkout.
   */
  resumePoints(limit = MAX_RESUME_TABS): Record<string, number> {
    const shown = this.#active?.tabId;
    const entries = [...this.#lastSeq].reverse();
    entries.sort(([a], [b]) => Number(b === shown) - Number(a === shown));
    return Object.fromEntries(entries.slice(0, limit));
  }

  /** Decides on a batch and records its seq. Call once per batch, in arrival order. */
  accept(header: Pick<DomBatchRelayHeader, 'tabId' | 'seq' | 'full' | 'receivedAt'>): BatchVerdict {
    if (header.seq <= this.lastSeq(header.tabId)) return 'duplicate';
    this.#lastSeq.set(header.tabId, header.seq);
    if (this.#awaitingFull.has(header.tabId)) {
      if (!header.full) return 'awaiting_snapshot';
      this.#awaitingFull.delete(header.tabId);
    }
    if (header.full && this.#shows(header)) {
      this.#active = { tabId: header.tabId, fullReceivedAt: header.receivedAt };
      return 'apply';
    }
    return this.#active?.tabId === header.tabId ? 'apply' : 'inactive_tab';
  }

  /** Whether a full snapshot of this tab becomes the page shown. */
  #shows(header: Pick<DomBatchRelayHeader, 'tabId' | 'receivedAt'>): boolean {
    if (!this.#active) return true;
    // The customer's tab in front wins, whenever its snapshot was taken; no other tab does.
    if (this.#followed !== undefined) return header.tabId === this.#followed;
    // `>=`: of two snapshots the server received in the same millisecond, the later arrival wins.
    return header.receivedAt >= this.#active.fullReceivedAt;
  }
}
