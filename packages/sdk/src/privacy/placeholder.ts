/**
 * @module
 * The box a blocked element's placeholder keeps. rrweb sends a blocked element with its class,
 * its measured border box (`rr_width`, `rr_height`, which the replayer sets as the width and
 * height) and nothing else: not its `style` attribute, and not its children. The mirror then
 * lays the empty element out from the page's class rules alone, which loses what the style
 * attribute or the children gave it:
 *
 * - **display.** A custom element is inline unless styled; one sized by `style="display: block;
 *   width: …"` became an inline box that ignores width and height (0×0). The placeholder gets the
 *   element's computed display, `inline` turned into `inline-block` so its size applies.
 * - **position and float**, when the style attribute set them.
 * - **margins**, with those of first and last children that collapsed through the element: a
 *   `<p>` at the top of a blocked container (or of its shadow root) pushes the container down by
 *   its margin on the customer's page; the empty placeholder has no `<p>`, so the margin is
 *   written on it. Whether a child's margin collapsed through is read from the layout (the
 *   child's border edge touches the element's content edge), not re-derived from the CSS rules.
 *
 * Everything is read from the live element when rrweb serialises it; later changes to it reach
 * the mirror only with the next full snapshot.
 */

/** The computed style properties this module reads. */
export interface ComputedBox {
  readonly display: string;
  readonly position: string;
  readonly float?: string;
  readonly cssFloat?: string;
  readonly top: string;
  readonly right: string;
  readonly bottom: string;
  readonly left: string;
  readonly marginTop: string;
  readonly marginRight: string;
  readonly marginBottom: string;
  readonly marginLeft: string;
  readonly paddingTop: string;
  readonly paddingBottom: string;
  readonly borderTopWidth: string;
  readonly borderBottomWidth: string;
}

/** An element as far as this module reads it. `Element` satisfies it. */
export interface BoxElement {
  getBoundingClientRect(): { top: number; bottom: number };
  readonly children: ArrayLike<BoxElement>;
  readonly shadowRoot?: { readonly children: ArrayLike<BoxElement> } | null;
}

/** Reads an element's computed style (`getComputedStyle`). */
export type StyleOf = (element: BoxElement) => ComputedBox;

/** How many levels of first or last children a collapsing margin is followed through. */
const MAX_DEPTH = 8;

const px = (value: string): number => Number.parseFloat(value) || 0;

/** Two adjoining margins as CSS collapses them: the largest positive plus the most negative. */
function collapse(a: number, b: number): number {
  return Math.max(a, b, 0) + Math.min(a, b, 0);
}

/** Whether `style` takes its element out of the flow, so its margins collapse with nothing. */
function outOfFlow(style: ComputedBox): boolean {
  const float = style.cssFloat ?? style.float ?? 'none';
  return (
    style.display === 'none' ||
    style.position === 'absolute' ||
    style.position === 'fixed' ||
    float !== 'none'
  );
}

/** The children the element renders: its open shadow root's, else its own, in flow. */
function inFlowChildren(element: BoxElement, styleOf: StyleOf): BoxElement[] {
  const children = Array.from(element.shadowRoot?.children ?? element.children);
  return children.filter((child) => !outOfFlow(styleOf(child)));
}

/** The margin on `side` of `element`, with its first or last child's if that one collapsed through. */
function effectiveMargin(
  element: BoxElement,
  side: 'top' | 'bottom',
  styleOf: StyleOf,
  depth: number,
): number {
  const style = styleOf(element);
  const own = px(side === 'top' ? style.marginTop : style.marginBottom);
  // Only a block in a block formatting context lets its children's margins through.
  if (depth >= MAX_DEPTH || (style.display !== 'block' && style.display !== 'list-item')) {
    return own;
  }
  const children = inFlowChildren(element, styleOf);
  const child = side === 'top' ? children[0] : children[children.length - 1];
  if (!child) return own;
  const inset =
    side === 'top'
      ? px(style.borderTopWidth) + px(style.paddingTop)
      : px(style.borderBottomWidth) + px(style.paddingBottom);
  const outer = element.getBoundingClientRect();
  const inner = child.getBoundingClientRect();
  const gap = side === 'top' ? inner.top - outer.top : outer.bottom - inner.bottom;
  // The child's border edge on the element's content edge, with nothing between: whatever margin
  // the child has lies outside the element. (A gap also means content or a margin inside.)
  if (inset > 0 || Math.abs(gap) > 0.5) return own;
  return collapse(own, effectiveMargin(child, side, styleOf, depth + 1));
}

/**
 * The inline style that keeps `element`'s box for its placeholder (without the placeholder's
 * own look, which `event-policy.ts` adds): display, position and float, and margins.
 */
export function placeholderBoxStyle(element: BoxElement, styleOf: StyleOf): string {
  const style = styleOf(element);
  const display = style.display === 'inline' ? 'inline-block' : style.display;
  const parts = [`display: ${display}`];
  if (style.position !== 'static') {
    parts.push(`position: ${style.position}`);
    for (const side of ['top', 'right', 'bottom', 'left'] as const) {
      parts.push(`${side}: ${style[side]}`);
    }
  }
  const float = style.cssFloat ?? style.float ?? 'none';
  if (float !== 'none') parts.push(`float: ${float}`);
  const top = effectiveMargin(element, 'top', styleOf, 0);
  const bottom = effectiveMargin(element, 'bottom', styleOf, 0);
  parts.push(`margin: ${top}px ${style.marginRight} ${bottom}px ${style.marginLeft}`);
  // Not `!important`: a page rule that insists (`!important`) on its own box still wins, as it
  // would on the customer's page.
  return parts.map((part) => `${part};`).join(' ');
}
