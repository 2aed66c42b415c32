/**
 * @module
 * Where an element sits as the customer sees it, for masking decisions: a selector that matches an
 * ancestor covers the element, and "ancestor" follows what the page renders, not only the DOM
 * tree. From an element the walk steps
 *
 * - up the DOM (`closest`);
 * - out of a shadow root to its host, and out of a same-origin iframe's document to its
 *   `<iframe>`;
 * - from light DOM slotted into a shadow root to its `<slot>`, so a web component that masks its
 *   own template (`<b data-sightline-mask><slot></slot></b>`) masks what the page puts in it,
 *   although that content's DOM parent is the host.
 *
 * Every step fails closed: a selector the browser rejects counts as a match.
 */

/**
 * The part of a DOM element the walk reads. `HTMLElement` satisfies it; tests pass plain objects.
 * `closest` has DOM semantics: the element itself or an ancestor matches.
 */
export interface TreeElement {
  closest(selector: string): unknown;
  /** Lets the walk step out of a shadow root (its `host`) or an iframe's document. */
  getRootNode?(): unknown;
  /** The `<slot>` this element is rendered in, if its parent is a shadow host. */
  readonly assignedSlot?: TreeElement | null;
  readonly parentElement?: TreeElement | null;
  /** An open shadow root: text directly inside a host is rendered in its default slot. */
  readonly shadowRoot?: { querySelector(selector: string): unknown } | null;
}

/** The element a shadow root or an iframe's document hangs from, if `element` is inside one. */
function outerElement(element: TreeElement): TreeElement | null {
  const root = element.getRootNode?.() as
    { host?: TreeElement; defaultView?: { frameElement?: TreeElement | null } | null } | undefined;
  if (!root) return null;
  if (root.host) return root.host;
  try {
    return root.defaultView?.frameElement ?? null;
  } catch {
    return null;
  }
}

/**
 * The `<slot>` that `element` or its nearest slotted ancestor in the same tree is rendered in.
 * Only a shadow host's children are assigned to slots, so the walk reads one property per
 * ancestor and nothing else on pages without shadow DOM.
 */
function slotAbove(element: TreeElement): TreeElement | null {
  for (let at: TreeElement | null | undefined = element; at; at = at.parentElement) {
    const slot = at.assignedSlot;
    if (slot) return slot;
  }
  return null;
}

/**
 * Whether `element` or an ancestor matches `selector`, looking out of shadow roots, slots and
 * same-origin iframes. A selector the browser rejects counts as a match: masking fails closed.
 */
export function within(element: TreeElement, selector: string): boolean {
  for (let at: TreeElement | null = element; at; at = outerElement(at)) {
    try {
      if (at.closest(selector) != null) return true;
    } catch {
      return true;
    }
    const slot = slotAbove(at);
    if (slot && within(slot, selector)) return true;
  }
  return false;
}

/**
 * The `<slot>` text directly inside `host` is rendered in: its open shadow root's default slot
 * (text cannot name a slot). `null` if `host` is not an open shadow host or has no default slot,
 * in which case such text is not rendered at all.
 */
export function defaultSlotOf(host: TreeElement): TreeElement | null {
  const shadow = host.shadowRoot;
  if (!shadow) return null;
  return (shadow.querySelector('slot:not([name]), slot[name=""]') as TreeElement | null) ?? null;
}
