/**
 * @module
 * What every PII detector returns: the character ranges of a text that hold personal data.
 */

/** A match: `text.slice(start, end)` is the personal data. */
export interface PiiSpan {
  start: number;
  end: number;
}

/** A detector: a pure function from a text to the spans it recognises, in any order. */
export type Detector = (text: string) => PiiSpan[];

/**
 * Every match of the global regular expression `pattern` in `text` that `accept` keeps, as spans.
 * `accept` sees the match and may narrow it by returning a span (or `false` to drop it).
 */
export function matchSpans(
  text: string,
  pattern: RegExp,
  accept: (match: RegExpExecArray) => PiiSpan | boolean,
): PiiSpan[] {
  const spans: PiiSpan[] = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const verdict = accept(match);
    if (verdict === true) spans.push({ start: match.index, end: match.index + match[0].length });
    else if (verdict !== false) spans.push(verdict);
    // An empty match would loop for ever; none of our patterns can match empty, but be sure.
    if (match[0].length === 0) pattern.lastIndex += 1;
  }
  return spans;
}
