/**
 * @module
 * Phone numbers, in three shapes:
 * - international: `+`, a country code and 8–15 digits in all, in groups separated by single
 *   spaces, dots or dashes, an area code perhaps in brackets (`+44 20 7946 0958`,
 *   `+1 (415) 555-0132`, `+49 (0)30 1234567`, `+14155550132`);
 * - North American: `(415) 555-0132`, `415-555-0132`, `415.555.0132`, `1-800-555-0199`, with a
 *   valid area code and exchange (2–9 first);
 * - national with a trunk `0`: `020 7946 0958`, `030/1234567`, `06 12 34 56 78`, 9–12 digits with
 *   at least one separator or bracket.
 *
 * What stays: bare digit runs without `+` (timestamps, ids), dates (at most 8 digits, or shapes
 * no phone has), times, decimals, prices (after a currency sign), ISBNs, and numbers right after
 * a label such as "Order", "Invoice", "Ref", "SKU", "ISBN" or `#`.
 */
import { matchSpans, type PiiSpan } from './span.js';

/** Not right after a letter, digit, `#`, `+`, a currency sign, or a separator glued to a number. */
const BEFORE = String.raw`(?<![\w#+$€£¥.,/:-])`;
/** Not followed by a letter or digit, nor by a separator and a digit (a longer number). */
const AFTER = String.raw`(?![\w]|[.,/:-]\d)`;

/**
 * `+` and 8–15 digits in one run, or a country code and groups each after a separator (a bracketed
 * area code may follow the code directly). Every group but the first needs its separator, so a
 * long digit run cannot be split in many ways when the match fails (no catastrophic backtracking).
 */
const INTERNATIONAL = new RegExp(
  String.raw`(?<![\w+])\+(?:\d{8,15}|\d{1,4}(?:[ .-]?\(\d{1,4}\)[ .-]?\d{1,8}|[ .-]\d{1,8})(?:[ .-]\d{1,8}){0,6})${AFTER}`,
  'g',
);
const NORTH_AMERICAN = new RegExp(
  String.raw`${BEFORE}(?:1[ .-]?)?(?:\([2-9]\d\d\) ?|[2-9]\d\d[ .-])[2-9]\d\d[ .-]\d{4}${AFTER}`,
  'g',
);
const NATIONAL = new RegExp(
  String.raw`${BEFORE}(?:\(0[1-9]\d{0,3}\) ?|0[1-9]\d{0,3}[ ./-]?)\d{2,8}(?:[ .-]\d{2,6}){0,4}${AFTER}`,
  'g',
);

/** Labels after which a phone-shaped number is an identifier, not a phone. */
const IDENTIFIER_LABEL =
  /(?:order|invoice|ref(?:erence)?|tracking|ticket|case|sku|isbn|item|article|serial|part|#)\W{0,3}$/i;

function digitCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) count += 1;
  }
  return count;
}

function labelledAsIdentifier(text: string, index: number): boolean {
  return IDENTIFIER_LABEL.test(text.slice(Math.max(0, index - 20), index));
}

/** Finds phone numbers in `text`. */
export function findPhoneNumbers(text: string): PiiSpan[] {
  const spans = [
    ...matchSpans(text, INTERNATIONAL, (match) => {
      const digits = digitCount(match[0]);
      return digits >= 8 && digits <= 15;
    }),
    ...matchSpans(text, NORTH_AMERICAN, (match) => !labelledAsIdentifier(text, match.index)),
    ...matchSpans(text, NATIONAL, (match) => {
      const candidate = match[0];
      const digits = digitCount(candidate);
      if (digits < 9 || digits > 12) return false;
      if (!/[ ./()-]/.test(candidate)) return false;
      return !labelledAsIdentifier(text, match.index);
    }),
  ];
  // The shapes overlap (`+1 (415) 555-0132` holds `(415) 555-0132`): keep the outer match.
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  let reach = -1;
  return spans.filter((span) => {
    if (span.end <= reach) return false;
    reach = span.end;
    return true;
  });
}
