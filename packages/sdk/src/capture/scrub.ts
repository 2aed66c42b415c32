/**
 * @module
 * PII detection on the page stream: one step every rrweb event goes through in the recorder's
 * emit path, before the batcher, so nothing reaches the socket unscrubbed. It masks what the
 * detectors (`privacy/pii/`) find in:
 * - text nodes, and CDATA and comments (full snapshots, added nodes, text mutations);
 * - attribute values (snapshots, added nodes, attribute mutations): `value` (as a typed value),
 *   `title`, `alt`, `placeholder`, `label`, `content`, `aria-*` and `data-*` as text; `href`,
 *   `src`, `srcset`, `action`, `formaction`, `poster`, `cite`, `data`, `xlink:href` as URLs;
 * - input events (as a typed value), and the Meta event's `href`;
 * - with a {@link TextInContext}, text nodes again in their page context (a number split over
 *   elements, `split-pii.ts`).
 *
 * Left alone on purpose: `id`, `class`, `name`, `for`, `style` and stylesheet text (masking them
 * would break the page's CSS), and text inside `<style>`.
 *
 * The scrubber never drops an event and never touches node ids or structure. It copies on write:
 * the objects rrweb emitted (which its mirror may still hold) are never modified, and an event
 * without PII is returned as it came. A detector that throws masks its whole string (fails closed).
 */
import {
  EventType,
  IncrementalSource,
  NodeType,
  type eventWithTime,
  type serializedNodeWithId,
} from '@rrweb/types';
import {
  DETECTOR_NAMES,
  maskPiiInText,
  maskPiiInTypedValue,
  maskPiiInUrl,
  type PiiDetection,
} from '../privacy/pii/redact.js';
import { isInlineTag } from './split-pii.js';

type Masker = (text: string, detection: PiiDetection) => string;

/**
 * A second look at a text node's text (already scanned on its own) in the context of the page
 * around it, by the node's rrweb id: `split-pii.ts`, for numbers split over elements.
 */
export type TextInContext = (id: number, text: string) => string;

/** Attributes whose values are read as text. `aria-*` and `data-*` are too. */
const TEXT_ATTRIBUTES: ReadonlySet<string> = new Set([
  'title',
  'alt',
  'placeholder',
  'label',
  'content',
  'summary',
  'abbr',
]);

/** Attributes whose values are URLs: only their path, query and fragment are scanned. */
const URL_ATTRIBUTES: ReadonlySet<string> = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'poster',
  'cite',
  'data',
  'background',
  'xlink:href',
]);

/** Elements whose `value` attribute is something the customer typed. */
const TYPED_VALUE_TAGS: ReadonlySet<string> = new Set(['input', 'textarea']);

/** A string masked by `mask`; if a detector throws, the whole string is masked. */
function safely(mask: Masker, text: string, detection: PiiDetection): string {
  try {
    return mask(text, detection);
  } catch {
    return text.replace(/\S/g, '*');
  }
}

function maskSrcset(srcset: string, detection: PiiDetection): string {
  return srcset
    .split(',')
    .map((candidate) => candidate.replace(/\S+/, (url) => maskPiiInUrl(url, detection)))
    .join(',');
}

/**
 * The masker for attribute `name`, or undefined if it is left alone. `tagName` is unknown for
 * attribute mutations; a `value` there is then treated as typed (the stricter reading).
 */
function attributeMasker(name: string, tagName: string | undefined): Masker | undefined {
  const lower = name.toLowerCase();
  if (lower === 'value') {
    return tagName === undefined || TYPED_VALUE_TAGS.has(tagName)
      ? maskPiiInTypedValue
      : maskPiiInText;
  }
  if (lower === 'srcset') return maskSrcset;
  if (URL_ATTRIBUTES.has(lower)) return maskPiiInUrl;
  if (TEXT_ATTRIBUTES.has(lower) || lower.startsWith('aria-') || lower.startsWith('data-')) {
    return maskPiiInText;
  }
  return undefined;
}

/** `attributes` with PII masked; the same object if nothing changed. */
function scrubAttributes<T extends Record<string, unknown>>(
  attributes: T,
  tagName: string | undefined,
  detection: PiiDetection,
): T {
  let copy: Record<string, unknown> | undefined;
  for (const name of Object.keys(attributes)) {
    const value = attributes[name];
    if (typeof value !== 'string') continue;
    const mask = attributeMasker(name, tagName);
    if (!mask) continue;
    const scrubbed = safely(mask, value, detection);
    if (scrubbed === value) continue;
    copy ??= { ...attributes };
    copy[name] = scrubbed;
  }
  return (copy as T | undefined) ?? attributes;
}

/** A serialized node (and its subtree) with PII masked; the same object if nothing changed. */
export function scrubNode(
  node: serializedNodeWithId,
  detection: PiiDetection,
  inContext?: TextInContext,
): serializedNodeWithId {
  switch (node.type) {
    case NodeType.Text:
    case NodeType.CDATA:
    case NodeType.Comment: {
      if (node.type === NodeType.Text && node.isStyle) return node;
      const text = node.textContent;
      if (typeof text !== 'string') return node;
      let scrubbed = safely(maskPiiInText, text, detection);
      if (inContext && node.type === NodeType.Text) scrubbed = inContext(node.id, scrubbed);
      return scrubbed === text
        ? node
        : ({ ...node, textContent: scrubbed } as serializedNodeWithId);
    }
    case NodeType.Element: {
      const attributes = node.attributes
        ? scrubAttributes(node.attributes, node.tagName?.toLowerCase(), detection)
        : node.attributes;
      const childNodes = scrubChildren(node.childNodes, detection, inContext, node.tagName);
      if (attributes === node.attributes && childNodes === node.childNodes) return node;
      return { ...node, attributes, childNodes };
    }
    case NodeType.Document: {
      const childNodes = scrubChildren(node.childNodes, detection, inContext);
      return childNodes === node.childNodes ? node : { ...node, childNodes };
    }
    default:
      return node;
  }
}

function scrubChildren(
  children: serializedNodeWithId[] | undefined,
  detection: PiiDetection,
  inContext: TextInContext | undefined,
  parentTag?: string,
): serializedNodeWithId[] {
  if (!Array.isArray(children)) return children as unknown as serializedNodeWithId[];
  // A text alone in a block (a table cell, say) has nothing around it to be joined with.
  const textContext =
    children.length > 1 || (parentTag !== undefined && isInlineTag(parentTag))
      ? inContext
      : undefined;
  let copy: serializedNodeWithId[] | undefined;
  for (let i = 0; i < children.length; i += 1) {
    const child = children[i] as serializedNodeWithId;
    const context = child.type === NodeType.Text ? textContext : inContext;
    const scrubbed = scrubNode(child, detection, context);
    if (scrubbed === child) continue;
    copy ??= children.slice();
    copy[i] = scrubbed;
  }
  return copy ?? children;
}

/** `list` mapped by `scrub`; the same array if no item changed. */
function mapSame<T>(list: T[], scrub: (item: T) => T): T[] {
  let copy: T[] | undefined;
  for (let i = 0; i < list.length; i += 1) {
    const item = list[i] as T;
    const scrubbed = scrub(item);
    if (scrubbed === item) continue;
    copy ??= list.slice();
    copy[i] = scrubbed;
  }
  return copy ?? list;
}

type MutationData = Extract<
  Extract<eventWithTime, { type: EventType.IncrementalSnapshot }>['data'],
  { source: IncrementalSource.Mutation }
>;

function scrubMutation(
  data: MutationData,
  detection: PiiDetection,
  inContext: TextInContext | undefined,
): MutationData {
  const texts = Array.isArray(data.texts)
    ? mapSame(data.texts, (text) => {
        if (typeof text.value !== 'string') return text;
        let value = safely(maskPiiInText, text.value, detection);
        if (inContext) value = inContext(text.id, value);
        return value === text.value ? text : { ...text, value };
      })
    : data.texts;
  const attributes = Array.isArray(data.attributes)
    ? mapSame(data.attributes, (change) => {
        const scrubbed = scrubAttributes(change.attributes, undefined, detection);
        return scrubbed === change.attributes ? change : { ...change, attributes: scrubbed };
      })
    : data.attributes;
  const adds = Array.isArray(data.adds)
    ? mapSame(data.adds, (add) => {
        const node = scrubNode(add.node, detection, inContext);
        return node === add.node ? add : { ...add, node };
      })
    : data.adds;
  if (texts === data.texts && attributes === data.attributes && adds === data.adds) return data;
  return { ...data, texts, attributes, adds };
}

/**
 * `event` with every PII match masked by the detectors that are on, and, with `inContext`, each
 * text node's text looked at again in its context. Never throws (as long as `inContext` does
 * not), never drops the event, never changes a node id; returns `event` itself when nothing was
 * found.
 */
export function scrubEvent(
  event: eventWithTime,
  detection: PiiDetection,
  inContext?: TextInContext,
): eventWithTime {
  if (!DETECTOR_NAMES.some((name) => detection[name])) return event;
  switch (event.type) {
    case EventType.FullSnapshot: {
      const node = scrubNode(event.data.node, detection, inContext);
      return node === event.data.node ? event : { ...event, data: { ...event.data, node } };
    }
    case EventType.Meta: {
      const { href } = event.data;
      if (typeof href !== 'string') return event;
      const scrubbed = safely(maskPiiInUrl, href, detection);
      return scrubbed === href ? event : { ...event, data: { ...event.data, href: scrubbed } };
    }
    case EventType.IncrementalSnapshot: {
      const data = event.data;
      if (data.source === IncrementalSource.Mutation) {
        const scrubbed = scrubMutation(data, detection, inContext);
        return scrubbed === data ? event : { ...event, data: scrubbed };
      }
      if (data.source === IncrementalSource.Input && typeof data.text === 'string') {
        const text = safely(maskPiiInTypedValue, data.text, detection);
        return text === data.text ? event : { ...event, data: { ...data, text } };
      }
      return event;
    }
    default:
      return event;
  }
}
