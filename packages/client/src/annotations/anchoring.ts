/**
 * @module
 * Element anchoring (ADR 0012): an annotation's points are fractions of its anchor element's
 * border box, so the same fractions land on the same spot of the element wherever the page puts
 * it, on the customer's screen and in the agent's scaled mirror alike. Pure: boxes go in as
 * plain numbers, so the maths is tested without a DOM.
 */
import type { AnchoredPoint } from '@sightline/protocol';

/** A point in some coordinate space, CSS px. */
export interface Point {
  x: number;
  y: number;
}

/** A box in some coordinate space, CSS px: what `getBoundingClientRect()` gives, and less. */
export interface BoxLike {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/**
 * How the anchor document's viewport sits in the layer: a layer point is a viewport point times
 * `scale`, plus (`x`, `y`). Identity on the customer's page; the mirror frame's offset and fit
 * scale in the console.
 */
export interface Placement {
  x: number;
  y: number;
  scale: number;
}

/** The placement that changes nothing. */
export const IDENTITY_PLACEMENT: Placement = { x: 0, y: 0, scale: 1 };

/** The protocol's bound on an anchored coordinate (`AnchoredPoint` in `messages/annotation.ts`). */
export const ANCHOR_LIMIT = 1000;

/** Anchored coordinates are rounded to this many steps per box: 0.1 px on a 1000 px box. */
const ANCHOR_STEPS = 10_000;

function fraction(offset: number, size: number): number {
  // A box with no width (or height) has one meaningful place on that axis: its edge.
  if (!(size > 0)) return 0;
  const value = Math.round((offset / size) * ANCHOR_STEPS) / ANCHOR_STEPS;
  // `+ 0` turns -0 into 0, so equal points compare and serialise equal.
  return Math.min(ANCHOR_LIMIT, Math.max(-ANCHOR_LIMIT, value)) + 0;
}

/**
 * Where `point` falls in `box`, as fractions of its width and height: (0, 0) is the box's top
 * left, (1, 1) its bottom right, and points outside the box go beyond, up to ±{@link
 * ANCHOR_LIMIT}. `point` and `box` must be in the same coordinate space.
 */
export function toAnchored(point: Point, box: BoxLike): AnchoredPoint {
  return { x: fraction(point.x - box.left, box.width), y: fraction(point.y - box.top, box.height) };
}

/** The point that `point`'s fractions name in `box`, in `box`'s coordinate space. */
export function fromAnchored(point: AnchoredPoint, box: BoxLike): Point {
  return { x: box.left + point.x * box.width, y: box.top + point.y * box.height };
}

/** Whether every one of `points`, anchored to `box`, stays within the protocol's bounds. */
export function fitsAnchor(points: readonly Point[], box: BoxLike): boolean {
  if (!(box.width > 0) || !(box.height > 0)) return false;
  return points.every((point) => {
    const x = (point.x - box.left) / box.width;
    const y = (point.y - box.top) / box.height;
    return Math.abs(x) <= ANCHOR_LIMIT && Math.abs(y) <= ANCHOR_LIMIT;
  });
}

/** `box` (in the anchor document's viewport) placed in the layer by `placement`. */
export function placeBox(box: BoxLike, placement: Placement): BoxLike {
  const { x, y, scale } = placement;
  return {
    left: box.left * scale + x,
    top: box.top * scale + y,
    width: box.width * scale,
    height: box.height * scale,
  };
}

/**
 * The placement of a frame's viewport in a layer: the frame is drawn at `frameRect` (after any
 * CSS transform, as `getBoundingClientRect()` reports it) and is `frameWidth` CSS px wide inside;
 * the layer's container is at `layerRect`. Both rects in the same (outer) viewport.
 */
export function framePlacement(
  frameRect: BoxLike,
  frameWidth: number,
  layerRect: Pick<BoxLike, 'left' | 'top'>,
): Placement {
  const scale = frameRect.width > 0 && frameWidth > 0 ? frameRect.width / frameWidth : 1;
  // The frame's border would shift its viewport; the mirror's frame has none (mirror.css).
  return { x: frameRect.left - layerRect.left, y: frameRect.top - layerRect.top, scale };
}

/** The box spanned by two corners, whichever way round they are given. */
export function boxBetween(a: Point, b: Point): BoxLike {
  return {
    left: Math.min(a.x, b.x),
    top: Math.min(a.y, b.y),
    width: Math.abs(a.x - b.x),
    height: Math.abs(a.y - b.y),
  };
}
