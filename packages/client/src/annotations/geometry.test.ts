import type { Annotation } from '@sightline/protocol';
import { describe, expect, it } from 'vitest';
import { arrowHead, hitTestShapes, shapeOf, tagPoint, type HitCandidate } from './geometry.js';

const box = { left: 100, top: 100, width: 200, height: 100 };

function annotation(over: Partial<Annotation>): Annotation {
  return {
    id: 'a1',
    tool: 'rectangle',
    tabId: 'tab-1',
    nodeId: 7,
    points: [
      { x: 0, y: 0 },
      { x: 1, y: 1 },
    ],
    color: '#e5484d',
    width: 4,
    ...over,
  } as Annotation;
}

describe('shapes in the layer', () => {
  it('places a rectangle on its anchor box, corners in either order', () => {
    const shape = shapeOf(
      annotation({
        points: [
          { x: 1, y: 1 },
          { x: -0.1, y: -0.2 },
        ],
      }),
      box,
    );
    expect(shape).toEqual({
      kind: 'box',
      tool: 'rectangle',
      box: { left: 80, top: 80, width: 220, height: 120 },
    });
    expect(tagPoint(shape)).toEqual({ x: 80, y: 80 });
  });

  it('follows the anchor: the same annotation on a moved box moves with it', () => {
    const pen = annotation({
      tool: 'pen',
      points: [
        { x: 0.5, y: 0.5 },
        { x: 0.75, y: 0.5 },
      ],
    });
    expect(shapeOf(pen, box)).toEqual({
      kind: 'path',
      points: [
        { x: 200, y: 150 },
        { x: 250, y: 150 },
      ],
    });
    expect(shapeOf(pen, { ...box, top: -400 })).toEqual({
      kind: 'path',
      points: [
        { x: 200, y: -350 },
        { x: 250, y: -350 },
      ],
    });
  });

  it('gives an arrow a head at its tip, pointing along it, bigger with the stroke and scale', () => {
    const [tip, left, right] = arrowHead({ x: 0, y: 0 }, { x: 100, y: 0 }, 10);
    expect(tip).toEqual({ x: 100, y: 0 });
    expect(left.x).toBeLessThan(100);
    expect(right.x).toBeLessThan(100);
    expect(left.y).toBeCloseTo(-right.y, 10);
    const arrow = shapeOf(annotation({ tool: 'arrow', width: 8 }), box, 0.5);
    expect(arrow.kind).toBe('arrow');
    if (arrow.kind !== 'arrow') return;
    const size = Math.hypot(arrow.head[1].x - arrow.to.x, arrow.head[1].y - arrow.to.y);
    expect(size).toBeCloseTo(12, 6);
  });
});

describe('the eraser', () => {
  const pen: HitCandidate = {
    id: 'pen',
    shape: shapeOf(
      annotation({
        tool: 'pen',
        points: [
          { x: 0, y: 0.5 },
          { x: 1, y: 0.5 },
        ],
      }),
      box,
    ),
    strokeWidth: 4,
  };
  const big: HitCandidate = { id: 'big', shape: shapeOf(annotation({}), box), strokeWidth: 2 };
  const small: HitCandidate = {
    id: 'small',
    shape: shapeOf(
      annotation({
        points: [
          { x: 0.4, y: 0.4 },
          { x: 0.6, y: 0.6 },
        ],
      }),
      box,
    ),
    strokeWidth: 2,
  };

  it('hits a stroke within reach, and misses it beyond', () => {
    expect(hitTestShapes([pen], { x: 150, y: 157 })).toBe('pen');
    expect(hitTestShapes([pen], { x: 150, y: 160 })).toBeUndefined();
  });

  it('prefers the topmost stroke under the pointer', () => {
    const other = { ...pen, id: 'later' };
    expect(hitTestShapes([pen, other], { x: 150, y: 150 })).toBe('later');
  });

  it('inside shapes, picks the smallest that encloses the point', () => {
    expect(hitTestShapes([small, big], { x: 190, y: 150 })).toBe('small');
    expect(hitTestShapes([small, big], { x: 130, y: 130 })).toBe('big');
    expect(hitTestShapes([small, big], { x: 20, y: 20 })).toBeUndefined();
  });

  it('hits an ellipse inside its curve, not in its box corner', () => {
    const ellipse: HitCandidate = {
      id: 'ellipse',
      shape: shapeOf(annotation({ tool: 'ellipse' }), box),
      strokeWidth: 2,
    };
    expect(hitTestShapes([ellipse], { x: 200, y: 150 })).toBe('ellipse');
    expect(hitTestShapes([ellipse], { x: 300, y: 150 })).toBe('ellipse');
    expect(hitTestShapes([ellipse], { x: 115, y: 112 })).toBeUndefined();
  });

  it('hits a text label anywhere on its measured box', () => {
    const text: HitCandidate = {
      id: 'text',
      shape: shapeOf(annotation({ tool: 'text', points: [{ x: 0, y: 0 }], text: 'Here' }), box),
      strokeWidth: 4,
      label: { left: 100, top: 100, width: 60, height: 30 },
    };
    expect(hitTestShapes([text], { x: 150, y: 120 })).toBe('text');
    expect(hitTestShapes([text], { x: 200, y: 120 })).toBeUndefined();
  });
});
