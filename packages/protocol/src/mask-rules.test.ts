import { describe, expect, it } from 'vitest';
import { MASK_RULE_LIST_MAX_ENTRIES } from './limits.js';
import { MaskRuleInput, maskRulePatternMatches } from './mask-rules.js';

describe('mask rule URL patterns', () => {
  it.each([
    ['/**', '/', true],
    ['/**', '/a/b/c', true],
    ['/account/**', '/account', true],
    ['/account/**', '/account/', true],
    ['/account/**', '/account/cards/2', true],
    ['/account/**', '/accounts', false],
    ['/demo/', '/demo/', true],
    ['/demo/', '/demo/checkout', false],
    ['/orders/*/edit', '/orders/42/edit', true],
    ['/orders/*/edit', '/orders/4/2/edit', false],
    ['/a.b', '/aXb', false],
    ['/shop/**/pay', '/shop/x/y/pay', true],
  ])('%s against %s is %s', (pattern, path, expected) => {
    expect(maskRulePatternMatches(pattern, path)).toBe(expected);
  });
});

describe('MaskRuleInput', () => {
  it('fills the lists and requires one entry', () => {
    expect(MaskRuleInput.parse({ urlPattern: '/**', maskSelectors: ['#name'] })).toEqual({
      urlPattern: '/**',
      maskSelectors: ['#name'],
      blockSelectors: [],
      maskUrlParams: [],
      detectors: {},
    });
    expect(MaskRuleInput.safeParse({ urlPattern: '/**' }).success).toBe(false);
    expect(
      MaskRuleInput.parse({ urlPattern: '/**', detectors: { email: true } }).detectors,
    ).toEqual({ email: true });
  });

  it.each([
    ['a pattern without a leading slash', { urlPattern: 'demo/**', maskSelectors: ['p'] }],
    ['a pattern with a query', { urlPattern: '/demo?x=1', maskSelectors: ['p'] }],
    ['a selector with a brace', { urlPattern: '/**', maskSelectors: ['p { color: red }'] }],
    ['a blank selector', { urlPattern: '/**', blockSelectors: ['  '] }],
    ['a parameter with a space', { urlPattern: '/**', maskUrlParams: ['a b'] }],
    [
      'a detector switched off',
      { urlPattern: '/**', maskSelectors: ['p'], detectors: { email: false } },
    ],
    ['an unknown detector', { urlPattern: '/**', detectors: { names: true } }],
    ['an unknown field', { urlPattern: '/**', maskSelectors: ['p'], unmask: ['p'] }],
    [
      'too many selectors',
      { urlPattern: '/**', maskSelectors: Array(MASK_RULE_LIST_MAX_ENTRIES + 1).fill('p') },
    ],
  ])('refuses %s', (_label, value) => {
    expect(MaskRuleInput.safeParse(value).success).toBe(false);
  });
});
