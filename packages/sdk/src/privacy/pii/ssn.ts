/**
 * @module
 * US Social Security numbers: `AAA-GG-SSSS` or `AAA GG SSSS`, and nine bare digits only right
 * after a label such as "SSN" (bare nine-digit numbers are mostly order or account numbers).
 * Numbers the SSA never issues are not matched: area 000, 666 or 900–999, group 00, serial 0000.
 */
import { matchSpans, type PiiSpan } from './span.js';

/** Three, two and four digits with the same separator (or none), not inside a longer token. */
const CANDIDATE = /(?<![\w.,-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\w]|[.,-]\d)/g;

/** A label that makes a bare nine-digit number an SSN, within the few characters before it. */
const LABEL_BEFORE = /(?:ssn|social security(?: number| no\.?| #)?|taxpayer id|tin)\W{0,6}$/i;

/** Whether area, group and serial can belong to an issued SSN. */
export function isIssuableSsn(area: string, group: string, serial: string): boolean {
  const areaNumber = Number(area);
  return (
    areaNumber !== 0 &&
    areaNumber !== 666 &&
    areaNumber < 900 &&
    group !== '00' &&
    serial !== '0000'
  );
}

/** Finds US Social Security numbers in `text`. */
export function findSsns(text: string): PiiSpan[] {
  return matchSpans(text, CANDIDATE, (match) => {
    const [, area = '', separator = '', group = '', serial = ''] = match;
    if (!isIssuableSsn(area, group, serial)) return false;
    if (separator !== '') return true;
    return LABEL_BEFORE.test(text.slice(Math.max(0, match.index - 40), match.index));
  });
}
