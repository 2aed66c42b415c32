/**
 * @module
 * PII detection across elements: card widgets and account pages often render a number one group
 * per element (`<span>4111</span> <span>1111</span> …`, `SSN <b>078</b>-<b>05</b>-<b>1120</b>`),
 * so no single text node holds a match, yet the agent reads the number whole. For a text node
 * that looks like such a group (short, at least half digits, only letters, digits and
 * separators), this reads the run of inline text around it in the live page (up to the nearest
 * element that is not inline, such as the `<p>`; a block or replaced element inside breaks the
 * run), runs the detectors on the run, and masks the node's share of any match.
 *
 * It runs wherever a text node is sent (snapshots, added nodes, text changes; `scrub.ts` calls it),
 * on the live DOM at that moment. Limits: inline is judged by tag name, not by CSS (a `<div>`
 * styled inline breaks the run; a `<span>` styled as a block does not); a run is read up to
 * {@link MAX_RUN_NODES} nodes; and groups sent before the number was complete (a number typed
 * into separate elements one group at a time) stay as they were sent, so the agent may see all
 * but the last group of it.
 */
import { maskPiiInText, type PiiDetection } from '../privacy/pii/redact.js';

/** A live DOM node as far as this module reads it. */
export interface RunNode {
  readonly nodeType: number;
  /** A text node's text. */
  readonly data?: string;
  /** An element's tag name, lower case. */
  readonly localName?: string;
  readonly parentNode: RunNode | null;
  readonly childNodes: ArrayLike<RunNode>;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/** Elements that flow inline by default and hold text. */
const INLINE: ReadonlySet<string> = new Set([
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'cite',
  'code',
  'data',
  'del',
  'dfn',
  'em',
  'font',
  'i',
  'ins',
  'kbd',
  'label',
  'mark',
  'output',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'time',
  'u',
  'var',
]);

/** How many nodes of a run are read at most, so a huge paragraph costs a bounded amount. */
export const MAX_RUN_NODES = 200;

/** Text that could be one group of a split number: short, no other punctuation. */
const GROUP = /^[\s\p{L}\p{N}\p{Pd}./()+]{1,12}$/u;

/**
 * Whether `text` could be a group: short, only group characters, at least half digits. Called
 * for every text node sent, so the length test comes first.
 */
export function isGroup(text: string): boolean {
  if (text.length > 12 || !GROUP.test(text)) return false;
  let digits = 0;
  let other = 0;
  for (const char of text) {
    if (char >= '0' && char <= '9') digits += 1;
    else if (char.trim() !== '') other += 1;
  }
  return digits > 0 && digits >= other;
}

/** Whether elements named `tagName` flow inline by default (and so join the text around). */
export function isInlineTag(tagName: string): boolean {
  return INLINE.has(tagName.toLowerCase());
}

function isInline(node: RunNode): boolean {
  return node.nodeType === ELEMENT_NODE && INLINE.has(node.localName ?? '');
}

/** The nearest ancestor of `text` that is not an inline element. */
function containerOf(text: RunNode): RunNode | null {
  let at = text.parentNode;
  while (at && isInline(at)) at = at.parentNode;
  return at;
}

/**
 * The text nodes of the inline run around `text` inside `container`: `null` if `text` is not
 * among the first {@link MAX_RUN_NODES} nodes read.
 */
function runAround(text: RunNode, container: RunNode): RunNode[] | null {
  let current: RunNode[] = [];
  let found: RunNode[] | null = null;
  let seen = 0;
  let done = false;
  const walk = (node: RunNode): void => {
    for (let i = 0; i < node.childNodes.length && !done; i += 1) {
      const child = node.childNodes[i] as RunNode;
      if ((seen += 1) > MAX_RUN_NODES) {
        done = true;
      } else if (child.nodeType === TEXT_NODE) {
        current.push(child);
        if (child === text) found = current;
      } else if (isInline(child)) {
        walk(child);
      } else if (child.nodeType === ELEMENT_NODE) {
        // A block, a line break or a replaced element: the run ends here.
        if (found) done = true;
        current = [];
      }
    }
  };
  walk(container);
  return found;
}

/**
 * `text` (what is about to be sent for the live text node `live`) with its share of any PII match
 * that spans the inline run around it masked; `text` itself when there is none. A detector that
 * throws masks the whole text (fails closed).
 */
export function maskAcrossElements(text: string, live: RunNode, detection: PiiDetection): string {
  if (!isGroup(text)) return text;
  // The common case, a number alone in its cell: nothing around it to join.
  const parent = live.parentNode;
  if (parent && !isInline(parent) && parent.childNodes.length === 1) return text;
  const container = containerOf(live);
  const run = container ? runAround(live, container) : null;
  if (!run || run.length < 2) return text;
  // The run as it reads on screen: every run of whitespace one space (a newline between two
  // <span>s in the page's source shows as a space). `mine` maps this node's characters into it.
  let joined = '';
  const mine: number[] = [];
  for (const node of run) {
    for (const char of node.data ?? '') {
      const space = /\s/.test(char);
      if (space && (joined === '' || joined.endsWith(' '))) {
        if (node === live) mine.push(-1);
        continue;
      }
      if (node === live) mine.push(joined.length);
      joined += space ? ' ' : char;
    }
  }
  const own = live.data ?? '';
  let masked: string;
  try {
    masked = maskPiiInText(joined, detection);
  } catch {
    return text.replace(/\S/g, '*');
  }
  const share = Array.from(own, (char, i) => {
    const index = mine[i] ?? -1;
    return index >= 0 && masked[index] === '*' && joined[index] !== '*' ? '*' : char;
  }).join('');
  if (share === own) return text;
  // What is sent is not what the page holds (it changed since): mask it whole.
  return own === text ? share : text.replace(/\S/g, '*');
}
