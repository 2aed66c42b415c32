import { describe, expect, it } from 'vitest';
import { TabTracker } from './tabs.js';

const batch = (tabId: string, seq: number, full = false, receivedAt = seq) => ({
  tabId,
  seq,
  full,
  receivedAt,
});

describe('TabTracker', () => {
  it('drops a batch whose seq was already seen for its tab', () => {
    const tabs = new TabTracker();
    expect(tabs.accept(batch('a', 1, true))).toBe('apply');
    expect(tabs.accept(batch('a', 2))).toBe('apply');
    expect(tabs.accept(batch('a', 2))).toBe('duplicate');
    expect(tabs.accept(batch('a', 1, true))).toBe('duplicate');
    expect(tabs.accept(batch('a', 3))).toBe('apply');
    expect(tabs.lastSeq('a')).toBe(3);
  });

  it('keeps seqs per tab', () => {
    const tabs = new TabTracker();
    tabs.accept(batch('a', 5, true));
    expect(tabs.accept(batch('b', 1, true, 10))).toBe('apply');
    expect(tabs.accept(batch('b', 1, true, 10))).toBe('duplicate');
    expect(tabs.lastSeq('a')).toBe(5);
    expect(tabs.lastSeq('b')).toBe(1);
  });

  it('tolerates a gap in seqs', () => {
    const tabs = new TabTracker();
    tabs.accept(batch('a', 1, true));
    expect(tabs.accept(batch('a', 7))).toBe('apply');
    expect(tabs.accept(batch('a', 4))).toBe('duplicate');
  });

  it('applies nothing before a full snapshot', () => {
    const tabs = new TabTracker();
    expect(tabs.accept(batch('a', 3))).toBe('inactive_tab');
    expect(tabs.activeTabId).toBeUndefined();
  });

  it('shows the tab whose full snapshot the server received last', () => {
    const tabs = new TabTracker();
    expect(tabs.accept(batch('a', 1, true, 100))).toBe('apply');
    expect(tabs.accept(batch('b', 1, true, 200))).toBe('apply');
    expect(tabs.activeTabId).toBe('b');
    expect(tabs.accept(batch('a', 2, false, 210))).toBe('inactive_tab');
    expect(tabs.accept(batch('b', 2, false, 220))).toBe('apply');
    expect(tabs.accept(batch('a', 3, true, 300))).toBe('apply');
    expect(tabs.activeTabId).toBe('a');
  });

  it('keeps the newer tab when an older full snapshot arrives later (checkout order)', () => {
    const tabs = new TabTracker();
    expect(tabs.accept(batch('a', 4, true, 500))).toBe('apply');
    expect(tabs.accept(batch('b', 9, true, 400))).toBe('inactive_tab');
    expect(tabs.activeTabId).toBe('a');
    // Its seq is still recorded, so the same batch relayed again is a duplicate.
    expect(tabs.accept(batch('b', 9, true, 400))).toBe('duplicate');
  });

  it('follows the tab the customer uses: its snapshot switches, a background one never does', () => {
    const tabs = new TabTracker();
    tabs.accept(batch('a', 1, true, 100));
    tabs.follow('b');
    // Still showing a until b sends a page; a's own batches still apply meanwhile.
    expect(tabs.accept(batch('a', 2, false, 110))).toBe('apply');
    expect(tabs.accept(batch('c', 1, true, 120))).toBe('inactive_tab');
    // b's snapshot wins even when it is older than the page shown (a checkout read later).
    expect(tabs.accept(batch('b', 1, true, 90))).toBe('apply');
    expect(tabs.activeTabId).toBe('b');
    expect(tabs.accept(batch('a', 3, true, 300))).toBe('inactive_tab');
    expect(tabs.activeTabId).toBe('b');
  });

  it('keeps following the same tab across a new socket', () => {
    const before = new TabTracker();
    before.follow('b');
    const after = new TabTracker(before.followedTabId);
    after.accept(batch('a', 1, true, 100));
    expect(after.activeTabId).toBe('a');
    // The page shown keeps updating until the followed tab sends its own.
    expect(after.accept(batch('a', 2, true, 200))).toBe('apply');
    expect(after.accept(batch('b', 1, true, 150))).toBe('apply');
  });
});
