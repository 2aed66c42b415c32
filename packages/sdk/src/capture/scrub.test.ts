import { describe, expect, it } from 'vitest';
import {
  EventType,
  IncrementalSource,
  NodeType,
  type eventWithTime,
  type serializedNodeWithId,
} from '@rrweb/types';
import { ALL_DETECTORS_ON, DETECTOR_NAMES, type PiiDetection } from '../privacy/pii/redact.js';
import { scrubEvent } from './scrub.js';

const CARD = '4111 1111 1111 1111';
const EMAIL = 'jane.doe@example.com';
const PHONE = '+44 20 7946 0958';
const SSN = '536-22-1234';
const IBAN = 'DE89370400440532013000';
const allOff = Object.fromEntries(DETECTOR_NAMES.map((n) => [n, false])) as PiiDetection;

const text = (id: number, textContent: string, isStyle?: true): serializedNodeWithId => ({
  id,
  type: NodeType.Text,
  textContent,
  ...(isStyle ? { isStyle } : {}),
});
const element = (
  id: number,
  tagName: string,
  attributes: Record<string, string>,
  childNodes: serializedNodeWithId[] = [],
): serializedNodeWithId => ({ id, type: NodeType.Element, tagName, attributes, childNodes });

function page(): serializedNodeWithId {
  return {
    id: 1,
    type: NodeType.Document,
    childNodes: [
      { id: 2, type: NodeType.DocumentType, name: 'html', publicId: '', systemId: '' },
      element(3, 'html', {}, [
        element(4, 'head', {}, [element(5, 'style', {}, [text(6, '.a{margin:0 0 0 0}', true)])]),
        element(7, 'body', { class: 'shop', 'data-user': EMAIL }, [
          element(8, 'p', {}, [text(9, `Card ${CARD} on file`)]),
          element(10, 'p', {}, [text(11, 'Plain words, 3 items, 2024-11-22')]),
          element(12, 'img', { src: `/avatar?email=${encodeURIComponent(EMAIL)}`, alt: EMAIL }),
          element(13, 'a', { href: `mailto:${EMAIL}`, title: `Call ${PHONE}` }, [
            text(14, 'Contact'),
          ]),
          element(15, 'input', {
            value: SSN,
            placeholder: `e.g. ${IBAN}`,
            'aria-label': `IBAN ${IBAN}`,
            id: 'iban',
          }),
          { id: 16, type: NodeType.Comment, textContent: EMAIL },
        ]),
      ]),
    ],
  };
}

const full = (): eventWithTime => ({
  type: EventType.FullSnapshot,
  data: { node: page(), initialOffset: { top: 0, left: 0 } },
  timestamp: 1,
});

/** Every node id in a serialized tree, in document order. */
function ids(node: serializedNodeWithId): number[] {
  const children = 'childNodes' in node ? node.childNodes : [];
  return [node.id, ...children.flatMap(ids)];
}

describe('scrubEvent: full snapshot', () => {
  it('masks PII in text nodes, comments and attribute values', () => {
    const out = JSON.stringify(scrubEvent(full(), ALL_DETECTORS_ON));
    for (const secret of [CARD, EMAIL, encodeURIComponent(EMAIL), PHONE, SSN, IBAN]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('Card **** **** **** **** on file');
    expect(out).toContain('"alt":"********************"');
    expect(out).toContain('"href":"mailto:********************"');
    expect(out).toContain('"title":"Call *** ** **** ****"');
    expect(out).toContain('"value":"***********"');
    expect(out).toContain('"src":"/avatar?email=********************"');
    expect(out).toContain('"data-user":"********************"');
  });

  it('keeps ordinary text, ids, classes, structure and stylesheet text', () => {
    const before = full();
    const after = scrubEvent(before, ALL_DETECTORS_ON);
    const out = JSON.stringify(after);
    expect(out).toContain('Plain words, 3 items, 2024-11-22');
    expect(out).toContain('"class":"shop"');
    expect(out).toContain('"id":"iban"');
    expect(out).toContain('.a{margin:0 0 0 0}');
    if (after.type !== EventType.FullSnapshot || before.type !== EventType.FullSnapshot) {
      throw new Error('not a full snapshot');
    }
    expect(ids(after.data.node)).toEqual(ids(before.data.node));
    expect(after.timestamp).toBe(before.timestamp);
  });

  it('never modifies what rrweb emitted, and shares untouched subtrees', () => {
    const before = full();
    const snapshot = JSON.stringify(before);
    const after = scrubEvent(before, ALL_DETECTORS_ON);
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(after).not.toBe(before);
    if (after.type !== EventType.FullSnapshot || before.type !== EventType.FullSnapshot) {
      throw new Error('not a full snapshot');
    }
    const head = (node: serializedNodeWithId) =>
      'childNodes' in node ? (node.childNodes[1] as { childNodes: unknown[] }).childNodes[0] : 0;
    expect(head(after.data.node)).toBe(head(before.data.node));
  });

  it('returns the very event when detection is off or nothing matched', () => {
    const event = full();
    expect(scrubEvent(event, allOff)).toBe(event);
    const clean: eventWithTime = {
      type: EventType.FullSnapshot,
      data: {
        node: element(1, 'p', { title: 'Hello' }, [text(2, 'Hi 42')]),
        initialOffset: { top: 0, left: 0 },
      },
      timestamp: 2,
    };
    expect(scrubEvent(clean, ALL_DETECTORS_ON)).toBe(clean);
  });

  it('runs only the detectors that are on', () => {
    const out = JSON.stringify(scrubEvent(full(), { ...allOff, email: true }));
    expect(out).not.toContain(EMAIL);
    expect(out).toContain(CARD);
    expect(out).toContain(PHONE);
  });
});

describe('scrubEvent: incremental snapshots', () => {
  const mutation = (data: object): eventWithTime =>
    ({
      type: EventType.IncrementalSnapshot,
      data: {
        source: IncrementalSource.Mutation,
        texts: [],
        attributes: [],
        removes: [],
        adds: [],
        ...data,
      },
      timestamp: 3,
    }) as eventWithTime;

  it('masks text mutations and keeps their ids and nulls', () => {
    const out = scrubEvent(
      mutation({
        texts: [
          { id: 9, value: `Call ${PHONE}` },
          { id: 10, value: null },
        ],
      }),
      ALL_DETECTORS_ON,
    );
    expect(out.data).toMatchObject({
      texts: [
        { id: 9, value: 'Call *** ** **** ****' },
        { id: 10, value: null },
      ],
    });
  });

  it('masks attribute mutations, a value as typed, and keeps removals and styles', () => {
    const out = scrubEvent(
      mutation({
        attributes: [
          {
            id: 15,
            attributes: {
              value: '411111',
              href: `https://shop.test/?iban=${IBAN}`,
              title: null,
              style: { color: 'red' },
            },
          },
        ],
      }),
      ALL_DETECTORS_ON,
    );
    expect(out.data).toMatchObject({
      attributes: [
        {
          id: 15,
          attributes: {
            value: '******',
            href: `https://shop.test/?iban=${'*'.repeat(IBAN.length)}`,
            title: null,
            style: { color: 'red' },
          },
        },
      ],
    });
  });

  it('masks added subtrees and keeps parent, next and node ids', () => {
    const out = scrubEvent(
      mutation({
        adds: [
          {
            parentId: 7,
            nextId: null,
            node: element(20, 'li', { 'aria-label': EMAIL }, [text(21, `SSN ${SSN}`)]),
          },
        ],
        removes: [{ parentId: 7, id: 8 }],
      }),
      ALL_DETECTORS_ON,
    );
    expect(JSON.stringify(out)).not.toMatch(/jane|536-22/);
    expect(out.data).toMatchObject({
      adds: [
        {
          parentId: 7,
          nextId: null,
          node: { id: 20, childNodes: [{ id: 21, textContent: 'SSN ***********' }] },
        },
      ],
      removes: [{ parentId: 7, id: 8 }],
    });
  });

  it('masks typed input values, including a card number still being typed', () => {
    const input = (value: string): eventWithTime => ({
      type: EventType.IncrementalSnapshot,
      data: { source: IncrementalSource.Input, id: 15, text: value, isChecked: false },
      timestamp: 4,
    });
    expect(scrubEvent(input(EMAIL), ALL_DETECTORS_ON).data).toMatchObject({
      id: 15,
      text: '********************',
      isChecked: false,
    });
    expect(scrubEvent(input('4111 11'), ALL_DETECTORS_ON).data).toMatchObject({ text: '**** **' });
    const plain = input('blue, size 42');
    expect(scrubEvent(plain, ALL_DETECTORS_ON)).toBe(plain);
  });

  it('passes other incremental events through untouched', () => {
    const scroll: eventWithTime = {
      type: EventType.IncrementalSnapshot,
      data: { source: IncrementalSource.Scroll, id: 1, x: 4111111111111111, y: 0 },
      timestamp: 5,
    };
    expect(scrubEvent(scroll, ALL_DETECTORS_ON)).toBe(scroll);
  });
});

describe('scrubEvent: meta', () => {
  it("masks PII in the page's address and keeps its size", () => {
    const meta: eventWithTime = {
      type: EventType.Meta,
      data: {
        href: `https://shop.test/account?email=${encodeURIComponent(EMAIL)}&tab=2`,
        width: 1100,
        height: 800,
      },
      timestamp: 0,
    };
    expect(scrubEvent(meta, ALL_DETECTORS_ON).data).toEqual({
      href: 'https://shop.test/account?email=********************&tab=2',
      width: 1100,
      height: 800,
    });
  });
});

describe('scrubEvent: robustness', () => {
  it('keeps malformed events instead of throwing or dropping them', () => {
    const odd = [
      {
        type: EventType.FullSnapshot,
        data: { node: { id: 1, type: NodeType.Element, tagName: 'p' } },
        timestamp: 1,
      },
      {
        type: EventType.IncrementalSnapshot,
        data: { source: IncrementalSource.Mutation },
        timestamp: 1,
      },
      {
        type: EventType.IncrementalSnapshot,
        data: { source: IncrementalSource.Input, id: 1 },
        timestamp: 1,
      },
      { type: EventType.Meta, data: {}, timestamp: 1 },
      { type: EventType.Custom, data: { tag: 'x', payload: EMAIL }, timestamp: 1 },
    ] as unknown as eventWithTime[];
    for (const event of odd) expect(scrubEvent(event, ALL_DETECTORS_ON)).toBe(event);
  });

  it('masks a whole string when a detector throws (fails closed)', () => {
    const throwing = new Proxy(
      { ...ALL_DETECTORS_ON },
      {
        get(target, key) {
          if (key === 'phone') throw new Error('boom');
          return target[key as keyof PiiDetection];
        },
      },
    );
    const out = scrubEvent(
      {
        type: EventType.IncrementalSnapshot,
        data: {
          source: IncrementalSource.Mutation,
          texts: [{ id: 1, value: 'ring 42' }],
          attributes: [],
          removes: [],
          adds: [],
        },
        timestamp: 1,
      },
      throwing,
    );
    expect(out.data).toMatchObject({ texts: [{ id: 1, value: '**** **' }] });
  });
});

describe('scrubEvent: text in context', () => {
  /** Masks the texts of nodes 21 and 22, as if they were groups of one split number. */
  const inContext = (id: number, value: string) => (id === 21 || id === 22 ? '****' : value);

  it('looks at every text node and text change again, by id, copying on write (issue 4, split-card)', () => {
    const card = element(20, 'p', {}, [text(21, '4111'), text(23, ' '), text(22, '1111')]);
    const snapshot = {
      type: EventType.FullSnapshot,
      data: { node: card, initialOffset: { top: 0, left: 0 } },
      timestamp: 1,
    } as eventWithTime;
    const out = scrubEvent(snapshot, ALL_DETECTORS_ON, inContext);
    expect(JSON.stringify(out)).toBe(
      JSON.stringify(snapshot).replaceAll('"4111"', '"****"').replaceAll('"1111"', '"****"'),
    );
    expect((card as { childNodes: serializedNodeWithId[] }).childNodes[0]).toMatchObject({
      textContent: '4111',
    });
    const change = {
      type: EventType.IncrementalSnapshot,
      data: {
        source: IncrementalSource.Mutation,
        texts: [{ id: 22, value: '1111' }],
        attributes: [],
        removes: [],
        adds: [{ parentId: 20, nextId: null, node: text(21, '4111') }],
      },
      timestamp: 2,
    } as eventWithTime;
    expect(scrubEvent(change, ALL_DETECTORS_ON, inContext).data).toMatchObject({
      texts: [{ id: 22, value: '****' }],
      adds: [{ node: { textContent: '****' } }],
    });
  });

  it('does not ask about a text alone in a block, which has nothing around it', () => {
    const asked: number[] = [];
    const spy = (id: number, value: string) => (asked.push(id), value);
    const cells = element(30, 'tr', {}, [
      element(31, 'td', {}, [text(32, '2024-11-22')]),
      element(33, 'td', {}, [element(34, 'span', {}, [text(35, '4111')])]),
    ]);
    scrubEvent(
      {
        type: EventType.FullSnapshot,
        data: { node: cells, initialOffset: { top: 0, left: 0 } },
        timestamp: 1,
      } as eventWithTime,
      ALL_DETECTORS_ON,
      spy,
    );
    expect(asked).toEqual([35]);
  });
});
