import { describe, expect, it } from 'vitest';
import {
  attributeSelector,
  compileMaskPolicy,
  isAlwaysMasked,
  parseMaskAttributes,
  privacyRecordOptions,
  shouldMaskInput,
  textMaskSelector,
  type MaskableElement,
  type MaskPolicy,
} from './masking.js';

/**
 * An element as the decision sees it. `within` lists the selectors that `closest` finds a match
 * for (the element itself or an ancestor); `rejects` lists selectors the "browser" throws on.
 */
function element(
  init: {
    tagName?: string;
    type?: string;
    attributes?: Record<string, string>;
    within?: string[];
    rejects?: string[];
  } = {},
): MaskableElement {
  return {
    tagName: init.tagName ?? 'INPUT',
    type: init.type ?? (init.tagName && init.tagName !== 'INPUT' ? undefined : 'text'),
    getAttribute: (name) => init.attributes?.[name] ?? null,
    closest: (selector) => {
      if (init.rejects?.includes(selector)) throw new SyntaxError(`bad selector ${selector}`);
      return init.within?.includes(selector) ? {} : null;
    },
  };
}

const ALL: MaskPolicy = compileMaskPolicy({
  maskType: 'all_input',
  maskCssSelectors: '',
  maskHTMLAttributes: '',
});

const CUSTOM_EMAIL: MaskPolicy = compileMaskPolicy({
  maskType: 'custom_input',
  maskCssSelectors: '#email',
  maskHTMLAttributes: '',
});

const CUSTOM_NOTHING: MaskPolicy = compileMaskPolicy({
  maskType: 'custom_input',
  maskCssSelectors: '',
  maskHTMLAttributes: '',
});

describe('shouldMaskInput', () => {
  it('all_input masks every field a person types into', () => {
    for (const field of [
      element({ type: 'text' }),
      element({ type: 'email' }),
      element({ type: 'tel' }),
      element({ type: 'file' }),
      element({ tagName: 'TEXTAREA' }),
      element({ tagName: 'SELECT' }),
    ]) {
      expect(shouldMaskInput(field, ALL)).toBe(true);
    }
  });

  it('custom_input masks only what the selectors match', () => {
    expect(shouldMaskInput(element({ within: ['#email'] }), CUSTOM_EMAIL)).toBe(true);
    expect(shouldMaskInput(element({ attributes: { id: 'name' } }), CUSTOM_EMAIL)).toBe(false);
    expect(shouldMaskInput(element({ tagName: 'TEXTAREA' }), CUSTOM_EMAIL)).toBe(false);
  });

  it.each([
    ['a password input', element({ type: 'password' })],
    [
      'a password input shown as text (rrweb marks it)',
      element({ attributes: { 'data-rr-is-password': 'true' } }),
    ],
    ['a hidden input', element({ type: 'hidden' })],
    [
      'a card number (autocomplete=cc-number)',
      element({ attributes: { autocomplete: 'cc-number' } }),
    ],
    [
      'a card expiry in a section (billing cc-exp)',
      element({ attributes: { autocomplete: 'section-a billing CC-EXP' } }),
    ],
    ['a field inside [data-sightline-mask]', element({ within: ['[data-sightline-mask]'] })],
    [
      'a button inside [data-sightline-mask]',
      element({ type: 'submit', within: ['[data-sightline-mask]'] }),
    ],
  ])('always masks %s, whatever the settings', (_label, field) => {
    expect(isAlwaysMasked(field)).toBe(true);
    expect(shouldMaskInput(field, CUSTOM_NOTHING)).toBe(true);
    expect(shouldMaskInput(field, ALL)).toBe(true);
  });

  it('does not treat other autocomplete values as payment fields', () => {
    const field = element({ attributes: { autocomplete: 'name' } });
    expect(isAlwaysMasked(field)).toBe(false);
    expect(shouldMaskInput(field, CUSTOM_NOTHING)).toBe(false);
  });

  it('leaves button labels readable, as they are not typed', () => {
    for (const type of ['button', 'submit', 'reset', 'image']) {
      expect(shouldMaskInput(element({ type }), ALL)).toBe(false);
    }
  });

  it('fails closed: a selector the browser rejects masks the field', () => {
    const policy = compileMaskPolicy({
      maskType: 'custom_input',
      maskCssSelectors: 'input[[',
      maskHTMLAttributes: '',
    });
    expect(shouldMaskInput(element({ rejects: ['input[['] }), policy)).toBe(true);
  });

  it('masks elements carrying a maskHTMLAttributes attribute, or inside one', () => {
    const policy = compileMaskPolicy({
      maskType: 'custom_input',
      maskCssSelectors: '',
      maskHTMLAttributes: 'data-sensitive=true, data-pii',
    });
    expect(policy.userSelectors).toEqual(['[data-sensitive="true"]', '[data-pii]']);
    expect(shouldMaskInput(element({ within: ['[data-pii]'] }), policy)).toBe(true);
    expect(shouldMaskInput(element({ within: ['[data-sensitive="true"]'] }), policy)).toBe(true);
    expect(shouldMaskInput(element(), policy)).toBe(false);
  });
});

describe('parseMaskAttributes', () => {
  it('reads attr=value pairs, bare names and quoted values', () => {
    expect(parseMaskAttributes(' data-sensitive=true ,data-pii, aria-label="Card" ,')).toEqual([
      { name: 'data-sensitive', value: 'true' },
      { name: 'data-pii' },
      { name: 'aria-label', value: 'Card' },
    ]);
    expect(parseMaskAttributes('')).toEqual([]);
  });

  it('refuses names that are not attribute names', () => {
    expect(parseMaskAttributes('=true')).toHaveProperty('error');
    expect(parseMaskAttributes('data x=1')).toHaveProperty('error');
    expect(parseMaskAttributes('a]b=1')).toHaveProperty('error');
  });

  it('escapes values into a valid attribute selector', () => {
    expect(attributeSelector({ name: 'title', value: 'say "hi" \\ now' })).toBe(
      '[title="say \\"hi\\" \\\\ now"]',
    );
  });
});

describe('textMaskSelector', () => {
  it('always masks [data-sightline-mask] text, plus the configured selectors', () => {
    expect(textMaskSelector(CUSTOM_EMAIL)).toBe('[data-sightline-mask], #email');
  });

  it('in all_input mode also masks text typed into editable elements', () => {
    expect(textMaskSelector(ALL)).toBe(
      '[data-sightline-mask], [contenteditable]:not([contenteditable="false"])',
    );
  });
});

describe('privacyRecordOptions', () => {
  const options = privacyRecordOptions(CUSTOM_EMAIL);

  it('routes every input, textarea and select through maskInputFn', () => {
    expect(options.maskAllInputs).toBe(false);
    expect(options.maskInputOptions).toMatchObject({ input: true, textarea: true, select: true });
  });

  it('masks with one * per character, and only what the policy says', () => {
    const maskInputFn = options.maskInputFn!;
    const email = element({ within: ['#email'] }) as unknown as HTMLElement;
    const name = element() as unknown as HTMLElement;
    expect(maskInputFn('ada@example.com', email)).toBe('*'.repeat('ada@example.com'.length));
    expect(maskInputFn('Ada', name)).toBe('Ada');
  });

  it('records no canvas, no cross-origin iframe, no fonts, and blocks [data-sightline-block]', () => {
    expect(options).toMatchObject({
      blockSelector: '[data-sightline-block]',
      maskTextSelector: '[data-sightline-mask], #email',
      recordCanvas: false,
      recordCrossOriginIframes: false,
      inlineImages: false,
      inlineStylesheet: true,
      collectFonts: false,
      slimDOMOptions: 'all',
    });
  });
});
