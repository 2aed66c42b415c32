/**
 * @module
 * The customer's tabs, in the session bar: how many are open, which one the customer is using
 * (the mirror follows it) and which one the mirror shows. Shown only when there is more than one,
 * since a single tab needs no strip.
 */
import type { CustomerTab } from '@sightline/protocol';

/** What the strip renders from. */
export interface CustomerTabStripProps {
  tabs: CustomerTab[];
  focusedTabId: string | undefined;
  shownTabId: string | undefined;
}

/** "Tabs: 1 · 2 (in front)", numbered in the order the customer opened them. */
export function CustomerTabStrip({ tabs, focusedTabId, shownTabId }: CustomerTabStripProps) {
  if (tabs.length < 2) return null;
  return (
    <ol class="customer-tabs" data-testid="customer-tabs" aria-label="The customer’s tabs">
      {tabs.map((tab, index) => (
        <li
          key={tab.tabId}
          data-testid="customer-tab"
          data-tab-id={tab.tabId}
          data-state={tab.state}
          aria-current={tab.tabId === shownTabId ? 'page' : undefined}
          title={tabTitle(tab, tab.tabId === focusedTabId)}
        >
          Tab {index + 1}
          {tab.tabId === focusedTabId ? ' (in front)' : ''}
        </li>
      ))}
    </ol>
  );
}

function tabTitle(tab: CustomerTab, focused: boolean): string {
  if (focused) return 'The customer is using this tab.';
  return tab.state === 'hidden'
    ? 'Open in the background.'
    : 'On screen, but another window has focus.';
}
