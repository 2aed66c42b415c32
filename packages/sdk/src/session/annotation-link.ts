/**
 * @module
 * Internal: annotations on this tab, between the server and the customer's overlay (ADR 0012).
 * Incoming drawings, erasures, clears and pointers go to the overlay (`../overlay/`), which
 * anchors them to the page's elements by rrweb node id; an agent's only in `guided` and above and
 * while the page allows agents to draw (`allowAgentAnnotation`), as the server checks too. With
 * every snapshot an agent starts from (`dom.snapshot_request`) the tab's current set goes to the
 * server (`annotation.sync`), so a late joiner sees what the customer sees. The customer draws
 * from the banner's Draw button when `allowCustomerAnnotation` allows it.
 */
import {
  CONTROL_MODE_RANK,
  type AnnotationClear,
  type AnnotationCleared,
  type AnnotationDraw,
  type AnnotationDrawn,
  type AnnotationErase,
  type AnnotationErased,
  type AnnotationSync,
  type AuthoredAnnotation,
  type ControlMode,
  type Participant,
  type PointerMoved,
} from '@sightline/protocol';

/** The most annotations one `annotation.sync` carries (the schema's limit). */
const SYNC_MAX = 512;

/** The customer's pen. */
const CUSTOMER_PEN = { tool: 'pen', color: '#0b63ce', width: 4 } as const;

/** A frame the overlay draws. */
export type OverlayFrame = AnnotationDrawn | AnnotationErased | AnnotationCleared | PointerMoved;

/** A frame the customer's drawing sends. */
export type CustomerDrawingFrame = AnnotationDraw | AnnotationErase | AnnotationClear;

/** The customer's overlay as this link uses it (`CustomerOverlay` of `../overlay/`). */
export interface Overlay {
  apply(frame: OverlayFrame | AnnotationSync['annotations']): void;
  list(): AuthoredAnnotation[];
  startDrawing(options: {
    tool: typeof CUSTOMER_PEN.tool;
    color: string;
    width: number;
    author: Participant;
    onFrame(frame: CustomerDrawingFrame): void;
    /** The customer ended drawing from the overlay itself (its Done, or Escape). */
    onEnd?(): void;
  }): () => void;
  dispose(): void;
}

/** What the link needs. */
export interface AnnotationLinkOptions {
  readonly tabId: string;
  readonly allowAgentAnnotation: boolean;
  readonly allowCustomerAnnotation: boolean;
  /** Makes the overlay, on first use; `undefined` where there is no page. */
  readonly createOverlay: (() => Overlay) | undefined;
  /** The session's control mode now. */
  readonly mode: () => ControlMode;
  /** The customer as the server knows them (from the welcome). */
  readonly self: () => Participant | undefined;
  readonly send: (frame: AnnotationSync | CustomerDrawingFrame) => void;
  /** Whether the customer is drawing changed. */
  readonly drawingChanged: (drawing: boolean) => void;
}

/** One tab's annotations. */
export class AnnotationLink {
  readonly #options: AnnotationLinkOptions;
  #overlay: Overlay | undefined;
  #stopDrawing: (() => void) | undefined;

  constructor(options: AnnotationLinkOptions) {
    this.#options = options;
  }

  /** Whether the customer may draw on this page. */
  get customerMayDraw(): boolean {
    return this.#options.allowCustomerAnnotation && this.#options.createOverlay !== undefined;
  }

  /** Whether the customer is drawing. */
  get drawing(): boolean {
    return this.#stopDrawing !== undefined;
  }

  /** An annotation or pointer frame arrived. */
  received(frame: OverlayFrame): void {
    if (
      (frame.type === 'annotation.drawn' || frame.type === 'pointer.moved') &&
      !this.#admits(frame)
    ) {
      return;
    }
    this.#overlayOrNew()?.apply(frame);
  }

  /** An agent starts from a snapshot of this tab: the annotations on it go along. */
  snapshotRequested(): void {
    const annotations = (this.#overlay?.list() ?? [])
      .filter((item) => item.annotation.tabId === this.#options.tabId)
      .slice(-SYNC_MAX);
    this.#options.send({ type: 'annotation.sync', tabId: this.#options.tabId, annotations });
  }

  /** The banner's Draw: starts the customer's pen, or stops it. */
  toggleDrawing(): void {
    if (this.#stopDrawing) {
      this.#stopDrawing();
      this.#stopDrawing = undefined;
      this.#options.drawingChanged(false);
      return;
    }
    const author = this.#options.self();
    const overlay = this.customerMayDraw ? this.#overlayOrNew() : undefined;
    if (!author || !overlay) return;
    this.#stopDrawing = overlay.startDrawing({
      ...CUSTOMER_PEN,
      author,
      onFrame: (frame) => this.#options.send(frame),
      onEnd: () => {
        this.#stopDrawing = undefined;
        this.#options.drawingChanged(false);
      },
    });
    this.#options.drawingChanged(true);
  }

  /** Nobody sees the page any more: the customer's pen is put down. */
  stopDrawing(): void {
    if (this.#stopDrawing) this.toggleDrawing();
  }

  /** Removes the overlay and everything on it. */
  dispose(): void {
    this.#stopDrawing?.();
    this.#stopDrawing = undefined;
    this.#overlay?.dispose();
    this.#overlay = undefined;
  }

  /** Whether a drawing or pointer of `frame.author` for `frame.tabId` is shown here. */
  #admits(frame: AnnotationDrawn | PointerMoved): boolean {
    const tabId = frame.type === 'annotation.drawn' ? frame.annotation.tabId : frame.tabId;
    if (tabId !== this.#options.tabId) return false;
    if (frame.author.role === 'customer') return this.#options.allowCustomerAnnotation;
    return (
      this.#options.allowAgentAnnotation &&
      CONTROL_MODE_RANK[this.#options.mode()] >= CONTROL_MODE_RANK.guided
    );
  }

  #overlayOrNew(): Overlay | undefined {
    this.#overlay ??= this.#options.createOverlay?.();
    return this.#overlay;
  }
}
