import { describe, expect, it } from 'vitest';
import {
  ANCHOR_LIMIT,
  boxBetween,
  fitsAnchor,
  framePlacement,
  fromAnchored,
  placeBox,
  toAnchored,
} from './anchoring.js';

const button = { left: 100, top: 200, width: 80, height: 40 };

describe('element anchoring', () => {
  it('names a point by fractions of the element border box', () => {
    expect(toAnchored({ x: 100, y: 200 }, button)).toEqual({ x: 0, y: 0 });
    expect(toAnchored({ x: 180, y: 240 }, button)).toEqual({ x: 1, y: 1 });
    expect(toAnchored({ x: 140, y: 210 }, button)).toEqual({ x: 0.5, y: 0.25 });
    expect(toAnchored({ x: 60, y: 280 }, button)).toEqual({ x: -0.5, y: 2 });
  });

  it('puts the same fractions on the same spot of the element wherever it moved or grew', () => {
    const point = { x: 123, y: 229 };
    const anchored = toAnchored(point, button);
    const scrolled = { ...button, top: button.top - 500 };
    expect(fromAnchored(anchored, scrolled)).toEqual({ x: 123, y: 229 - 500 });
    const reflowed = { left: 300, top: 50, width: 160, height: 40 };
    const moved = fromAnchored(anchored, reflowed);
    expect(moved.x).toBeCloseTo(300 + (23 / 80) * 160, 6);
    expect(moved.y).toBeCloseTo(50 + 29, 6);
  });

  it('round-trips within a tenth of a pixel on a large element', () => {
    const page = { left: -20, top: -3000, width: 1280, height: 9000 };
    for (const point of [
      { x: 0, y: 0 },
      { x: 640.37, y: 1234.56 },
      { x: 1259.99, y: 5999.01 },
    ]) {
      const back = fromAnchored(toAnchored(point, page), page);
      expect(Math.abs(back.x - point.x)).toBeLessThanOrEqual(0.1);
      expect(Math.abs(back.y - point.y)).toBeLessThanOrEqual(0.6);
    }
  });

  it('rounds fractions so they stay short on the wire, and never writes -0', () => {
    const anchored = toAnchored({ x: 100 + 80 / 3, y: 200 }, button);
    expect(anchored.x).toBeCloseTo(0.3333, 10);
    expect(Object.is(toAnchored({ x: 99.999999, y: 200 }, button).x, -0)).toBe(false);
  });

  it('keeps fractions within the protocol bounds, and an empty box on its edge', () => {
    const tiny = { left: 0, top: 0, width: 1, height: 1 };
    expect(toAnchored({ x: 5000, y: -5000 }, tiny)).toEqual({
      x: ANCHOR_LIMIT,
      y: -ANCHOR_LIMIT,
    });
    expect(toAnchored({ x: 50, y: 10 }, { left: 10, top: 10, width: 0, height: 0 })).toEqual({
      x: 0,
      y: 0,
    });
    expect(fitsAnchor([{ x: 500, y: 0 }], tiny)).toBe(true);
    expect(fitsAnchor([{ x: 1001, y: 0 }], tiny)).toBe(false);
    expect(fitsAnchor([{ x: 0, y: 0 }], { left: 0, top: 0, width: 0, height: 10 })).toBe(false);
  });

  it('places a frame box in a scaled, offset layer (the agent mirror)', () => {
    // A 1000 px wide frame drawn 500 px wide at (60, 40) in a layer whose box is at (10, 20).
    const placement = framePlacement({ left: 60, top: 40, width: 500, height: 300 }, 1000, {
      left: 10,
      top: 20,
    });
    expect(placement).toEqual({ x: 50, y: 20, scale: 0.5 });
    expect(placeBox(button, placement)).toEqual({ left: 100, top: 120, width: 40, height: 20 });
    // Fractions do not care about the scale: the same spot of the element either way.
    const anchored = toAnchored({ x: 140, y: 210 }, button);
    expect(fromAnchored(anchored, placeBox(button, placement))).toEqual({ x: 120, y: 125 });
  });

  it('gives scale 1 for a frame not laid out yet', () => {
    expect(
      framePlacement({ left: 0, top: 0, width: 0, height: 0 }, 0, { left: 0, top: 0 }),
    ).toEqual({ x: 0, y: 0, scale: 1 });
  });

  it('spans a box between two corners given either way round', () => {
    expect(boxBetween({ x: 50, y: 10 }, { x: 10, y: 40 })).toEqual({
      left: 10,
      top: 10,
      width: 40,
      height: 30,
    });
  });
});
