import { describe, expect, it } from 'vitest';
import { findSsns, isIssuableSsn } from './ssn.js';

const found = (text: string) => findSsns(text).map(({ start, end }) => text.slice(start, end));

describe('isIssuableSsn', () => {
  it('refuses the areas, groups and serials the SSA never issues', () => {
    expect(isIssuableSsn('123', '45', '6789')).toBe(true);
    expect(isIssuableSsn('899', '99', '9999')).toBe(true);
    expect(isIssuableSsn('000', '45', '6789')).toBe(false);
    expect(isIssuableSsn('666', '45', '6789')).toBe(false);
    expect(isIssuableSsn('900', '45', '6789')).toBe(false);
    expect(isIssuableSsn('999', '45', '6789')).toBe(false);
    expect(isIssuableSsn('123', '00', '6789')).toBe(false);
    expect(isIssuableSsn('123', '45', '0000')).toBe(false);
  });
});

describe('findSsns', () => {
  it.each([
    ['dashed', 'SSN 123-45-6789 on file', '123-45-6789'],
    ['spaced', 'ssn: 123 45 6789.', '123 45 6789'],
    ['dashed without a label', 'number is 536-22-1234', '536-22-1234'],
    ['bare after "SSN"', 'SSN: 123456789', '123456789'],
    ['bare after "Social Security No."', 'Social Security No. 536221234', '536221234'],
  ])('finds a %s number', (_, text, ssn) => {
    expect(found(text)).toEqual([ssn]);
  });

  it.each([
    ['area 000', '000-12-3456'],
    ['area 666', '666-12-3456'],
    ['area 9xx', '912-34-5678 and 987-65-4321'],
    ['group 00', '123-00-4567'],
    ['serial 0000', '123-45-0000'],
    ['mixed separators', '123-45 6789'],
    ['bare, without a label', 'order 123456789'],
    ['a date', '2024-11-22'],
    ['a phone number', '415-555-0132'],
    ['part of a longer number', '1123-45-6789 and 123-45-67890 and 123-45-6789-1'],
    ['inside a word', 'ID123-45-6789'],
  ])('leaves %s', (_, text) => {
    expect(found(text)).toEqual([]);
  });
});
