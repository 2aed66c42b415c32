/**
 * @module
 * Which CSS rules draw a blocked element, so that their image addresses never leave the browser
 * (`css-rules.ts` removes them). A placeholder's own inline style already hides the picture in
 * the mirror; this is about the address itself, which names the picture (`passport-L898902C3.png`)
 * and travels in the stylesheet's text.
 *
 * A rule counts when its selector, with pseudo-elements and state pseudo-classes (`:hover`,
 * `:focus`, `:checked`…) taken out, matches a blocked element, or an element inside one, of the
 * stylesheet's document or shadow root now; or when its selector names a class or id that a block
 * selector names (`.id-front` in `blockSelectors: '.id-front'`), which also covers elements that
 * are not in the page yet. A selector the browser rejects counts (fails closed), and so does every
 * rule of a stylesheet whose place in the page is unknown.
 */
import { BLOCK_ATTRIBUTE, type MaskPolicy } from './masking.js';
import type { RuleTest } from './css-rules.js';

/** The part of a document or shadow root this module reads. */
export interface BlockScope {
  querySelectorAll(selector: string): ArrayLike<BlockCandidate>;
}

/** The part of an element this module reads. */
export interface BlockCandidate {
  matches(selector: string): boolean;
  querySelector(selector: string): unknown;
}

/** Pseudo-elements (`::before`, `::part(x)`, legacy `:before`): the rule is about the element. */
const PSEUDO_ELEMENT =
  /::?(?:before|after|first-line|first-letter)(?![-\w])|::[-\w]+(?:\([^)]*\))?/gi;

/** Pseudo-classes of a state the element may be in later: dropped, so the rule counts now. */
const STATE_PSEUDO_CLASS =
  /:(?:hover|active|focus|focus-visible|focus-within|visited|link|any-link|target|checked|indeterminate|default|placeholder-shown|autofill|-webkit-autofill|open|closed|popover-open|modal|fullscreen|playing|paused|valid|invalid|user-valid|user-invalid|enabled|disabled|empty)(?![-\w])/gi;

/** `.class` and `#id` tokens, in a selector or a block rule. */
const NAME_TOKEN = /[.#]-?[_a-zA-Z\u00a0-\uffff][-\w\u00a0-\uffff]*/g;

/** The selector of the element a rule styles, with what would keep `matches` from seeing it now. */
export function subjectSelector(selector: string): string {
  return selector.replace(PSEUDO_ELEMENT, '').replace(STATE_PSEUDO_CLASS, '');
}

/** The class and id tokens the block rules name (`.id-front`, `#scan`). */
export function namesOfBlockRules(policy: MaskPolicy): Set<string> {
  return new Set(policy.blockSelectors.flatMap((selector) => selector.match(NAME_TOKEN) ?? []));
}

/** Whether `selector` names one of `names` as a whole token. */
function namesAny(selector: string, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  return (selector.match(NAME_TOKEN) ?? []).some((token) => names.has(token));
}

/** A test that picks every rule: for stylesheets whose scope is unknown. */
export const EVERY_RULE: RuleTest = () => true;

/**
 * The rule test for stylesheets of `scope` (a document or shadow root), or `undefined` when no
 * rule there can be about a blocked element (nothing to rewrite). Reads the blocked elements once;
 * meant to live for one event.
 */
export function blockedRuleTest(
  scope: BlockScope,
  policy: MaskPolicy,
  names: ReadonlySet<string>,
): RuleTest | undefined {
  let blocked: BlockCandidate[];
  try {
    const selector = [`[${BLOCK_ATTRIBUTE}]`, ...policy.blockSelectors].join(', ');
    blocked = Array.from(scope.querySelectorAll(selector));
  } catch {
    // A block selector the browser rejects blocks the whole page: every rule is about it.
    return EVERY_RULE;
  }
  if (blocked.length === 0 && names.size === 0) return undefined;
  return (selectorText) => {
    if (namesAny(selectorText, names)) return true;
    if (blocked.length === 0) return false;
    const subject = subjectSelector(selectorText);
    try {
      return blocked.some(
        (element) => element.matches(subject) || element.querySelector(subject) !== null,
      );
    } catch {
      return true;
    }
  };
}
