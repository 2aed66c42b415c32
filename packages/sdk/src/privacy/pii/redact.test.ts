import { describe, expect, it } from 'vitest';
import {
  ALL_DETECTORS_ON,
  DETECTOR_NAMES,
  mergeServerDetection,
  maskPiiInText,
  maskPiiInTypedValue,
  maskPiiInUrl,
  type PiiDetection,
} from './redact.js';

const only = (...names: (keyof PiiDetection)[]): PiiDetection =>
  Object.fromEntries(DETECTOR_NAMES.map((name) => [name, names.includes(name)])) as PiiDetection;
const none = only();

describe('maskPiiInText', () => {
  it('masks each match with one asterisk per character and keeps whitespace', () => {
    expect(maskPiiInText('Card 4111 1111 1111 1111, mail jane@example.com', ALL_DETECTORS_ON)).toBe(
      'Card **** **** **** ****, mail ****************',
    );
  });

  it('masks every kind in one text and keeps the rest as it was', () => {
    const text =
      'SSN 123-45-6789 / IBAN DE89370400440532013000 / +44 20 7946 0958 / order 2024-11-22';
    expect(maskPiiInText(text, ALL_DETECTORS_ON)).toBe(
      'SSN *********** / IBAN ********************** / *** ** **** **** / order 2024-11-22',
    );
  });

  it('finds numbers grouped with typographic spaces and dashes, and keeps those characters', () => {
    const nbsp = '\u00a0';
    const thin = '\u2009';
    const hyphen = '\u2011';
    expect(maskPiiInText(`Card 4111${nbsp}1111${nbsp}1111${nbsp}1111`, ALL_DETECTORS_ON)).toBe(
      `Card ****${nbsp}****${nbsp}****${nbsp}****`,
    );
    expect(
      maskPiiInText(
        `IBAN DE89${thin}3704${thin}0044${thin}0532${thin}0130${thin}00`,
        ALL_DETECTORS_ON,
      ),
    ).not.toMatch(/\d/);
    expect(maskPiiInText(`SSN 123${hyphen}45${hyphen}6789`, ALL_DETECTORS_ON)).toBe(
      `SSN ***********`,
    );
  });

  it('returns the very same string when nothing matched', () => {
    const text = 'Total: $1,234.50 for 3 items, delivered 2024-11-22';
    expect(maskPiiInText(text, ALL_DETECTORS_ON)).toBe(text);
  });

  it('runs only the detectors that are on', () => {
    const text = 'jane@example.com 4111111111111111';
    expect(maskPiiInText(text, only('email'))).toBe('**************** 4111111111111111');
    expect(maskPiiInText(text, only('cardNumbers'))).toBe('jane@example.com ****************');
    expect(maskPiiInText(text, none)).toBe(text);
  });
});

describe('maskPiiInTypedValue', () => {
  it('masks a card number while it is still being typed', () => {
    expect(maskPiiInTypedValue('41111', ALL_DETECTORS_ON)).toBe('41111');
    expect(maskPiiInTypedValue('411111', ALL_DETECTORS_ON)).toBe('******');
    expect(maskPiiInTypedValue('4111 1111 1', ALL_DETECTORS_ON)).toBe('**** **** *');
  });

  it('masks an email address once the @ is typed', () => {
    expect(maskPiiInTypedValue('jane', ALL_DETECTORS_ON)).toBe('jane');
    expect(maskPiiInTypedValue('jane@exa', ALL_DETECTORS_ON)).toBe('********');
  });

  it('leaves short numbers and words, and everything when detection is off', () => {
    expect(maskPiiInTypedValue('2 pairs, size 42', ALL_DETECTORS_ON)).toBe('2 pairs, size 42');
    expect(maskPiiInTypedValue('411111', only('email'))).toBe('411111');
    expect(maskPiiInTypedValue('jane@exa', none)).toBe('jane@exa');
  });
});

describe('maskPiiInUrl', () => {
  it('masks query values, decoded first, and keeps the rest byte for byte', () => {
    expect(
      maskPiiInUrl(
        'https://shop.test/a?email=jane%40example.com&q=red+shoes&n=2',
        ALL_DETECTORS_ON,
      ),
    ).toBe('https://shop.test/a?email=****************&q=red+shoes&n=2');
  });

  it('masks a card number with + for spaces, path segments and the fragment', () => {
    expect(
      maskPiiInUrl(
        '/users/jane@example.com/cards?c=4111+1111+1111+1111#phone=%2B44%2020%207946%200958',
        ALL_DETECTORS_ON,
      ),
    ).toBe(
      '/users/****************/cards?c=****%20****%20****%20****#phone=***%20**%20****%20****',
    );
  });

  it('keeps scheme, host and port, even with digits', () => {
    const url = 'https://10.0.0.1:8443/2024-11-22/report?id=123';
    expect(maskPiiInUrl(url, ALL_DETECTORS_ON)).toBe(url);
  });

  it('masks mailto: and tel: addresses', () => {
    expect(maskPiiInUrl('mailto:jane@example.com?subject=Order%2012', ALL_DETECTORS_ON)).toBe(
      'mailto:****************?subject=Order%2012',
    );
    expect(maskPiiInUrl('tel:+1-415-555-0132', ALL_DETECTORS_ON)).toBe('tel:***************');
    expect(maskPiiInUrl('tel:+1-415-555-0132', only('email'))).toBe('tel:+1-415-555-0132');
  });

  it('leaves data: URLs and malformed escapes alone', () => {
    const data = 'data:text/plain,4111111111111111';
    expect(maskPiiInUrl(data, ALL_DETECTORS_ON)).toBe(data);
    expect(maskPiiInUrl('/a?x=%E0%A4%A&y=1', ALL_DETECTORS_ON)).toBe('/a?x=%E0%A4%A&y=1');
  });
});

describe('mergeServerDetection', () => {
  it('lets the server turn detectors on', () => {
    expect(mergeServerDetection(none, { phone: true, email: true })).toEqual(
      only('phone', 'email'),
    );
  });

  it('never lets the server turn a detector off', () => {
    expect(mergeServerDetection(ALL_DETECTORS_ON, { phone: false, email: false })).toEqual(
      ALL_DETECTORS_ON,
    );
    expect(mergeServerDetection(only('iban'), { iban: 'off', ssn: 1 })).toEqual(only('iban'));
  });

  it('keeps the page choice without server switches, and returns a copy', () => {
    const page = only('ssn');
    const merged = mergeServerDetection(page, undefined);
    expect(merged).toEqual(page);
    expect(merged).not.toBe(page);
  });
});

describe('cost on hostile text', () => {
  // Regular expressions that backtrack catastrophically take seconds on these (a typed value of
  // 40,000 "1-" took 1.7 s and "DE89" repeated 15 s before the email-in-progress pattern was
  // anchored; "+" and 60 digits took 200 ms before phone groups needed separators).
  it.each([
    ['+ and digits', `+${'1'.repeat(60)} `.repeat(50)],
    ['dashed ones', '1-'.repeat(20_000)],
    ['dotted ones', '1.'.repeat(20_000)],
    ['IBAN-like runs', 'DE89'.repeat(20_000)],
    ['spaced IBAN-like runs', 'DE89 '.repeat(20_000)],
    ['address-like runs', 'a@b.'.repeat(20_000)],
    ['a long local part', `${'a.'.repeat(20_000)}@`],
    ['bracketed zeroes', '(0'.repeat(20_000)],
  ])('stays fast on %s', (_, text) => {
    const started = performance.now();
    maskPiiInText(text, ALL_DETECTORS_ON);
    maskPiiInTypedValue(text, ALL_DETECTORS_ON);
    maskPiiInUrl(`https://shop.test/?q=${encodeURIComponent(text)}`, ALL_DETECTORS_ON);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
