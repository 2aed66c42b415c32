/**
 * @module
 * Which element ids the page's developers named: in its CSS (`#patient > * { … }`) or in its
 * mask and block selectors (`maskCssSelectors: '#name'`). Inside a masked element ids are masked
 * (`masked-attributes.ts`), because pages generate ids from records (`row-yamamoto-lund`). An id
 * a stylesheet names is in that stylesheet's text, which is sent as it is: masking the attribute
 * would hide nothing and would drop the rule's styling from the agent's mirror, moving every
 * masked element it lays out. An id a mask rule names is the developer's name for a field, not a
 * customer's data. So such ids are kept.
 *
 * The ids are read from the rules of the stylesheets of the element's document or shadow root
 * (`styleSheets` and `adoptedStyleSheets`, into `@media`, `@supports` and other grouping rules).
 * Cross-origin stylesheets cannot be read and count for nothing: their ids are masked.
 */

/** A CSS rule as far as this module reads it. */
interface RuleLike {
  readonly selectorText?: string;
  readonly cssRules?: ArrayLike<RuleLike>;
}

/** A stylesheet as far as this module reads it; reading `cssRules` may throw (cross-origin). */
interface SheetLike {
  readonly cssRules: ArrayLike<RuleLike>;
}

/** A document or shadow root as far as this module reads it. */
export interface StyledRoot {
  readonly styleSheets?: ArrayLike<SheetLike>;
  readonly adoptedStyleSheets?: ArrayLike<SheetLike>;
}

/** An id selector without CSS escapes (an id with escapes is then never found: masked). */
const ID_SELECTOR = /#(-?[_a-zA-Z\u00a0-\uffff][-\w\u00a0-\uffff]*)/g;

function collect(rules: ArrayLike<RuleLike>, into: Set<string>): void {
  for (let i = 0; i < rules.length; i += 1) {
    const rule = rules[i];
    if (!rule) continue;
    if (rule.selectorText) {
      for (const match of rule.selectorText.matchAll(ID_SELECTOR)) into.add(match[1] as string);
    }
    if (rule.cssRules) collect(rule.cssRules, into);
  }
}

/** Every id the stylesheets of `root` name in a selector. */
export function idsNamedByCss(root: StyledRoot): Set<string> {
  const ids = new Set<string>();
  for (const sheets of [root.styleSheets, root.adoptedStyleSheets]) {
    if (!sheets) continue;
    for (let i = 0; i < sheets.length; i += 1) {
      try {
        const sheet = sheets[i];
        if (sheet) collect(sheet.cssRules, ids);
      } catch {
        // A cross-origin stylesheet: its rules cannot be read.
      }
    }
  }
  return ids;
}

/** Every id named in `selectors` (mask or block rules). */
export function idsNamedBySelectors(selectors: readonly string[]): Set<string> {
  const ids = new Set<string>();
  for (const selector of selectors) {
    for (const match of selector.matchAll(ID_SELECTOR)) ids.add(match[1] as string);
  }
  return ids;
}

/**
 * Answers "did the page's developers name this id?" for elements of many roots, reading each
 * root's stylesheets once. Meant to live for one event: stylesheets change between events.
 */
export class NamedIds {
  readonly #byRoot = new Map<unknown, Set<string>>();
  readonly #byRules: ReadonlySet<string>;

  /** `byRules`: the ids the mask and block rules name ({@link idsNamedBySelectors}). */
  constructor(byRules: ReadonlySet<string> = new Set()) {
    this.#byRules = byRules;
  }

  /** Whether a rule, or a stylesheet of `element`'s document or shadow root, names `#id`. */
  named(element: { getRootNode?(): unknown }, id: string): boolean {
    if (this.#byRules.has(id)) return true;
    const root = element.getRootNode?.() as StyledRoot | undefined;
    if (!root) return false;
    let ids = this.#byRoot.get(root);
    if (!ids) {
      ids = idsNamedByCss(root);
      this.#byRoot.set(root, ids);
    }
    return ids.has(id);
  }
}
