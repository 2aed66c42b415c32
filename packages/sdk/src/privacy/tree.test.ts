import { describe, expect, it } from 'vitest';
import { defaultSlotOf, within, type TreeElement } from './tree.js';

/**
 * A small tree of plain objects with DOM semantics for what the walk reads: `closest` matches a
 * selector against the element's own `matches` list and its parents', in its own tree only.
 */
interface Node extends TreeElement {
  readonly name: string;
  parentElement: Node | null;
  assignedSlot: Node | null;
  shadowRoot: { querySelector(selector: string): unknown } | null;
}

function node(
  name: string,
  init: { parent?: Node; matches?: string[]; root?: object; rejects?: boolean } = {},
): Node {
  const self: Node = {
    name,
    parentElement: init.parent ?? null,
    assignedSlot: null,
    shadowRoot: null,
    closest(selector) {
      if (init.rejects) throw new SyntaxError(selector);
      if (init.matches?.includes(selector)) return self;
      return self.parentElement?.closest(selector) ?? null;
    },
    getRootNode: () => init.root ?? { defaultView: { frameElement: null } },
  };
  return self;
}

/**
 * `<private-field>` (light DOM: a `<span>` slotted into the shadow root's masked `<slot>`), as
 * the slotted corpus page builds it: `<b data-sightline-mask><slot></slot></b>`.
 */
function component(slotMatches: string[]) {
  const host = node('private-field');
  const shadow = { host };
  const masked = node('b', { root: shadow, matches: slotMatches });
  const slot = node('slot', { parent: masked, root: shadow });
  host.shadowRoot = { querySelector: (selector) => (selector.includes('slot') ? slot : null) };
  const light = node('span', { parent: host });
  light.assignedSlot = slot;
  const deeper = node('i', { parent: light });
  return { host, slot, light, deeper };
}

describe('within', () => {
  it('is closest() for an element of the document', () => {
    const outer = node('section', { matches: ['.secret'] });
    expect(within(node('p', { parent: outer }), '.secret')).toBe(true);
    expect(within(node('p', { parent: outer }), '.other')).toBe(false);
  });

  it('steps out of a shadow root to its host', () => {
    const host = node('x-card', { matches: ['.secret'] });
    expect(within(node('p', { root: { host } }), '.secret')).toBe(true);
  });

  it('follows light DOM into the slot it is rendered in (issue 4, slotted)', () => {
    const { light, deeper } = component(['[data-sightline-mask]']);
    expect(within(light, '[data-sightline-mask]')).toBe(true);
    expect(within(deeper, '[data-sightline-mask]')).toBe(true);
  });

  it('does not mask slotted content whose slot is outside any match', () => {
    const { light } = component([]);
    expect(within(light, '[data-sightline-mask]')).toBe(false);
  });

  it('fails closed on a selector the browser rejects', () => {
    expect(within(node('p', { rejects: true }), ':bad(')).toBe(true);
  });
});

describe('defaultSlotOf', () => {
  it("is the open shadow root's unnamed slot, for text directly inside a host", () => {
    const { host, slot } = component([]);
    expect(defaultSlotOf(host)).toBe(slot);
    expect(defaultSlotOf(node('p'))).toBeNull();
  });
});
