/**
 * @module
 * The customer's open tabs as this agent knows them, from the server's `customer.tabs` frames:
 * which tab is in front (the mirror follows it), and whether the customer has left the site's
 * tabs altogether (`customer_focus_lost`, after a grace period, since switching between two of
 * the site's tabs passes through a moment with neither focused).
 */
import type { Clock, TimerHandle } from '@sightline/client';
import type { CustomerTab, CustomerTabs } from '@sightline/protocol';

/** What the view reports. */
export interface CustomerTabsCallbacks {
  /** The list changed. `focusedTabId` is the tab in front, if any. */
  changed(tabs: CustomerTab[], focusedTabId: string | undefined): void;
  /** No tab has been in front for the grace period. Once per absence. */
  focusLost(): void;
}

/** One agent's view of the customer's tabs. */
export class CustomerTabsView {
  readonly #clock: Clock;
  readonly #graceMs: number;
  readonly #callbacks: CustomerTabsCallbacks;
  #revision = -1;
  #tabs: CustomerTab[] = [];
  #lostTimer: TimerHandle | undefined;
  #lostReported = false;

  constructor(clock: Clock, graceMs: number, callbacks: CustomerTabsCallbacks) {
    this.#clock = clock;
    this.#graceMs = graceMs;
    this.#callbacks = callbacks;
  }

  /** The open tabs, oldest first. */
  get tabs(): CustomerTab[] {
    return this.#tabs.map((tab) => ({ ...tab }));
  }

  /** The tab in front, if any. */
  get focusedTabId(): string | undefined {
    // Two tabs may both say so for a moment (a switch reported out of order): the later wins.
    let front: CustomerTab | undefined;
    for (const tab of this.#tabs) {
      if (tab.state === 'focused' && (!front || tab.since >= front.since)) front = tab;
    }
    return front?.tabId;
  }

  /** Takes a `customer.tabs` frame; one older than a list already seen is ignored. */
  update(frame: CustomerTabs): void {
    if (frame.revision < this.#revision) return;
    this.#revision = frame.revision;
    this.#tabs = frame.tabs.map((tab) => ({ ...tab }));
    const focused = this.focusedTabId;
    if (focused !== undefined || this.#tabs.length === 0) {
      // Back in front (or no tab at all, which is the customer reconnecting, not looking away).
      this.#cancelLost();
      this.#lostReported = false;
    } else if (this.#lostTimer === undefined && !this.#lostReported) {
      this.#lostTimer = this.#clock.setTimeout(() => {
        this.#lostTimer = undefined;
        this.#lostReported = true;
        this.#callbacks.focusLost();
      }, this.#graceMs);
    }
    this.#callbacks.changed(this.tabs, focused);
  }

  /** Stops the grace timer. */
  dispose(): void {
    this.#cancelLost();
  }

  #cancelLost(): void {
    if (this.#lostTimer === undefined) return;
    this.#clock.clearTimeout(this.#lostTimer);
    this.#lostTimer = undefined;
  }
}
