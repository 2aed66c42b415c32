import { describe, expect, it } from 'vitest';
import {
  attributeSelector,
  blockSelectorOf,
  compileMaskPolicy,
  hiddenAreaSelectors,
  isAlwaysMasked,
  isMaskedChoice,
  maskText,
  parseMaskAttributes,
  privacyRecordOptions,
  shouldMaskInput,
  shouldMaskText,
  withExtraRules,
  type MaskableElement,
  type MaskPolicy,
  type PrivacySettings,
} from './masking.js';

/**
 * An element as the decision sees it. `within` lists the selectors that `closest` finds a match
 * for (the element itself or an ancestor); `rejects` lists selectors the "browser" throws on,
 * also inside a selector list.
 * `inside` is the shadow host or iframe element the element's root hangs from.
 */
function element(
  init: {
    tagName?: string;
    type?: string;
    attributes?: Record<string, string>;
    within?: string[];
    rejects?: string[];
    inside?: { host: MaskableElement } | { frame: MaskableElement };
  } = {},
): MaskableElement {
  return {
    tagName: init.tagName ?? 'INPUT',
    type: init.type ?? (init.tagName && init.tagName !== 'INPUT' ? undefined : 'text'),
    getAttribute: (name) => init.attributes?.[name] ?? null,
    // Selector lists as the browser reads them: a match for any of their parts.
    closest: (selector) => {
      const parts = selector.split(', ');
      if (parts.some((part) => init.rejects?.some((bad) => bad.split(', ').includes(part)))) {
        throw new SyntaxError(`bad selector ${selector}`);
      }
      const matched = (init.within ?? []).flatMap((entry) => entry.split(', '));
      return parts.some((part) => matched.includes(part)) ? {} : null;
    },
    getRootNode: () => {
      if (!init.inside) return { defaultView: { frameElement: null } };
      if ('host' in init.inside) return { host: init.inside.host };
      return { defaultView: { frameElement: init.inside.frame } };
    },
  };
}

function policyOf(
  piiMask: Partial<PrivacySettings['piiMask']>,
  rest: Partial<Omit<PrivacySettings, 'piiMask'>> = {},
): MaskPolicy {
  return compileMaskPolicy({
    piiMask: {
      maskType: 'all_input',
      maskCssSelectors: '',
      maskHTMLAttributes: '',
      unmaskCssSelectors: '',
      ...piiMask,
    },
    blockSelectors: '',
    maskUrlParams: [],
    ...rest,
  });
}

const ALL = policyOf({ maskType: 'all_input' });
const CUSTOM_EMAIL = policyOf({ maskType: 'custom_input', maskCssSelectors: '#email' });
const CUSTOM_NOTHING = policyOf({ maskType: 'custom_input' });
const ALLOW_NAV = policyOf({
  maskType: 'all_text',
  unmaskCssSelectors: 'nav, #search',
  maskCssSelectors: '.balance',
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
    const policy = policyOf({ maskType: 'custom_input', maskCssSelectors: 'input[[' });
    expect(shouldMaskInput(element({ rejects: ['input[['] }), policy)).toBe(true);
  });

  it('masks elements carrying a maskHTMLAttributes attribute, or inside one', () => {
    const policy = policyOf({
      maskType: 'custom_input',
      maskHTMLAttributes: 'data-sensitive=true, data-pii',
    });
    expect(policy.maskSelectors).toEqual(['[data-sensitive="true"]', '[data-pii]']);
    expect(shouldMaskInput(element({ within: ['[data-pii]'] }), policy)).toBe(true);
    expect(shouldMaskInput(element({ within: ['[data-sensitive="true"]'] }), policy)).toBe(true);
    expect(shouldMaskInput(element(), policy)).toBe(false);
  });
});

describe('isMaskedChoice', () => {
  const radio = element({ type: 'radio' });
  const checkbox = element({ type: 'checkbox' });

  it('masks every radio and checkbox answer in all_input mode (issue 4, choices)', () => {
    expect(isMaskedChoice(radio, ALL)).toBe(true);
    expect(isMaskedChoice(checkbox, ALL)).toBe(true);
  });

  it('masks only the ones a rule covers in custom_input mode', () => {
    expect(isMaskedChoice(radio, CUSTOM_NOTHING)).toBe(false);
    const marked = element({ type: 'checkbox', within: ['[data-sightline-mask]'] });
    expect(isMaskedChoice(marked, CUSTOM_NOTHING)).toBe(true);
    expect(isMaskedChoice(element({ type: 'radio', within: ['#email'] }), CUSTOM_EMAIL)).toBe(true);
  });

  it('honours the allow-list in all_text mode', () => {
    expect(isMaskedChoice(radio, ALLOW_NAV)).toBe(true);
    expect(isMaskedChoice(element({ type: 'radio', within: ['nav, #search'] }), ALLOW_NAV)).toBe(
      false,
    );
  });

  it('is about radios and checkboxes only', () => {
    expect(isMaskedChoice(element({ type: 'text' }), CUSTOM_NOTHING)).toBe(false);
    expect(isMaskedChoice(element({ tagName: 'SELECT' }), ALL)).toBe(false);
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

describe('shouldMaskText', () => {
  it('masks [data-sightline-mask] text and the configured selectors in every mode', () => {
    for (const policy of [ALL, CUSTOM_EMAIL, CUSTOM_NOTHING, ALLOW_NAV]) {
      expect(
        shouldMaskText(element({ tagName: 'P', within: ['[data-sightline-mask]'] }), policy),
      ).toBe(true);
    }
    expect(shouldMaskText(element({ tagName: 'SPAN', within: ['#email'] }), CUSTOM_EMAIL)).toBe(
      true,
    );
    expect(shouldMaskText(element({ tagName: 'SPAN' }), CUSTOM_EMAIL)).toBe(false);
  });

  it('leaves page text readable in all_input mode, except editable text and textareas', () => {
    expect(shouldMaskText(element({ tagName: 'P' }), ALL)).toBe(false);
    const editable = '[contenteditable]:not([contenteditable="false"])';
    expect(shouldMaskText(element({ tagName: 'DIV', within: [editable] }), ALL)).toBe(true);
    expect(shouldMaskText(element({ tagName: 'TEXTAREA' }), ALL)).toBe(true);
    expect(shouldMaskText(element({ tagName: 'TEXTAREA' }), CUSTOM_NOTHING)).toBe(false);
  });

  it('masks text inside blocked elements too (belt and braces)', () => {
    const blocking = policyOf({ maskType: 'custom_input' }, { blockSelectors: '.avatar' });
    expect(shouldMaskText(element({ tagName: 'P', within: ['.avatar'] }), blocking)).toBe(true);
    expect(
      shouldMaskText(element({ tagName: 'P', within: ['[data-sightline-block]'] }), blocking),
    ).toBe(true);
  });

  it('all_text masks everything, the title included, except the allow-list', () => {
    expect(shouldMaskText(element({ tagName: 'TITLE' }), ALLOW_NAV)).toBe(true);
    expect(shouldMaskText(element({ tagName: 'P' }), ALLOW_NAV)).toBe(true);
    expect(shouldMaskText(element({ tagName: 'A', within: ['nav, #search'] }), ALLOW_NAV)).toBe(
      false,
    );
    expect(shouldMaskText(null, ALLOW_NAV)).toBe(true);
  });

  it('all_text: mask rules and data-sightline-mask win over the allow-list', () => {
    const both = element({ tagName: 'SPAN', within: ['nav, #search', '.balance'] });
    expect(shouldMaskText(both, ALLOW_NAV)).toBe(true);
    const marked = element({ tagName: 'SPAN', within: ['nav, #search', '[data-sightline-mask]'] });
    expect(shouldMaskText(marked, ALLOW_NAV)).toBe(true);
  });

  it('all_text masks inputs except allow-listed ones, never passwords or card fields', () => {
    expect(shouldMaskInput(element(), ALLOW_NAV)).toBe(true);
    expect(shouldMaskInput(element({ within: ['nav, #search'] }), ALLOW_NAV)).toBe(false);
    const password = element({ type: 'password', within: ['nav, #search'] });
    expect(shouldMaskInput(password, ALLOW_NAV)).toBe(true);
    const card = element({ attributes: { autocomplete: 'cc-csc' }, within: ['nav, #search'] });
    expect(shouldMaskInput(card, ALLOW_NAV)).toBe(true);
  });

  it('looks out of shadow roots and iframes: a masked host or frame masks what is inside', () => {
    const host = element({ tagName: 'MY-CARD', within: ['[data-sightline-mask]'] });
    const inShadow = element({ tagName: 'SPAN', inside: { host } });
    expect(shouldMaskText(inShadow, CUSTOM_NOTHING)).toBe(true);
    expect(shouldMaskInput(element({ inside: { host } }), CUSTOM_NOTHING)).toBe(true);
    const frame = element({ tagName: 'IFRAME', within: ['#email'] });
    expect(shouldMaskText(element({ tagName: 'P', inside: { frame } }), CUSTOM_EMAIL)).toBe(true);
    const plainFrame = element({ tagName: 'IFRAME' });
    expect(
      shouldMaskText(element({ tagName: 'P', inside: { frame: plainFrame } }), CUSTOM_EMAIL),
    ).toBe(false);
    // And the allow-list reaches in the same way.
    const navFrame = element({ tagName: 'IFRAME', within: ['nav, #search'] });
    expect(shouldMaskText(element({ tagName: 'P', inside: { frame: navFrame } }), ALLOW_NAV)).toBe(
      false,
    );
  });

  it('masks text directly inside a shadow host when its default slot is masked (issue 4, slotted)', () => {
    const slot = element({ tagName: 'SLOT', within: ['[data-sightline-mask]'] });
    const host: MaskableElement = {
      ...element({ tagName: 'PRIVATE-FIELD' }),
      shadowRoot: { querySelector: () => slot },
    };
    expect(shouldMaskText(host, CUSTOM_NOTHING)).toBe(true);
    const openSlot = element({ tagName: 'SLOT' });
    const plainHost = { ...host, shadowRoot: { querySelector: () => openSlot } };
    expect(shouldMaskText(plainHost, CUSTOM_NOTHING)).toBe(false);
  });

  it('keeps whitespace, so masked lines wrap as the original', () => {
    expect(maskText(' Ada Lovelace\n')).toBe(' *** ********\n');
  });
});

describe('withExtraRules', () => {
  it('only adds: every mask, block and URL rule of the base stays, the new ones join', () => {
    const base = policyOf(
      { maskType: 'all_text', maskCssSelectors: '#a', unmaskCssSelectors: 'nav' },
      { blockSelectors: 'img', maskUrlParams: ['token'] },
    );
    const merged = withExtraRules(base, {
      maskSelectors: ['#b', '#a'],
      blockSelectors: ['canvas'],
      maskUrlParams: ['Email'],
    });
    expect(merged).toEqual({
      maskType: 'all_text',
      maskSelectors: ['#a', '#b'],
      unmaskSelectors: ['nav'],
      blockSelectors: ['img', 'canvas'],
      maskUrlParams: ['token', 'email'],
    });
    expect(base.maskSelectors).toEqual(['#a']);
  });

  it('masks in custom_input mode what the page left readable', () => {
    const merged = withExtraRules(CUSTOM_NOTHING, { maskSelectors: ['#ssn'] });
    expect(shouldMaskInput(element({ within: ['#ssn'] }), CUSTOM_NOTHING)).toBe(false);
    expect(shouldMaskInput(element({ within: ['#ssn'] }), merged)).toBe(true);
    expect(shouldMaskText(element({ tagName: 'TD', within: ['#ssn'] }), merged)).toBe(true);
  });

  it('a mask rule beats the allow-list', () => {
    const merged = withExtraRules(ALLOW_NAV, { maskSelectors: ['#acct'] });
    const el = element({ tagName: 'SPAN', within: ['nav, #search', '#acct'] });
    expect(shouldMaskText(el, ALLOW_NAV)).toBe(false);
    expect(shouldMaskText(el, merged)).toBe(true);
  });
});

describe('blockSelectorOf', () => {
  it('always blocks [data-sightline-block], plus the configured selectors', () => {
    expect(blockSelectorOf(ALL)).toBe('[data-sightline-block]');
    const policy = policyOf({}, { blockSelectors: 'img.avatar, video' });
    expect(blockSelectorOf(policy)).toBe('[data-sightline-block], img.avatar, video');
  });

  it('fails closed: a selector the browser rejects blocks the whole page', () => {
    const policy = withExtraRules(ALL, { blockSelectors: ['img[['] });
    expect(blockSelectorOf(policy, (s) => !s.includes('[['))).toBe('*');
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

  it('routes every text node through maskTextFn, which decides by the policy', () => {
    expect(options.maskTextSelector).toBe('*');
    const maskTextFn = options.maskTextFn!;
    const email = element({ tagName: 'SPAN', within: ['#email'] }) as unknown as HTMLElement;
    const plain = element({ tagName: 'SPAN' }) as unknown as HTMLElement;
    expect(maskTextFn('ada@example.com', email)).toBe('***************');
    expect(maskTextFn('Ada', plain)).toBe('Ada');
  });

  it('records no canvas, no cross-origin iframe, no fonts, and blocks [data-sightline-block]', () => {
    expect(options).toMatchObject({
      blockSelector: '[data-sightline-block]',
      recordCanvas: false,
      recordCrossOriginIframes: false,
      inlineImages: false,
      inlineStylesheet: true,
      collectFonts: false,
      slimDOMOptions: 'all',
    });
  });
});

describe('hiddenAreaSelectors', () => {
  it('lists blocked and masked elements, payment and password fields, and what the mode hides', () => {
    const policy = policyOf(
      { maskType: 'custom_input', maskCssSelectors: '.ssn' },
      { blockSelectors: 'img' },
    );
    const selectors = hiddenAreaSelectors(policy);
    expect(selectors).toEqual(
      expect.arrayContaining(['[data-sightline-block]', 'img', '[data-sightline-mask]', '.ssn']),
    );
    expect(selectors.join(' ')).toContain('input[type="password"]');
    expect(selectors.join(' ')).not.toContain('textarea');
    expect(hiddenAreaSelectors(ALL).join(' ')).toContain('textarea');
    expect(hiddenAreaSelectors(ALLOW_NAV)).toContain('body');
  });
});
