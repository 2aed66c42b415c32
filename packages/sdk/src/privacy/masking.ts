/**
 * @module
 * Privacy masking: which input values and texts are masked and which elements are blocked, decided
 * in the customer's browser before anything is recorded, and the rrweb `record()` options that
 * enforce it. Events rrweb emits then pass through `event-policy.ts`, which closes what rrweb's
 * options cannot (blocked iframes and shadow roots, placeholders, URL parameters).
 *
 * Whatever the settings say, these are always masked: password inputs (also after a "show
 * password" toggle, which rrweb marks with `data-rr-is-password`), payment inputs (an
 * `autocomplete` token starting with `cc-`), hidden inputs, and anything inside
 * `[data-sightline-mask]`. `[data-sightline-block]` elements are replaced by a same-size
 * placeholder. Settings, and server rules ({@link withExtraRules}), can add masking, never remove it.
 *
 * Every decision looks through shadow roots, slots and same-origin iframes (`tree.ts`): a
 * selector that matches a shadow host or an `<iframe>` covers what is inside it, as it covers an
 * element's children, and a masked `<slot>` covers the light DOM rendered in it.
 */
import type { record } from '@rrweb/record';
import type { MaskType, PiiMaskSettings } from '../options.js';
import { defaultSlotOf, within, type TreeElement } from './tree.js';

/** Marks an element whose text and input values are always masked, with everything inside it. */
export const MASK_ATTRIBUTE = 'data-sightline-mask';

/** Marks an element that is never recorded: the agent sees an empty box of the same size. */
export const BLOCK_ATTRIBUTE = 'data-sightline-block';

const MASK_MARKER_SELECTOR = `[${MASK_ATTRIBUTE}]`;
const BLOCK_MARKER_SELECTOR = `[${BLOCK_ATTRIBUTE}]`;

/** Inputs whose value is their label, not something the user typed. */
const LABEL_INPUT_TYPES: ReadonlySet<string> = new Set(['button', 'submit', 'reset', 'image']);

/** Inputs whose value is never sent in clear, whatever the settings. */
const ALWAYS_MASKED_INPUT_TYPES: ReadonlySet<string> = new Set(['password', 'hidden']);

/** Text typed into rich-text editors is input too: masked in `all_input` and `all_text` modes. */
const EDITABLE_TEXT_SELECTOR = '[contenteditable]:not([contenteditable="false"])';

/**
 * The part of a DOM element the masking decision reads. `HTMLElement` satisfies it; tests pass
 * plain objects. How a decision looks through shadow roots, slots and iframes is `tree.ts`'s.
 */
export interface MaskableElement extends TreeElement {
  readonly tagName: string;
  /** The `type` property of inputs (already lower-cased and normalised by the browser). */
  readonly type?: string;
  getAttribute(name: string): string | null;
}

/** One `maskHTMLAttributes` entry: `name=value`, or a bare `name` for any value. */
export interface AttributeRule {
  name: string;
  value?: string;
}

/** The privacy settings a policy is compiled from (resolved, so complete and valid). */
export interface PrivacySettings {
  piiMask: Required<PiiMaskSettings>;
  /** CSS selectors of elements replaced by a placeholder; `''` for none. */
  blockSelectors: string;
  /** Names of URL query parameters whose values are masked wherever a URL is recorded. */
  maskUrlParams: readonly string[];
}

/**
 * Rules that can only add masking: more selectors to mask or block, more URL parameters. What
 * server-managed rules (`server-rules.ts`) hand to {@link withExtraRules}.
 */
export interface ExtraMaskRules {
  maskSelectors?: readonly string[];
  blockSelectors?: readonly string[];
  maskUrlParams?: readonly string[];
}

/** The masking settings, compiled once. Every list only ever grows. */
export interface MaskPolicy {
  readonly maskType: MaskType;
  /**
   * Selectors whose elements (and everything inside) have their text and input values masked:
   * the CSS selector list as given (one entry, never split, because commas also occur inside
   * `:is(…)`), then one per attribute rule, then extra rules.
   */
  readonly maskSelectors: readonly string[];
  /** In `all_text` mode, what stays readable; mask and block selectors win over these. */
  readonly unmaskSelectors: readonly string[];
  /** Selectors of elements replaced by a same-size placeholder (besides `[data-sightline-block]`). */
  readonly blockSelectors: readonly string[];
  /** Lower-cased names of URL query parameters whose values are masked. */
  readonly maskUrlParams: readonly string[];
}

const ATTRIBUTE_NAME = /^[A-Za-z_][-A-Za-z0-9_]*$/;

/**
 * Parses `maskHTMLAttributes` (`"data-sensitive=true, data-pii"`): comma-separated entries, each
 * `name=value` (the value may be quoted) or a bare `name`. Returns the rules, or the reason the
 * text is invalid. Values cannot contain commas.
 */
export function parseMaskAttributes(text: string): AttributeRule[] | { error: string } {
  const rules: AttributeRule[] = [];
  for (const entry of text.split(',')) {
    const trimmed = entry.trim();
    if (trimmed === '') continue;
    const equals = trimmed.indexOf('=');
    const name = (equals === -1 ? trimmed : trimmed.slice(0, equals)).trim();
    if (!ATTRIBUTE_NAME.test(name)) {
      return { error: `"${trimmed}" is not "attr=value": bad attribute name "${name}".` };
    }
    if (equals === -1) {
      rules.push({ name });
      continue;
    }
    const value = trimmed
      .slice(equals + 1)
      .trim()
      .replace(/^(["'])(.*)\1$/, '$2');
    rules.push({ name, value });
  }
  return rules;
}

/** A CSS attribute selector for `rule`. The name is already restricted to safe characters. */
export function attributeSelector(rule: AttributeRule): string {
  if (rule.value === undefined) return `[${rule.name}]`;
  const escaped = rule.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\a ');
  return `[${rule.name}="${escaped}"]`;
}

function nonEmpty(selector: string): string[] {
  const trimmed = selector.trim();
  return trimmed ? [trimmed] : [];
}

function union(base: readonly string[], extra: readonly string[] | undefined): string[] {
  return [...new Set([...base, ...(extra ?? [])])];
}

/**
 * Compiles resolved privacy settings. `maskHTMLAttributes` must already be valid
 * (`resolveSettings` checks it); an invalid one here throws.
 */
export function compileMaskPolicy(settings: PrivacySettings): MaskPolicy {
  const { piiMask } = settings;
  const rules = parseMaskAttributes(piiMask.maskHTMLAttributes);
  if ('error' in rules) throw new Error(rules.error);
  return {
    maskType: piiMask.maskType,
    maskSelectors: [...nonEmpty(piiMask.maskCssSelectors), ...rules.map(attributeSelector)],
    unmaskSelectors: piiMask.maskType === 'all_text' ? nonEmpty(piiMask.unmaskCssSelectors) : [],
    blockSelectors: nonEmpty(settings.blockSelectors),
    maskUrlParams: union(
      [],
      settings.maskUrlParams.map((name) => name.toLowerCase()),
    ),
  };
}

/**
 * `policy` with `rules` added: a pure union, so the result masks and blocks everything `policy`
 * does and possibly more. Nothing in `rules` can unmask. Selectors must be valid CSS; an invalid
 * mask selector masks everything it is asked about, an invalid block selector blocks the page.
 */
export function withExtraRules(policy: MaskPolicy, rules: ExtraMaskRules): MaskPolicy {
  return {
    ...policy,
    maskSelectors: union(policy.maskSelectors, rules.maskSelectors),
    blockSelectors: union(policy.blockSelectors, rules.blockSelectors),
    maskUrlParams: union(
      policy.maskUrlParams,
      rules.maskUrlParams?.map((name) => name.toLowerCase()),
    ),
  };
}

function withinAny(element: MaskableElement, selectors: readonly string[]): boolean {
  return selectors.some((selector) => within(element, selector));
}

function isPaymentAutocomplete(autocomplete: string | null): boolean {
  if (!autocomplete) return false;
  return autocomplete
    .toLowerCase()
    .split(/\s+/)
    .some((token) => token.startsWith('cc-'));
}

/** Whether `element`'s value is masked whatever the settings say. */
export function isAlwaysMasked(element: MaskableElement): boolean {
  const type = (element.type ?? '').toLowerCase();
  return (
    (element.tagName.toLowerCase() === 'input' && ALWAYS_MASKED_INPUT_TYPES.has(type)) ||
    element.getAttribute('data-rr-is-password') !== null ||
    isPaymentAutocomplete(element.getAttribute('autocomplete')) ||
    within(element, MASK_MARKER_SELECTOR)
  );
}

/** Every mask and block rule of a policy as one selector list, joined once per policy. */
const maskOrBlockSelectors = new WeakMap<MaskPolicy, string>();

/**
 * Whether a mask or block rule (never an unmask rule) covers `element`. One `closest` with all
 * the rules joined: if any rule is invalid the whole list throws, which `within` counts as a
 * match, as it would for that rule alone.
 */
function maskedByRule(element: TreeElement, policy: MaskPolicy): boolean {
  let selector = maskOrBlockSelectors.get(policy);
  if (selector === undefined) {
    selector = [
      MASK_MARKER_SELECTOR,
      ...policy.maskSelectors,
      BLOCK_MARKER_SELECTOR,
      ...policy.blockSelectors,
    ].join(', ');
    maskOrBlockSelectors.set(policy, selector);
  }
  return within(element, selector);
}

/**
 * Whether a mask or block rule covers `element` (the mode does not count): then its attribute
 * values are masked too (`masked-attributes.ts`), not only its text.
 */
export function isMaskedByRule(element: MaskableElement, policy: MaskPolicy): boolean {
  return maskedByRule(element, policy);
}

/**
 * The masking decision for one input, textarea or select: whether its value leaves the browser
 * as asterisks. Pure; reads only `element` (and its ancestors) and `policy`.
 */
export function shouldMaskInput(element: MaskableElement, policy: MaskPolicy): boolean {
  if (isAlwaysMasked(element)) return true;
  const isInput = element.tagName.toLowerCase() === 'input';
  if (isInput && LABEL_INPUT_TYPES.has((element.type ?? '').toLowerCase())) return false;
  if (maskedByRule(element, policy)) return true;
  if (policy.maskType === 'all_input') return true;
  if (policy.maskType === 'all_text') return !withinAny(element, policy.unmaskSelectors);
  return false;
}

/** Inputs whose answer is their checked state, not a typed value. */
const CHOICE_INPUT_TYPES: ReadonlySet<string> = new Set(['radio', 'checkbox']);

/**
 * Whether `element` is a radio button or checkbox whose checked state is masked: sent as unchecked
 * everywhere (snapshots, attribute changes, input events). The same decision as for a typed value
 * ({@link shouldMaskInput}): in `all_input` mode every choice, since an answer such as "diagnosis:
 * yes" is as personal as a typed one; in `custom_input` mode only the ones a mask rule covers; in
 * `all_text` mode every one outside `unmaskCssSelectors`.
 */
export function isMaskedChoice(element: MaskableElement, policy: MaskPolicy): boolean {
  if (element.tagName.toLowerCase() !== 'input') return false;
  if (!CHOICE_INPUT_TYPES.has((element.type ?? '').toLowerCase())) return false;
  return shouldMaskInput(element, policy);
}

/**
 * The masking decision for the text inside `element` (a text node's parent, such as a `<p>` or
 * the page's `<title>`): whether it leaves the browser as asterisks. `null` (a text node without a
 * parent element) is masked.
 */
export function shouldMaskText(element: MaskableElement | null, policy: MaskPolicy): boolean {
  if (!element) return true;
  // A textarea's text children are its default value: input, not page text.
  if (element.tagName.toLowerCase() === 'textarea') return shouldMaskInput(element, policy);
  if (maskedByRule(element, policy)) return true;
  // Text directly inside a shadow host is shown in the host's default slot, wherever that is.
  const slot = defaultSlotOf(element);
  if (slot && maskedByRule(slot, policy)) return true;
  if (policy.maskType === 'all_text') return !withinAny(element, policy.unmaskSelectors);
  return policy.maskType === 'all_input' && within(element, EDITABLE_TEXT_SELECTOR);
}

/**
 * Whether `element` is inside a blocked element (or is one), looking out of shadow roots and
 * iframes. For changes to elements that were sent before an ancestor became blocked.
 */
export function isInsideBlocked(element: MaskableElement, policy: MaskPolicy): boolean {
  return within(element, BLOCK_MARKER_SELECTOR) || withinAny(element, policy.blockSelectors);
}

/** Whether `element` is an input whose value is its label (a button), not typed. */
export function isLabelInput(element: MaskableElement): boolean {
  return (
    element.tagName.toLowerCase() === 'input' &&
    LABEL_INPUT_TYPES.has((element.type ?? '').toLowerCase())
  );
}

/** Whether `element` is replaced by a placeholder (it, not an ancestor, matches a block rule). */
export function isBlockedElement(
  element: { matches(selector: string): boolean },
  policy: MaskPolicy,
): boolean {
  return [BLOCK_MARKER_SELECTOR, ...policy.blockSelectors].some((selector) => {
    try {
      return element.matches(selector);
    } catch {
      return true;
    }
  });
}

/** Inputs a person types into (not buttons, not hidden ones), for outlining. */
const TYPED_FIELDS =
  'input:not([type="button"], [type="submit"], [type="reset"], [type="image"], [type="hidden"]), textarea, select';

/**
 * Selectors of what the agent does not see, for the customer's "hidden from the agent" outlines:
 * blocked and masked elements, password and payment fields, and, by mode, every field and
 * editable area (`all_input`) or the whole page (`all_text`). The decision functions above stay
 * the authority; this is only for showing.
 */
export function hiddenAreaSelectors(policy: MaskPolicy): string[] {
  const selectors = [
    BLOCK_MARKER_SELECTOR,
    ...policy.blockSelectors,
    MASK_MARKER_SELECTOR,
    ...policy.maskSelectors,
    'input[type="password"], [autocomplete^="cc-" i], [autocomplete*=" cc-" i]',
  ];
  if (policy.maskType === 'all_input') selectors.push(TYPED_FIELDS, EDITABLE_TEXT_SELECTOR);
  if (policy.maskType === 'all_text') selectors.push('body');
  return selectors;
}

/** `text` as the agent sees a masked value: one `*` per character, so the length still shows. */
export function maskValue(text: string): string {
  return '*'.repeat(text.length);
}

/** Masked page text: one `*` per visible character, whitespace kept so lines wrap alike. */
export function maskText(text: string): string {
  return text.replace(/\S/g, '*');
}

/**
 * The selector rrweb blocks. rrweb treats a selector error as "not blocked", so when any block
 * selector is one `isValid` rejects, the whole page is blocked instead: blocking fails closed.
 */
export function blockSelectorOf(
  policy: MaskPolicy,
  isValid: (selector: string) => boolean = () => true,
): string {
  if (!policy.blockSelectors.every(isValid)) return '*';
  return [BLOCK_MARKER_SELECTOR, ...policy.blockSelectors].join(', ');
}

/** The options of rrweb's `record()` this module decides. */
export type RecordOptions = NonNullable<Parameters<typeof record>[0]>;

/**
 * Every privacy-relevant `record()` option. `maskAllInputs` is deliberately off: its built-in list
 * skips hidden and file inputs. Instead `maskInputOptions` selects every input, textarea and
 * select by tag name, so rrweb asks {@link shouldMaskInput} (through `maskInputFn`) about each one.
 * Likewise `maskTextSelector: '*'` routes every text node through `maskTextFn`, because rrweb's
 * own selector test (`closest`) stops at shadow roots and iframe documents; {@link shouldMaskText}
 * looks through them.
 */
export function privacyRecordOptions(
  policy: MaskPolicy,
  isValidSelector?: (selector: string) => boolean,
): RecordOptions {
  return {
    maskAllInputs: false,
    // `input` is not in rrweb's MaskInputOptions type, but rrweb looks up the lower-cased tag name
    // first (`maskInputOptions[tagName]`), so it routes every <input> through maskInputFn.
    maskInputOptions: {
      input: true,
      textarea: true,
      select: true,
      password: true,
    } as RecordOptions['maskInputOptions'],
    maskInputFn: (text, element) =>
      shouldMaskInput(element as MaskableElement, policy) ? maskValue(text) : text,
    maskTextSelector: '*',
    maskTextFn: (text, element) =>
      shouldMaskText(element as MaskableElement | null, policy) ? maskText(text) : text,
    blockSelector: blockSelectorOf(policy, isValidSelector),
    recordCanvas: false,
    recordCrossOriginIframes: false,
    inlineImages: false,
    inlineStylesheet: true,
    collectFonts: false,
    slimDOMOptions: 'all',
  };
}
