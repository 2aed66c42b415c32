import type { Clock } from '@sightline/client';
import { describe, expect, it } from 'vitest';
import { TIME_LEFT_SHOWN_MS, TimeLeft, timeLeftText } from './time-left.js';

/** A clock that moves only when told, running the timers that fall due. */
function manualClock(start: number) {
  let now = start;
  let timers: { at: number; fn: () => void }[] = [];
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (handle) => {
      timers = timers.filter((t) => t !== handle);
    },
  };
  const advance = (ms: number) => {
    const target = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.fn();
    }
    now = target;
  };
  return { clock, advance, pending: () => timers.length };
}

describe('the time left', () => {
  it('is said in whole minutes, rounded up, then as less than a minute', () => {
    expect(timeLeftText(10 * 60_000)).toBe('10 min left');
    expect(timeLeftText(9 * 60_000 + 1)).toBe('10 min left');
    expect(timeLeftText(60_000)).toBe('1 min left');
    expect(timeLeftText(59_999)).toBe('less than a minute left');
  });

  it('shows nothing while the end is far, then counts down each minute to the end', () => {
    const { clock, advance, pending } = manualClock(0);
    const shown: (string | undefined)[] = [];
    const timeLeft = new TimeLeft(clock, (text) => shown.push(text));
    timeLeft.until(TIME_LEFT_SHOWN_MS + 5 * 60_000);
    expect(shown).toEqual([undefined]);
    advance(5 * 60_000 - 1);
    expect(shown).toEqual([undefined]);
    advance(1);
    expect(shown.at(-1)).toBe('10 min left');
    advance(60_000);
    expect(shown.at(-1)).toBe('9 min left');
    advance(9 * 60_000);
    expect(shown.at(-1)).toBe('less than a minute left');
    expect(pending()).toBe(0);
  });

  it('follows a later deadline (an extension) and stops when disposed', () => {
    const { clock, advance, pending } = manualClock(0);
    const shown: (string | undefined)[] = [];
    const timeLeft = new TimeLeft(clock, (text) => shown.push(text));
    timeLeft.until(3 * 60_000);
    expect(shown).toEqual(['3 min left']);
    timeLeft.until(18 * 60_000);
    expect(shown.at(-1)).toBeUndefined();
    timeLeft.dispose();
    expect(pending()).toBe(0);
    advance(60 * 60_000);
    expect(shown).toHaveLength(2);
  });
});
