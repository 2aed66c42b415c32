import { describe, expect, it } from 'vitest';
import { expiryWords, readTicketRef } from './invite.js';

describe('the invitation’s words', () => {
  it('takes a blank ticket as none, trims a good one, and says what a bad one lacks', () => {
    expect(readTicketRef('   ')).toEqual({ ok: true });
    expect(readTicketRef(' ZD-48213 ')).toEqual({ ok: true, ticketRef: 'ZD-48213' });
    const bad = readTicketRef('<b>ticket</b>');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toContain('up to 64 letters');
    expect(readTicketRef('x'.repeat(65)).ok).toBe(false);
  });

  it('counts down to the link’s expiry in minutes, with the time', () => {
    const at = Date.UTC(2026, 0, 1, 10, 42);
    const iso = new Date(at).toISOString();
    expect(expiryWords(iso, at - 14.5 * 60_000, 'UTC')).toBe('Expires in 14 min (at 10:42)');
    expect(expiryWords(iso, at - 30_000, 'UTC')).toBe('Expires in less than a minute (at 10:42)');
    expect(expiryWords(iso, at, 'UTC')).toBe('Expired');
    expect(expiryWords('not a time', at, 'UTC')).toBe('Expired');
  });
});
