/**
 * @module
 * PII detection as one step: which detectors are on, and masking what they find in a text, a
 * typed value or a URL. Every match becomes asterisks, one per character, whitespace kept, so a
 * masked text takes the same room and wraps at the same places (`**** **** **** ****`). (The
 * file keeps its first name; "masked", not "redacted", is the word: see CONTEXT.md.)
 */
import { findCardNumbers } from './card-number.js';
import { findEmails } from './email.js';
import { findIbans } from './iban.js';
import { findPhoneNumbers } from './phone.js';
import { findSsns } from './ssn.js';
import type { Detector, PiiSpan } from './span.js';

/** The detectors, by setting name. */
export const DETECTORS = {
  cardNumbers: findCardNumbers,
  ssn: findSsns,
  iban: findIbans,
  email: findEmails,
  phone: findPhoneNumbers,
} as const satisfies Record<string, Detector>;

/** The name of one detector, as in the `piiDetection` setting. */
export type DetectorName = keyof typeof DETECTORS;

/** Every detector name, in a fixed order. */
export const DETECTOR_NAMES = Object.keys(DETECTORS) as readonly DetectorName[];

/** Which detectors run: all of them, each on (`true`) or off. */
export type PiiDetection = Readonly<Record<DetectorName, boolean>>;

/** Every detector on: the default, and what applies when nothing else is known. */
export const ALL_DETECTORS_ON: PiiDetection = Object.freeze({
  cardNumbers: true,
  ssn: true,
  iban: true,
  email: true,
  phone: true,
});

/**
 * Merges a server's detector switches into the page's: the server may turn detectors on, never
 * off. Anything but `true` from the server (absent, `false`, junk) leaves the page's choice.
 */
export function mergeServerDetection(
  page: PiiDetection,
  server: Partial<Record<DetectorName, unknown>> | undefined,
): PiiDetection {
  const merged = { ...page };
  for (const name of DETECTOR_NAMES) {
    if (server?.[name] === true) merged[name] = true;
  }
  return merged;
}

/** Every detector needs a digit (cards, SSNs, IBANs, phones) or an `@` (emails). */
const MAY_HOLD_PII = /[\d@]/;

/** `text` with every character in `spans` that is not whitespace turned into `*`. */
function maskSpans(text: string, spans: readonly PiiSpan[]): string {
  if (spans.length === 0) return text;
  const ordered = [...spans].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const { start, end } of ordered) {
    const from = Math.max(start, at);
    if (end <= from) continue;
    out += text.slice(at, from) + text.slice(from, end).replace(/\S/g, '*');
    at = end;
  }
  return out + text.slice(at);
}

/** Spaces that typesetting puts between digit groups: no-break, figure, thin, narrow no-break… */
const UNICODE_SPACES = /[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g;
/** Hyphens and dashes other than `-`: non-breaking hyphen, en and em dashes, minus sign… */
const UNICODE_DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g;

/**
 * `text` with typographic spaces and dashes as plain ones, one character for one, so spans found
 * in it hold for `text`: a card grouped with no-break spaces is still a card.
 */
function plainSeparators(text: string): string {
  return text.replace(UNICODE_SPACES, ' ').replace(UNICODE_DASHES, '-');
}

function spansOf(text: string, detection: PiiDetection): PiiSpan[] {
  const plain = plainSeparators(text);
  const spans: PiiSpan[] = [];
  for (const name of DETECTOR_NAMES) {
    if (detection[name]) spans.push(...DETECTORS[name](plain));
  }
  return spans;
}

/** `text` with every match of the detectors that are on masked. Returns `text` itself if none. */
export function maskPiiInText(text: string, detection: PiiDetection): string {
  if (!MAY_HOLD_PII.test(text)) return text;
  return maskSpans(text, spansOf(text, detection));
}

/** An address being typed: a local part and `@`, whatever follows so far. */
const EMAIL_IN_PROGRESS = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@\S*/gu;
/** A number being typed: six digits or more, perhaps after `+`, with single separators. */
const LONG_NUMBER_IN_PROGRESS = /\+?\d(?:[ .-]?\d){5,}/g;

/**
 * An input's value, which the customer may still be typing: each keystroke is sent, so a card
 * number would leak digit by digit before it is long enough to pass the Luhn check. On top of
 * {@link maskPiiInText}, an `@` with a local part (when `email` is on) and any run of six digits or
 * more (when any digit detector is on) are masked. Returns `value` itself if nothing matched.
 */
export function maskPiiInTypedValue(value: string, detection: PiiDetection): string {
  if (!MAY_HOLD_PII.test(value)) return value;
  const spans = spansOf(value, detection);
  const collect = (pattern: RegExp) => {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(value); m !== null; m = pattern.exec(value)) {
      spans.push({ start: m.index, end: m.index + m[0].length });
    }
  };
  if (detection.email && value.includes('@')) collect(EMAIL_IN_PROGRESS);
  if (detection.cardNumbers || detection.ssn || detection.iban || detection.phone) {
    collect(LONG_NUMBER_IN_PROGRESS);
  }
  return maskSpans(value, spans);
}

/** Decodes one URL component; a malformed escape leaves it as it is. `+` is a space in queries. */
function decode(part: string, plusIsSpace: boolean): string {
  const text = plusIsSpace ? part.replace(/\+/g, ' ') : part;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `part` (a path segment or query value) masked as decoded text, re-encoded if it changed. */
function maskUrlComponent(part: string, detection: PiiDetection, plusIsSpace: boolean): string {
  if (!MAY_HOLD_PII.test(part) && !part.includes('%')) return part;
  const decoded = decode(part, plusIsSpace);
  const masked = maskPiiInText(decoded, detection);
  // Unchanged: keep the original bytes, so URLs without PII are left exactly as they were.
  return masked === decoded ? part : encodeURIComponent(masked).replace(/%2A/g, '*');
}

/** `a=1&b=2` with each name and value masked. */
function maskQuery(query: string, detection: PiiDetection): string {
  return query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals === -1) return maskUrlComponent(pair, detection, true);
      return `${maskUrlComponent(pair.slice(0, equals), detection, true)}=${maskUrlComponent(pair.slice(equals + 1), detection, true)}`;
    })
    .join('&');
}

/** Schemes whose whole content is the address or number: `mailto:`, `tel:`, `sms:`. */
const CONTACT_SCHEME = /^(mailto|tel|callto|sms):/i;
/** URLs whose content is data, not an address: never PII-scanned (and often megabytes long). */
const DATA_SCHEME = /^(data|blob|javascript):/i;

/**
 * A URL (absolute or relative) with PII masked in its path segments, query names and values and
 * fragment, each decoded before detection. The scheme, host and port are kept. A `tel:` URL is
 * masked whole when `phone` is on. Returns `url` itself if nothing matched.
 */
export function maskPiiInUrl(url: string, detection: PiiDetection): string {
  if (!MAY_HOLD_PII.test(url) || DATA_SCHEME.test(url)) return url;
  const contact = CONTACT_SCHEME.exec(url);
  if (contact) {
    const scheme = contact[0];
    const rest = url.slice(scheme.length);
    if (/^(tel|callto|sms):$/i.test(scheme) && detection.phone) {
      return scheme + rest.replace(/[^?]*/, (number) => number.replace(/\S/g, '*'));
    }
    const query = rest.indexOf('?');
    const address = query === -1 ? rest : rest.slice(0, query);
    const tail = query === -1 ? '' : `?${maskQuery(rest.slice(query + 1), detection)}`;
    return scheme + maskUrlComponent(address, detection, false) + tail;
  }
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? undefined : url.slice(hashAt + 1);
  const queryAt = beforeHash.indexOf('?');
  const beforeQuery = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt === -1 ? undefined : beforeHash.slice(queryAt + 1);
  // Keep `scheme://host:port` as is: only the path after it is scanned.
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(beforeQuery)?.[0] ?? '';
  const path = beforeQuery
    .slice(origin.length)
    .split('/')
    .map((segment) => maskUrlComponent(segment, detection, false))
    .join('/');
  let out = origin + path;
  if (query !== undefined) out += `?${maskQuery(query, detection)}`;
  if (fragment !== undefined) {
    out += `#${fragment.includes('=') ? maskQuery(fragment, detection) : maskUrlComponent(fragment, detection, false)}`;
  }
  return out === url ? url : out;
}
