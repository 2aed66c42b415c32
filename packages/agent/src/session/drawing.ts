/**
 * @module
 * Internal: the agent's annotations over its own mirror (ADR 0012). Every annotation the session
 * hears, and every one this agent makes, is shown where the customer sees it
 * (`MirrorAnnotations`). The tool chosen decides what the pointer does on the mirror: act on the
 * page (`interact`, the input layer's business), draw with a drawing tool, erase, point with the
 * laser, or nothing. Drawing is offered only while the server would relay it (`drawingBlock`), so
 * a stroke is never shown here that the customer does not get.
 */
import type { HistoryFrame, LayerFrame, SketchTool } from '@sightline/client';
import {
  CONTROL_MODE_RANK,
  toSightlineError,
  type Annotation,
  type AuthoredAnnotation,
  type Participant,
  type SightlineError,
} from '@sightline/protocol';
import { MirrorAnnotations, type MirrorAnnotationsAccess } from '../viewer/annotation-layer.js';
import type { AnnotationLink, PointerPosition } from './annotations.js';
import type { ControlInfo } from './control.js';

/**
 * What the pointer does on the mirror: act on the page (in `controlled` and up, as the
 * controller), draw with a tool, erase, point with the laser, or nothing.
 */
export type AgentTool = 'none' | 'interact' | SketchTool;

/** The pen of this agent's next drawings. */
export interface DrawingStyle {
  /** A CSS colour, `#rrggbb`. */
  color: string;
  /** Stroke width, CSS px on the customer's page. */
  width: number;
}

/**
 * Why this agent cannot draw now: the page has not said what it allows yet (`waiting`), the mode
 * is below `guided` (`mode`), or the page does not let agents draw (`page`).
 */
export type DrawingBlock = 'waiting' | 'mode' | 'page';

/** Why drawing (and the laser) would be refused now, or undefined when the server relays it. */
export function drawingBlock(control: ControlInfo | undefined): DrawingBlock | undefined {
  if (!control?.settings) return 'waiting';
  if (!control.settings.allowAgentAnnotation) return 'page';
  if (CONTROL_MODE_RANK[control.mode] < CONTROL_MODE_RANK.guided) return 'mode';
  return undefined;
}

/** What the drawing needs from its session. */
export interface DrawingOptions {
  link: AnnotationLink;
  self(): Participant | undefined;
  control(): ControlInfo | undefined;
  /** The tool changed (the input layer follows `interact`). */
  toolChanged(): void;
  /** A drawing, erasure or undo could not be sent (the socket is down). */
  failed(error: SightlineError): void;
}

/**
 * `session.annotations`: the annotations over this agent's mirror, the tool and pen it draws
 * with, and the annotations API. Every annotation of the session is shown over the mirror where
 * the customer sees it, with its author's name and colour, without any call.
 */
export class Annotations {
  readonly #options: DrawingOptions;
  #layer: MirrorAnnotations | undefined;
  #tool: AgentTool = 'none';
  #style: DrawingStyle = { color: '#e5484d', width: 4 };
  #stopSketch: (() => void) | undefined;

  constructor(options: DrawingOptions) {
    this.#options = options;
  }

  /** The tool chosen. */
  get tool(): AgentTool {
    return this.#tool;
  }

  /** The pen chosen. */
  get style(): DrawingStyle {
    return { ...this.#style };
  }

  /** Why this agent cannot draw or point now, or undefined when it can. */
  get block(): DrawingBlock | undefined {
    return drawingBlock(this.#options.control());
  }

  /** The annotations shown now, every tab's (faded vanishing strokes gone). */
  list(): AuthoredAnnotation[] {
    return this.#layer?.list() ?? [];
  }

  /**
   * Chooses what the pointer does on the mirror. `interact`: in `controlled` or `full_control`,
   * as the controller, clicks, keys and wheel on the mirror become commands. A drawing tool, the
   * eraser or the laser: the agent draws on the mirror, while {@link block} says nothing stands
   * in the way (a hovering cursor is shown to the others meanwhile). `none` (the default): the
   * mirror is only watched.
   */
  setTool(tool: AgentTool): void {
    this.#tool = tool;
    this.refresh();
    this.#options.toolChanged();
  }

  /** Chooses the colour (`#rrggbb`) and width (px) of the next drawings. */
  setStyle(style: Partial<DrawingStyle>): void {
    this.#style = { ...this.#style, ...style };
  }

  /**
   * Draws (or redraws, same id) an annotation made by code; also a local `annotation_drawn`.
   * Throws 4001 if malformed, 1002 if not connected.
   */
  draw(annotation: Annotation): void {
    this.#options.link.draw(annotation);
  }

  /** Erases annotations by id; also a local `annotation_erased`. */
  erase(ids: readonly string[]): void {
    this.#options.link.erase(ids);
  }

  /** Shows this agent's pointer (cursor or laser) to the others, at most about 30 times a second. */
  pointer(position: PointerPosition): void {
    this.#options.link.pointer(position);
  }

  /** @internal Lays the annotations over `mirror` (once per join). */
  attach(mirror: MirrorAnnotationsAccess): void {
    this.dispose();
    this.#layer = new MirrorAnnotations(mirror);
    this.refresh();
  }

  /** @internal Shows a frame heard, or one this agent sent (already shown: no change). */
  apply(frame: LayerFrame): void {
    this.#layer?.apply(frame);
  }

  /**
   * @internal Offers the sketch surface while a drawing tool is chosen and the server would relay what is
   * drawn; takes it away otherwise (on every change of tool or control state).
   */
  refresh(): void {
    const sketching =
      this.#tool !== 'none' &&
      this.#tool !== 'interact' &&
      drawingBlock(this.#options.control()) === undefined;
    if (!sketching || !this.#layer) {
      this.#stopSketch?.();
      this.#stopSketch = undefined;
      return;
    }
    if (this.#stopSketch) return;
    const link = this.#options.link;
    this.#stopSketch = this.#layer.startSketch({
      tool: () => (this.#tool === 'none' || this.#tool === 'interact' ? 'pen' : this.#tool),
      color: () => this.#style.color,
      width: () => this.#style.width,
      author: this.#options.self,
      onDraw: (annotation) => this.#attempt(() => link.draw(annotation)),
      onErase: (ids) => this.#attempt(() => link.erase(ids)),
      onPointer: (position) => this.#attempt(() => link.pointer(position)),
    });
  }

  /** Undoes this agent's last drawing, erasure or clear; false when there was none. */
  undo(): boolean {
    const self = this.#options.self();
    if (!self || !this.#layer?.history.canUndo) return false;
    this.#send(this.#layer.undo(self));
    return true;
  }

  /** Redoes what {@link undo} undid; false when there was none. */
  redo(): boolean {
    const self = this.#options.self();
    if (!self || !this.#layer?.history.canRedo) return false;
    this.#send(this.#layer.redo(self));
    return true;
  }

  /** Clears every annotation of the session; `undo()` draws them back. Throws 1002 offline. */
  clear(): void {
    const self = this.#options.self();
    // Recorded before it is sent: the echo of the send empties the layer the record reads.
    if (self) this.#layer?.clearAll(self);
    try {
      this.#options.link.clear();
    } catch (thrown) {
      if (self) this.#layer?.undo(self);
      throw thrown;
    }
  }

  /** @internal Removes the layer and the sketch surface. */
  dispose(): void {
    this.#stopSketch?.();
    this.#stopSketch = undefined;
    this.#layer?.dispose();
    this.#layer = undefined;
  }

  #send(frames: readonly HistoryFrame[]): void {
    const link = this.#options.link;
    for (const frame of frames) {
      this.#attempt(() => {
        if (frame.type === 'annotation.draw') link.draw(frame.annotation);
        else if (frame.type === 'annotation.erase') link.erase(frame.ids);
        else link.clear();
      });
    }
  }

  #attempt(run: () => void): void {
    try {
      run();
    } catch (thrown) {
      this.#options.failed(toSightlineError(thrown));
    }
  }
}
