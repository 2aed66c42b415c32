import { describe, expect, it } from 'vitest';
import { formatPin, readPin } from './pin.js';

describe('readPin', () => {
  it.each([
    ['123456', '123456'],
    ['123 456', '123456'],
    ['123-456', '123456'],
    ['  123 - 456  ', '123456'],
    ['123\u2013456', '123456'],
    ['1 2 3 4 5 6', '123456'],
    ['ab12-cd', 'AB12CD'],
    ['ABCDEFGHIJ', 'ABCDEFGHIJ'],
  ])('reads %j as %s', (typed, pin) => {
    expect(readPin(typed)).toEqual({ ok: true, pin });
  });

  it.each([
    ['', /Type the PIN/],
    ['  - ', /Type the PIN/],
    ['123.456', /only digits/],
    ['12345#', /only digits/],
    ['١٢٣٤٥٦', /only digits/],
    ['12345678901', /too long/],
  ])('refuses %j in words', (typed, message) => {
    const reading = readPin(typed);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.message).toMatch(message);
  });
});

describe('formatPin', () => {
  it('groups six digits as they are read aloud', () => {
    expect(formatPin('123456')).toBe('123 456');
  });

  it('leaves other PINs alone', () => {
    expect(formatPin('AB12CD')).toBe('AB12CD');
    expect(formatPin('1234567')).toBe('1234567');
  });
});
