import { describe, expect, it } from 'vitest';
import { inviteRefusal, newOpenerId, takeInvite, type AddressBar } from './invite.js';

/** An address bar that records what the page's address became. */
function bar(href: string): AddressBar & { replaced: string[] } {
  const replaced: string[] = [];
  return {
    replaced,
    location: { href },
    history: {
      state: { kept: true },
      replaceState(state: unknown, _unused: string, url?: string | URL | null) {
        expect(state).toEqual({ kept: true });
        replaced.push(String(url));
      },
    },
  };
}

describe('an invitation in the address', () => {
  it('is taken out of the address bar, keeping the rest of the address', () => {
    const page = bar('https://shop.example/help?from=mail&sightline_invite=a.b.c&x=1#faq');
    expect(takeInvite(page)).toBe('a.b.c');
    expect(page.replaced).toEqual(['/help?from=mail&x=1#faq']);
  });

  it('leaves an address without one alone', () => {
    const page = bar('https://shop.example/help?from=mail');
    expect(takeInvite(page)).toBeUndefined();
    expect(page.replaced).toEqual([]);
    expect(takeInvite(undefined)).toBeUndefined();
  });

  it('is still taken when the address cannot be rewritten', () => {
    const page = bar('https://shop.example/?sightline_invite=a.b.c');
    page.history.replaceState = () => {
      throw new Error('SecurityError');
    };
    expect(takeInvite(page)).toBe('a.b.c');
  });

  it('is refused before any request unless it looks like a signed token', () => {
    expect(inviteRefusal('eyJh.eyJz.c2ln')).toBeUndefined();
    for (const bad of ['', 'a.b', 'a.b.c.d', '<script>.b.c', 'x'.repeat(2049), 42]) {
      expect(inviteRefusal(bad)?.code).toBe(3011);
    }
  });

  it('gets a fresh 128-bit opener id for each opening', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newOpenerId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
