import { describe, expect, it } from 'vitest';
import { ALL_DETECTORS_ON } from '../privacy/pii/redact.js';
import { MAX_RUN_NODES, maskAcrossElements, type RunNode } from './split-pii.js';

interface Node extends RunNode {
  parentNode: Node | null;
  childNodes: Node[];
}

/** `h('p', 'SSN ', h('b', '078'))`: an element with children; strings are text nodes. */
function h(localName: string, ...children: (Node | string)[]): Node {
  const element: Node = { nodeType: 1, localName, parentNode: null, childNodes: [] };
  for (const child of children) {
    const node: Node =
      typeof child === 'string'
        ? { nodeType: 3, data: child, parentNode: element, childNodes: [] }
        : child;
    node.parentNode = element;
    element.childNodes.push(node);
  }
  return element;
}

/** The text node at `path` (child indexes) under `root`. */
const at = (root: Node, ...path: number[]): Node =>
  path.reduce((node, index) => node.childNodes[index] as Node, root);

const mask = (root: Node, ...path: number[]) => {
  const text = at(root, ...path);
  return maskAcrossElements(text.data ?? '', text, ALL_DETECTORS_ON);
};

describe('maskAcrossElements', () => {
  it('masks each group of a card number rendered one per element (issue 4, split-card)', () => {
    const card = h(
      'p',
      h('span', '4111'),
      ' ',
      h('span', '1111'),
      ' ',
      h('span', '1111'),
      ' ',
      h('span', '1111'),
    );
    expect([0, 2, 4, 6].map((index) => mask(card, index, 0))).toEqual([
      '****',
      '****',
      '****',
      '****',
    ]);
  });

  it('masks an SSN split over bold groups, through nested inline elements', () => {
    const ssn = h('p', 'SSN ', h('b', '078'), '-', h('b', h('i', '05')), '-', h('b', '1120'));
    expect(mask(ssn, 1, 0)).toBe('***');
    expect(mask(ssn, 3, 0, 0)).toBe('**');
    expect(mask(ssn, 0)).toBe('SSN ');
  });

  it('leaves groups alone when a block or a line break separates them', () => {
    const split = h('div', h('span', '4111 1111'), h('br'), h('span', '1111 1111'));
    expect(mask(split, 0, 0)).toBe('4111 1111');
    const blocks = h('div', h('p', '078'), h('p', '05-1120'));
    expect(mask(blocks, 0, 0)).toBe('078');
  });

  it('only looks at short group-like texts, and leaves ordinary numbers alone', () => {
    const prices = h('p', h('span', '12'), ' items at ', h('span', '4.50'));
    expect(mask(prices, 0, 0)).toBe('12');
    const long = h('p', h('span', 'Order number 4111'), h('span', '1111 1111 1111'));
    expect(mask(long, 0, 0)).toBe('Order number 4111');
  });

  it('masks the whole text when what is sent is not what the page holds', () => {
    const card = h('p', h('span', '4111'), ' ', h('span', '1111 1111 1111'));
    const text = at(card, 0, 0);
    expect(maskAcrossElements('4112', text, ALL_DETECTORS_ON)).toBe('****');
  });

  it(`reads at most ${MAX_RUN_NODES} nodes of a run`, () => {
    const filler = Array.from({ length: MAX_RUN_NODES }, () => h('span', 'x'));
    const far = h('p', ...filler, h('span', '4111'), ' ', h('span', '1111 1111 1111'));
    expect(mask(far, MAX_RUN_NODES, 0)).toBe('4111');
  });
});

describe('maskAcrossElements: whitespace', () => {
  it('reads the run as it shows on screen: source newlines between groups are one space', () => {
    const iban = h(
      'p',
      '\n  IBAN ',
      h('span', 'DE89'),
      ' ',
      h('span', '3704'),
      ' ',
      h('span', '0044'),
      ' ',
      h('span', '0532'),
      '\n      ',
      h('span', '0130'),
      ' ',
      h('span', '00'),
      '\n',
    );
    expect(mask(iban, 1, 0)).toBe('****');
    expect(mask(iban, 9, 0)).toBe('****');
    expect(mask(iban, 11, 0)).toBe('**');
  });
});
