/**
 * @module
 * Privacy masking: which input values and texts are masked and which elements are blocked, decided
 * in the customer's browser before anything is recorded, and the rrweb `record()` options that
 * enforce it.
 *
 * Whatever the settings say, these are always masked: password inputs (also after a "show
 * password" toggle, which rrweb marks with `data-rr-is-password`), payment inputs (an
 * `autocomplete` token starting with `cc-`), hidden inputs, and anything inside
 * `[data-sightline-mask]`. `[data-sightline-block]` elements are replaced by a same-size
 * placeholder. Settings can add masking, never remove it.
 */
import type { record } from '@rrweb/record';
import type { MaskType, PiiMaskSettings } from '../options.js';

/** Marks an element whose text and input values are always masked, with everything inside it. */
export const MASK_ATTRIBUTE = 'data-sightline-mask';

/** Marks an element that is never recorded: the agent sees an empty box of the same size. */
export const BLOCK_ATTRIBUTE = 'data-sightline-block';

const MASK_MARKER_SELECTOR = `[${MASK_ATTRIBUTE}]`;
const BLOCK_SELECTOR = `[${BLOCK_ATTRIBUTE}]`;

/** Inputs whose value is their label, not something the user typed. */
const LABEL_INPUT_TYPES: ReadonlySet<string> = new Set(['button', 'submit', 'reset', 'image']);

/** Inputs whose value is never sent in clear, whatever the settings. */
const ALWAYS_MASKED_INPUT_TYPES: ReadonlySet<string> = new Set(['password', 'hidden']);

/** Text typed into rich-text editors is input too: masked in `all_input` mode. */
const EDITABLE_TEXT_SELECTOR = '[contenteditable]:not([contenteditable="false"])';

/**
 * The part of a DOM element the masking decision reads. `HTMLElement` satisfies it; tests pass
 * plain objects. `closest` has DOM semantics: the element itself or an ancestor matches.
 */
export interface MaskableElement {
  readonly tagName: string;
  /** The `type` property of inputs (already lower-cased and normalised by the browser). */
  readonly type?: string;
  getAttribute(name: string): string | null;
  closest(selector: string): unknown;
}

/** One `maskHTMLAttributes` entry: `name=value`, or a bare `name` for any value. */
export interface AttributeRule {
  name: string;
  value?: string;
}

/** The masking settings, compiled once. */
export interface MaskPolicy {
  maskType: MaskType;
  /**
   * Selectors from the settings, each matched with `closest`: the CSS selector list as given (one
   * entry, never split, because commas also occur inside `:is(…)`), then one per attribute rule.
   */
  userSelectors: readonly string[];
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

/**
 * Compiles resolved `piiMask` settings. `maskHTMLAttributes` must already be valid
 * (`resolveSettings` checks it); an invalid one here throws.
 */
export function compileMaskPolicy(piiMask: Required<PiiMaskSettings>): MaskPolicy {
  const rules = parseMaskAttributes(piiMask.maskHTMLAttributes);
  if ('error' in rules) throw new Error(rules.error);
  const userSelectors = [
    ...(piiMask.maskCssSelectors ? [piiMask.maskCssSelectors] : []),
    ...rules.map(attributeSelector),
  ];
  return { maskType: piiMask.maskType, userSelectors };
}

/**
 * Whether `element` or an ancestor matches `selector`. A selector the browser rejects counts as
 * a match: masking fails closed.
 */
function within(element: MaskableElement, selector: string): boolean {
  try {
    return element.closest(selector) != null;
  } catch {
    return true;
  }
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

/**
 * The masking decision for one input, textarea or select: whether its value leaves the browser
 * as asterisks. Pure; reads only `element` and `policy`.
 */
export function shouldMaskInput(element: MaskableElement, policy: MaskPolicy): boolean {
  if (isAlwaysMasked(element)) return true;
  const isInput = element.tagName.toLowerCase() === 'input';
  if (isInput && LABEL_INPUT_TYPES.has((element.type ?? '').toLowerCase())) return false;
  if (policy.maskType === 'all_input') return true;
  return policy.userSelectors.some((selector) => within(element, selector));
}

/** `text` as the agent sees a masked value: one `*` per character, so the length still shows. */
export function maskValue(text: string): string {
  return '*'.repeat(text.length);
}

/**
 * The selector whose matching elements (and descendants) have their text masked. Every part must
 * be a valid selector: rrweb swallows a selector error as "no match", which would unmask all of it.
 */
export function textMaskSelector(policy: MaskPolicy): string {
  const parts = [MASK_MARKER_SELECTOR, ...policy.userSelectors];
  if (policy.maskType === 'all_input') parts.push(EDITABLE_TEXT_SELECTOR);
  return parts.join(', ');
}

/** The options of rrweb's `record()` this module decides. */
export type RecordOptions = NonNullable<Parameters<typeof record>[0]>;

/**
 * Every privacy-relevant `record()` option. `maskAllInputs` is deliberately off: its built-in list
 * skips hidden and file inputs. Instead `maskInputOptions` selects every input, textarea and
 * select by tag name, so rrweb asks {@link shouldMaskInput} (through `maskInputFn`) about each one.
 */
export function privacyRecordOptions(policy: MaskPolicy): RecordOptions {
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
    maskTextSelector: textMaskSelector(policy),
    blockSelector: BLOCK_SELECTOR,
    recordCanvas: false,
    recordCrossOriginIframes: false,
    inlineImages: false,
    inlineStylesheet: true,
    collectFonts: false,
    slimDOMOptions: 'all',
  };
}
