/**
 * @module
 * A short name for a command's target, for the customer's approval prompt ("Jane Doe wants to
 * click “Add to cart”"): what the customer reads on or next to the element. It is taken, in
 * order, from `aria-labelledby`, `aria-label`, a field's `<label>`, a button input's caption, an
 * image's `alt`, the element's visible text, then its `title` or a field's placeholder.
 *
 * Never a value: what is typed in a field is not read, and text the page's masking hides (a mask
 * rule, `[data-sightline-mask]`, `all_text`) or inside a blocked element is skipped, so the prompt
 * shows nothing that masking keeps from the agent either.
 */
import {
  isInsideBlocked,
  isLabelInput,
  shouldMaskText,
  type MaskPolicy,
} from '../privacy/masking.js';

/** Labels longer than this are cut, with an ellipsis. */
export const LABEL_MAX_LENGTH = 40;

/** Parents whose text is not shown as text. */
const NOT_TEXT: ReadonlySet<string> = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'textarea',
  'option',
  'title',
]);

/** `text` with runs of white space as one space, cut to {@link LABEL_MAX_LENGTH} characters. */
export function shortLabel(text: string | null | undefined): string | undefined {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  if (flat === '') return undefined;
  const chars = [...flat];
  if (chars.length <= LABEL_MAX_LENGTH) return flat;
  const cut = chars.slice(0, LABEL_MAX_LENGTH - 1).join('');
  // At a word's end when there is one in the last third, so no word is shown cut.
  const space = cut.lastIndexOf(' ');
  const kept = space > (2 * cut.length) / 3 ? cut.slice(0, space) : cut;
  return `${kept.trimEnd()}…`;
}

/** Whether an attribute of `element` may be shown: not when its text is masked or blocked. */
function readable(element: Element, policy: MaskPolicy): boolean {
  return !shouldMaskText(element, policy) && !isInsideBlocked(element, policy);
}

/** The text of `root` the customer sees and the agent may see, up to a little past the limit. */
export function readableText(root: Element, policy: MaskPolicy): string {
  const doc = root.ownerDocument;
  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  let text = '';
  for (let node = walker.nextNode(); node && text.length <= 2 * LABEL_MAX_LENGTH;) {
    const parent = node.parentElement;
    if (parent && !NOT_TEXT.has(parent.localName) && readable(parent, policy)) {
      text += ` ${node.nodeValue ?? ''}`;
    }
    node = walker.nextNode();
  }
  return text;
}

function attribute(element: Element, name: string, policy: MaskPolicy): string | undefined {
  return readable(element, policy) ? shortLabel(element.getAttribute(name)) : undefined;
}

/** The texts of the elements `aria-labelledby` names. */
function labelledBy(element: Element, policy: MaskPolicy): string | undefined {
  const ids = (element.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
  const root = element.getRootNode() as Document | ShadowRoot;
  const texts = ids
    .map((id) => root.getElementById?.(id))
    .filter((found): found is HTMLElement => !!found)
    .map((found) => readableText(found, policy));
  return shortLabel(texts.join(' '));
}

/** The text of a field's `<label>` elements. */
function fieldLabels(element: Element, policy: MaskPolicy): string | undefined {
  const labels = (element as HTMLInputElement).labels;
  if (!labels || labels.length === 0) return undefined;
  return shortLabel([...labels].map((label) => readableText(label, policy)).join(' '));
}

/** A short name for `element` as the customer sees it, if it has one that may be shown. */
export function targetLabel(element: Element, policy: MaskPolicy): string | undefined {
  const tag = element.localName;
  return (
    labelledBy(element, policy) ??
    attribute(element, 'aria-label', policy) ??
    fieldLabels(element, policy) ??
    (isLabelInput(element) ? attribute(element, 'value', policy) : undefined) ??
    (tag === 'img' ? attribute(element, 'alt', policy) : undefined) ??
    shortLabel(readableText(element, policy)) ??
    attribute(element, 'title', policy) ??
    attribute(element, 'placeholder', policy)
  );
}
