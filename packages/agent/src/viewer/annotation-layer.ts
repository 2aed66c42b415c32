/**
 * @module
 * Annotations over the agent's mirror (ADR 0012): the same layer as on the customer's page, over
 * the replay frame, so the agent sees every annotation where the customer does. Anchors are the
 * frame's elements, found by rrweb node id through the replayer's mirror (the ids the customer's
 * page uses); their boxes, read in the frame's viewport, are placed in the stage through the
 * frame's offset and the fit's scale, read once per layout. Only the tab the mirror shows is
 * drawn: node ids belong to one tab's stream.
 *
 * The agent draws through {@link MirrorAnnotations.startSketch}, a surface over the mirror while
 * a drawing tool is chosen. The replay frame stays scriptless and untouched: elements are found
 * from the console's side (`elementsFromPoint` through the frame's `allow-same-origin`).
 */
import {
  AnnotationHistory,
  AnnotationLayer,
  Sketch,
  framePlacement,
  toAnchored,
  type HistoryFrame,
  type LayerFrame,
  type PointerPosition,
  type SketchHit,
  type SketchTool,
} from '@sightline/client';
import type { Annotation, AuthoredAnnotation, Participant, PointerKind } from '@sightline/protocol';

/** What the annotations need of the mirror (`Mirror` has it all). */
export interface MirrorAnnotationsAccess {
  /** The element the page is drawn in; the layer and the sketch surface are added to it. */
  readonly stage: HTMLElement;
  /** The replay frame, once there is one. */
  readonly frame: HTMLIFrameElement | undefined;
  /** The customer's tab shown. */
  readonly shownTabId: string | undefined;
  /** The frame's node with rrweb id `id`, if it is there. */
  nodeOf(id: number): Node | null;
  /** The rrweb id of a node of the frame. */
  idOf(node: Node): number | undefined;
}

/** Construction options of {@link MirrorAnnotations}. */
export interface MirrorAnnotationsOptions {
  /**
   * The clock vanishing strokes and laser trails age by, ms.
   * @default `performance.now()`
   */
  now?: () => number;
}

/** How the agent draws on the mirror (`startSketch`). */
export interface MirrorSketchOptions {
  /** The tool now: a drawing tool, the eraser or the laser. Read at each gesture. */
  tool(): SketchTool;
  color(): string;
  width(): number;
  /** This agent, once joined; nothing is drawn before. */
  author(): Participant | undefined;
  /** Send this drawing (`session.draw`). It is already shown here. */
  onDraw(annotation: Annotation): void;
  /** Send this erasure (`session.erase`). It is already done here. */
  onErase(ids: string[]): void;
  /** Send this pointer position (`session.pointer`): the laser, or the hovering cursor. */
  onPointer?(position: PointerPosition): void;
  /** Asks for a text label's words; the default is a small input on the mirror. */
  askText?(surface: HTMLElement, clientX: number, clientY: number): Promise<string | undefined>;
}

const LAYER_STYLE = 'position:absolute;inset:0;z-index:1;pointer-events:none;overflow:hidden;';
const SURFACE_STYLE =
  'position:absolute;inset:0;z-index:2;pointer-events:auto;cursor:crosshair;touch-action:none;';

/** Most elements under a point considered as a drawing's anchor. */
const ANCHOR_CANDIDATES = 16;

/** The annotations and pointers over one mirror, and this agent's drawing on it. */
export class MirrorAnnotations {
  readonly #mirror: MirrorAnnotationsAccess;
  readonly #container: HTMLDivElement;
  readonly #layer: AnnotationLayer;
  /** This agent's undo and redo. */
  readonly history = new AnnotationHistory();
  #stopSketch: (() => void) | undefined;

  constructor(mirror: MirrorAnnotationsAccess, options: MirrorAnnotationsOptions = {}) {
    this.#mirror = mirror;
    const doc = mirror.stage.ownerDocument;
    this.#container = doc.createElement('div');
    this.#container.className = 'sightline-annotations';
    this.#container.style.cssText = LAYER_STYLE;
    mirror.stage.append(this.#container);
    this.#layer = new AnnotationLayer(
      this.#container,
      (id) => {
        const node = mirror.nodeOf(id);
        // `nodeType`, not `instanceof`: the frame's nodes belong to its own window.
        return node && node.nodeType === 1 ? (node as Element) : null;
      },
      {
        tabId: () => mirror.shownTabId,
        placement: () => this.#placement(),
        ...(options.now ? { now: options.now } : {}),
      },
    );
  }

  /**
   * Shows a frame: one relayed by the server, or this agent's own (the SDK reports those as
   * local events; applying one the sketch already showed changes nothing).
   */
  apply(frame: LayerFrame): void {
    this.#layer.apply(frame);
  }

  /** The annotations held now, every tab's (faded vanishing strokes gone). */
  list(): AuthoredAnnotation[] {
    return this.#layer.list();
  }

  /**
   * The page's elements under a console point, innermost first, with their boxes in console px;
   * none outside the page.
   */
  hitTest(clientX: number, clientY: number): SketchHit[] {
    const frame = this.#mirror.frame;
    const doc = frame?.contentDocument;
    if (!frame || !doc) return [];
    const frameRect = frame.getBoundingClientRect();
    const scale =
      frameRect.width > 0 && frame.clientWidth > 0 ? frameRect.width / frame.clientWidth : 1;
    const x = (clientX - frameRect.left) / scale;
    const y = (clientY - frameRect.top) / scale;
    if (x < 0 || y < 0 || x > frame.clientWidth || y > frame.clientHeight) return [];
    const hits: SketchHit[] = [];
    for (const element of doc.elementsFromPoint(x, y)) {
      const nodeId = this.#mirror.idOf(element);
      if (nodeId === undefined) continue;
      const box = element.getBoundingClientRect();
      hits.push({
        nodeId,
        box: {
          left: frameRect.left + box.left * scale,
          top: frameRect.top + box.top * scale,
          width: box.width * scale,
          height: box.height * scale,
        },
      });
      if (hits.length >= ANCHOR_CANDIDATES) break;
    }
    return hits;
  }

  /** The pointer position of a console point on the shown tab, or undefined off the page. */
  pointerAt(kind: PointerKind, clientX: number, clientY: number): PointerPosition | undefined {
    const tabId = this.#mirror.shownTabId;
    const hit = this.hitTest(clientX, clientY).find((h) => h.box.width > 0 && h.box.height > 0);
    if (tabId === undefined || !hit) return undefined;
    return { kind, tabId, nodeId: hit.nodeId, at: toAnchored({ x: clientX, y: clientY }, hit.box) };
  }

  /**
   * Lets the agent draw: a surface over the mirror takes the pointer until the returned function
   * is called. Drawings and erasures are shown here at once, recorded in {@link history}, and
   * handed to `options` to send; the laser's trail shows here too.
   */
  startSketch(options: MirrorSketchOptions): () => void {
    this.#stopSketch?.();
    const surface = this.#mirror.stage.ownerDocument.createElement('div');
    surface.className = 'sightline-sketch';
    surface.setAttribute('data-testid', 'mirror-sketch');
    surface.style.cssText = SURFACE_STYLE;
    this.#mirror.stage.append(surface);
    const sketch = new Sketch({
      surface,
      layer: this.#layer,
      hitTest: (x, y) => this.hitTest(x, y),
      tabId: () => this.#mirror.shownTabId,
      author: options.author,
      tool: options.tool,
      color: options.color,
      width: options.width,
      ...(options.askText ? { askText: options.askText } : {}),
      onDraw: (annotation) => {
        const author = options.author();
        if (!author) return;
        this.#record({ type: 'annotation.draw', annotation }, author);
        options.onDraw(annotation);
      },
      onErase: (ids) => {
        const author = options.author();
        if (!author) return;
        this.#record({ type: 'annotation.erase', ids }, author);
        options.onErase(ids);
      },
      onPointer: (position) => {
        const author = options.author();
        // Only the laser is drawn for its owner: the agent's own cursor is the cursor itself.
        if (author && position.kind === 'laser') this.#layer.pointer({ ...position, author });
        options.onPointer?.(position);
      },
    });
    const stop = () => {
      if (this.#stopSketch !== stop) return;
      this.#stopSketch = undefined;
      sketch.dispose();
      surface.remove();
    };
    this.#stopSketch = stop;
    return stop;
  }

  /**
   * This agent clears every annotation: done here and recorded (undo draws them back). Returns
   * the frame to send (`session.clear()`).
   */
  clearAll(author: Participant): HistoryFrame {
    const frame: HistoryFrame = { type: 'annotation.clear' };
    this.#record(frame, author);
    return frame;
  }

  /** Undoes this agent's last step here; returns the frames to send, in order. */
  undo(author: Participant): HistoryFrame[] {
    return this.#applyOwn(this.history.undo(), author);
  }

  /** Redoes this agent's last undone step here; returns the frames to send, in order. */
  redo(author: Participant): HistoryFrame[] {
    return this.#applyOwn(this.history.redo(), author);
  }

  /** Lays out now (the layer also does on every frame while it holds anything). */
  refresh(): void {
    this.#layer.refresh();
  }

  /** Removes the layer and any drawing surface. */
  dispose(): void {
    this.#stopSketch?.();
    this.#layer.dispose();
    this.#container.remove();
  }

  #record(frame: HistoryFrame, author: Participant): void {
    this.history.record(
      frame,
      this.#layer.list().map((item) => item.annotation),
    );
    this.#applyOwn([frame], author);
  }

  #applyOwn(frames: HistoryFrame[], author: Participant): HistoryFrame[] {
    for (const frame of frames) {
      switch (frame.type) {
        case 'annotation.draw':
          this.#layer.draw({ annotation: frame.annotation, author });
          break;
        case 'annotation.erase':
          this.#layer.erase(frame.ids);
          break;
        case 'annotation.clear':
          this.#layer.clear();
          break;
      }
    }
    return frames;
  }

  #placement() {
    const frame = this.#mirror.frame;
    const container = this.#container.getBoundingClientRect();
    if (!frame) return { x: -container.left, y: -container.top, scale: 1 };
    return framePlacement(frame.getBoundingClientRect(), frame.clientWidth, container);
  }
}
