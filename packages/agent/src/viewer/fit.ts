/**
 * @module
 * Fitting the customer's viewport into the mirror's container: one uniform scale (the aspect
 * ratio is kept) and an offset that centres the page.
 */

/** A width and height in CSS pixels. */
export interface Size {
  width: number;
  height: number;
}

/** How to place the page: scale first, then translate by (x, y), from the top-left corner. */
export interface Placement {
  scale: number;
  x: number;
  y: number;
}

/**
 * The placement that shows all of `page` inside `container`, as large as fits. A container or page
 * with no area (hidden, or not measured yet) gets scale 1 at the origin.
 */
export function fitInto(container: Size, page: Size): Placement {
  if (container.width <= 0 || container.height <= 0 || page.width <= 0 || page.height <= 0) {
    return { scale: 1, x: 0, y: 0 };
  }
  const scale = Math.min(container.width / page.width, container.height / page.height);
  return {
    scale,
    x: (container.width - page.width * scale) / 2,
    y: (container.height - page.height * scale) / 2,
  };
}
