import { describe, expect, it } from 'vitest';
import { findEmails } from './email.js';

const found = (text: string) => findEmails(text).map(({ start, end }) => text.slice(start, end));

describe('findEmails', () => {
  it.each([
    ['plain', 'write to jane@example.com.', 'jane@example.com'],
    [
      'dots, plus and subdomains',
      '<jane.doe+shop@mail.example.co.uk>',
      'jane.doe+shop@mail.example.co.uk',
    ],
    ['in brackets', '(j_doe@example.org)', 'j_doe@example.org'],
    ['non-ASCII', 'josé@exämple.de', 'josé@exämple.de'],
    ['after mailto:', 'mailto:jane@example.com', 'jane@example.com'],
  ])('finds %s', (_, text, email) => {
    expect(found(text)).toEqual([email]);
  });

  it('finds several', () => {
    expect(found('a@example.com, b@example.net')).toEqual(['a@example.com', 'b@example.net']);
  });

  it.each([
    ['a handle', 'follow @sightline'],
    ['a host without a dot', 'root@localhost'],
    ['a retina asset name', 'logo@2x.png and hero@3x.webp'],
    ['a bare @', 'meet @ 10'],
    ['a one-letter top-level domain', 'a@b.c'],
  ])('leaves %s', (_, text) => {
    expect(found(text)).toEqual([]);
  });
});
