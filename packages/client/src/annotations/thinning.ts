/**
 * @module
 * Thinning a pen stroke to at most `ANNOTATION_MAX_POINTS` points, keeping its shape: the
 * Ramer–Douglas–Peucker simplification. One pass ranks every point by the tolerance below which
 * RDP would keep it (a point is kept when it, and each split above it, is farther from its chord
 * than the tolerance); the simplification at any tolerance is then the points ranked above it,
 * and the most faithful one that fits the limit is the top of the ranking. A stroke already under
 * the limit is only rid of repeated points.
 */
import { ANNOTATION_MAX_POINTS } from '@sightline/protocol';
import type { Point } from './anchoring.js';

/** Squared distance from `p` to the segment from `a` to `b`. */
function segmentDistance2(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length2 = dx * dx + dy * dy;
  const t =
    length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2));
  const ex = p.x - (a.x + t * dx);
  const ey = p.y - (a.y + t * dy);
  return ex * ex + ey * ey;
}

/** Distance from `p` to the segment from `a` to `b`. */
export function distanceToSegment(p: Point, a: Point, b: Point): number {
  return Math.sqrt(segmentDistance2(p, a, b));
}

/**
 * For each point, the largest tolerance at which Ramer–Douglas–Peucker still keeps it: the ends
 * are always kept (Infinity); a point on its chord never (0). Iterative, so a long stroke cannot
 * overflow the stack.
 */
export function rdpRanks(points: readonly Point[]): Float64Array {
  const ranks = new Float64Array(points.length);
  if (points.length === 0) return ranks;
  ranks[0] = Infinity;
  ranks[points.length - 1] = Infinity;
  const spans: [number, number, number][] = [[0, points.length - 1, Infinity]];
  for (let span = spans.pop(); span; span = spans.pop()) {
    const [first, last, above] = span;
    const a = points[first] as Point;
    const b = points[last] as Point;
    let farthest = -1;
    let distance2 = 0;
    for (let i = first + 1; i < last; i += 1) {
      const d2 = segmentDistance2(points[i] as Point, a, b);
      if (d2 > distance2) {
        distance2 = d2;
        farthest = i;
      }
    }
    if (farthest < 0) continue;
    // Kept only while the split that exposed it is kept too.
    const rank = Math.min(Math.sqrt(distance2), above);
    ranks[farthest] = rank;
    spans.push([first, farthest, rank], [farthest, last, rank]);
  }
  return ranks;
}

/**
 * Ramer–Douglas–Peucker: the points of `points` to keep so that no dropped point lies farther
 * than `tolerance` from the simplified line. The first and last points are always kept.
 */
export function simplify<P extends Point>(points: readonly P[], tolerance: number): P[] {
  const ranks = rdpRanks(points);
  return points.filter((_, index) => (ranks[index] ?? 0) > tolerance);
}

/** `points` without a point equal to the one before it. */
export function withoutRepeats<P extends Point>(points: readonly P[]): P[] {
  return points.filter((p, i) => {
    const previous = points[i - 1];
    return !previous || previous.x !== p.x || previous.y !== p.y;
  });
}

/**
 * `points` thinned to at most `max` points (at least the two ends), as faithfully as that
 * allows: the RDP simplification with the least tolerance that fits.
 */
export function thinStroke<P extends Point>(
  points: readonly P[],
  max: number = ANNOTATION_MAX_POINTS,
): P[] {
  const distinct = withoutRepeats(points);
  const limit = Math.max(2, max);
  if (distinct.length <= limit) return distinct;
  const ranks = rdpRanks(distinct);
  const order = Array.from(distinct, (_, index) => index)
    .filter((index) => (ranks[index] ?? 0) > 0)
    .sort((a, b) => (ranks[b] ?? 0) - (ranks[a] ?? 0));
  // Points ranked equal to the first one left out go too: what remains is one RDP tolerance's.
  const cut = ranks[order[limit] ?? -1];
  const kept = order
    .slice(0, limit)
    .filter((index) => cut === undefined || (ranks[index] ?? 0) > cut)
    .sort((a, b) => a - b);
  return kept.map((index) => distinct[index] as P);
}
