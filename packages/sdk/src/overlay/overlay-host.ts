/**
 * @module
 * The overlay's host on the customer's page: a `<sightline-ui>` element (the tag the capture
 * already treats as the SDK's own, `privacy/event-policy.ts`) carrying the block attribute, with
 * a closed shadow root. rrweb sends it as an empty placeholder at most and cannot see into a
 * closed root, so nothing drawn on the customer's screen is ever captured. The host sits outside
 * the page's layout (`position: fixed`, the whole viewport) and lets every pointer event through
 * to the page; its inline `!important` declarations win over any page rule. One step below the
 * SDK's own UI host, so the banner's Stop stays above even the drawing surface.
 */
import { BLOCK_ATTRIBUTE } from '../privacy/masking.js';

/** The SDK's own element tag, which capture leaves empty and the overlay's hit tests skip. */
export const SDK_HOST_TAG = 'sightline-ui';

const HOST_STYLE = [
  'all: initial',
  'display: block',
  'position: fixed',
  'inset: 0',
  'width: auto',
  'height: auto',
  'margin: 0',
  'padding: 0',
  'border: 0',
  'background: transparent',
  'pointer-events: none',
  'z-index: 2147483646',
]
  .map((declaration) => `${declaration} !important`)
  .join('; ');

const SHADOW_STYLE = `
.layer { position: absolute; inset: 0; pointer-events: none; overflow: hidden; }
.surface {
  position: absolute; inset: 0; pointer-events: auto; cursor: crosshair; touch-action: none;
  background: transparent;
}
.drawing-bar {
  position: absolute; top: 12px; left: 50%; transform: translateX(-50%);
  display: flex; align-items: center; gap: 12px; padding: 6px 6px 6px 14px;
  border-radius: 20px; background: #1b1f24; color: #fff; pointer-events: auto;
  font: 14px/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  box-shadow: 0 4px 16px rgba(0, 0, 0, 0.3);
}
.drawing-bar button {
  font: inherit; font-weight: 600; min-height: 32px; padding: 4px 14px; border-radius: 16px;
  border: 0; background: #fff; color: #1b1f24; cursor: pointer;
}
.drawing-bar button:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
`;

/** The host and the parts inside its shadow root. */
export interface OverlayHost {
  readonly host: HTMLElement;
  readonly root: ShadowRoot;
  /** The annotation layer's container, filling the viewport. */
  readonly layer: HTMLDivElement;
}

/** Adds the overlay's host to `document`; `remove()` on `host` takes it away again. */
export function createOverlayHost(document: Document): OverlayHost {
  const host = document.createElement(SDK_HOST_TAG);
  host.setAttribute(BLOCK_ATTRIBUTE, '');
  host.setAttribute('style', HOST_STYLE);
  const root = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = SHADOW_STYLE;
  const layer = document.createElement('div');
  layer.className = 'layer';
  root.append(style, layer);
  // Attributes and shadow content are all set before the host joins the page: the recorder
  // sees one added placeholder, and never a change to it.
  document.documentElement.append(host);
  return { host, root, layer };
}
