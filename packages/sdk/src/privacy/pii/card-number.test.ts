import { describe, expect, it } from 'vitest';
import { findCardNumbers, passesLuhn } from './card-number.js';

const found = (text: string) =>
  findCardNumbers(text).map(({ start, end }) => text.slice(start, end));

describe('passesLuhn', () => {
  it('accepts valid and refuses invalid check digits', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(passesLuhn('378282246310005')).toBe(true);
    expect(passesLuhn('41x1')).toBe(false);
  });
});

describe('findCardNumbers', () => {
  it.each([
    ['Visa', 'card 4111111111111111 on file', '4111111111111111'],
    ['Visa, spaced', 'pay with 4111 1111 1111 1111.', '4111 1111 1111 1111'],
    ['Mastercard, dashed', '5555-5555-5555-4444', '5555-5555-5555-4444'],
    ['Mastercard 2-series', '2223003122003222', '2223003122003222'],
    ['Amex 4-6-5', 'Amex: 3782 822463 10005', '3782 822463 10005'],
    ['Discover', '(6011111111111117)', '6011111111111117'],
    ['Visa 13 digits', '4222222222222', '4222222222222'],
    ['UnionPay, 19 digits', 'no. 6250941006528599008', '6250941006528599008'],
  ])('finds %s', (_, text, card) => {
    expect(found(text)).toEqual([card]);
  });

  it('finds a card followed by another number after a space', () => {
    expect(found('4111 1111 1111 1111 2025')).toEqual(['4111 1111 1111 1111']);
  });

  it('finds several cards in one text', () => {
    expect(found('4111111111111111 and 5555555555554444')).toHaveLength(2);
  });

  it.each([
    ['fails Luhn', 'ref 4111111111111112'],
    ['too short', '411111111111'],
    ['too long', '41111111111111111111'],
    ['starts with 0, 1, 7, 8 or 9', '0000 0000 0000 0000 / 7992739871300000 / 1234567812345670'],
    ['mixed separators', '4111 1111-1111 1111'],
    ['groups of 1–2 digits (a date and a time)', '2024 11 22 10 30 00 1'],
    ['inside an identifier', 'ORD-4111111111111111 x4111111111111111 4111111111111111abc'],
    ['a decimal', '0.4111111111111111 and 4111111111111111.5'],
    ['a price with thousands', '$4,111,111,111,111,111'],
    ['an ISBN', 'ISBN 978-3-16-148410-0'],
    ['a timestamp in ms', '1700000000000'],
  ])('leaves a number that %s', (_, text) => {
    expect(found(text)).toEqual([]);
  });
});
