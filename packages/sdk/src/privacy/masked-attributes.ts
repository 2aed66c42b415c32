/**
 * @module
 * Attribute values inside a masked element. A mask rule (`[data-sightline-mask]`,
 * `maskCssSelectors`, `maskHTMLAttributes`, a server rule) says "what is in here is the
 * customer's", and pages keep the same data in attributes the agent never reads but that travel
 * with the element: `data-customer-name`, an `id` such as `row-yamamoto-lund`, a link to the
 * customer's record, an `<option value>`. So inside a masked element every attribute value is
 * masked (one `*` per character, whitespace kept), except the ones on a short list that shape how
 * the element looks and carry no data of their own: `class`, `style`, `type`, sizes, table spans,
 * ARIA roles and states that are booleans or enumerations, and SVG geometry and paint. Anything
 * not on the list is masked, so a new attribute fails closed.
 *
 * What this costs the mirror inside a masked element: `<use href="#…">` and ids that only
 * scripts or cross-origin stylesheets use no longer resolve (an id the page's readable CSS names
 * or a mask rule names is kept, see `named-ids.ts`), links and images point nowhere (an image without `width`/`height` shows at the
 * browser's broken-image size), and `name` no longer groups radio buttons. `name` is masked
 * because pages generate names from records (`notes[yamamoto-lund]`) as they do ids; the agent's
 * mirror submits no forms, so nothing depends on it.
 *
 * Only mask rules count, not the mode: `all_text` masks the page's text, and masking every
 * attribute of every element would take the page's ids and links with it; PII detection still
 * scans `data-*`, `aria-*`, text and URL attributes everywhere (`capture/scrub.ts`).
 */
import { maskText } from './masking.js';

/** Attributes kept in clear inside a masked element: presentation, not data. */
const KEPT: ReadonlySet<string> = new Set([
  // rrweb's own: a stylesheet's text (handled by the stylesheet step), a placeholder's size, a
  // dialog's mode, scroll offsets and media state. `rr_src` (a cross-origin frame's address) is
  // not among them: it is masked.
  '_csstext',
  'rr_width',
  'rr_height',
  'rr_open_mode',
  'rr_scrollleft',
  'rr_scrolltop',
  'rr_mediastate',
  'rr_mediacurrenttime',
  'rr_mediaplaybackrate',
  'rr_mediamuted',
  'rr_medialoop',
  'rr_mediavolume',
  // HTML presentation and structure.
  'class',
  'style',
  'type',
  'dir',
  'lang',
  'hidden',
  'disabled',
  'readonly',
  'required',
  'multiple',
  'open',
  'width',
  'height',
  'size',
  'cols',
  'rows',
  'colspan',
  'rowspan',
  'span',
  'align',
  'valign',
  'border',
  'cellpadding',
  'cellspacing',
  'tabindex',
  'contenteditable',
  'draggable',
  'spellcheck',
  'role',
  'rel',
  'media',
  'sizes',
  'loading',
  'decoding',
  'crossorigin',
  'start',
  'reversed',
  'aria-hidden',
  'aria-expanded',
  'aria-selected',
  'aria-checked',
  'aria-disabled',
  'aria-level',
  // SVG geometry and paint (an icon in a masked card keeps its shape).
  'xmlns',
  'xmlns:xlink',
  'version',
  'viewbox',
  'preserveaspectratio',
  'focusable',
  'd',
  'points',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'dx',
  'dy',
  'fill',
  'fill-rule',
  'fill-opacity',
  'clip-rule',
  'stroke',
  'stroke-width',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'transform',
  'offset',
  'stop-color',
  'stop-opacity',
  'gradientunits',
  'gradienttransform',
  'text-anchor',
  'dominant-baseline',
  'font-size',
  'font-weight',
]);

/** Whether attribute `name` keeps its value inside a masked element. */
export function isKeptInMaskedElement(name: string): boolean {
  return KEPT.has(name.toLowerCase());
}

/**
 * Masks, in place, every attribute value of an element inside a masked element, except the
 * presentational ones ({@link isKeptInMaskedElement}) and an `id` that `isNamedId` says the
 * page's CSS or mask rules name (`named-ids.ts`). Values that are not
 * strings (rrweb's booleans and numbers, `null` for a removed attribute) and empty ones carry
 * nothing and stay.
 */
export function maskAttributesOfMaskedElement(
  attributes: Record<string, string | number | boolean | null | undefined>,
  isNamedId: (id: string) => boolean = () => false,
): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value !== 'string' || value === '' || isKeptInMaskedElement(name)) continue;
    if (name.toLowerCase() === 'id' && isNamedId(value)) continue;
    attributes[name] = maskText(value);
  }
}

/** Whether `attributes` has a value {@link maskAttributesOfMaskedElement} would mask. */
export function hasMaskableAttribute(
  attributes: Record<string, string | number | boolean | null | undefined>,
): boolean {
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'string' && value !== '' && !isKeptInMaskedElement(name)) return true;
  }
  return false;
}
