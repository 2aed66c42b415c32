/**
 * @module
 * Internal: the customer's open tabs, as agents see them. Each customer socket is one tab; the
 * customer SDK reports whether the tab is focused, visible or hidden (`tab.activity`), and its
 * socket closing makes it `gone`. Every change is recorded on the bus (so any node can read the
 * list) and sent as `customer.tabs` to the agents the customer allowed to see the page, and an
 * agent gets the whole list when it starts watching, before the page itself. Agents follow the
 * focused tab and say when none is (`customer_focus_lost`).
 *
 * The list carries no title and no URL: nothing of a page travels outside its tab's stream, which
 * only agents the customer allowed receive.
 */
import type { CustomerTabs, TabActivityState } from '@sightline/protocol';
import type { Bus, Clock, TabList } from './ports.js';
import type { SessionHub } from './session-hub.js';

/** The frame for agents, read from the bus: the tabs that are open now, oldest first. */
export async function readCustomerTabs(bus: Bus, sessionId: string): Promise<CustomerTabs> {
  return customerTabsOf(await bus.readTabs(sessionId));
}

/** The frame for agents: the tabs that are open in `list`, oldest first. */
function customerTabsOf(list: TabList): CustomerTabs {
  return {
    type: 'customer.tabs',
    revision: list.revision,
    tabs: list.tabs.flatMap(({ tabId, state, openedAt, since }) =>
      state === 'gone' ? [] : [{ tabId, state, openedAt, since }],
    ),
  };
}

/** One per node. */
export class TabDesk {
  constructor(
    private readonly bus: Bus,
    private readonly hub: SessionHub,
    private readonly clock: Clock,
  ) {}

  /** A customer tab's state changed (its socket reported it, or closed): agents are told. */
  async update(sessionId: string, tabId: string, state: TabActivityState | 'gone'): Promise<void> {
    const at = this.clock.now();
    const list = await this.bus.updateTab(sessionId, { tabId, state, at });
    // The same state again changes nothing, so nobody needs telling.
    if (list.tabs.find((tab) => tab.tabId === tabId)?.since !== at) return;
    this.hub.sendText(sessionId, customerTabsOf(list), { to: 'agent', watchingOnly: true });
  }
}
