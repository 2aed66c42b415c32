/**
 * @module
 * Annotations (ADR 0012), shared by the customer SDK's overlay and the agent's mirror: anchoring
 * maths, the SVG layer that draws every tool and pointer where its element is now, the sketch that
 * turns pointer gestures into annotations, and one author's undo/redo history.
 */
export {
  ANCHOR_LIMIT,
  IDENTITY_PLACEMENT,
  boxBetween,
  fitsAnchor,
  framePlacement,
  fromAnchored,
  placeBox,
  toAnchored,
  type BoxLike,
  type Placement,
  type Point,
} from './anchoring.js';
export {
  anchorProbe,
  anchoredAnnotation,
  chooseAnchor,
  gesturePoints,
  newAnnotationId,
  type SketchHit,
  type SketchHits,
} from './gesture.js';
export { hitTestShapes, shapeOf, type Shape } from './geometry.js';
export { AnnotationHistory, type HistoryFrame } from './history.js';
export {
  AnnotationLayer,
  VANISHING_FADE_MS,
  type AnchorResolver,
  type LayerFrame,
  type LayerOptions,
} from './layer.js';
export { CURSOR_IDLE_MS, LASER_TRAIL_MS } from './pointer-view.js';
export { Sketch, type PointerPosition, type SketchOptions, type SketchTool } from './sketch.js';
export { authorColor } from './svg.js';
export { simplify, thinStroke } from './thinning.js';
