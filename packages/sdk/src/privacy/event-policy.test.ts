import { describe, expect, it } from 'vitest';
import { EventType, IncrementalSource, type eventWithTime } from '@rrweb/types';
import { EventPolicy } from './event-policy.js';
import { compileMaskPolicy, type MaskableElement } from './masking.js';

const policy = compileMaskPolicy({
  piiMask: {
    maskType: 'custom_input',
    maskCssSelectors: '.secret',
    maskHTMLAttributes: '',
    unmaskCssSelectors: '',
  },
  blockSelectors: '',
  maskUrlParams: ['token'],
});

/** Live elements by id: 10 is inside `.secret`, every other id a plain element. */
function nodeOf(id: number): MaskableElement {
  return {
    tagName: 'IMG',
    getAttribute: () => null,
    closest: (selector) => (id === 10 && selector.split(', ').includes('.secret') ? {} : null),
  };
}

const element = (id: number, tagName: string, attributes: object, childNodes: object[] = []) => ({
  type: 2,
  id,
  tagName,
  attributes,
  childNodes,
});

function mutation(data: object): eventWithTime {
  return {
    type: EventType.IncrementalSnapshot,
    data: {
      source: IncrementalSource.Mutation,
      adds: [],
      removes: [],
      texts: [],
      attributes: [],
      ...data,
    },
    timestamp: 1,
  } as eventWithTime;
}

function snapshotWithBlockedFrame(events: EventPolicy): void {
  const snapshot = {
    type: EventType.FullSnapshot,
    data: {
      node: {
        type: 0,
        id: 1,
        childNodes: [
          element(2, 'body', {}, [
            element(3, 'iframe', { rr_width: '300px', rr_height: '150px' }),
            element(4, 'a', { href: 'https://shop.test/x?token=abc&q=1' }),
            element(10, 'img', { alt: 'Ada Lovelace', src: '/u.png?token=zz' }),
            element(11, 'img', { alt: 'Logo' }),
          ]),
        ],
      },
      initialOffset: { top: 0, left: 0 },
    },
    timestamp: 1,
  } as eventWithTime;
  expect(events.apply(snapshot)).toBe(snapshot);
}

describe('EventPolicy', () => {
  it('masks named URL parameters in the Meta href', () => {
    const events = new EventPolicy(policy, nodeOf);
    const meta = {
      type: EventType.Meta,
      data: { href: 'https://shop.test/?token=abc', width: 1, height: 1 },
      timestamp: 1,
    } as eventWithTime;
    expect(events.apply(meta)).toMatchObject({ data: { href: 'https://shop.test/?token=***' } });
  });

  it('masks URL parameters and the text attributes of masked elements in a snapshot', () => {
    const events = new EventPolicy(policy, nodeOf);
    const snapshot = {
      type: EventType.FullSnapshot,
      data: {
        node: element(10, 'img', { alt: 'Ada Lovelace', src: '/u.png?token=zz', title: 'x' }),
        initialOffset: { top: 0, left: 0 },
      },
      timestamp: 1,
    } as eventWithTime;
    events.apply(snapshot);
    // Inside `.secret` (a mask rule), the address is masked whole, not only its parameter.
    expect((snapshot.data as { node: { attributes: object } }).node.attributes).toEqual({
      alt: '*** ********',
      src: '***************',
      title: '*',
    });
    const frame = mutation({
      attributes: [{ id: 11, attributes: { rr_src: 'https://pay.test/embed?token=abc' } }],
    });
    expect(JSON.stringify(events.apply(frame))).toContain('embed?token=***');
    const plain = mutation({ attributes: [{ id: 11, attributes: { alt: 'Logo' } }] });
    expect(JSON.stringify(events.apply(plain))).toContain('"alt":"Logo"');
  });

  it('gives placeholders a grey background and drops everything added under them', () => {
    const events = new EventPolicy(policy, () => null);
    snapshotWithBlockedFrame(events);
    // rrweb attaches the blocked iframe's document once it loads: dropped whole.
    const attach = mutation({
      adds: [
        {
          parentId: 3,
          nextId: null,
          node: { type: 0, id: 20, childNodes: [element(21, 'p', {})] },
        },
      ],
      isAttachIframe: true,
    });
    expect(events.apply(attach)).toBeUndefined();
    // Later changes inside that document, and events about its nodes, are dropped too.
    expect(events.apply(mutation({ texts: [{ id: 21, value: 'Ada' }] }))).toBeUndefined();
    expect(
      events.apply(
        mutation({
          adds: [{ parentId: 21, nextId: null, node: { type: 3, id: 22, textContent: 'x' } }],
        }),
      ),
    ).toBeUndefined();
    const input = {
      type: EventType.IncrementalSnapshot,
      data: { source: IncrementalSource.Input, id: 22, text: 'Ada', isChecked: false },
      timestamp: 2,
    } as eventWithTime;
    expect(events.apply(input)).toBeUndefined();
    // Elsewhere, the page goes on as usual.
    const elsewhere = mutation({ texts: [{ id: 4, value: 'ok' }] });
    expect(events.apply(elsewhere)).toBe(elsewhere);
  });

  it('fails closed on text attributes of nodes it cannot look up', () => {
    const events = new EventPolicy(policy, () => null);
    const change = mutation({ attributes: [{ id: 99, attributes: { title: 'Ada' } }] });
    expect(JSON.stringify(events.apply(change))).toContain('"title":"***"');
  });

  it('styles a placeholder as a grey border-box and keeps nothing inside it', () => {
    const events = new EventPolicy(policy, () => null);
    const node = element(5, 'div', { class: 'avatar', rr_width: '40px', rr_height: '20px' }, [
      element(6, 'p', {}),
    ]);
    events.apply({
      type: EventType.FullSnapshot,
      data: { node, initialOffset: { top: 0, left: 0 } },
      timestamp: 1,
    } as eventWithTime);
    expect(node.attributes).toMatchObject({ class: 'avatar', rr_width: '40px' });
    expect((node.attributes as { style: string }).style).toMatch(
      /background: #d5d9df !important; box-sizing: border-box !important;/,
    );
    expect(node.childNodes).toEqual([]);
  });

  it('drops attribute changes inside an element that became blocked after it was sent', () => {
    const blocking = compileMaskPolicy({
      piiMask: {
        maskType: 'all_input',
        maskCssSelectors: '',
        maskHTMLAttributes: '',
        unmaskCssSelectors: '',
      },
      blockSelectors: '.private',
      maskUrlParams: [],
    });
    const inside: MaskableElement = {
      tagName: 'IMG',
      getAttribute: () => null,
      closest: (selector) => (selector.split(', ').includes('.private') ? {} : null),
    };
    const events = new EventPolicy(blocking, (id) => (id === 7 ? inside : nodeOf(id)));
    const change = mutation({ attributes: [{ id: 7, attributes: { src: '/new-face.png' } }] });
    expect(events.apply(change)).toBeUndefined();
  });

  it("never sends an iframe's srcdoc, in a snapshot or a later change", () => {
    const events = new EventPolicy(policy, nodeOf);
    const html = '<p>Card 4111 1111 1111 1111</p><input value="hunter2">';
    const snapshot = {
      type: EventType.FullSnapshot,
      data: { node: element(1, 'iframe', { srcdoc: html, title: 'Receipt' }), initialOffset: {} },
      timestamp: 1,
    } as unknown as eventWithTime;
    const sent = JSON.stringify(events.apply(snapshot));
    expect(sent).not.toContain('hunter2');
    expect(sent).toContain('Receipt');
    const change = mutation({ attributes: [{ id: 1, attributes: { srcdoc: html } }] });
    expect(JSON.stringify(events.apply(change))).not.toContain('4111');
    const added = mutation({
      adds: [{ parentId: 5, node: element(6, 'iframe', { srcdoc: html }) }],
    });
    expect(JSON.stringify(events.apply(added))).not.toContain('hunter2');
  });

  it('masks every attribute value inside a masked element but presentational ones (issue 4, masked-hidden-attributes)', () => {
    const events = new EventPolicy(policy, nodeOf);
    const masked = element(10, 'a', {
      id: 'row-lund',
      class: 'row wide',
      style: 'color: red',
      href: '/customers/lund',
      'data-customer-name': 'Chiyoko Lund',
      'data-sightline-mask': '',
      rr_scrollTop: 40,
    });
    const open = element(11, 'a', { id: 'nav-home', href: '/home', 'data-x': 'y' });
    events.apply({
      type: EventType.FullSnapshot,
      data: { node: element(1, 'body', {}, [masked, open]), initialOffset: {} },
      timestamp: 1,
    } as unknown as eventWithTime);
    expect(masked.attributes).toEqual({
      id: '********',
      class: 'row wide',
      style: 'color: red',
      href: '***************',
      'data-customer-name': '******* ****',
      'data-sightline-mask': '',
      rr_scrollTop: 40,
    });
    expect(open.attributes).toEqual({ id: 'nav-home', href: '/home', 'data-x': 'y' });
    const change = mutation({
      attributes: [{ id: 10, attributes: { value: 'plan-for-lund', class: 'row' } }],
    });
    expect(JSON.stringify(events.apply(change))).toContain(
      '"attributes":{"value":"*************","class":"row"}',
    );
  });

  it("sends a frame's document once it has content, not the empty one before (issue 4, srcdoc)", () => {
    const events = new EventPolicy(policy, nodeOf);
    const attach = (childNodes: object[]) =>
      mutation({ adds: [{ parentId: 6, node: { type: 0, id: 29, childNodes } }] });
    expect(events.apply(attach([]))).toBeUndefined();
    const loaded = attach([element(30, 'html', {})]);
    expect(events.apply(loaded)).toBe(loaded);
  });

  it('sends masked radios and checkboxes as unchecked, and none of their input (issue 4, choices)', () => {
    const allInput = compileMaskPolicy({
      piiMask: {
        maskType: 'all_input',
        maskCssSelectors: '',
        maskHTMLAttributes: '',
        unmaskCssSelectors: '',
      },
      blockSelectors: '',
      maskUrlParams: [],
    });
    const input = (type: string): MaskableElement => ({
      tagName: 'INPUT',
      type,
      getAttribute: () => null,
      closest: () => null,
    });
    const events = new EventPolicy(allInput, (id) => input(id === 1 ? 'radio' : 'text'));
    const radio = element(1, 'input', { type: 'radio', name: 'status', checked: true });
    events.apply({
      type: EventType.FullSnapshot,
      data: { node: radio, initialOffset: { top: 0, left: 0 } },
      timestamp: 1,
    } as eventWithTime);
    expect(radio.attributes).toEqual({ type: 'radio', name: 'status' });
    const change = mutation({ attributes: [{ id: 1, attributes: { checked: '' } }] });
    expect(JSON.stringify(events.apply(change))).not.toContain('checked');
    const inputEvent = (id: number) =>
      ({
        type: EventType.IncrementalSnapshot,
        data: { source: IncrementalSource.Input, id, text: 'on', isChecked: true },
        timestamp: 2,
      }) as eventWithTime;
    expect(events.apply(inputEvent(1))).toBeUndefined();
    const typed = inputEvent(2);
    expect(events.apply(typed)).toBe(typed);
  });

  it("masks a button input's label where text is masked, and no other value", () => {
    const allText = compileMaskPolicy({
      piiMask: {
        maskType: 'all_text',
        maskCssSelectors: '',
        maskHTMLAttributes: '',
        unmaskCssSelectors: '',
      },
      blockSelectors: '',
      maskUrlParams: [],
    });
    const input = (type: string): MaskableElement => ({
      tagName: 'INPUT',
      type,
      getAttribute: () => null,
      closest: () => null,
    });
    const events = new EventPolicy(allText, (id) => input(id === 1 ? 'submit' : 'text'));
    const change = mutation({
      attributes: [
        { id: 1, attributes: { value: 'Pay Jane' } },
        { id: 2, attributes: { value: '*****' } },
      ],
    });
    expect(JSON.stringify(events.apply(change))).toBe(
      JSON.stringify(
        mutation({
          attributes: [
            { id: 1, attributes: { value: '*** ****' } },
            { id: 2, attributes: { value: '*****' } },
          ],
        }),
      ),
    );
  });
});
