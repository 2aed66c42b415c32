/**
 * @module
 * PINs as people type them.
 */
import { PinInput, SightlineError } from '@sightline/protocol';

/**
 * Turns a PIN as typed or read aloud ("123 456", "123-456", " abc12 ") into its wire form:
 * spaces and dashes removed, upper-cased. Throws `SESSION_PIN_INVALID_FORMAT` (1008) when what
 * remains is not 1–10 letters or digits.
 */
export function normalizePinCode(typed: string): string {
  const result = PinInput.safeParse(typed.replace(/[\s\-\u2010-\u2015]+/g, ''));
  if (!result.success) throw new SightlineError('SESSION_PIN_INVALID_FORMAT');
  return result.data;
}
