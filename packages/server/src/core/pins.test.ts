import { describe, expect, it } from 'vitest';
import { SightlineError } from '@sightline/protocol';
import { normaliseCustomPin, randomPin } from './pins.js';

describe('PINs', () => {
  it('generates 6 digits, leading zeros included, spread over the range', () => {
    const pins = Array.from({ length: 2_000 }, randomPin);
    for (const pin of pins) expect(pin).toMatch(/^\d{6}$/);
    expect(new Set(pins).size).toBeGreaterThan(1_990);
    expect(pins.some((pin) => pin.startsWith('0'))).toBe(true);
  });

  it('upper-cases and trims a custom PIN', () => {
    expect(normaliseCustomPin(' abc123 ')).toBe('ABC123');
    expect(normaliseCustomPin('Z')).toBe('Z');
    expect(normaliseCustomPin('A1B2C3D4E5')).toBe('A1B2C3D4E5');
  });

  it.each(['', 'ABCDEFGHIJK', 'ABC-12', 'ÄBC', 'AB C'])('refuses %j with 1008', (pin) => {
    let error: unknown;
    try {
      normaliseCustomPin(pin);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(SightlineError);
    expect((error as SightlineError).code).toBe(1008);
  });
});
