/**
 * @module
 * International Bank Account Numbers: a country code, two check digits and the national account
 * number, written in one run or in groups of four separated by single spaces, in either case.
 * A match must have exactly the length the IBAN registry gives for its country and pass the
 * ISO 7064 mod-97 check, so words and codes that merely start with two letters and two digits stay.
 */
import type { PiiSpan } from './span.js';

/** IBAN length per country (SWIFT IBAN registry, plus the widely used partner countries). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/**
 * Two letters, two digits, then 11–30 letters or digits, each optionally after one space. Not
 * inside a word. The match may run past the IBAN (into a following code); it is cut to length.
 */
const CANDIDATE = /(?<![\p{L}\p{N}_])([A-Za-z]{2})(\d{2})((?: ?[A-Za-z0-9]){11,30})/gu;

/** Whether `iban` (upper case, no spaces) passes the ISO 7064 mod-97-10 check. */
export function passesMod97(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 && code <= 90 ? code - 55 : code - 48;
    if (value < 0 || value > 35) return false;
    // Letters stand for two digits; fold them in one at a time to stay within integers.
    remainder = value > 9 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

/**
 * Finds IBANs in `text`. A candidate runs on greedily, perhaps into the next IBAN: after a match
 * the search resumes where the IBAN ended, and after a rejected candidate one character on, so
 * two IBANs a few words apart are both found.
 */
export function findIbans(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  CANDIDATE.lastIndex = 0;
  for (let match = CANDIDATE.exec(text); match !== null; match = CANDIDATE.exec(text)) {
    const span = ibanAt(text, match);
    if (span) spans.push(span);
    CANDIDATE.lastIndex = span ? span.end : match.index + 1;
  }
  return spans;
}

/** The IBAN a candidate starts with, if it is one. */
function ibanAt(text: string, match: RegExpExecArray): PiiSpan | undefined {
  const country = (match[1] ?? '').toUpperCase();
  const length = IBAN_LENGTHS[country];
  if (length === undefined) return undefined;
  // Walk the match to the character that completes `length` letters and digits.
  const raw = match[0];
  let compact = '';
  let end = 0;
  while (end < raw.length && compact.length < length) {
    if (raw[end] !== ' ') compact += raw[end];
    end += 1;
  }
  if (compact.length < length) return undefined;
  // The IBAN must end where a word ends: `DE89…3000` then a space, not `DE89…30001`.
  const next = text.charAt(match.index + end);
  if (next !== '' && /[\p{L}\p{N}_]/u.test(next)) return undefined;
  if (!passesMod97(compact.toUpperCase())) return undefined;
  return { start: match.index, end: match.index + end };
}
