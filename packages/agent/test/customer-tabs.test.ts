/**
 * The customer's tabs as an agent sees them: the tab in front, stale lists ignored, and
 * `customer_focus_lost` only after the grace period, once per absence.
 */
import { describe, expect, it } from 'vitest';
import type { CustomerTab } from '@sightline/protocol';
import { CustomerTabsView } from '../src/session/customer-tabs.js';
import { ManualClock } from '../../sdk/test/manual-clock.js';

const tab = (tabId: string, state: CustomerTab['state'], since = 0): CustomerTab => ({
  tabId,
  state,
  openedAt: 0,
  since,
});

function view() {
  const clock = new ManualClock();
  const log: string[] = [];
  const tabs = new CustomerTabsView(clock, 1_000, {
    changed: (_tabs, focused) => log.push(`front:${focused ?? '-'}`),
    focusLost: () => log.push('lost'),
  });
  return { clock, log, tabs };
}

describe('CustomerTabsView', () => {
  it('names the tab in front, the later one when two say so', () => {
    const { tabs, log } = view();
    tabs.update({ type: 'customer.tabs', revision: 1, tabs: [tab('a', 'focused', 5)] });
    tabs.update({
      type: 'customer.tabs',
      revision: 2,
      tabs: [tab('a', 'focused', 5), tab('b', 'focused', 9)],
    });
    expect(tabs.focusedTabId).toBe('b');
    expect(log).toEqual(['front:a', 'front:b']);
  });

  it('ignores a list older than one already seen', () => {
    const { tabs } = view();
    tabs.update({ type: 'customer.tabs', revision: 4, tabs: [tab('b', 'focused')] });
    tabs.update({ type: 'customer.tabs', revision: 3, tabs: [tab('a', 'focused')] });
    expect(tabs.tabs.map((t) => t.tabId)).toEqual(['b']);
  });

  it('reports focus lost after the grace period, not for a quick switch, and once per absence', () => {
    const { tabs, log, clock } = view();
    const list = (revision: number, ...open: CustomerTab[]) =>
      tabs.update({ type: 'customer.tabs', revision, tabs: open });
    list(1, tab('a', 'focused'), tab('b', 'hidden'));
    list(2, tab('a', 'hidden'), tab('b', 'hidden'));
    clock.advance(500);
    list(3, tab('a', 'hidden'), tab('b', 'focused'));
    clock.advance(5_000);
    expect(log).not.toContain('lost');
    list(4, tab('a', 'hidden'), tab('b', 'visible'));
    clock.advance(999);
    expect(log).not.toContain('lost');
    clock.advance(1);
    list(5, tab('a', 'hidden'), tab('b', 'hidden'));
    clock.advance(5_000);
    expect(log.filter((entry) => entry === 'lost')).toHaveLength(1);
    list(6, tab('b', 'focused'));
    list(7, tab('b', 'hidden'));
    clock.advance(1_000);
    expect(log.filter((entry) => entry === 'lost')).toHaveLength(2);
  });

  it('does not call a customer with no tab open (reconnecting) away', () => {
    const { tabs, log, clock } = view();
    tabs.update({ type: 'customer.tabs', revision: 1, tabs: [] });
    clock.advance(10_000);
    expect(log).toEqual(['front:-']);
  });
});
