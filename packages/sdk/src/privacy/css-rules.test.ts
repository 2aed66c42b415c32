import { describe, expect, it } from 'vitest';
import { stripImageUrls, stripImageUrlsInRules } from './css-rules.js';

const blocked = (selector: string) => selector.includes('.id-front');

describe('stripImageUrls', () => {
  it('replaces url() and image-set() in every form, strings and escapes included', () => {
    expect(
      stripImageUrls(
        `background: url("a).png") no-repeat, url('b.png'), url(c.png); ` +
          `mask: -webkit-image-set("d.png" 1x, url(e.png) 2x); content: "url(" ;`,
      ),
    ).toBe('background: none no-repeat, none, none; mask: none; content: "url(" ;');
  });

  it('takes the rest of the text with an unclosed one (fails closed)', () => {
    expect(stripImageUrls('a: url("x.png"; b: red')).toBe('a: none');
  });
});

describe('stripImageUrlsInRules', () => {
  it("removes a blocked element's background image from its rule only (issue 4, stylesheet-background)", () => {
    const css =
      '.id-front { width: 240px; background-image: url("http://shop.test/img/card-Z1284403.svg"); } ' +
      '.logo { background: url("logo.svg"); }';
    expect(stripImageUrlsInRules(css, blocked)).toBe(
      '.id-front { width: 240px; background-image: none; } .logo { background: url("logo.svg"); }',
    );
  });

  it('looks into @media and @supports, and resolves nested rules against their parent', () => {
    const css =
      '@media (min-width: 1px) { .id-front:hover::before { content: url(x.svg); } } ' +
      '.card { color: red; &.id-front { background: url(y.svg) } .id-front & { b: url(z.svg) } } ' +
      '@font-face { src: url(font.woff2); } @import url(sheet.css);';
    expect(stripImageUrlsInRules(css, blocked)).toBe(
      '@media (min-width: 1px) { .id-front:hover::before { content: none; } } ' +
        '.card { color: red; &.id-front { background: none } .id-front & { b: none } } ' +
        '@font-face { src: url(font.woff2); } @import url(sheet.css);',
    );
  });

  it('passes the selector with comments removed, and nested ones resolved', () => {
    const seen: string[] = [];
    stripImageUrlsInRules('/* x */ .a /* y */ { b: url(c); .d { e: url(f) } }', (selector) => {
      seen.push(selector);
      return false;
    });
    expect(seen).toEqual(['.a', ':is(.a) .d']);
  });

  it('fails closed on an unclosed block, and returns text without addresses untouched', () => {
    expect(stripImageUrlsInRules('.a { b: red } .c { d: url(e.png)', () => false)).toBe(
      '.a { b: red } .c { d: none',
    );
    const plain = '.id-front { color: red }';
    expect(stripImageUrlsInRules(plain, blocked)).toBe(plain);
  });
});
