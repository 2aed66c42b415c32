import { describe, expect, it } from 'vitest';
import { PacingClock } from './clock.js';

/** A settable agent clock. */
function agentClock(start: number) {
  const clock = { now: start };
  return { clock, pacing: new PacingClock(() => clock.now) };
}

describe('PacingClock', () => {
  it('plays the last event of a batch at its receive time on the agent clock', () => {
    // The server's clock is 5 s ahead of the agent's.
    const { clock, pacing } = agentClock(100_000);
    pacing.sync(105_000);
    expect(pacing.offset).toBe(5_000);
    clock.now = 100_050;
    // Received by the server at its 105_040 = agent 100_040, already past.
    expect(pacing.stamp(105_040, [7, 9])).toEqual([100_038, 100_040]);
  });

  it('adds no delay when the customer clock is far ahead or behind', () => {
    const { clock, pacing } = agentClock(50_000);
    pacing.sync(50_000);
    clock.now = 50_100;
    for (const skew of [3_600_000, -3_600_000, 0]) {
      const customerTs = 50_100 + skew;
      const [played] = pacing.stamp(50_100, [customerTs]);
      expect(played).toBeLessThanOrEqual(clock.now);
      expect(played).toBe(50_100);
      clock.now += 100;
    }
  });

  it('never schedules into the future when the receive time maps past now', () => {
    const { clock, pacing } = agentClock(10_000);
    pacing.sync(10_000);
    clock.now = 10_010;
    // The welcome was slower than this batch, so its receive time maps 30 ms past "now".
    expect(pacing.stamp(10_040, [1, 2, 3])).toEqual([10_008, 10_009, 10_010]);
  });

  it('keeps events’ relative offsets inside a batch', () => {
    const { clock, pacing } = agentClock(0);
    pacing.sync(0);
    clock.now = 1_000;
    const stamped = pacing.stamp(900, [10_000, 10_005, 10_030, 10_050]);
    expect(stamped).toEqual([850, 855, 880, 900]);
  });

  it('never assigns a time below the previous one (monotonic clamp)', () => {
    const { clock, pacing } = agentClock(0);
    pacing.sync(0);
    clock.now = 2_000;
    expect(pacing.stamp(1_000, [500, 1_000])).toEqual([500, 1_000]);
    // A later batch whose first events would land before the last assigned time.
    expect(pacing.stamp(1_010, [0, 990, 1_000])).toEqual([1_000, 1_000, 1_010]);
    // A customer clock that jumped backwards inside a batch.
    expect(pacing.stamp(1_100, [5_000, 4_000, 5_000])).toEqual([1_100, 1_100, 1_100]);
  });

  it('forgets earlier assignments after a re-sync', () => {
    const { clock, pacing } = agentClock(10_000);
    pacing.sync(10_000);
    expect(pacing.stamp(10_000, [1])).toEqual([10_000]);
    clock.now = 20_000;
    pacing.sync(0);
    // A rejoin's checkout is in the past and must not be clamped to the old stream.
    expect(pacing.stamp(-15_000, [1])).toEqual([5_000]);
  });

  it('returns nothing for an empty batch', () => {
    const { pacing } = agentClock(0);
    expect(pacing.stamp(0, [])).toEqual([]);
  });
});

describe('PacingClock.resync', () => {
  it('takes the new offset and never plays an event before one already played', () => {
    const { clock, pacing } = agentClock(10_000);
    pacing.sync(10_000);
    clock.now = 10_100;
    expect(pacing.stamp(10_100, [1])).toEqual([10_100]);
    // The rejoin's welcome measures the server 300 ms behind now.
    pacing.resync(9_800);
    expect(pacing.offset).toBe(-300);
    // Received at server 9_790 = agent 10_090: earlier than what played, so it plays right after.
    expect(pacing.stamp(9_790, [5])).toEqual([10_100]);
    clock.now = 10_500;
    expect(pacing.stamp(10_150, [9])).toEqual([10_450]);
  });
});
