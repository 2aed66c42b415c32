import { ANNOTATION_MAX_POINTS } from '@sightline/protocol';
import { describe, expect, it } from 'vitest';
import type { Point } from './anchoring.js';
import { distanceToSegment, simplify, thinStroke, withoutRepeats } from './thinning.js';

/** A spiral of `n` points, as a long scribble on a touch screen gives. */
function spiral(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const angle = i / 200;
    const radius = 20 + i / 100;
    return { x: 400 + radius * Math.cos(angle), y: 400 + radius * Math.sin(angle) };
  });
}

/** How far the farthest dropped point of `original` lies from `thinned`, a subsequence of it. */
function farthestDrop(original: Point[], thinned: Point[]) {
  let worst = 0;
  let segment = 0;
  for (const p of original) {
    if (p === thinned[segment + 1]) segment += 1;
    const a = thinned[segment]!;
    const b = thinned[segment + 1] ?? a;
    worst = Math.max(worst, distanceToSegment(p, a, b));
  }
  return worst;
}

/** Ramer–Douglas–Peucker as the textbook writes it, to check the ranked version against. */
function textbookRdp(points: Point[], tolerance: number): Point[] {
  if (points.length <= 2) return points;
  let farthest = 0;
  let distance = 0;
  for (let i = 1; i < points.length - 1; i += 1) {
    const d = distanceToSegment(points[i]!, points[0]!, points[points.length - 1]!);
    if (d > distance) [farthest, distance] = [i, d];
  }
  if (distance <= tolerance) return [points[0]!, points[points.length - 1]!];
  const left = textbookRdp(points.slice(0, farthest + 1), tolerance);
  return [...left.slice(0, -1), ...textbookRdp(points.slice(farthest), tolerance)];
}

describe('thinning a pen stroke', () => {
  it('measures distance to a segment, and to a point for an empty one', () => {
    expect(distanceToSegment({ x: 5, y: 5 }, { x: 0, y: 0 }, { x: 10, y: 0 })).toBe(5);
    expect(distanceToSegment({ x: 13, y: 4 }, { x: 0, y: 0 }, { x: 10, y: 0 })).toBe(5);
    expect(distanceToSegment({ x: 3, y: 4 }, { x: 0, y: 0 }, { x: 0, y: 0 })).toBe(5);
  });

  it('collapses a straight line to its ends and keeps a corner', () => {
    const line = Array.from({ length: 50 }, (_, i) => ({ x: i, y: 2 * i }));
    expect(simplify(line, 0.5)).toEqual([line[0], line[49]]);
    const corner = [
      { x: 0, y: 0 },
      { x: 5, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 5 },
      { x: 10, y: 10 },
    ];
    expect(simplify(corner, 0.5)).toEqual([corner[0], corner[2], corner[4]]);
  });

  it('leaves a short stroke alone but for repeated points', () => {
    const stroke = [
      { x: 1, y: 1 },
      { x: 1, y: 1 },
      { x: 2, y: 3 },
    ];
    expect(thinStroke(stroke)).toEqual([stroke[0], stroke[2]]);
    expect(withoutRepeats(stroke)).toHaveLength(2);
  });

  it('keeps what textbook Ramer–Douglas–Peucker keeps, at every tolerance', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 100;
    const stroke = Array.from({ length: 400 }, () => ({ x: random(), y: random() }));
    for (const tolerance of [0, 0.5, 3, 10, 40]) {
      expect(simplify(stroke, tolerance)).toEqual(textbookRdp(stroke, tolerance));
    }
  });

  it(`brings a long stroke under ${ANNOTATION_MAX_POINTS} points, ends kept, shape within a pixel`, () => {
    const long = spiral(20_000);
    const started = performance.now();
    const thinned = thinStroke(long);
    const elapsed = performance.now() - started;
    expect(thinned.length).toBeLessThanOrEqual(ANNOTATION_MAX_POINTS);
    expect(thinned.length).toBeGreaterThan(ANNOTATION_MAX_POINTS / 2);
    expect(thinned[0]).toBe(long[0]);
    expect(thinned[thinned.length - 1]).toBe(long[long.length - 1]);
    expect(farthestDrop(long, thinned)).toBeLessThan(1);
    // One ranking pass: fast enough for the end of a stroke on the customer's main thread.
    expect(elapsed).toBeLessThan(250);
  });

  it('honours a small limit, down to the two ends', () => {
    const long = spiral(3000);
    expect(thinStroke(long, 50).length).toBeLessThanOrEqual(50);
    expect(thinStroke(long, 1)).toEqual([long[0], long[2999]]);
  });
});
