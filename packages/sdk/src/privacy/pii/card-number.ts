/**
 * @module
 * Payment card numbers: 13–19 digits, optionally grouped by single spaces or single dashes (the
 * same separator throughout), that pass the Luhn check and start with a card network's first
 * digit (2–6: Mastercard, Visa, Amex, Diners, JCB, Discover, UnionPay, Maestro).
 *
 * Ordinary numbers stay: a digit run inside a longer token (`ORD-4111…`, `x4111…`, a decimal),
 * one that starts with 0, 1, 7, 8 or 9, one with groups shorter than 3 or longer than 6 digits
 * (dates, prices with thousands separators), and the nine in ten random numbers that fail Luhn.
 */
import { matchSpans, type PiiSpan } from './span.js';

/**
 * A digit, then 12–18 more, each optionally after one space or dash. Not inside a word, a
 * hyphenated identifier, or a decimal number.
 */
const CANDIDATE = /(?<![\w.,]|\w-)\d(?:[ -]?\d){12,18}(?![\w]|[.,-]\d)/g;

/** Whether the digit string `digits` passes the Luhn (mod 10) check. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let digit = digits.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Whether the groups between separators look like how cards are printed (4-4-4-4, 4-6-5, …). */
function groupedLikeACard(candidate: string): boolean {
  const separators = new Set(candidate.replace(/\d/g, ''));
  if (separators.size === 0) return true;
  if (separators.size > 1) return false;
  const groups = candidate.split(/[ -]/);
  return groups.every((group) => group.length >= 3 && group.length <= 6);
}

/** Finds payment card numbers in `text`. */
export function findCardNumbers(text: string): PiiSpan[] {
  return matchSpans(text, CANDIDATE, (match) => {
    const candidate = match[0];
    const digits = candidate.replace(/[ -]/g, '');
    const first = digits.charCodeAt(0) - 48;
    return first >= 2 && first <= 6 && groupedLikeACard(candidate) && passesLuhn(digits);
  });
}
