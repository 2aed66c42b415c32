import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

const policy = { baseDelayMs: 500, maxDelayMs: 10_000 };

describe('backoffDelay', () => {
  it('doubles the ceiling per attempt, from attempt 1, up to the maximum', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 10].map((attempt) =>
      backoffDelay(attempt, policy, () => 1),
    );
    expect(ceilings).toEqual([500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
  });

  it('treats attempt 0 as the first', () => {
    expect(backoffDelay(0, policy, () => 1)).toBe(500);
  });

  it('jitters into the upper half of the ceiling, never to zero', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(1_000);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(1_500);
    for (let i = 0; i < 100; i += 1) {
      const delay = backoffDelay(4, policy);
      expect(delay).toBeGreaterThanOrEqual(2_000);
      expect(delay).toBeLessThanOrEqual(4_000);
    }
  });

  it('stays finite for huge attempt numbers', () => {
    expect(backoffDelay(10_000, policy, () => 1)).toBe(10_000);
  });
});
