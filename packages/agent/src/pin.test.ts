import { SightlineError } from '@sightline/protocol';
import { describe, expect, it } from 'vitest';
import { normalizePinCode } from './pin.js';

describe('normalizePinCode', () => {
  it.each([
    ['123456', '123456'],
    ['123 456', '123456'],
    ['123-456', '123456'],
    [' 12 34-56 ', '123456'],
    ['123\u2013456', '123456'],
    ['ab12cd', 'AB12CD'],
  ])('reads %j as %s', (typed, pin) => {
    expect(normalizePinCode(typed)).toBe(pin);
  });

  it.each(['', '   ', '--', '12345678901', '123.456', '12#456'])(
    'refuses %j with 1008',
    (typed) => {
      let thrown: unknown;
      try {
        normalizePinCode(typed);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(SightlineError);
      expect((thrown as SightlineError).code).toBe(1008);
    },
  );
});
