/**
 * @module
 * The small SVG toolkit the layer draws with: element creation in the layer's own document (the
 * console's, not the mirror frame's), attribute writes that skip unchanged values (the layer
 * re-lays out every frame, and a write that changes nothing should cost nothing), and the author
 * tag every annotation and pointer carries.
 */
import type { Point } from './anchoring.js';

/** The SVG namespace. */
export const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element of `tag` in `doc`, with `attributes`. */
export function svgElement<K extends keyof SVGElementTagNameMap>(
  doc: Document,
  tag: K,
  attributes: Record<string, string | number> = {},
): SVGElementTagNameMap[K] {
  const element = doc.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

/** A coordinate as written to the DOM: to a tenth of a pixel, so sub-pixel jitter writes nothing. */
export function coordinate(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** Sets `name` on `element` unless it already has that value. */
export function setAttr(element: Element, name: string, value: string | number): void {
  const text = typeof value === 'number' ? coordinate(value) : value;
  if (element.getAttribute(name) !== text) element.setAttribute(name, text);
}

/** `points` as an SVG `points` list. */
export function pointList(points: readonly Point[]): string {
  return points.map((p) => `${coordinate(p.x)},${coordinate(p.y)}`).join(' ');
}

/** Black or white, whichever reads better on `#rrggbb` (WCAG relative luminance). */
export function textColorOn(hex: string): string {
  const channel = (offset: number) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  // The luminance at which black and white text have equal contrast.
  return luminance > 0.179 ? '#111111' : '#ffffff';
}

/** Colours for pointers, whose frames carry none; the console's defaults for agents, in order. */
const AUTHOR_COLORS: readonly string[] = [
  '#e5484d',
  '#0090ff',
  '#30a46c',
  '#f76b15',
  '#8e4ec6',
  '#d6409f',
  '#12a594',
  '#ffc53d',
];

/** A participant's colour from their user id: the same on every screen. */
export function authorColor(userId: string): string {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return AUTHOR_COLORS[hash % AUTHOR_COLORS.length] ?? '#e5484d';
}

const TAG_FONT_PX = 11;
const TAG_PAD_X = 4;
const TAG_HEIGHT = 16;

/**
 * A small name tag in the author's colour. It is measured once, the first time it is shown, so
 * laying it out later costs no text measurement.
 */
export class AuthorTag {
  /** The tag's element, to append where it belongs. */
  readonly element: SVGGElement;
  readonly #background: SVGRectElement;
  readonly #text: SVGTextElement;
  #width: number | undefined;

  constructor(doc: Document, name: string, color: string) {
    this.element = svgElement(doc, 'g', { class: 'sl-tag' });
    this.#background = svgElement(doc, 'rect', {
      rx: 3,
      height: TAG_HEIGHT,
      fill: color,
      'fill-opacity': 0.9,
    });
    this.#text = svgElement(doc, 'text', {
      fill: textColorOn(color),
      'font-size': TAG_FONT_PX,
      'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      x: TAG_PAD_X,
      y: TAG_HEIGHT - 4,
    });
    this.#text.textContent = name;
    this.element.append(this.#background, this.#text);
  }

  /** Puts the tag's bottom-left corner just above and left of `point`, or right of it. */
  place(point: Point, side: 'above' | 'right' = 'above'): void {
    if (this.#width === undefined) {
      const measured = this.#text.getComputedTextLength();
      // Not laid out yet (hidden): measure again next time.
      if (measured > 0) {
        this.#width = measured + TAG_PAD_X * 2;
        setAttr(this.#background, 'width', this.#width);
      }
    }
    const x = side === 'above' ? point.x - 2 : point.x + 14;
    const y = side === 'above' ? point.y - TAG_HEIGHT - 4 : point.y + 10;
    setAttr(this.element, 'transform', `translate(${coordinate(x)} ${coordinate(y)})`);
  }
}
