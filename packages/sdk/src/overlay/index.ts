/**
 * @module
 * The customer's annotation overlay (ADR 0012): see `customer-overlay.ts`.
 */
export {
  CustomerOverlay,
  type CustomerDrawingFrame,
  type CustomerDrawingOptions,
  type CustomerOverlayOptions,
  type OverlayFrame,
} from './customer-overlay.js';
export { SDK_HOST_TAG } from './overlay-host.js';
