import { describe, expect, it } from 'vitest';
import { findPhoneNumbers } from './phone.js';

const found = (text: string) =>
  findPhoneNumbers(text).map(({ start, end }) => text.slice(start, end));

describe('findPhoneNumbers', () => {
  it.each([
    ['UK international', 'call +44 20 7946 0958 today', '+44 20 7946 0958'],
    ['US international with brackets', '+1 (415) 555-0132', '+1 (415) 555-0132'],
    ['US international, dashed', 'tel +1-415-555-0132.', '+1-415-555-0132'],
    ['E.164', '+14155550132', '+14155550132'],
    ['German with (0)', '+49 (0)30 1234567', '+49 (0)30 1234567'],
    ['French international', '+33 6 12 34 56 78', '+33 6 12 34 56 78'],
    ['Indian', '+91 98765 43210', '+91 98765 43210'],
    ['US with brackets', 'Phone: (415) 555-0132', '(415) 555-0132'],
    ['US dashed', '415-555-0132', '415-555-0132'],
    ['US dotted', '415.555.0132', '415.555.0132'],
    ['US toll-free with 1', '1-800-555-0199', '1-800-555-0199'],
    ['UK national', '020 7946 0958', '020 7946 0958'],
    ['UK national, area in brackets', '(020) 7946 0958', '(020) 7946 0958'],
    ['German national with slash', '030/12345678', '030/12345678'],
    ['French national', '06 12 34 56 78', '06 12 34 56 78'],
    ['German mobile', 'Tel: 0171 1234567', '0171 1234567'],
  ])('finds %s', (_, text, phone) => {
    expect(found(text)).toEqual([phone]);
  });

  it.each([
    ['an ISO date', 'on 2024-11-22'],
    ['a European date', '22.11.2024'],
    ['a US date', '11/22/2024'],
    ['a timestamp with a zone', '2024-11-22T10:30:00+01:00'],
    ['a compact timestamp', '20241122103000'],
    ['a Unix timestamp', 'ts 1700000000 or 1700000000000'],
    ['a time', '10:30:00'],
    ['a price', '$1,234,567.89 and €415 555 0132'],
    ['a price with spaces', '1 234 567,00 €'],
    ['an ISBN-13', 'ISBN 978-3-16-148410-0'],
    ['an ISBN-10', 'ISBN 0-306-40615-2'],
    ['an order number with #', 'Order #415-555-0132'],
    ['an order number with a label', 'Order 415-555-0132, Invoice 020 7946 0958'],
    ['a tracking number', 'Tracking: 1Z999AA10123456784'],
    ['an invalid North American area code', '123-456-7890'],
    ['a too short international number', '+44 20 79'],
    ['a decimal', '0.0000123456789'],
    ['a version', 'v10.2.3'],
    ['a sum', '10+20 = 30'],
    ['trunk prefix 00', '000-12-3456'],
  ])('leaves %s', (_, text) => {
    expect(found(text)).toEqual([]);
  });
});
