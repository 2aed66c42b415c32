/**
 * @module
 * PINs. Generated ones are `PIN_LENGTH` random digits; bring-your-own ones are 1–10 letters or
 * digits, upper-cased. Uniqueness among an app's live sessions is enforced by the store (a partial
 * unique index), not by looking first: two nodes could both look and both find the PIN free.
 */
import { randomInt } from 'node:crypto';
import { CUSTOM_PIN_PATTERN, PIN_LENGTH, SightlineError } from '@sightline/protocol';

/** A uniformly random PIN of `PIN_LENGTH` digits, leading zeros included. */
export function randomPin(): string {
  return String(randomInt(0, 10 ** PIN_LENGTH)).padStart(PIN_LENGTH, '0');
}

/**
 * How many generated PINs to try before giving up. With a million PINs, even 10,000 live
 * sessions of one app make twenty collisions in a row a one-in-10^40 event; hitting the limit
 * means the generator is broken, and the session fails to start (1001) rather than loop.
 */
export const MAX_PIN_ATTEMPTS = 20;

/** Normalises a bring-your-own PIN: trimmed, upper-cased, 1–10 letters or digits, else 1008. */
export function normaliseCustomPin(raw: string): string {
  const pin = raw.trim().toUpperCase();
  if (!CUSTOM_PIN_PATTERN.test(pin)) {
    throw new SightlineError('SESSION_PIN_INVALID_FORMAT');
  }
  return pin;
}
