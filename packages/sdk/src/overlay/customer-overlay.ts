/**
 * @module
 * The customer's overlay (ADR 0012): what agents (and the customer) draw on this tab, drawn over
 * the page in the SDK's own host (`overlay-host.ts`), anchored to the page's elements by their
 * rrweb node ids, and never captured. It changes nothing of the page: no element of it gets a
 * style or an attribute, and the page's pointer events pass through, except while the customer
 * draws (`startDrawing`), when a surface in the overlay takes them until Done or Escape.
 */
import {
  AnnotationLayer,
  Sketch,
  type AnchorResolver,
  type SketchHit,
  type SketchTool,
} from '@sightline/client';
import type {
  AnnotationClear,
  AnnotationCleared,
  AnnotationDraw,
  AnnotationDrawn,
  AnnotationErase,
  AnnotationErased,
  AnnotationSync,
  AuthoredAnnotation,
  Participant,
  PointerMoved,
} from '@sightline/protocol';
import { SDK_HOST_TAG, createOverlayHost, type OverlayHost } from './overlay-host.js';

/** A relayed frame the overlay shows. */
export type OverlayFrame = AnnotationDrawn | AnnotationErased | AnnotationCleared | PointerMoved;

/** A frame the customer's drawing asks to send. */
export type CustomerDrawingFrame = AnnotationDraw | AnnotationErase | AnnotationClear;

/** What the overlay needs of its session besides the resolver. */
export interface CustomerOverlayOptions {
  /** This tab's id: what is drawn here is on it, and only its annotations are shown. */
  readonly tabId: string;
  /** The rrweb node id of a page node (`record.mirror.getId`), for the customer's own drawings. */
  idOf(node: Node): number | undefined;
  /**
   * The clock vanishing strokes age by, ms.
   * @default `performance.now()`
   */
  now?: () => number;
}

/** How the customer draws (`startDrawing`). */
export interface CustomerDrawingOptions {
  tool: SketchTool;
  color: string;
  width: number;
  author: Participant;
  /** A frame to send: the customer drew or erased. */
  onFrame(frame: CustomerDrawingFrame): void;
  /** The customer ended drawing from the overlay (Done or Escape), not by the returned function. */
  onEnd?(): void;
}

/** Most elements under a point the customer's drawing considers as its anchor. */
const ANCHOR_CANDIDATES = 16;

/** Annotations and pointers over the customer's page. */
export class CustomerOverlay {
  readonly #document: Document;
  readonly #options: CustomerOverlayOptions;
  readonly #parts: OverlayHost;
  readonly #layer: AnnotationLayer;
  #stopDrawing: (() => void) | undefined;

  /** Adds the overlay's host to the page; `resolve` finds elements by rrweb node id. */
  constructor(document: Document, resolve: AnchorResolver, options: CustomerOverlayOptions) {
    this.#document = document;
    this.#options = options;
    this.#parts = createOverlayHost(document);
    this.#layer = new AnnotationLayer(this.#parts.layer, resolve, {
      tabId: () => options.tabId,
      ...(options.now ? { now: options.now } : {}),
    });
  }

  /** Shows a relayed frame, or (a list) makes this tab's annotations exactly those. */
  apply(frame: OverlayFrame | AnnotationSync['annotations']): void {
    if (Array.isArray(frame)) this.#layer.sync(this.#options.tabId, frame);
    else this.#layer.apply(frame as OverlayFrame);
  }

  /** Shows an annotation the customer drew (the server relays it to the others only). */
  drawnByCustomer(item: AuthoredAnnotation): void {
    this.#layer.draw(item);
  }

  /** The annotations shown or held now (faded vanishing strokes gone). */
  list(): AuthoredAnnotation[] {
    return this.#layer.list();
  }

  /**
   * Lets the customer draw: a surface over the page takes the pointer (the page gets none of it
   * meanwhile), with a Done button; Escape ends it too. Returns the function that ends it.
   */
  startDrawing(options: CustomerDrawingOptions): () => void {
    this.#stopDrawing?.();
    const doc = this.#document;
    const { root } = this.#parts;
    const surface = doc.createElement('div');
    surface.className = 'surface';
    const bar = doc.createElement('div');
    bar.className = 'drawing-bar';
    bar.setAttribute('role', 'toolbar');
    const hint = doc.createElement('span');
    hint.textContent = 'Drawing on the page';
    const done = doc.createElement('button');
    done.type = 'button';
    done.textContent = 'Done';
    bar.append(hint, done);
    root.append(surface, bar);
    const sketch = new Sketch({
      surface,
      layer: this.#layer,
      hitTest: (x, y) => this.#hitTest(x, y),
      tabId: () => this.#options.tabId,
      author: () => options.author,
      tool: () => options.tool,
      color: () => options.color,
      width: () => options.width,
      onDraw: (annotation) => {
        this.#layer.draw({ annotation, author: options.author });
        options.onFrame({ type: 'annotation.draw', annotation });
      },
      onErase: (ids) => {
        this.#layer.erase(ids);
        options.onFrame({ type: 'annotation.erase', ids });
      },
    });
    const stop = () => {
      if (this.#stopDrawing !== stop) return;
      this.#stopDrawing = undefined;
      sketch.dispose();
      surface.remove();
      bar.remove();
      doc.removeEventListener('keydown', onKey, true);
    };
    const endFromOverlay = () => {
      if (this.#stopDrawing !== stop) return;
      stop();
      options.onEnd?.();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      // Escape is the overlay's while the customer draws: the page's dialogs stay open.
      event.stopPropagation();
      event.preventDefault();
      if (sketch.drawing) sketch.cancel();
      else endFromOverlay();
    };
    done.addEventListener('click', endFromOverlay);
    doc.addEventListener('keydown', onKey, true);
    this.#stopDrawing = stop;
    return stop;
  }

  /** Lays everything out now (the overlay also does on every frame while it holds anything). */
  refresh(): void {
    this.#layer.refresh();
  }

  /** Removes the overlay: the page is as it was. */
  dispose(): void {
    this.#stopDrawing?.();
    this.#layer.dispose();
    this.#parts.host.remove();
  }

  /** The page's elements under a viewport point, innermost first, the SDK's own left out. */
  #hitTest(clientX: number, clientY: number): SketchHit[] {
    const hits: SketchHit[] = [];
    for (const element of this.#document.elementsFromPoint(clientX, clientY)) {
      if (element.localName === SDK_HOST_TAG) continue;
      const nodeId = this.#options.idOf(element);
      if (nodeId === undefined || nodeId <= 0) continue;
      hits.push({ nodeId, box: element.getBoundingClientRect() });
      if (hits.length >= ANCHOR_CANDIDATES) break;
    }
    return hits;
  }
}
