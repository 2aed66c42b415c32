import { describe, expect, it } from 'vitest';
import { IBAN_LENGTHS, findIbans, passesMod97 } from './iban.js';

const found = (text: string) => findIbans(text).map(({ start, end }) => text.slice(start, end));

describe('passesMod97', () => {
  it('checks the ISO 7064 mod-97-10 digits', () => {
    expect(passesMod97('DE89370400440532013000')).toBe(true);
    expect(passesMod97('DE89370400440532013001')).toBe(false);
    expect(passesMod97('GB82WEST12345698765432')).toBe(true);
  });
});

describe('IBAN_LENGTHS', () => {
  it('knows the registry lengths of common countries', () => {
    expect(IBAN_LENGTHS).toMatchObject({ DE: 22, GB: 22, FR: 27, NL: 18, NO: 15, MT: 31, IT: 27 });
  });
});

describe('findIbans', () => {
  it.each([
    ['German, compact', 'IBAN: DE89370400440532013000.', 'DE89370400440532013000'],
    ['German, grouped', 'to DE89 3704 0044 0532 0130 00 thanks', 'DE89 3704 0044 0532 0130 00'],
    ['British with letters', 'GB82WEST12345698765432', 'GB82WEST12345698765432'],
    ['British, lower case, grouped', 'gb82 west 1234 5698 7654 32', 'gb82 west 1234 5698 7654 32'],
    ['French', 'FR14 2004 1010 0505 0001 3M02 606', 'FR14 2004 1010 0505 0001 3M02 606'],
    ['Dutch', 'NL91ABNA0417164300', 'NL91ABNA0417164300'],
    ['Norwegian, the shortest', 'NO9386011117947', 'NO9386011117947'],
    [
      'followed by a currency code',
      'DE89 3704 0044 0532 0130 00 EUR',
      'DE89 3704 0044 0532 0130 00',
    ],
  ])('finds a %s IBAN', (_, text, iban) => {
    expect(found(text)).toEqual([iban]);
  });

  it.each([
    ['a wrong check', 'DE89 3704 0044 0532 0130 01'],
    ['a wrong length for the country', 'DE8937040044053201300'],
    ['an unknown country', 'ZZ89370400440532013000'],
    ['longer than the country allows, glued', 'DE893704004405320130001'],
    ['inside a word', 'xDE89370400440532013000'],
    ['a product code', 'SKU AB12 3456 7890 1234'],
  ])('leaves %s', (_, text) => {
    expect(found(text)).toEqual([]);
  });

  it('finds two IBANs a few words apart, and one right after a code that is not an IBAN', () => {
    expect(found('from DE89 3704 0044 0532 0130 00 to GB82 WEST 1234 5698 7654 32')).toEqual([
      'DE89 3704 0044 0532 0130 00',
      'GB82 WEST 1234 5698 7654 32',
    ]);
    expect(found('ref XX12 NL91ABNA0417164300')).toEqual(['NL91ABNA0417164300']);
  });
});
