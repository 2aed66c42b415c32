/**
 * @module
 * Reading a PIN from the desk's field, with a message a person can act on.
 */
import { CUSTOM_PIN_MAX_LENGTH, PIN_LENGTH } from '@sightline/protocol';

/** A PIN read from the field: the wire form, or what to tell the agent. */
export type PinReading = { ok: true; pin: string } | { ok: false; message: string };

/**
 * Reads what the agent typed: spaces and dashes (as in "123 456" or "123-456") are ignored and
 * letters upper-cased. Generated PINs are 6 digits; bring-your-own PINs are up to 10 letters or
 * digits.
 */
export function readPin(typed: string): PinReading {
  const pin = typed.replace(/[\s\-\u2010-\u2015]+/g, '').toUpperCase();
  if (pin === '') return { ok: false, message: 'Type the PIN the customer reads out to you.' };
  if (!/^[A-Z0-9]+$/.test(pin)) {
    return { ok: false, message: 'A PIN has only digits (and sometimes letters).' };
  }
  if (pin.length > CUSTOM_PIN_MAX_LENGTH) {
    return {
      ok: false,
      message: `That is too long for a PIN — they are ${PIN_LENGTH} digits, or at most ${CUSTOM_PIN_MAX_LENGTH} characters.`,
    };
  }
  return { ok: true, pin };
}

/** A PIN as people read it: "123 456" for six digits, unchanged otherwise. */
export function formatPin(pin: string): string {
  return /^\d{6}$/.test(pin) ? `${pin.slice(0, 3)} ${pin.slice(3)}` : pin;
}
