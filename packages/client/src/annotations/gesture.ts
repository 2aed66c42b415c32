/**
 * @module
 * From a pointer gesture to an annotation, as pure functions: which points a tool keeps, where
 * its anchor element is looked for (a pen's start, a box's centre, an arrow's tip), which of the
 * elements there can hold the points within the protocol's bounds, and the anchored annotation.
 */
import { ANNOTATION_MAX_POINTS, type Annotation, type AnnotationTool } from '@sightline/protocol';
import { boxBetween, fitsAnchor, toAnchored, type BoxLike, type Point } from './anchoring.js';
import { thinStroke } from './thinning.js';

/** An element under a point: its rrweb node id and border box, in the surface's client px. */
export interface SketchHit {
  nodeId: number;
  box: BoxLike;
}

/** What a hit test returns: one element, or the elements there innermost first. */
export type SketchHits = SketchHit | readonly SketchHit[] | undefined;

/** A gesture smaller than this (px, both ways) is a click, not a shape. */
export const MIN_SHAPE_PX = 4;

/** `hits` as a list, innermost first. */
export function hitList(hits: SketchHits): readonly SketchHit[] {
  if (!hits) return [];
  return Array.isArray(hits) ? (hits as readonly SketchHit[]) : [hits as SketchHit];
}

/**
 * The innermost element of `hits` whose box can anchor every one of `points` (not empty, and no
 * point beyond the protocol's bounds of it), or undefined when none can.
 */
export function chooseAnchor(hits: SketchHits, points: readonly Point[]): SketchHit | undefined {
  return hitList(hits).find((hit) => fitsAnchor(points, hit.box));
}

/**
 * The points a finished gesture of `tool` keeps (`raw` in client px, in order): a pen's stroke
 * thinned to the protocol's limit, a shape's two corners, an arrow's ends, a label's start; or
 * undefined when the gesture is too small to mean a shape.
 */
export function gesturePoints(tool: AnnotationTool, raw: readonly Point[]): Point[] | undefined {
  const first = raw[0];
  const last = raw[raw.length - 1];
  if (!first || !last) return undefined;
  switch (tool) {
    case 'pen':
    case 'vanishing_pen':
      return thinStroke(raw, ANNOTATION_MAX_POINTS);
    case 'text':
      return [first];
    case 'arrow':
      return Math.hypot(last.x - first.x, last.y - first.y) < MIN_SHAPE_PX
        ? undefined
        : [first, last];
    case 'rectangle':
    case 'ellipse':
    case 'spotlight': {
      const box = boxBetween(first, last);
      return box.width < MIN_SHAPE_PX && box.height < MIN_SHAPE_PX ? undefined : [first, last];
    }
  }
}

/**
 * Where `tool`'s anchor is looked for: the element a shape surrounds (its centre), the one an
 * arrow points at (its tip), or where a stroke or label starts.
 */
export function anchorProbe(tool: AnnotationTool, points: readonly Point[]): Point {
  const first = points[0] ?? { x: 0, y: 0 };
  const last = points[points.length - 1] ?? first;
  switch (tool) {
    case 'rectangle':
    case 'ellipse':
    case 'spotlight':
      return { x: (first.x + last.x) / 2, y: (first.y + last.y) / 2 };
    case 'arrow':
      return last;
    case 'pen':
    case 'vanishing_pen':
    case 'text':
      return first;
  }
}

/** What an annotation is besides its anchor and points. */
export interface AnnotationFields {
  id: string;
  tool: AnnotationTool;
  tabId: string;
  color: string;
  width: number;
  text?: string;
}

/** The annotation of `fields` with `points` (client px) anchored to `anchor`. */
export function anchoredAnnotation(
  fields: AnnotationFields,
  points: readonly Point[],
  anchor: SketchHit,
): Annotation {
  const { text, ...rest } = fields;
  return {
    ...rest,
    nodeId: anchor.nodeId,
    points: points.map((point) => toAnchored(point, anchor.box)),
    ...(fields.tool === 'text' && text ? { text } : {}),
  };
}

/** A fresh annotation id: 16 random letters and digits (no secure context needed). */
export function newAnnotationId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
}
