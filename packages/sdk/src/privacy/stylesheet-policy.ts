/**
 * @module
 * Every place rrweb sends CSS text, made to carry no image address of a blocked element
 * (`blocked-css.ts` decides which rules, `css-rules.ts` rewrites them):
 *
 * - a `<style>`'s or an inlined `<link>`'s `_cssText`, in snapshots, added nodes and attribute
 *   changes (a stylesheet that loads later);
 * - the text node inside a `<style>`, added or changed later;
 * - rules inserted through the CSSOM (`insertRule`), and a constructed stylesheet's
 *   `replace`/`replaceSync` text;
 * - a declaration set through the CSSOM (`rule.style.setProperty('background', 'url(…)')`), by
 *   the selector of the rule it is set on;
 * - constructed stylesheets adopted by the document or a shadow root.
 *
 * Where the stylesheet lives decides which blocked elements count: its document or shadow root.
 * When that cannot be found (a constructed stylesheet rrweb names only by its own id, a node it no
 * longer knows), every rule loses its image addresses: fails closed.
 */
import type { adoptedStyleSheetData, styleDeclarationData, styleSheetRuleData } from '@rrweb/types';
import { EVERY_RULE, blockedRuleTest, namesOfBlockRules, type BlockScope } from './blocked-css.js';
import { stripImageUrls, stripImageUrlsInRules, type RuleTest } from './css-rules.js';
import type { MaskPolicy } from './masking.js';

/** The live node rrweb recorded under an id, if it still exists. */
type NodeLookup = (id: number) => unknown;

/** A CSS rule as far as a declaration's selector is looked up. */
interface RuleLike {
  readonly selectorText?: string;
  readonly cssRules?: ArrayLike<RuleLike>;
}

/** A live node as far as this module reads it. */
interface LiveNode {
  getRootNode?(): unknown;
  readonly parentNode?: { readonly nodeName?: string } | null;
  readonly sheet?: { readonly cssRules: ArrayLike<RuleLike> } | null;
  readonly shadowRoot?: unknown;
  readonly nodeType?: number;
}

const DOCUMENT_NODE = 9;

function isScope(root: unknown): root is BlockScope {
  return typeof (root as BlockScope | null)?.querySelectorAll === 'function';
}

/** The rewriting of CSS text for one recording; call {@link StylesheetPolicy.startEvent} per event. */
export class StylesheetPolicy {
  readonly #policy: MaskPolicy;
  readonly #nodeOf: NodeLookup;
  readonly #names: ReadonlySet<string>;
  /** Rule tests by document or shadow root, for the current event. */
  readonly #tests = new Map<unknown, RuleTest | undefined>();

  constructor(policy: MaskPolicy, nodeOf: NodeLookup) {
    this.#policy = policy;
    this.#nodeOf = nodeOf;
    this.#names = namesOfBlockRules(policy);
  }

  /** Forgets what the page looked like: blocked elements and stylesheets change between events. */
  startEvent(): void {
    this.#tests.clear();
  }

  /** `css` of node `id` (a `<style>`, a `<link>`, or the text inside a `<style>`), rewritten. */
  sheetText(id: number, css: string): string {
    return this.#rewrite(this.#testForRootOf(this.#nodeOf(id)), css);
  }

  /** A text change's new value: rewritten if the text node is a `<style>`'s. */
  textChange(id: number, value: string): string {
    const live = this.#nodeOf(id) as LiveNode | null | undefined;
    if (live && live.parentNode?.nodeName !== 'STYLE') return value;
    return this.#rewrite(this.#testForRootOf(live), value);
  }

  /** Rules inserted later, and a constructed stylesheet's new text. Edits `data` in place. */
  ruleChange(data: styleSheetRuleData): void {
    const test = this.#testForSheet(data.id);
    if (!test) return;
    data.adds?.forEach((add) => (add.rule = stripImageUrlsInRules(add.rule, test)));
    if (data.replace !== undefined) data.replace = stripImageUrlsInRules(data.replace, test);
    if (data.replaceSync !== undefined) {
      data.replaceSync = stripImageUrlsInRules(data.replaceSync, test);
    }
  }

  /** A declaration set through the CSSOM, judged by its rule's selector. Edits `data` in place. */
  declarationChange(data: styleDeclarationData): void {
    const set = data.set;
    if (!set?.value || !/url\(|image-set\(/i.test(set.value)) return;
    const test = this.#testForSheet(data.id);
    if (!test) return;
    const selector = this.#selectorAt(data.id, data.index);
    if (selector === undefined || test(selector)) set.value = stripImageUrls(set.value);
  }

  /** Constructed stylesheets adopted by a document or shadow root. Edits `data` in place. */
  adoption(data: adoptedStyleSheetData): void {
    const host = this.#nodeOf(data.id) as LiveNode | null | undefined;
    const scope = host?.nodeType === DOCUMENT_NODE ? host : host?.shadowRoot;
    const test = scope ? this.#testFor(scope) : EVERY_RULE;
    if (!test) return;
    for (const style of data.styles ?? []) {
      style.rules.forEach((rule) => (rule.rule = stripImageUrlsInRules(rule.rule, test)));
    }
  }

  #rewrite(test: RuleTest | undefined, css: string): string {
    return test ? stripImageUrlsInRules(css, test) : css;
  }

  /** The test for a stylesheet rrweb names by node id (a `<style>` or `<link>`), else unknown. */
  #testForSheet(id: number | undefined): RuleTest | undefined {
    return id === undefined ? EVERY_RULE : this.#testForRootOf(this.#nodeOf(id));
  }

  #testForRootOf(node: unknown): RuleTest | undefined {
    const root = (node as LiveNode | null | undefined)?.getRootNode?.();
    return root ? this.#testFor(root) : EVERY_RULE;
  }

  #testFor(root: unknown): RuleTest | undefined {
    if (!isScope(root)) return EVERY_RULE;
    if (!this.#tests.has(root)) {
      this.#tests.set(root, blockedRuleTest(root, this.#policy, this.#names));
    }
    return this.#tests.get(root);
  }

  /** The selector of the rule at `index` (a path through grouping rules) of node `id`'s sheet. */
  #selectorAt(id: number | undefined, index: readonly number[]): string | undefined {
    if (id === undefined) return undefined;
    const sheet = (this.#nodeOf(id) as LiveNode | null | undefined)?.sheet;
    let rule: RuleLike | undefined = sheet ? { cssRules: sheet.cssRules } : undefined;
    try {
      for (const position of index) rule = rule?.cssRules?.[position];
    } catch {
      return undefined;
    }
    return rule?.selectorText;
  }
}
