import { describe, expect, it } from 'vitest';
import { blockedRuleTest, namesOfBlockRules, subjectSelector } from './blocked-css.js';
import { compileMaskPolicy } from './masking.js';

const policyBlocking = (blockSelectors: string) =>
  compileMaskPolicy({
    piiMask: {
      maskType: 'all_input',
      maskCssSelectors: '',
      maskHTMLAttributes: '',
      unmaskCssSelectors: '',
    },
    blockSelectors,
    maskUrlParams: [],
  });

/** A blocked element that matches the listed selectors, with descendants matching `inside`. */
const element = (matches: string[], inside: string[] = []) => ({
  matches: (selector: string) => {
    if (selector.includes('!')) throw new SyntaxError(selector);
    return matches.includes(selector);
  },
  querySelector: (selector: string) => (inside.includes(selector) ? {} : null),
});

const scope = (...blocked: ReturnType<typeof element>[]) => ({
  querySelectorAll: (selector: string) => {
    if (selector.includes('::bad')) throw new SyntaxError(selector);
    return blocked;
  },
});

describe('subjectSelector', () => {
  it('takes out pseudo-elements and states the element may be in later', () => {
    expect(subjectSelector('.card:hover::before')).toBe('.card');
    expect(subjectSelector('a.scan:focus-visible, .x:first-letter')).toBe('a.scan, .x');
    expect(subjectSelector('.a::part(thumb) > img:checked')).toBe('.a > img');
  });
});

describe('blockedRuleTest', () => {
  it('picks rules matching a blocked element or one inside it now (issue 4, stylesheet-background)', () => {
    const policy = policyBlocking('picture');
    const test = blockedRuleTest(scope(element(['.front'], ['.avatar'])), policy, new Set());
    expect(test?.('.front:hover')).toBe(true);
    expect(test?.('.avatar')).toBe(true);
    expect(test?.('.logo')).toBe(false);
  });

  it('picks rules naming a class or id of a block rule, for elements not in the page yet', () => {
    const policy = policyBlocking('.id-front, #scan img');
    const names = namesOfBlockRules(policy);
    expect([...names].sort()).toEqual(['#scan', '.id-front']);
    const test = blockedRuleTest(scope(), policy, names);
    expect(test?.('div.id-front.large')).toBe(true);
    expect(test?.('.id-front-page')).toBe(false);
  });

  it('has nothing to do when nothing is blocked and no block rule names anything', () => {
    expect(blockedRuleTest(scope(), policyBlocking(''), new Set())).toBeUndefined();
  });

  it('fails closed on selectors the browser rejects', () => {
    const policy = policyBlocking('');
    expect(blockedRuleTest(scope(element([])), policy, new Set())?.('.x!')).toBe(true);
    expect(blockedRuleTest(scope(), policyBlocking('::bad'), new Set())?.('.y')).toBe(true);
  });
});
