/**
 * @module
 * Image addresses out of chosen CSS rules, working on CSS text as rrweb sends it (a `<style>`'s
 * `_cssText`, a rule inserted later, a constructed stylesheet's text). A blocked element's
 * picture can come from a stylesheet rule (`.id-front { background-image: url(scan-of-card.png) }`)
 * rather than from its own attributes, and the rule's text travels with the stylesheet. Pure: which
 * rules are about blocked elements is the caller's question (`blocked-css.ts`).
 *
 * The walk understands comments, strings, nested blocks, grouping at-rules (`@media`,
 * `@supports`, `@layer`, `@container`, `@scope`, `@document`, `@starting-style`) and CSS nesting (a
 * nested rule's `&` stands for its parent's selector). Other at-rules (`@font-face`, `@keyframes`,
 * `@page`, `@import`) are left as they are. CSS it cannot make sense of (an unclosed block) has
 * every image address removed: it fails closed.
 */

/** Decides whether the rule with this selector list loses its image addresses. */
export type RuleTest = (selectorText: string) => boolean;

/** At-rules whose block holds rules, not declarations. */
const GROUPING =
  /^@(?:-webkit-)?(?:media|supports|layer|container|scope|document|starting-style)\b/i;

/** The index just past the string that opens at `start` (quote included), or the text's end. */
function skipString(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === quote) return i + 1;
  }
  return text.length;
}

/** The index just past the comment that opens at `start`, or the text's end. */
function skipComment(text: string, start: number): number {
  const end = text.indexOf('*/', start + 2);
  return end === -1 ? text.length : end + 2;
}

/** The index of the `)` that closes the function whose `(` is at `open`; -1 if none. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"' || c === "'") i = skipString(text, i) - 1;
    else if (c === '(') depth += 1;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/**
 * `css` with every `url(…)` and `image-set(…)` replaced by `none`, so no image address is left in
 * it (a string that merely contains "url(" is not one). An unclosed one takes the rest of the
 * text with it.
 */
export function stripImageUrls(css: string): string {
  if (!/url\(|image-set\(/i.test(css)) return css;
  let out = '';
  let from = 0;
  for (let i = 0; i < css.length; i += 1) {
    const c = css[i];
    if (c === '/' && css[i + 1] === '*') {
      i = skipComment(css, i) - 1;
    } else if (c === '"' || c === "'") {
      i = skipString(css, i) - 1;
    } else if (c === '(') {
      const name = /(?:^|[^-\w])((?:-webkit-)?image-set|url)$/i.exec(
        css.slice(Math.max(0, i - 20), i),
      );
      if (!name) continue;
      const start = i - (name[1] as string).length;
      const close = closingParen(css, i);
      out += `${css.slice(from, start)}none`;
      if (close === -1) return out;
      from = close + 1;
      i = close;
    }
  }
  return out + css.slice(from);
}

/** Where the next `{`, `;` or `}` at this level is, past comments and strings; -1 if none. */
function nextDelimiter(text: string, from: number): number {
  for (let i = from; i < text.length; i += 1) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '*') i = skipComment(text, i) - 1;
    else if (c === '"' || c === "'") i = skipString(text, i) - 1;
    else if (c === '{' || c === ';' || c === '}') return i;
  }
  return -1;
}

/** The index of the `}` that closes the block whose `{` is at `open`; -1 if none. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '*') i = skipComment(text, i) - 1;
    else if (c === '"' || c === "'") i = skipString(text, i) - 1;
    else if (c === '{') depth += 1;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/** A nested rule's selector with `&` (or, without one, a descendant of) its parent's. */
function resolveNested(selector: string, parent: string | undefined): string {
  if (parent === undefined) return selector;
  const within = `:is(${parent})`;
  return selector.includes('&') ? selector.replaceAll('&', within) : `${within} ${selector}`;
}

/** The prelude without its comments, trimmed. */
function preludeOf(text: string): string {
  return text.replace(/\/\*[\s\S]*?(\*\/|$)/g, '').trim();
}

/** Rewrites the rules in `text` (a stylesheet or a block's contents); `parent` for nesting. */
function rewriteRules(text: string, test: RuleTest, parent: string | undefined): string {
  let out = '';
  let at = 0;
  while (at < text.length) {
    const delimiter = nextDelimiter(text, at);
    if (delimiter === -1 || text[delimiter] !== '{') {
      // A declaration, a statement at-rule or the end: kept as it is.
      const end = delimiter === -1 ? text.length : delimiter + 1;
      out += text.slice(at, end);
      at = end;
      continue;
    }
    const close = closingBrace(text, delimiter);
    if (close === -1) return out + stripImageUrls(text.slice(at));
    const prelude = preludeOf(text.slice(at, delimiter));
    const body = text.slice(delimiter + 1, close);
    let rewritten: string;
    if (prelude.startsWith('@')) {
      rewritten = GROUPING.test(prelude) ? rewriteRules(body, test, parent) : body;
    } else {
      const selector = resolveNested(prelude, parent);
      rewritten = test(selector) ? stripImageUrls(body) : rewriteRules(body, test, selector);
    }
    out += `${text.slice(at, delimiter + 1)}${rewritten}}`;
    at = close + 1;
  }
  return out;
}

/**
 * `css` with the image addresses of every style rule `test` picks replaced by `none`; other rules,
 * and the text around them, unchanged. Returns `css` itself when it holds no image address.
 */
export function stripImageUrlsInRules(css: string, test: RuleTest): string {
  if (!/url\(|image-set\(/i.test(css)) return css;
  return rewriteRules(css, test, undefined);
}
