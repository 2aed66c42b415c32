/**
 * @module
 * One annotation in SVG: the tool's drawing and its author's tag, laid out from a {@link Shape}.
 * A spotlight also cuts its region out of the layer's shared dimming mask, so several spotlights
 * leave each of their regions clear.
 */
import type { AuthoredAnnotation } from '@sightline/protocol';
import type { BoxLike } from './anchoring.js';
import type { Shape } from './geometry.js';
import { AuthorTag, coordinate, pointList, setAttr, svgElement } from './svg.js';

/** A text label's font size for a stroke `width`, before the layer's scale. */
export function labelFontSize(width: number): number {
  return Math.min(76, 12 + 2 * width);
}

const LABEL_PAD = 6;

/** The SVG of one annotation. */
export class AnnotationView {
  /** The annotation shown, with its author. */
  readonly item: AuthoredAnnotation;
  /** The view's root, in the layer's shapes group. */
  readonly group: SVGGElement;
  readonly #doc: Document;
  readonly #tag: AuthorTag;
  readonly #drawing: SVGElement;
  readonly #hole: SVGRectElement | undefined;
  #label: { background: SVGRectElement; text: SVGTextElement; measuredAt?: string } | undefined;
  #labelSize: { width: number; height: number } | undefined;
  #labelBox: BoxLike | undefined;
  #visible = true;

  /** `holes` is the dimming mask's group, where a spotlight puts its clear region. */
  constructor(doc: Document, item: AuthoredAnnotation, holes: SVGGElement) {
    this.#doc = doc;
    this.item = item;
    const { annotation } = item;
    this.group = svgElement(doc, 'g', {
      class: `sl-annotation sl-${annotation.tool}`,
      'data-annotation-id': annotation.id,
    });
    this.#drawing = this.#createDrawing();
    this.#tag = new AuthorTag(doc, item.author.userName, annotation.color);
    this.group.append(this.#drawing, this.#tag.element);
    if (annotation.tool === 'spotlight') {
      this.#hole = svgElement(doc, 'rect', { fill: 'black', rx: 4 });
      holes.append(this.#hole);
    }
  }

  /** Whether the view is shown (its anchor was found in the last layout). */
  get visible(): boolean {
    return this.#visible;
  }

  /** Whether this is a spotlight that is shown. */
  get dims(): boolean {
    return this.#hole !== undefined && this.#visible;
  }

  /** The label's box in the layer (text labels), as last laid out. */
  get labelBox(): BoxLike | undefined {
    return this.#labelBox;
  }

  /** Shows the annotation as `shape`, at `opacity`, with strokes grown by `scale`. */
  update(shape: Shape, opacity: number, scale: number): void {
    if (!this.#visible) {
      this.#visible = true;
      this.group.removeAttribute('display');
      this.#hole?.removeAttribute('display');
    }
    const { annotation } = this.item;
    setAttr(this.group, 'opacity', opacity >= 1 ? '1' : opacity.toFixed(3));
    setAttr(this.#drawing, 'stroke-width', annotation.width * scale);
    switch (shape.kind) {
      case 'path': {
        // A single point still shows, as a dot: a zero-length line with round caps.
        const points =
          shape.points.length === 1 ? [shape.points[0], shape.points[0]] : shape.points;
        setAttr(this.#drawing, 'points', pointList(points.filter((p) => p !== undefined)));
        this.#tag.place(shape.points[0] ?? { x: 0, y: 0 });
        return;
      }
      case 'box': {
        const { left, top, width, height } = shape.box;
        if (shape.tool === 'ellipse') {
          setAttr(this.#drawing, 'cx', left + width / 2);
          setAttr(this.#drawing, 'cy', top + height / 2);
          setAttr(this.#drawing, 'rx', width / 2);
          setAttr(this.#drawing, 'ry', height / 2);
        } else {
          for (const target of [this.#drawing, this.#hole]) {
            if (!target) continue;
            setAttr(target, 'x', left);
            setAttr(target, 'y', top);
            setAttr(target, 'width', width);
            setAttr(target, 'height', height);
          }
        }
        this.#tag.place({ x: left, y: top });
        return;
      }
      case 'arrow': {
        const [line, head] = this.#drawing.children;
        if (line) {
          setAttr(line, 'x1', shape.from.x);
          setAttr(line, 'y1', shape.from.y);
          setAttr(line, 'x2', shape.to.x);
          setAttr(line, 'y2', shape.to.y);
        }
        if (head) setAttr(head, 'points', pointList(shape.head));
        this.#tag.place(shape.from);
        return;
      }
      case 'text':
        this.#layOutLabel(shape.at, scale);
        return;
    }
  }

  /** Hides the annotation (its anchor is gone), keeping it for when the anchor returns. */
  hide(): void {
    if (!this.#visible) return;
    this.#visible = false;
    this.group.setAttribute('display', 'none');
    this.#hole?.setAttribute('display', 'none');
    this.#labelBox = undefined;
  }

  /** Removes the view's elements. */
  remove(): void {
    this.group.remove();
    this.#hole?.remove();
  }

  #createDrawing(): SVGElement {
    const { annotation } = this.item;
    const stroke = {
      stroke: annotation.color,
      fill: 'none',
      'stroke-linecap': 'round',
      'stroke-linejoin': 'round',
    };
    switch (annotation.tool) {
      case 'pen':
      case 'vanishing_pen':
        return svgElement(this.#doc, 'polyline', stroke);
      case 'rectangle':
        return svgElement(this.#doc, 'rect', { ...stroke, rx: 2 });
      case 'spotlight':
        return svgElement(this.#doc, 'rect', { ...stroke, rx: 4, 'stroke-dasharray': '6 4' });
      case 'ellipse':
        return svgElement(this.#doc, 'ellipse', stroke);
      case 'arrow': {
        const arrow = svgElement(this.#doc, 'g', stroke);
        arrow.append(
          svgElement(this.#doc, 'line'),
          svgElement(this.#doc, 'polygon', { fill: annotation.color }),
        );
        return arrow;
      }
      case 'text': {
        const label = svgElement(this.#doc, 'g', { 'stroke-width': 0 });
        const background = svgElement(this.#doc, 'rect', {
          fill: '#ffffff',
          'fill-opacity': 0.92,
          stroke: annotation.color,
          'stroke-width': 1.5,
          rx: 4,
        });
        const text = svgElement(this.#doc, 'text', {
          fill: annotation.color,
          'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
          'font-weight': 600,
          'dominant-baseline': 'hanging',
        });
        (annotation.text ?? '').split('\n').forEach((line, index) => {
          const span = svgElement(this.#doc, 'tspan', { x: 0, dy: index === 0 ? 0 : '1.25em' });
          span.textContent = line || ' ';
          text.append(span);
        });
        label.append(background, text);
        this.#label = { background, text };
        return label;
      }
    }
  }

  #layOutLabel(at: { x: number; y: number }, scale: number): void {
    const label = this.#label;
    if (!label) return;
    const fontSize = String(
      Math.round(labelFontSize(this.item.annotation.width) * scale * 10) / 10,
    );
    if (label.measuredAt !== fontSize) {
      label.text.setAttribute('font-size', fontSize);
      for (const span of label.text.children) span.setAttribute('x', '0');
      // Text is measured only when its size changes: a layout that reads no text metrics
      // stays cheap every frame.
      const box = label.text.getBBox();
      if (box.width > 0) {
        label.measuredAt = fontSize;
        this.#labelSize = { width: box.width + LABEL_PAD * 2, height: box.height + LABEL_PAD * 2 };
        setAttr(label.background, 'width', this.#labelSize.width);
        setAttr(label.background, 'height', this.#labelSize.height);
        setAttr(label.text, 'transform', `translate(${LABEL_PAD} ${LABEL_PAD})`);
      }
    }
    setAttr(this.#drawing, 'transform', `translate(${coordinate(at.x)} ${coordinate(at.y)})`);
    const size = this.#labelSize ?? { width: 0, height: 0 };
    this.#labelBox = { left: at.x, top: at.y, ...size };
    this.#tag.place(at);
  }
}
