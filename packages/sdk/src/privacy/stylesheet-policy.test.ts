import { describe, expect, it } from 'vitest';
import { IncrementalSource, type styleDeclarationData } from '@rrweb/types';
import { compileMaskPolicy } from './masking.js';
import { StylesheetPolicy } from './stylesheet-policy.js';

const policy = compileMaskPolicy({
  piiMask: {
    maskType: 'all_input',
    maskCssSelectors: '',
    maskHTMLAttributes: '',
    unmaskCssSelectors: '',
  },
  blockSelectors: '.id-front',
  maskUrlParams: [],
});

/** A document whose one blocked element is `.front-card`. */
const documentRoot = {
  nodeType: 9,
  querySelectorAll: () => [
    { matches: (s: string) => s === '.front-card', querySelector: () => null },
  ],
};

const css =
  '.front-card { background: url("/scans/L898902C3.png") } .logo { background: url(/logo.svg) }';

/** Node 1: a `<style>` in the document, whose sheet holds the rules above. */
function nodeOf(id: number): unknown {
  if (id === 1) {
    return {
      getRootNode: () => documentRoot,
      sheet: { cssRules: [{ selectorText: '.front-card' }, { selectorText: '.logo' }] },
    };
  }
  if (id === 2) return { getRootNode: () => documentRoot, parentNode: { nodeName: 'STYLE' } };
  if (id === 3) return { getRootNode: () => documentRoot, parentNode: { nodeName: 'P' } };
  if (id === 4) return documentRoot;
  return null;
}

describe('StylesheetPolicy', () => {
  it("takes a blocked element's image out of a <style>'s text (issue 4, stylesheet-background)", () => {
    const sheets = new StylesheetPolicy(policy, nodeOf);
    expect(sheets.sheetText(1, css)).toBe(
      '.front-card { background: none } .logo { background: url(/logo.svg) }',
    );
    expect(sheets.textChange(2, css)).toContain('.front-card { background: none }');
    expect(sheets.textChange(3, 'see url(x)')).toBe('see url(x)');
  });

  it('rewrites inserted rules; a stylesheet known only by its own id loses every address', () => {
    const sheets = new StylesheetPolicy(policy, nodeOf);
    const inserted = {
      source: IncrementalSource.StyleSheetRule as const,
      id: 1,
      adds: [{ rule: '.id-front { background: url(a.png) }' }, { rule: '.ok { b: url(b.png) }' }],
    };
    sheets.ruleChange(inserted);
    expect(inserted.adds.map((add) => add.rule)).toEqual([
      '.id-front { background: none }',
      '.ok { b: url(b.png) }',
    ]);
    const constructed = {
      source: IncrementalSource.StyleSheetRule as const,
      styleId: 7,
      replaceSync: '.ok { b: url(b.png) }',
    };
    sheets.ruleChange(constructed);
    expect(constructed.replaceSync).toBe('.ok { b: none }');
  });

  it("judges a CSSOM declaration by its rule's selector", () => {
    const sheets = new StylesheetPolicy(policy, nodeOf);
    const declaration = (index: number): styleDeclarationData => ({
      source: IncrementalSource.StyleDeclaration,
      id: 1,
      index: [index],
      set: { property: 'background-image', value: 'url(x.png)', priority: undefined },
    });
    const onBlocked = declaration(0);
    sheets.declarationChange(onBlocked);
    expect(onBlocked.set?.value).toBe('none');
    const onLogo = declaration(1);
    sheets.declarationChange(onLogo);
    expect(onLogo.set?.value).toBe('url(x.png)');
  });

  it('rewrites stylesheets adopted by the document', () => {
    const sheets = new StylesheetPolicy(policy, nodeOf);
    const adopted = {
      source: IncrementalSource.AdoptedStyleSheet as const,
      id: 4,
      styleIds: [1],
      styles: [{ styleId: 1, rules: [{ rule: '.front-card { background: url(x.png) }' }] }],
    };
    sheets.adoption(adopted);
    expect(adopted.styles[0]?.rules[0]?.rule).toBe('.front-card { background: none }');
  });
});
