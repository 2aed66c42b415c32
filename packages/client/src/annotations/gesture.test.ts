import { ANNOTATION_MAX_POINTS, Annotation } from '@sightline/protocol';
import { describe, expect, it } from 'vitest';
import { fromAnchored } from './anchoring.js';
import {
  anchorProbe,
  anchoredAnnotation,
  chooseAnchor,
  gesturePoints,
  newAnnotationId,
} from './gesture.js';

const span = { nodeId: 3, box: { left: 100, top: 100, width: 0.2, height: 0.2 } };
const button = { nodeId: 2, box: { left: 90, top: 90, width: 120, height: 40 } };
const body = { nodeId: 1, box: { left: 0, top: -500, width: 1280, height: 4000 } };

describe('from a gesture to an annotation', () => {
  it('anchors to the innermost element that can hold every point', () => {
    expect(chooseAnchor([span, button, body], [{ x: 95, y: 95 }])?.nodeId).toBe(3);
    // 2500 px from a 0.2 px span is beyond the protocol's bounds: the button holds it.
    expect(chooseAnchor([span, button, body], [{ x: 2600, y: 100 }])?.nodeId).toBe(2);
    expect(chooseAnchor(button, [{ x: 0, y: 0 }])?.nodeId).toBe(2);
    expect(chooseAnchor(undefined, [{ x: 0, y: 0 }])).toBeUndefined();
    expect(chooseAnchor([{ nodeId: 9, box: { left: 0, top: 0, width: 0, height: 0 } }], [])).toBe(
      undefined,
    );
  });

  it('looks for a shape anchor at its centre, an arrow at its tip, a stroke at its start', () => {
    const points = [
      { x: 10, y: 10 },
      { x: 50, y: 30 },
    ];
    expect(anchorProbe('rectangle', points)).toEqual({ x: 30, y: 20 });
    expect(anchorProbe('spotlight', points)).toEqual({ x: 30, y: 20 });
    expect(anchorProbe('arrow', points)).toEqual({ x: 50, y: 30 });
    expect(anchorProbe('pen', points)).toEqual({ x: 10, y: 10 });
  });

  it('keeps two corners of a shape and drops a click', () => {
    const drag = [
      { x: 10, y: 10 },
      { x: 20, y: 14 },
      { x: 60, y: 40 },
    ];
    expect(gesturePoints('ellipse', drag)).toEqual([drag[0], drag[2]]);
    expect(
      gesturePoints('rectangle', [
        { x: 10, y: 10 },
        { x: 12, y: 11 },
      ]),
    ).toBeUndefined();
    expect(
      gesturePoints('arrow', [
        { x: 10, y: 10 },
        { x: 11, y: 11 },
      ]),
    ).toBeUndefined();
    expect(gesturePoints('text', drag)).toEqual([drag[0]]);
    expect(gesturePoints('pen', [])).toBeUndefined();
  });

  it('thins a long pen stroke to a valid annotation', () => {
    const raw = Array.from({ length: 9000 }, (_, i) => ({
      x: 100 + 300 * Math.cos(i / 300),
      y: 100 + 200 * Math.sin(i / 170),
    }));
    const points = gesturePoints('pen', raw);
    expect(points?.length).toBeLessThanOrEqual(ANNOTATION_MAX_POINTS);
    const annotation = anchoredAnnotation(
      { id: newAnnotationId(), tool: 'pen', tabId: 'tab-1', color: '#0090ff', width: 3 },
      points ?? [],
      chooseAnchor([span, button, body], points ?? []) ?? body,
    );
    expect(Annotation.safeParse(annotation).success).toBe(true);
    expect(annotation.nodeId).toBe(2);
  });

  it('anchors a rectangle around a button so it comes back around the button', () => {
    const corners = [
      { x: 80, y: 84 },
      { x: 220, y: 136 },
    ];
    const annotation = anchoredAnnotation(
      { id: 'r1', tool: 'rectangle', tabId: 'tab-1', color: '#e5484d', width: 4 },
      corners,
      button,
    );
    expect(Annotation.safeParse(annotation).success).toBe(true);
    // The button scrolled up 300 px: the rectangle's corners did too.
    const scrolled = { ...button.box, top: button.box.top - 300 };
    const back = annotation.points.map((p) => fromAnchored(p, scrolled));
    const expected = [
      { x: 80, y: 84 - 300 },
      { x: 220, y: 136 - 300 },
    ];
    back.forEach((point, i) => {
      expect(point.x).toBeCloseTo(expected[i]!.x, 1);
      expect(point.y).toBeCloseTo(expected[i]!.y, 1);
    });
  });

  it('carries text only on a text label', () => {
    const base = { id: 't1', tabId: 'tab-1', color: '#111111', width: 2, text: 'Click here' };
    expect(anchoredAnnotation({ ...base, tool: 'text' }, [{ x: 95, y: 95 }], button).text).toBe(
      'Click here',
    );
    expect(
      anchoredAnnotation({ ...base, tool: 'pen' }, [{ x: 95, y: 95 }], button),
    ).not.toHaveProperty('text');
  });

  it('makes ids the protocol accepts, different each time', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newAnnotationId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{16}$/);
  });
});
