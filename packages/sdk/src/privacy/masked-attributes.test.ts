import { describe, expect, it } from 'vitest';
import {
  hasMaskableAttribute,
  isKeptInMaskedElement,
  maskAttributesOfMaskedElement,
} from './masked-attributes.js';

describe('maskAttributesOfMaskedElement', () => {
  it('masks data, ids, links and option values, and keeps presentation (issue 4)', () => {
    const attributes = {
      'data-customer-name': 'Chiyoko Yamamoto-Lund',
      id: 'row-yamamoto-lund',
      href: '/customers/chiyoko',
      value: 'plan-for-lund',
      name: 'notes[lund]',
      'aria-describedby': 'row-yamamoto-lund',
      rr_src: 'https://pay.test/lund',
      class: 'row wide',
      style: 'width: 4px',
      type: 'checkbox',
      rr_width: '40px',
      _cssText: 'p { color: red }',
      viewBox: '0 0 24 24',
      d: 'M0 0h24v24',
      checked: true,
      selected: null,
      title: '',
    };
    maskAttributesOfMaskedElement(attributes);
    expect(attributes).toEqual({
      'data-customer-name': '******* *************',
      id: '*****************',
      href: '******************',
      value: '*************',
      name: '***********',
      'aria-describedby': '*****************',
      rr_src: '*********************',
      class: 'row wide',
      style: 'width: 4px',
      type: 'checkbox',
      rr_width: '40px',
      _cssText: 'p { color: red }',
      viewBox: '0 0 24 24',
      d: 'M0 0h24v24',
      checked: true,
      selected: null,
      title: '',
    });
  });

  it('fails closed: an attribute it does not know is masked', () => {
    expect(isKeptInMaskedElement('data-new-thing')).toBe(false);
    expect(isKeptInMaskedElement('x-anything')).toBe(false);
    expect(isKeptInMaskedElement('CLASS')).toBe(true);
  });

  it('says whether there is anything to mask', () => {
    expect(hasMaskableAttribute({ class: 'a', rr_width: '4px', checked: true })).toBe(false);
    expect(hasMaskableAttribute({ class: 'a', id: 'b' })).toBe(true);
  });
});
