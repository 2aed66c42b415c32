/**
 * @module
 * The sketch: pointer gestures on a surface become annotations. While a stroke or shape is drawn
 * the layer previews it, anchored to the element under its start; when the pointer lifts it is
 * re-anchored where its tool looks for an anchor (`gesture.ts`) and handed over whole, so one
 * `annotation.draw` goes out per drawing. The eraser asks the layer what is under the pointer;
 * the laser and the cursor highlight report anchored pointer positions. The sketch sends
 * nothing itself: its owner sends, applies and records what it reports.
 */
import type { Annotation, AnnotationTool, Participant, PointerMove } from '@sightline/protocol';
import { toAnchored, type Point } from './anchoring.js';
import {
  anchorProbe,
  anchoredAnnotation,
  chooseAnchor,
  gesturePoints,
  hitList,
  newAnnotationId,
  type SketchHits,
} from './gesture.js';
import type { AnnotationLayer } from './layer.js';
import { askTextInline } from './text-entry.js';

/** The sketch's tools: the drawing tools, the eraser and the laser pointer. */
export type SketchTool = AnnotationTool | 'eraser' | 'laser';

/** A pointer position to send (`pointer.move` without its type). */
export type PointerPosition = Omit<PointerMove, 'type'>;

/** Construction options of a {@link Sketch}. */
export interface SketchOptions {
  /** The element that receives the pointer (positioned, `pointer-events: auto` while drawing). */
  surface: HTMLElement;
  /** The layer that previews and that the eraser asks. */
  layer: AnnotationLayer;
  /** The page's elements under a point of the surface's viewport, innermost first, with their boxes in it. */
  hitTest(clientX: number, clientY: number): SketchHits;
  /** The tab drawn on; nothing is drawn while it is undefined. */
  tabId(): string | undefined;
  /** Who draws (for the preview's tag). */
  author(): Participant | undefined;
  tool(): SketchTool;
  color(): string;
  width(): number;
  /** A drawing is finished. */
  onDraw(annotation: Annotation): void;
  /** The eraser went over these annotations (each reported once per gesture). */
  onErase?(ids: string[]): void;
  /** The laser moved (pressed or not), or, with another tool, the hovering cursor did; no `nodeId` when it left. */
  onPointer?(position: PointerPosition): void;
  /**
   * Asks for a text label's words at a point of the surface.
   * @default a small input on the surface: Enter keeps it, Escape drops it
   */
  askText?(surface: HTMLElement, clientX: number, clientY: number): Promise<string | undefined>;
  /** @default 16 random letters and digits */
  newId?(): string;
}

/** Closer moves than this (px) add no point to a stroke. */
const MIN_STEP_PX = 1;

/** Turns pointer gestures on a surface into annotations. */
export class Sketch {
  readonly #options: SketchOptions;
  readonly #disposers: (() => void)[] = [];
  #gesture: { pointerId: number; tool: AnnotationTool; raw: Point[]; id: string } | undefined;
  #erasing: { pointerId: number; erased: Set<string> } | undefined;
  #pointerShown: PointerPosition['kind'] | undefined;

  constructor(options: SketchOptions) {
    this.#options = options;
    const { surface } = options;
    this.#listen(surface, 'pointerdown', (event) => this.#down(event));
    this.#listen(surface, 'pointermove', (event) => this.#move(event));
    this.#listen(surface, 'pointerup', (event) => this.#up(event));
    this.#listen(surface, 'pointercancel', () => this.cancel());
    this.#listen(surface, 'pointerleave', () => this.#leave());
  }

  /** Whether a stroke or shape is being drawn. */
  get drawing(): boolean {
    return this.#gesture !== undefined;
  }

  /** Drops the drawing in progress, if any. */
  cancel(): void {
    if (this.#gesture) this.#options.layer.preview(undefined);
    this.#gesture = undefined;
    this.#erasing = undefined;
  }

  /** Stops listening; a drawing in progress is dropped and a shown pointer withdrawn. */
  dispose(): void {
    this.cancel();
    this.#leave();
    for (const dispose of this.#disposers.splice(0)) dispose();
  }

  #listen(target: HTMLElement, type: string, handler: (event: PointerEvent) => void): void {
    const listener = (event: Event) => handler(event as PointerEvent);
    target.addEventListener(type, listener);
    this.#disposers.push(() => target.removeEventListener(type, listener));
  }

  #down(event: PointerEvent): void {
    if (event.button !== 0 || !event.isPrimary) return;
    const tool = this.#options.tool();
    const tabId = this.#options.tabId();
    if (tabId === undefined) return;
    event.preventDefault();
    const point = { x: event.clientX, y: event.clientY };
    if (tool === 'laser') {
      this.#pointer('laser', point);
      return;
    }
    capture(this.#options.surface, event.pointerId);
    if (tool === 'eraser') {
      this.#erasing = { pointerId: event.pointerId, erased: new Set() };
      this.#erase(point);
      return;
    }
    if (tool === 'text') {
      void this.#text(point);
      return;
    }
    this.#gesture = {
      pointerId: event.pointerId,
      tool,
      raw: [point],
      id: this.#options.newId?.() ?? newAnnotationId(),
    };
    this.#preview();
  }

  #move(event: PointerEvent): void {
    const point = { x: event.clientX, y: event.clientY };
    const tool = this.#options.tool();
    if (tool === 'laser' || (!this.#gesture && !this.#erasing)) {
      this.#pointer(tool === 'laser' ? 'laser' : 'cursor', point);
    }
    if (this.#erasing?.pointerId === event.pointerId) {
      this.#erase(point);
      return;
    }
    const gesture = this.#gesture;
    if (gesture?.pointerId !== event.pointerId) return;
    const events = event.getCoalescedEvents?.() ?? [];
    for (const each of events.length > 0 ? events : [event]) {
      const next = { x: each.clientX, y: each.clientY };
      const last = gesture.raw[gesture.raw.length - 1];
      if (last && Math.hypot(next.x - last.x, next.y - last.y) < MIN_STEP_PX) continue;
      if (gesture.tool === 'pen' || gesture.tool === 'vanishing_pen') gesture.raw.push(next);
      else gesture.raw = [gesture.raw[0] ?? next, next];
    }
    this.#preview();
  }

  #up(event: PointerEvent): void {
    if (this.#erasing?.pointerId === event.pointerId) {
      this.#erasing = undefined;
      return;
    }
    const gesture = this.#gesture;
    if (gesture?.pointerId !== event.pointerId) return;
    this.#gesture = undefined;
    this.#options.layer.preview(undefined);
    const annotation = this.#finish(gesture.tool, gesture.raw, gesture.id);
    if (annotation) this.#options.onDraw(annotation);
  }

  #leave(): void {
    const kind = this.#pointerShown;
    const tabId = this.#options.tabId();
    this.#pointerShown = undefined;
    if (kind && tabId !== undefined) this.#options.onPointer?.({ kind, tabId });
  }

  #finish(tool: AnnotationTool, raw: readonly Point[], id: string, text?: string) {
    const tabId = this.#options.tabId();
    const points = gesturePoints(tool, raw);
    if (!points || tabId === undefined) return undefined;
    const probe = anchorProbe(tool, points);
    const anchor =
      chooseAnchor(this.#options.hitTest(probe.x, probe.y), points) ??
      // A shape's centre can fall on nothing (between elements): its start still anchors it.
      chooseAnchor(this.#options.hitTest(raw[0]?.x ?? probe.x, raw[0]?.y ?? probe.y), points);
    if (!anchor) return undefined;
    const { color, width } = this.#fields();
    return anchoredAnnotation(
      { id, tool, tabId, color, width, ...(text ? { text } : {}) },
      points,
      anchor,
    );
  }

  #preview(): void {
    const gesture = this.#gesture;
    const author = this.#options.author();
    const tabId = this.#options.tabId();
    const start = gesture?.raw[0];
    if (!gesture || gesture.tool === 'text' || !author || tabId === undefined || !start) return;
    // The preview stays on the element under the start, so it does not jump while drawn.
    const anchor = chooseAnchor(this.#options.hitTest(start.x, start.y), gesture.raw);
    if (!anchor) return;
    const { color, width } = this.#fields();
    const annotation = anchoredAnnotation(
      { id: gesture.id, tool: gesture.tool, tabId, color, width },
      gesture.raw,
      anchor,
    );
    this.#options.layer.preview({ annotation, author });
  }

  async #text(point: Point): Promise<void> {
    const ask = this.#options.askText ?? askTextInline;
    const text = (await ask(this.#options.surface, point.x, point.y))?.trim();
    if (!text) return;
    const annotation = this.#finish(
      'text',
      [point],
      this.#options.newId?.() ?? newAnnotationId(),
      text,
    );
    if (annotation) this.#options.onDraw(annotation);
  }

  #erase(point: Point): void {
    const erasing = this.#erasing;
    const { layer } = this.#options;
    const origin = layer.container.getBoundingClientRect();
    const id = layer.hitTest(point.x - origin.left, point.y - origin.top);
    if (!erasing || id === undefined || erasing.erased.has(id)) return;
    erasing.erased.add(id);
    this.#options.onErase?.([id]);
  }

  #pointer(kind: PointerPosition['kind'], point: Point): void {
    const tabId = this.#options.tabId();
    if (!this.#options.onPointer || tabId === undefined) return;
    const hit = hitList(this.#options.hitTest(point.x, point.y)).find(
      (each) => each.box.width > 0 && each.box.height > 0,
    );
    if (!hit) {
      this.#leave();
      return;
    }
    // A cursor that turns into a laser (or back) leaves as the one and arrives as the other.
    if (this.#pointerShown && this.#pointerShown !== kind) this.#leave();
    this.#pointerShown = kind;
    this.#options.onPointer({ kind, tabId, nodeId: hit.nodeId, at: toAnchored(point, hit.box) });
  }

  #fields(): { color: string; width: number } {
    return { color: this.#options.color(), width: this.#options.width() };
  }
}

function capture(surface: HTMLElement, pointerId: number): void {
  try {
    surface.setPointerCapture(pointerId);
  } catch {
    // A synthetic or already-released pointer cannot be captured; the gesture still works.
  }
}
