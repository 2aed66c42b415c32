/**
 * @module
 * The last privacy step on each rrweb event, before it leaves the recorder. rrweb's options
 * (`masking.ts`) do most of the work; this closes what they cannot:
 *
 * - **Blocked subtrees stay empty.** rrweb sends a blocked element as a same-size placeholder, but
 *   still serialises the document of a blocked `<iframe>` (on load) and nodes added later to a
 *   blocked shadow host's shadow root. Every node added under a placeholder is dropped here, and
 *   so is every later event about those nodes (mutations, input, scroll, selection).
 * - **Placeholders are visible, empty and in place.** A placeholder gets an inline grey
 *   background that beats any CSS background image its classes would bring, and the box its
 *   style attribute and children gave it (`placeholder.ts`: display, inline made `inline-block`
 *   so its `rr_width`/`rr_height` apply, position, float, collapsed margins): the agent sees a
 *   grey box where the element is.
 * - **URL parameters** named in `maskUrlParams` are masked in the Meta event's `href` and in
 *   `href`, `src`, `srcset`, `action`, `formaction`, `poster` and `cite` attributes.
 * - **Text attributes of masked text** (`title`, `alt`, `placeholder`, `aria-label`,
 *   `aria-description`, and a button input's `value`, its label) are masked where the element's
 *   text is.
 * - **Every attribute value inside a masked element** (a mask rule, not the mode) is masked but
 *   for presentational ones (`masked-attributes.ts`): `data-*`, `id`, `href`, `<option value>`…,
 *   in snapshots, added nodes and attribute changes alike.
 * - **A blocked `<picture>` image's sources**: the `<source>` elements next to a blocked `<img>`
 *   lose their `srcset` and `src`, which name the same image.
 * - **Elements that became blocked** after they were sent: attribute changes inside them (a new
 *   `src`, say) are dropped. (Their text and values are masked by rrweb's options already.)
 * - **No image address of a blocked element in CSS** (`stylesheet-policy.ts`): rules that draw
 *   a blocked element lose their `url()`s wherever CSS text travels (`_cssText`, `<style>` text,
 *   CSSOM rule inserts and declarations, adopted stylesheets).
 * - **`srcdoc` never leaves.** An iframe's `srcdoc` is its whole document as HTML, masked text and
 *   typed values included; rrweb records the document itself (masked) as the frame's content, so
 *   the attribute is dropped from snapshots and from attribute changes alike.
 * - **Masked choices look unchecked.** A radio button or checkbox whose answer is masked
 *   (`isMaskedChoice`: every one in `all_input` mode) loses `checked` in snapshots and attribute
 *   changes, and its input events are dropped whole, since which box changed is the answer.
 * - **A frame's document is sent once it has content.** A frame added later is attached by rrweb
 *   once before its document is parsed (empty) and again on `load`; the empty attach is dropped,
 *   or the agent's replayer would keep the empty one.
 */
import { EventType, IncrementalSource, type eventWithTime } from '@rrweb/types';
import {
  isBlockedElement,
  isInsideBlocked,
  isMaskedByRule,
  isMaskedChoice,
  isLabelInput,
  maskText,
  shouldMaskText,
  type MaskableElement,
  type MaskPolicy,
} from './masking.js';
import { hasMaskableAttribute, maskAttributesOfMaskedElement } from './masked-attributes.js';
import { NamedIds, idsNamedBySelectors } from './named-ids.js';
import { placeholderBoxStyle } from './placeholder.js';
import { StylesheetPolicy } from './stylesheet-policy.js';
import { maskSrcsetParams, maskUrlParams } from './url-params.js';

/** rrweb-snapshot's `NodeType.Document`. */
const DOCUMENT_NODE = 0;
/** rrweb-snapshot's `NodeType.Element`. */
const ELEMENT_NODE = 2;
/** rrweb-snapshot's `NodeType.Text`. */
const TEXT_NODE = 3;

const URL_ATTRIBUTES: ReadonlySet<string> = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'poster',
  'cite',
  'xlink:href',
  // rrweb's name for the `src` of an iframe whose document it cannot read (cross-origin).
  'rr_src',
]);

const TEXT_ATTRIBUTES: readonly string[] = [
  'title',
  'alt',
  'placeholder',
  'aria-label',
  'aria-description',
];

/**
 * The style every placeholder gets: a background that page CSS cannot turn into an image, and
 * border-box sizing, because `rr_width`/`rr_height` are the element's border box.
 */
const PLACEHOLDER_STYLE = 'background: #d5d9df !important; box-sizing: border-box !important;';

/** The SDK's own UI host: blocked, zero-size, and left as rrweb sends it. */
const SDK_HOST_TAG = 'sightline-ui';

type Attributes = Record<string, string | number | boolean | null | undefined>;

/** A serialised node as far as this step reads it. */
interface SerializedNode {
  type: number;
  id: number;
  tagName?: string;
  attributes?: Attributes;
  childNodes?: SerializedNode[];
  /** A text node's text; `isStyle` when it is a `<style>`'s (CSS). */
  textContent?: string;
  isStyle?: boolean;
}

interface AddedNode {
  parentId: number;
  node: SerializedNode;
}

interface MutationData {
  source: IncrementalSource.Mutation;
  adds: AddedNode[];
  removes: unknown[];
  texts: { id: number; value: string | null }[];
  attributes: { id: number; attributes: Attributes }[];
}

/** The live node rrweb recorded under an id (`record.mirror.getNode`), if it still exists. */
export type NodeLookup = (id: number) => unknown;

function idsOf(node: SerializedNode, into: Set<number>): void {
  into.add(node.id);
  node.childNodes?.forEach((child) => idsOf(child, into));
}

/**
 * A document without even an `<html>`: what rrweb attaches for a frame added with `srcdoc` (or a
 * `src` still loading) before the frame's own document is parsed. rrweb attaches the frame again on
 * `load`, under the same node id, and the agent's replayer skips a document id it already holds,
 * so sending the empty one first would leave the frame blank in the mirror for good.
 */
function isEmptyDocument(node: SerializedNode): boolean {
  return node.type === DOCUMENT_NODE && (node.childNodes?.length ?? 0) === 0;
}

function isPlaceholder(node: SerializedNode): boolean {
  return node.type === ELEMENT_NODE && node.attributes?.rr_width !== undefined;
}

/** Applies the policy to rrweb events, one recording at a time (ids are rrweb's, stable). */
export class EventPolicy {
  readonly #policy: MaskPolicy;
  readonly #nodeOf: NodeLookup;
  /** Ids of placeholders: nothing may be added under them. */
  readonly #placeholders = new Set<number>();
  /** Ids of nodes rrweb serialised under a placeholder, never sent. */
  readonly #hidden = new Set<number>();
  /** Image addresses of blocked elements out of every CSS text. */
  readonly #stylesheets: StylesheetPolicy;
  /** Ids the mask and block rules name. */
  readonly #idsOfRules: ReadonlySet<string>;
  /** Ids the page's developers named, read afresh for each event (stylesheets change). */
  #namedIds: NamedIds;

  constructor(policy: MaskPolicy, nodeOf: NodeLookup) {
    this.#policy = policy;
    this.#nodeOf = nodeOf;
    this.#idsOfRules = idsNamedBySelectors([...policy.maskSelectors, ...policy.blockSelectors]);
    this.#namedIds = new NamedIds(this.#idsOfRules);
    this.#stylesheets = new StylesheetPolicy(policy, nodeOf);
  }

  /** `event` made safe to send (edited in place), or `undefined` if nothing of it may leave. */
  apply(event: eventWithTime): eventWithTime | undefined {
    this.#namedIds = new NamedIds(this.#idsOfRules);
    this.#stylesheets.startEvent();
    if (event.type === EventType.Meta) {
      event.data.href = maskUrlParams(event.data.href, this.#policy.maskUrlParams);
      return event;
    }
    if (event.type === EventType.FullSnapshot) {
      this.#node(event.data.node as SerializedNode);
      return event;
    }
    if (event.type !== EventType.IncrementalSnapshot) return event;
    if (event.data.source === IncrementalSource.Mutation) {
      return this.#mutation(event.data as unknown as MutationData) ? event : undefined;
    }
    if (event.data.source === IncrementalSource.Input && this.#isMaskedChoice(event.data.id)) {
      // Which radio or checkbox changed is the answer itself: nothing of the event may leave.
      return undefined;
    }
    if (event.data.source === IncrementalSource.StyleSheetRule) {
      this.#stylesheets.ruleChange(event.data);
    } else if (event.data.source === IncrementalSource.StyleDeclaration) {
      this.#stylesheets.declarationChange(event.data);
    } else if (event.data.source === IncrementalSource.AdoptedStyleSheet) {
      this.#stylesheets.adoption(event.data);
    }
    return this.#mentionsHidden(event.data) ? undefined : event;
  }

  /** Whether node `id` is a radio or checkbox whose checked state is masked. */
  #isMaskedChoice(id: number): boolean {
    const live = this.#nodeOf(id) as MaskableElement | null | undefined;
    // Input on a node rrweb no longer knows cannot be replayed anyway: fail closed.
    return live ? isMaskedChoice(live, this.#policy) : true;
  }

  /** Whether a non-mutation event is about a hidden node (its `id`, or a selection range). */
  #mentionsHidden(data: object): boolean {
    if ('id' in data && typeof data.id === 'number' && this.#hidden.has(data.id)) return true;
    if ('ranges' in data && Array.isArray(data.ranges)) {
      return (data.ranges as { start: number; end: number }[]).some(
        (range) => this.#hidden.has(range.start) || this.#hidden.has(range.end),
      );
    }
    return false;
  }

  /** Filters and masks a mutation; false when nothing is left of it. */
  #mutation(data: MutationData): boolean {
    data.adds = data.adds.filter((add) => {
      if (isEmptyDocument(add.node)) return false;
      if (this.#placeholders.has(add.parentId) || this.#hidden.has(add.parentId)) {
        idsOf(add.node, this.#hidden);
        return false;
      }
      this.#node(add.node);
      return true;
    });
    data.texts = data.texts.filter((text) => !this.#hidden.has(text.id));
    data.texts.forEach((text) => {
      if (text.value) text.value = this.#stylesheets.textChange(text.id, text.value);
    });
    data.attributes = data.attributes.filter((change) => {
      if (this.#hidden.has(change.id)) return false;
      const live = this.#nodeOf(change.id) as MaskableElement | null | undefined;
      if (live && isInsideBlocked(live, this.#policy)) return false;
      if (this.#isBlockedSource(change.id)) return false;
      this.#attributes(change.id, change.attributes);
      return true;
    });
    return data.adds.length + data.removes.length + data.texts.length + data.attributes.length > 0;
  }

  /** Walks a serialised subtree: placeholders, URL and text attributes, stylesheets. */
  #node(node: SerializedNode): void {
    if (node.type === TEXT_NODE && node.isStyle && node.textContent) {
      node.textContent = this.#stylesheets.sheetText(node.id, node.textContent);
    }
    if (node.type === ELEMENT_NODE && node.attributes) {
      if (isPlaceholder(node)) {
        this.#placeholders.add(node.id);
        this.#placeholder(node);
        return;
      }
      if (node.tagName === 'source' && this.#isBlockedSource(node.id)) {
        delete node.attributes.srcset;
        delete node.attributes.src;
      }
      this.#attributes(node.id, node.attributes);
    }
    node.childNodes?.forEach((child) => this.#node(child));
  }

  /** Whether node `id` is a `<source>` of a `<picture>` whose `<img>` is blocked. */
  #isBlockedSource(id: number): boolean {
    const live = this.#nodeOf(id) as Element | null | undefined;
    if (live?.localName !== 'source' || live.parentElement?.localName !== 'picture') return false;
    const image = live.parentElement.querySelector(':scope > img');
    return image !== null && isBlockedElement(image, this.#policy);
  }

  #placeholder(node: SerializedNode): void {
    if (node.tagName === SDK_HOST_TAG || !node.attributes) return;
    const live = this.#nodeOf(node.id) as Element | null | undefined;
    const view = live?.ownerDocument?.defaultView;
    const box =
      live && view
        ? placeholderBoxStyle(live, (element) => view.getComputedStyle(element as Element))
        : '';
    node.attributes.style = `${PLACEHOLDER_STYLE}${box ? ` ${box}` : ''}`;
    node.childNodes = [];
  }

  #attributes(id: number, attributes: Attributes): void {
    const params = this.#policy.maskUrlParams;
    let element: MaskableElement | null | undefined;
    if (hasMaskableAttribute(attributes)) {
      element = (this.#nodeOf(id) as MaskableElement | null | undefined) ?? null;
      // A node rrweb no longer knows is masked: fail closed.
      if (!element) maskAttributesOfMaskedElement(attributes);
      else if (isMaskedByRule(element, this.#policy)) {
        const live = element;
        maskAttributesOfMaskedElement(attributes, (value) => this.#namedIds.named(live, value));
      }
    }
    for (const [name, value] of Object.entries(attributes)) {
      if (name === 'srcdoc') {
        delete attributes[name];
        continue;
      }
      if (name === '_cssText' && typeof value === 'string') {
        attributes[name] = this.#stylesheets.sheetText(id, value);
        continue;
      }
      // rrweb sends `checked` as the live state (snapshots) or the attribute (changes).
      if (name === 'checked') {
        element ??= (this.#nodeOf(id) as MaskableElement | null | undefined) ?? null;
        if (!element || isMaskedChoice(element, this.#policy)) delete attributes[name];
        continue;
      }
      if (typeof value !== 'string' || value === '') continue;
      if (params.length > 0 && URL_ATTRIBUTES.has(name)) {
        attributes[name] = maskUrlParams(value, params);
      } else if (params.length > 0 && name === 'srcset') {
        attributes[name] = maskSrcsetParams(value, params);
      } else if (TEXT_ATTRIBUTES.includes(name) || name === 'value') {
        element ??= (this.#nodeOf(id) as MaskableElement | null | undefined) ?? null;
        // Other values are input values: rrweb's maskInputFn has decided those.
        if (name === 'value' && !(element && isLabelInput(element))) continue;
        // A node rrweb no longer knows is masked: fail closed.
        if (!element || shouldMaskText(element, this.#policy)) attributes[name] = maskText(value);
      }
    }
  }
}
