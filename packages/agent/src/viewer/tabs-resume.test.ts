// TabTracker across a rejoin: what a reconnecting hello says the mirror holds, and a tab the
// server did not resume starting again from its next full snapshot.
import { MAX_RESUME_TABS } from '@sightline/protocol';
import { describe, expect, it } from 'vitest';
import { TabTracker } from './tabs.js';

const batch = (tabId: string, seq: number, full = false, receivedAt = seq) => ({
  tabId,
  seq,
  full,
  receivedAt,
});

describe('TabTracker resume points', () => {
  it('says per tab the last seq seen, shown or not', () => {
    const tabs = new TabTracker();
    tabs.accept(batch('a', 1, true));
    tabs.accept(batch('a', 2));
    tabs.accept(batch('b', 7));
    expect(tabs.resumePoints()).toEqual({ a: 2, b: 7 });
  });

  it('keeps the shown tab and the newest ones when there are too many', () => {
    const tabs = new TabTracker();
    tabs.accept(batch('shown', 1, true));
    for (let i = 0; i < MAX_RESUME_TABS + 5; i += 1) tabs.accept(batch(`t${i}`, 1));
    const points = tabs.resumePoints();
    expect(Object.keys(points)).toHaveLength(MAX_RESUME_TABS);
    expect(points.shown).toBe(1);
    expect(points[`t${MAX_RESUME_TABS + 4}`]).toBe(1);
    expect(points.t0).toBeUndefined();
  });
});

describe('TabTracker.keepOnly', () => {
  it('keeps resumed tabs as they were', () => {
    const tabs = new TabTracker();
    tabs.accept(batch('a', 1, true));
    tabs.accept(batch('a', 2));
    tabs.keepOnly(new Set(['a']));
    expect(tabs.accept(batch('a', 2))).toBe('duplicate');
    expect(tabs.accept(batch('a', 3))).toBe('apply');
    expect(tabs.activeTabId).toBe('a');
  });

  it('starts a tab that was not resumed again from its next full snapshot', () => {
    const tabs = new TabTracker();
    tabs.accept(batch('a', 1, true));
    tabs.accept(batch('a', 5));
    tabs.keepOnly(new Set());
    expect(tabs.resumePoints()).toEqual({});
    // Its seqs start over, and nothing applies on the old page before a full snapshot.
    expect(tabs.accept(batch('a', 2))).toBe('awaiting_snapshot');
    expect(tabs.accept(batch('a', 3, true))).toBe('apply');
    expect(tabs.accept(batch('a', 4))).toBe('apply');
    expect(tabs.activeTabId).toBe('a');
  });

  it('starts only the tabs not resumed again', () => {
    const tabs = new TabTracker();
    tabs.accept(batch('a', 1, true, 100));
    tabs.accept(batch('b', 1, true, 50));
    tabs.keepOnly(new Set(['a']));
    expect(tabs.accept(batch('a', 2))).toBe('apply');
    expect(tabs.accept(batch('b', 1, true, 50))).toBe('inactive_tab');
    expect(tabs.resumePoints()).toEqual({ a: 2, b: 1 });
  });
});
