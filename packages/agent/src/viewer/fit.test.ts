import { describe, expect, it } from 'vitest';
import { fitInto } from './fit.js';

describe('fitInto', () => {
  it('scales a wide page down to the container width and centres it vertically', () => {
    expect(fitInto({ width: 640, height: 480 }, { width: 1280, height: 720 })).toEqual({
      scale: 0.5,
      x: 0,
      y: 60,
    });
  });

  it('scales a tall page to the container height and centres it horizontally', () => {
    expect(fitInto({ width: 1000, height: 844 }, { width: 390, height: 844 })).toEqual({
      scale: 1,
      x: 305,
      y: 0,
    });
  });

  it('scales a small page up, keeping the aspect ratio', () => {
    const { scale, x, y } = fitInto({ width: 1600, height: 900 }, { width: 800, height: 600 });
    expect(scale).toBe(1.5);
    expect(x).toBe(200);
    expect(y).toBe(0);
  });

  it('leaves the page alone while either box has no area', () => {
    expect(fitInto({ width: 0, height: 0 }, { width: 800, height: 600 })).toEqual({
      scale: 1,
      x: 0,
      y: 0,
    });
    expect(fitInto({ width: 800, height: 600 }, { width: 0, height: 600 })).toEqual({
      scale: 1,
      x: 0,
      y: 0,
    });
  });
});
