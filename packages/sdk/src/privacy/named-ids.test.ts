import { describe, expect, it } from 'vitest';
import { NamedIds, idsNamedByCss, idsNamedBySelectors } from './named-ids.js';

const sheet = (...selectors: string[]) => ({
  cssRules: selectors.map((selectorText) => ({ selectorText })),
});

describe('idsNamedByCss', () => {
  it('reads the id selectors of every rule, inside grouping rules and adopted sheets too', () => {
    const root = {
      styleSheets: [
        sheet('#patient > *', 'p.note, #summary:hover'),
        { cssRules: [{ cssRules: [{ selectorText: 'main #in-media' }] }] },
      ],
      adoptedStyleSheets: [sheet('#adopted')],
    };
    expect([...idsNamedByCss(root)].sort()).toEqual(['adopted', 'in-media', 'patient', 'summary']);
  });

  it('skips stylesheets it cannot read (cross-origin)', () => {
    const closed = {
      get cssRules(): never {
        throw new DOMException('cross-origin', 'SecurityError');
      },
    };
    expect([...idsNamedByCss({ styleSheets: [closed, sheet('#open')] })]).toEqual(['open']);
  });
});

describe('NamedIds', () => {
  it("answers for the element's own document or shadow root, reading each root once", () => {
    let reads = 0;
    const documentRoot = {
      get styleSheets() {
        reads += 1;
        return [sheet('#patient')];
      },
    };
    const shadowRoot = { styleSheets: [sheet('#inside')] };
    const styled = new NamedIds();
    const inDocument = { getRootNode: () => documentRoot };
    expect(styled.named(inDocument, 'patient')).toBe(true);
    expect(styled.named(inDocument, 'row-yamamoto-lund')).toBe(false);
    expect(reads).toBe(1);
    expect(styled.named({ getRootNode: () => shadowRoot }, 'patient')).toBe(false);
    expect(styled.named({ getRootNode: () => shadowRoot }, 'inside')).toBe(true);
  });
});

describe('idsNamedBySelectors', () => {
  it('reads the ids a mask or block rule names, which NamedIds then keeps', () => {
    const ids = idsNamedBySelectors(['#name', '.price, form#checkout input', '[data-x]']);
    expect([...ids].sort()).toEqual(['checkout', 'name']);
    const named = new NamedIds(ids);
    expect(named.named({}, 'name')).toBe(true);
    expect(named.named({}, 'row-yamamoto-lund')).toBe(false);
  });
});
