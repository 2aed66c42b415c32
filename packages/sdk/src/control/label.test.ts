import { describe, expect, it } from 'vitest';
import { LABEL_MAX_LENGTH, shortLabel } from './label.js';

describe('the short label of a target', () => {
  it('flattens white space and keeps short text as it is', () => {
    expect(shortLabel('  Add\n  to   cart ')).toBe('Add to cart');
    expect(shortLabel('   ')).toBeUndefined();
    expect(shortLabel(null)).toBeUndefined();
  });

  it('cuts long text to the limit with an ellipsis, by characters not code units', () => {
    const long = shortLabel('Subscribe to our weekly newsletter about trail running gear');
    expect(long).toBe('Subscribe to our weekly newsletter…');
    expect(shortLabel('x'.repeat(60))).toBe(`${'x'.repeat(LABEL_MAX_LENGTH - 1)}…`);
    const emoji = shortLabel('🎁'.repeat(50)) ?? '';
    expect([...emoji]).toHaveLength(LABEL_MAX_LENGTH);
    expect(emoji.endsWith('🎁…')).toBe(true);
  });
});
