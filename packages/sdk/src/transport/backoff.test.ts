import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

const CURVE = { baseDelayMs: 500, maxDelayMs: 10_000 };

describe('backoffDelay', () => {
  it('doubles the ceiling per attempt up to the cap', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 9].map((attempt) => backoffDelay(attempt, CURVE, () => 1));
    expect(ceilings).toEqual([500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it('jitters into the upper half of the ceiling, never to zero', () => {
    expect(backoffDelay(2, CURVE, () => 0)).toBe(1_000);
    expect(backoffDelay(2, CURVE, () => 0.5)).toBe(1_500);
    for (let i = 0; i < 100; i += 1) {
      const delay = backoffDelay(3, CURVE);
      expect(delay).toBeGreaterThanOrEqual(2_000);
      expect(delay).toBeLessThanOrEqual(4_000);
    }
  });
});
