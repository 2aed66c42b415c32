/**
 * @module
 * What each tool draws, in the layer's coordinates, once its anchor's box is known; and what the
 * eraser hits. Pure, so the renderer only turns shapes into SVG attributes.
 */
import type { Annotation } from '@sightline/protocol';
import { boxBetween, fromAnchored, type BoxLike, type Point } from './anchoring.js';
import { distanceToSegment } from './thinning.js';

/** One annotation's geometry in the layer. */
export type Shape =
  | { kind: 'path'; points: Point[] }
  | { kind: 'box'; tool: 'rectangle' | 'ellipse' | 'spotlight'; box: BoxLike }
  | { kind: 'arrow'; from: Point; to: Point; head: readonly [Point, Point, Point] }
  | { kind: 'text'; at: Point };

/** How far from a stroke the eraser still hits it, layer px. */
export const HIT_TOLERANCE = 6;

/** The size of an arrow's head for a stroke of `width`. */
export function arrowHeadSize(width: number): number {
  return Math.max(10, width * 3);
}

/** The arrow head at `to`, coming from `from`: its tip and two back corners. */
export function arrowHead(from: Point, to: Point, size: number): [Point, Point, Point] {
  const angle = Math.atan2(to.y - from.y, to.x - from.x);
  const spread = Math.PI / 7;
  const corner = (side: number): Point => ({
    x: to.x - size * Math.cos(angle + side * spread),
    y: to.y - size * Math.sin(angle + side * spread),
  });
  return [to, corner(1), corner(-1)];
}

/**
 * `annotation`'s geometry when its anchor is at `box` in the layer; `scale` is the layer's zoom
 * of the page (1 on the page itself), by which strokes grow too.
 */
export function shapeOf(annotation: Annotation, box: BoxLike, scale = 1): Shape {
  const points = annotation.points.map((point) => fromAnchored(point, box));
  const first = points[0] ?? { x: box.left, y: box.top };
  const second = points[1] ?? first;
  switch (annotation.tool) {
    case 'pen':
    case 'vanishing_pen':
      return { kind: 'path', points };
    case 'rectangle':
    case 'ellipse':
    case 'spotlight':
      return { kind: 'box', tool: annotation.tool, box: boxBetween(first, second) };
    case 'arrow':
      return {
        kind: 'arrow',
        from: first,
        to: second,
        head: arrowHead(first, second, arrowHeadSize(annotation.width * scale)),
      };
    case 'text':
      return { kind: 'text', at: first };
  }
}

/** Where an annotation's author tag goes: where the drawing started, or its box's top left. */
export function tagPoint(shape: Shape): Point {
  switch (shape.kind) {
    case 'path':
      return shape.points[0] ?? { x: 0, y: 0 };
    case 'box':
      return { x: shape.box.left, y: shape.box.top };
    case 'arrow':
      return shape.from;
    case 'text':
      return shape.at;
  }
}

function distanceToPolyline(p: Point, points: readonly Point[]): number {
  if (points.length === 1 && points[0]) return Math.hypot(p.x - points[0].x, p.y - points[0].y);
  let best = Infinity;
  for (let i = 1; i < points.length; i += 1) {
    best = Math.min(best, distanceToSegment(p, points[i - 1] as Point, points[i] as Point));
  }
  return best;
}

/** Distance from `p` to the outline of `box`, whether `p` is inside or outside it. */
function distanceToBoxOutline(p: Point, box: BoxLike): number {
  const { left, top, width, height } = box;
  const corners: Point[] = [
    { x: left, y: top },
    { x: left + width, y: top },
    { x: left + width, y: top + height },
    { x: left, y: top + height },
    { x: left, y: top },
  ];
  return distanceToPolyline(p, corners);
}

/** Approximate distance from `p` to an ellipse's outline: exact on circles, close enough for a pointer. */
function distanceToEllipseOutline(p: Point, box: BoxLike): number {
  const rx = box.width / 2;
  const ry = box.height / 2;
  const cx = box.left + rx;
  const cy = box.top + ry;
  if (rx <= 0 || ry <= 0) return distanceToBoxOutline(p, box);
  const angle = Math.atan2((p.y - cy) / ry, (p.x - cx) / rx);
  return Math.hypot(p.x - (cx + rx * Math.cos(angle)), p.y - (cy + ry * Math.sin(angle)));
}

function insideBox(p: Point, box: BoxLike): boolean {
  return (
    p.x >= box.left && p.x <= box.left + box.width && p.y >= box.top && p.y <= box.top + box.height
  );
}

/**
 * Distance from `p` to what `shape` draws: its stroke, or for a text label the label's box
 * (`label`, measured by the renderer), 0 inside it.
 */
export function distanceToStroke(shape: Shape, p: Point, label?: BoxLike): number {
  switch (shape.kind) {
    case 'path':
      return distanceToPolyline(p, shape.points);
    case 'arrow':
      return Math.min(
        distanceToSegment(p, shape.from, shape.to),
        distanceToPolyline(p, [shape.head[1], shape.head[0], shape.head[2]]),
      );
    case 'box':
      return shape.tool === 'ellipse'
        ? distanceToEllipseOutline(p, shape.box)
        : distanceToBoxOutline(p, shape.box);
    case 'text':
      if (!label) return Math.hypot(p.x - shape.at.x, p.y - shape.at.y);
      return insideBox(p, label) ? 0 : distanceToBoxOutline(p, label);
  }
}

/** The area `shape` encloses that a point inside it hits (rectangles, ellipses, spotlights), if any. */
export function enclosedArea(shape: Shape, p: Point): number | undefined {
  if (shape.kind !== 'box') return undefined;
  const { box } = shape;
  if (shape.tool === 'ellipse') {
    const rx = box.width / 2;
    const ry = box.height / 2;
    if (rx <= 0 || ry <= 0) return undefined;
    const dx = (p.x - box.left - rx) / rx;
    const dy = (p.y - box.top - ry) / ry;
    return dx * dx + dy * dy <= 1 ? Math.PI * rx * ry : undefined;
  }
  return insideBox(p, box) ? box.width * box.height : undefined;
}

/** One candidate for the eraser: its id, shape, stroke width in the layer and label box. */
export interface HitCandidate {
  id: string;
  shape: Shape;
  strokeWidth: number;
  label?: BoxLike;
}

/**
 * The annotation the eraser at `p` removes: the topmost (last) whose stroke is within reach;
 * otherwise the smallest that encloses `p`, so a box inside a bigger one can still be picked.
 */
export function hitTestShapes(candidates: readonly HitCandidate[], p: Point): string | undefined {
  for (let i = candidates.length - 1; i >= 0; i -= 1) {
    const candidate = candidates[i] as HitCandidate;
    const reach = candidate.strokeWidth / 2 + HIT_TOLERANCE;
    if (distanceToStroke(candidate.shape, p, candidate.label) <= reach) return candidate.id;
  }
  let best: { id: string; area: number } | undefined;
  for (const candidate of candidates) {
    const area = enclosedArea(candidate.shape, p);
    if (area !== undefined && (!best || area < best.area)) best = { id: candidate.id, area };
  }
  return best?.id;
}
