/**
 * @module
 * The annotation layer (ADR 0012): one `<svg>` over a page, with `pointer-events: none`, that
 * draws every annotation and pointer where its anchor element is now. Each layout reads one
 * `getBoundingClientRect()` per anchor element and writes only the attributes that changed; it
 * runs on every animation frame while anything is held (so anchors follow scrolling in any
 * scroller, resizes, reflows and the mirror's own updates), and at once on a scroll or resize of
 * the layer's window. An annotation whose anchor is gone (removed, or not rendered) is hidden and
 * kept, and shows again when its element comes back. Vanishing-pen strokes fade and are dropped
 * `VANISHING_PEN_MS` after they arrive, on every screen.
 */
import {
  VANISHING_PEN_MS,
  type AnnotationCleared,
  type AnnotationDrawn,
  type AnnotationErased,
  type AnnotationSync,
  type AuthoredAnnotation,
  type Participant,
  type PointerMoved,
} from '@sightline/protocol';
import { fromAnchored, placeBox, type BoxLike, type Placement, type Point } from './anchoring.js';
import { AnnotationView } from './annotation-view.js';
import { hitTestShapes, shapeOf, type HitCandidate, type Shape } from './geometry.js';
import { PointerTrack, PointerView } from './pointer-view.js';
import { layerScaffold } from './scaffold.js';
import { authorColor } from './svg.js';

/** Finds the element with rrweb node id `nodeId` in the anchor document, or null when it is gone. */
export type AnchorResolver = (nodeId: number) => Element | null;

/** A frame the layer shows. */
export type LayerFrame =
  AnnotationDrawn | AnnotationErased | AnnotationCleared | AnnotationSync | PointerMoved;

/** Construction options of an {@link AnnotationLayer}. */
export interface LayerOptions {
  /**
   * Where the anchor document's viewport sits in the layer, read once per layout.
   * @default the page's viewport, relative to the container's box at scale 1
   */
  placement?: () => Placement;
  /**
   * The tab whose annotations and pointers are shown (node ids are a tab's own); the others are
   * held but not drawn. `undefined` shows every one.
   * @default every tab
   */
  tabId?: () => string | undefined;
  /**
   * The clock vanishing strokes and laser trails age by, ms.
   * @default `performance.now()`
   */
  now?: () => number;
  /**
   * The colour of a participant's pointer (pointer frames carry none).
   * @default a colour from the user id, as the console's default drawing colours
   */
  colorOf?: (author: Participant) => string;
}

/** How long a vanishing-pen stroke takes to fade out, at the end of its `VANISHING_PEN_MS`. */
export const VANISHING_FADE_MS = 600;

/** How opaque the sketch's preview of an annotation being drawn is. */
const PREVIEW_OPACITY = 0.75;

interface Entry {
  view: AnnotationView;
  /** When the layer got it (the layer's clock). */
  since: number;
  /** Its geometry at the last layout, for the eraser; undefined when hidden. */
  shape?: Shape;
  scale: number;
  /** What its last layout was drawn from (box, scale, opacity): the same again changes nothing. */
  drawnFrom?: string;
}

/** Draws annotations and pointers over a page, anchored to its elements. */
export class AnnotationLayer {
  readonly #container: HTMLElement;
  readonly #resolve: AnchorResolver;
  readonly #placement: () => Placement;
  readonly #tabId: () => string | undefined;
  readonly #now: () => number;
  readonly #colorOf: (author: Participant) => string;
  readonly #doc: Document;
  readonly #svg: SVGSVGElement;
  readonly #dim: SVGRectElement;
  readonly #holes: SVGGElement;
  readonly #shapes: SVGGElement;
  readonly #pointerGroup: SVGGElement;
  readonly #entries = new Map<string, Entry>();
  readonly #pointers = new Map<string, { track: PointerTrack; view: PointerView }>();
  readonly #disposers: (() => void)[] = [];
  #preview: Entry | undefined;
  #frame: number | undefined;
  #disposed = false;

  /**
   * Adds the layer's `<svg>` to `container`, which must be positioned (the svg fills it) and
   * let pointer events through. `resolve` finds anchor elements by node id.
   */
  constructor(container: HTMLElement, resolve: AnchorResolver, options: LayerOptions = {}) {
    this.#container = container;
    this.#resolve = resolve;
    this.#doc = container.ownerDocument;
    const view = this.#doc.defaultView;
    this.#placement = options.placement ?? (() => this.#containerPlacement());
    this.#tabId = options.tabId ?? (() => undefined);
    this.#now = options.now ?? (() => (view ?? globalThis).performance.now());
    this.#colorOf = options.colorOf ?? ((author) => authorColor(author.userId));
    const scaffold = layerScaffold(this.#doc);
    this.#svg = scaffold.svg;
    this.#dim = scaffold.dim;
    this.#holes = scaffold.holes;
    this.#shapes = scaffold.shapes;
    this.#pointerGroup = scaffold.pointers;
    container.append(this.#svg);
    if (view) {
      // The next frame lays out, before it paints: laying out here too cost a second layout of
      // the page in the same frame (bench/annotations).
      const onChange = () => this.#schedule();
      const capture = { capture: true, passive: true } as const;
      // Capture: a scroll in any scroller of the page, which does not bubble.
      view.addEventListener('scroll', onChange, capture);
      view.addEventListener('resize', onChange, { passive: true });
      this.#disposers.push(() => {
        view.removeEventListener('scroll', onChange, capture);
        view.removeEventListener('resize', onChange);
      });
    }
  }

  /** The element the layer's svg fills; layer coordinates are relative to its box. */
  get container(): HTMLElement {
    return this.#container;
  }

  /** Shows a relayed frame: a drawing, an erasure, a clear, a tab's whole set, or a pointer. */
  apply(frame: LayerFrame): void {
    switch (frame.type) {
      case 'annotation.drawn':
        this.draw({ annotation: frame.annotation, author: frame.author });
        return;
      case 'annotation.erased':
        this.erase(frame.ids);
        return;
      case 'annotation.cleared':
        this.clear();
        return;
      case 'annotation.sync':
        this.sync(frame.tabId, frame.annotations);
        return;
      case 'pointer.moved':
        this.pointer(frame);
        return;
    }
  }

  /** Adds an annotation, or replaces the one with its id (in place, keeping its order). */
  draw(item: AuthoredAnnotation): void {
    this.#put(item);
    this.refresh();
  }

  #put(item: AuthoredAnnotation): void {
    if (this.#disposed) return;
    const { id } = item.annotation;
    const old = this.#entries.get(id);
    const view = new AnnotationView(this.#doc, item, this.#holes);
    if (old) old.view.group.replaceWith(view.group);
    else this.#shapes.append(view.group);
    old?.view.remove();
    // A vanishing stroke keeps its age when it comes again (a late joiner's sync).
    const keepAge = old && item.annotation.tool === 'vanishing_pen';
    this.#entries.set(id, { view, since: keepAge ? old.since : this.#now(), scale: 1 });
  }

  /** Removes annotations by id; unknown ids are ignored. */
  erase(ids: readonly string[]): void {
    for (const id of ids) {
      this.#entries.get(id)?.view.remove();
      this.#entries.delete(id);
    }
    this.refresh();
  }

  /** Removes every annotation (pointers stay: they are not annotations). */
  clear(): void {
    for (const entry of this.#entries.values()) entry.view.remove();
    this.#entries.clear();
    this.refresh();
  }

  /** Makes tab `tabId`'s annotations exactly `items` (a late joiner's `annotation.sync`). */
  sync(tabId: string, items: readonly AuthoredAnnotation[]): void {
    const kept = new Set(items.map((item) => item.annotation.id));
    const gone = [...this.#entries.entries()]
      .filter(([id, entry]) => entry.view.item.annotation.tabId === tabId && !kept.has(id))
      .map(([id]) => id);
    for (const id of gone) {
      this.#entries.get(id)?.view.remove();
      this.#entries.delete(id);
    }
    for (const item of items) this.#put(item);
    this.refresh();
  }

  /** Moves, or (without `nodeId`) removes, a participant's cursor highlight or laser. */
  pointer(moved: Omit<PointerMoved, 'type'>): void {
    if (this.#disposed) return;
    const key = `${moved.kind}:${moved.author.role}:${moved.author.userId}`;
    let pointer = this.#pointers.get(key);
    if (moved.nodeId === undefined || moved.at === undefined) {
      pointer?.view.remove();
      this.#pointers.delete(key);
      this.refresh();
      return;
    }
    if (!pointer || pointer.track.tabId !== moved.tabId) {
      pointer?.view.remove();
      const color = this.#colorOf(moved.author);
      pointer = {
        track: new PointerTrack(moved.kind, moved.author, moved.tabId),
        view: new PointerView(this.#doc, moved.kind, moved.author, color),
      };
      this.#pointerGroup.append(pointer.view.group);
      this.#pointers.set(key, pointer);
    }
    pointer.track.add({ nodeId: moved.nodeId, at: moved.at, time: this.#now() });
    this.refresh();
  }

  /**
   * Shows `item` as the drawing in progress (the sketch's live preview), above the others and not
   * in {@link AnnotationLayer.list}; `undefined` removes it.
   */
  preview(item: AuthoredAnnotation | undefined): void {
    this.#preview?.view.remove();
    this.#preview = undefined;
    if (item && !this.#disposed) {
      const view = new AnnotationView(this.#doc, item, this.#holes);
      this.#shapes.append(view.group);
      this.#preview = { view, since: this.#now(), scale: 1 };
    }
    this.refresh();
  }

  /** The annotations held now, in drawing order, every tab's; faded vanishing strokes are gone. */
  list(): AuthoredAnnotation[] {
    const now = this.#now();
    return [...this.#entries.values()]
      .filter((entry) => !this.#expired(entry, now))
      .map((entry) => entry.view.item);
  }

  /** The id of the shown annotation under layer point (`x`, `y`), for the eraser. */
  hitTest(x: number, y: number): string | undefined {
    const candidates: HitCandidate[] = [];
    for (const [id, entry] of this.#entries) {
      if (!entry.shape || !entry.view.visible) continue;
      const label = entry.view.labelBox;
      candidates.push({
        id,
        shape: entry.shape,
        strokeWidth: entry.view.item.annotation.width * entry.scale,
        ...(label ? { label } : {}),
      });
    }
    return hitTestShapes(candidates, { x, y });
  }

  /** Lays everything out now; the layer also does so by itself on every frame while it holds anything. */
  refresh(): void {
    if (this.#disposed) return;
    this.#layout();
    this.#schedule();
  }

  /** Removes the layer's svg and stops following the page. */
  dispose(): void {
    this.#disposed = true;
    if (this.#frame !== undefined) this.#doc.defaultView?.cancelAnimationFrame(this.#frame);
    this.#frame = undefined;
    for (const dispose of this.#disposers.splice(0)) dispose();
    this.#entries.clear();
    this.#pointers.clear();
    this.#preview = undefined;
    this.#svg.remove();
  }

  #expired(entry: Entry, now: number): boolean {
    return (
      entry.view.item.annotation.tool === 'vanishing_pen' && now - entry.since >= VANISHING_PEN_MS
    );
  }

  #schedule(): void {
    const view = this.#doc.defaultView;
    if (this.#frame !== undefined || this.#disposed || !view) return;
    if (this.#entries.size === 0 && this.#pointers.size === 0 && !this.#preview) return;
    this.#frame = view.requestAnimationFrame(() => {
      this.#frame = undefined;
      this.refresh();
    });
  }

  #containerPlacement(): Placement {
    const box = this.#container.getBoundingClientRect();
    return { x: -box.left, y: -box.top, scale: 1 };
  }

  #layout(): void {
    const now = this.#now();
    const tabId = this.#tabId();
    const shown = (tab: string) => tabId === undefined || tab === tabId;
    // Reads first, then writes: every box is measured before any attribute changes, so the
    // page is laid out at most once per layout, however many annotations there are.
    const placement = this.#placement();
    const boxes = new Map<number, BoxLike | undefined>();
    const boxOf = (nodeId: number): BoxLike | undefined => {
      // Several annotations on one element measure it once.
      if (boxes.has(nodeId)) return boxes.get(nodeId);
      const rect = anchorRect(this.#resolve(nodeId));
      const placed = rect && placeBox(rect, placement);
      boxes.set(nodeId, placed);
      return placed;
    };
    const expired: string[] = [];
    const planned: [Entry, BoxLike | undefined, number][] = [];
    for (const [id, entry] of this.#entries) {
      const { annotation } = entry.view.item;
      if (this.#expired(entry, now)) {
        expired.push(id);
        continue;
      }
      const age = now - entry.since;
      const opacity =
        annotation.tool === 'vanishing_pen'
          ? Math.min(1, (VANISHING_PEN_MS - age) / VANISHING_FADE_MS)
          : 1;
      planned.push([
        entry,
        shown(annotation.tabId) ? boxOf(annotation.nodeId) : undefined,
        opacity,
      ]);
    }
    if (this.#preview) {
      const { annotation } = this.#preview.view.item;
      const box = shown(annotation.tabId) ? boxOf(annotation.nodeId) : undefined;
      planned.push([this.#preview, box, PREVIEW_OPACITY]);
    }
    const pointers = [...this.#pointers].map(([key, pointer]) => {
      const alive = pointer.track.prune(now);
      const points = pointer.track.samples.map((sample): Point | undefined => {
        const box = shown(pointer.track.tabId) ? boxOf(sample.nodeId) : undefined;
        return box && fromAnchored(sample.at, box);
      });
      return { key, pointer, alive, points };
    });

    for (const id of expired) {
      this.#entries.get(id)?.view.remove();
      this.#entries.delete(id);
    }
    let dims = false;
    for (const [entry, box, opacity] of planned) {
      if (!box) {
        entry.shape = undefined;
        entry.drawnFrom = undefined;
        entry.view.hide();
        continue;
      }
      dims ||= entry.view.dims;
      const from = `${box.left},${box.top},${box.width},${box.height},${placement.scale},${opacity}`;
      // Nothing moved (a still page): the shape and its attributes stay as they are.
      if (entry.drawnFrom === from) continue;
      entry.drawnFrom = from;
      entry.scale = placement.scale;
      entry.shape = shapeOf(entry.view.item.annotation, box, placement.scale);
      entry.view.update(entry.shape, opacity, placement.scale);
      dims ||= entry.view.dims;
    }
    if (dims) this.#dim.removeAttribute('display');
    else if (this.#dim.getAttribute('display') !== 'none')
      this.#dim.setAttribute('display', 'none');
    for (const { key, pointer, alive, points } of pointers) {
      if (!alive) {
        pointer.view.remove();
        this.#pointers.delete(key);
        continue;
      }
      pointer.view.update(
        points,
        pointer.track.samples.map((sample) => now - sample.time),
      );
    }
  }
}

/** An anchor element's border box in its viewport, or undefined when it is gone or not rendered. */
function anchorRect(element: Element | null): BoxLike | undefined {
  // `nodeType`, not `instanceof`: the mirror's elements belong to another window.
  if (!element || element.nodeType !== 1 || !element.isConnected) return undefined;
  const rect = element.getBoundingClientRect();
  // `display: none` (itself or an ancestor) gives an empty rect and no boxes at all.
  if (rect.width === 0 && rect.height === 0 && element.getClientRects().length === 0) {
    return undefined;
  }
  return rect;
}
