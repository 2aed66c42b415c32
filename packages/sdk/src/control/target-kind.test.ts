import { describe, expect, it } from 'vitest';
import { kindRefusal, roleOf, type TargetFacts } from './target-kind.js';

const BASE: TargetFacts = {
  tag: 'div',
  type: '',
  ariaRole: '',
  hasHref: false,
  disabled: false,
  readOnly: false,
  multiple: false,
  optionCount: 0,
  focusable: false,
  scrollable: false,
  rendered: true,
  isPageRoot: false,
};
const facts = (over: Partial<TargetFacts>): TargetFacts => ({ ...BASE, ...over });
const input = (type: string, over: Partial<TargetFacts> = {}) =>
  facts({ tag: 'input', type, focusable: true, ...over });

describe('the kind of element each action needs', () => {
  it('types only into enabled, writable text fields and textareas', () => {
    const type = { kind: 'type', nodeId: 1, text: 'hi', replace: false } as const;
    for (const ok of [input('text'), input('email'), input('number'), facts({ tag: 'textarea' })]) {
      expect(kindRefusal(type, ok)).toBeUndefined();
    }
    for (const no of [
      input('checkbox'),
      input('file'),
      input('date'),
      input('submit'),
      input('text', { disabled: true }),
      input('text', { readOnly: true }),
      facts({ tag: 'div' }),
      facts({ tag: 'select', optionCount: 3 }),
    ]) {
      expect(kindRefusal(type, no)).toBe('not_actionable');
    }
  });

  it('chooses options by index in a select: one in a single select, any in a multiple one', () => {
    const select = facts({ tag: 'select', optionCount: 3 });
    const choose = (options: number[]) => ({ kind: 'select', nodeId: 1, options }) as const;
    expect(kindRefusal(choose([2]), select)).toBeUndefined();
    expect(kindRefusal(choose([3]), select)).toBe('not_actionable');
    expect(kindRefusal(choose([0, 1]), select)).toBe('not_actionable');
    expect(kindRefusal(choose([0, 1]), { ...select, multiple: true })).toBeUndefined();
    expect(kindRefusal(choose([0]), { ...select, disabled: true })).toBe('not_actionable');
    expect(kindRefusal(choose([0]), input('text'))).toBe('not_actionable');
  });

  it('ticks checkboxes both ways and radio buttons only on', () => {
    const check = (checked: boolean) => ({ kind: 'check', nodeId: 1, checked }) as const;
    expect(kindRefusal(check(false), input('checkbox'))).toBeUndefined();
    expect(kindRefusal(check(true), input('radio'))).toBeUndefined();
    expect(kindRefusal(check(false), input('radio'))).toBe('not_actionable');
    expect(kindRefusal(check(true), input('checkbox', { disabled: true }))).toBe('not_actionable');
    expect(kindRefusal(check(true), facts({ ariaRole: 'checkbox' }))).toBe('not_actionable');
  });

  it('points only at what is on screen, clicks nothing disabled, focuses only the focusable', () => {
    const click = { kind: 'click', nodeId: 1 } as const;
    expect(kindRefusal(click, facts({}))).toBeUndefined();
    expect(kindRefusal(click, facts({ rendered: false }))).toBe('not_actionable');
    expect(kindRefusal(click, facts({ tag: 'button', disabled: true }))).toBe('not_actionable');
    expect(kindRefusal({ kind: 'hover', nodeId: 1 }, facts({ rendered: false }))).toBe(
      'not_actionable',
    );
    expect(kindRefusal({ kind: 'focus', nodeId: 1 }, facts({}))).toBe('not_actionable');
    expect(kindRefusal({ kind: 'focus', nodeId: 1 }, input('text'))).toBeUndefined();
  });

  it('scrolls an element only when it overflows, and the page through its root', () => {
    const scroll = { kind: 'scroll', nodeId: 1, left: 0, top: 50 } as const;
    expect(kindRefusal(scroll, facts({}))).toBe('not_actionable');
    expect(kindRefusal(scroll, facts({ scrollable: true }))).toBeUndefined();
    expect(kindRefusal(scroll, facts({ tag: 'body', isPageRoot: true }))).toBeUndefined();
  });

  it('names the target as the customer would', () => {
    expect(roleOf(input('submit'))).toBe('button');
    expect(roleOf(facts({ tag: 'button' }))).toBe('button');
    expect(roleOf(facts({ ariaRole: 'button' }))).toBe('button');
    expect(roleOf(facts({ tag: 'a', hasHref: true }))).toBe('link');
    expect(roleOf(facts({ tag: 'a' }))).toBe('element');
    expect(roleOf(input('search'))).toBe('field');
    expect(roleOf(facts({ tag: 'textarea' }))).toBe('field');
    expect(roleOf(input('checkbox'))).toBe('checkbox');
    expect(roleOf(input('radio'))).toBe('radio');
    expect(roleOf(facts({ tag: 'select' }))).toBe('select');
    expect(roleOf(facts({ tag: 'body', isPageRoot: true }))).toBe('page');
  });
});
