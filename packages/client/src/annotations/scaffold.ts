/**
 * @module
 * Internal: the annotation layer's fixed `<svg>` structure. One svg filling its container,
 * without pointer events, holding, bottom to top: the spotlight's dimming (a darkened rect whose
 * mask cuts a hole for every spotlit region, however many), the annotations' shapes, and the
 * pointers. Each layer's mask gets an id of its own, as several layers may share a document.
 */
import { svgElement } from './svg.js';

/** The parts of a layer's svg that the layer writes to. */
export interface LayerScaffold {
  svg: SVGSVGElement;
  /** The spotlight's darkening; hidden (`display="none"`) while nothing spotlights. */
  dim: SVGRectElement;
  /** The mask's holes: one shape per spotlit region. */
  holes: SVGGElement;
  shapes: SVGGElement;
  pointers: SVGGElement;
}

/** Far enough in every direction to cover any page the layer sits over. */
const FAR = 100_000;

let layers = 0;

/** Builds a layer's svg in `doc` (not yet in the document). */
export function layerScaffold(doc: Document): LayerScaffold {
  const maskId = `sl-dim-${(layers += 1)}-${Math.random().toString(36).slice(2, 8)}`;
  const svg = svgElement(doc, 'svg', { class: 'sl-annotations', 'aria-hidden': 'true' });
  svg.style.cssText =
    'position:absolute;left:0;top:0;width:100%;height:100%;overflow:visible;pointer-events:none;';
  const defs = svgElement(doc, 'defs');
  const everywhere = { x: -FAR, y: -FAR, width: 2 * FAR, height: 2 * FAR };
  const mask = svgElement(doc, 'mask', { id: maskId, maskUnits: 'userSpaceOnUse', ...everywhere });
  const holes = svgElement(doc, 'g');
  mask.append(svgElement(doc, 'rect', { ...everywhere, fill: 'white' }), holes);
  defs.append(mask);
  const dim = svgElement(doc, 'rect', {
    class: 'sl-dim',
    x: 0,
    y: 0,
    width: '100%',
    height: '100%',
    fill: '#000000',
    'fill-opacity': 0.55,
    mask: `url(#${maskId})`,
    display: 'none',
  });
  const shapes = svgElement(doc, 'g', { class: 'sl-shapes' });
  const pointers = svgElement(doc, 'g', { class: 'sl-pointers' });
  svg.append(defs, dim, shapes, pointers);
  return { svg, dim, holes, shapes, pointers };
}
