/**
 * @module
 * Undo and redo for one author's annotating: each step it records can be undone and redone by
 * frames to send, since everyone else's screen changes only by what the server relays. Undoing a
 * drawing erases it (or puts back the version it replaced); undoing an erasure or a clear draws
 * what it removed again, which the server then stamps with this author's name. Vanishing-pen
 * strokes are not recorded: they are gone in seconds anyway.
 */
import type {
  Annotation,
  AnnotationClear,
  AnnotationDraw,
  AnnotationErase,
} from '@sightline/protocol';

/** A frame undo or redo asks to send (and to apply to one's own layer). */
export type HistoryFrame = AnnotationDraw | AnnotationErase | AnnotationClear;

/** Most ids one `annotation.erase` carries (the schema's limit). */
const ERASE_MAX_IDS = 256;

type Step =
  | { kind: 'draw'; annotation: Annotation; replaced: Annotation | undefined }
  | { kind: 'erase'; annotations: Annotation[] }
  | { kind: 'clear'; annotations: Annotation[] };

function drawFrames(annotations: readonly Annotation[]): AnnotationDraw[] {
  return annotations.map((annotation) => ({ type: 'annotation.draw', annotation }));
}

function eraseFrames(ids: readonly string[]): AnnotationErase[] {
  const frames: AnnotationErase[] = [];
  for (let i = 0; i < ids.length; i += ERASE_MAX_IDS) {
    frames.push({ type: 'annotation.erase', ids: ids.slice(i, i + ERASE_MAX_IDS) });
  }
  return frames;
}

const lasting = (annotation: Annotation) => annotation.tool !== 'vanishing_pen';

/** One author's undo and redo stacks. */
export class AnnotationHistory {
  readonly #limit: number;
  readonly #done: Step[] = [];
  readonly #undone: Step[] = [];

  /** Keeps the last `limit` steps. */
  constructor(limit = 100) {
    this.#limit = limit;
  }

  /** Whether there is a step to undo. */
  get canUndo(): boolean {
    return this.#done.length > 0;
  }

  /** Whether there is an undone step to redo. */
  get canRedo(): boolean {
    return this.#undone.length > 0;
  }

  /**
   * Records a frame this author sent; `held` is what the layer held just before it was applied,
   * so the history knows what an erasure or clear removed, or what a redraw replaced.
   */
  record(frame: HistoryFrame, held: readonly Annotation[]): void {
    switch (frame.type) {
      case 'annotation.draw':
        this.drew(
          frame.annotation,
          held.find((annotation) => annotation.id === frame.annotation.id),
        );
        return;
      case 'annotation.erase': {
        const ids = new Set(frame.ids);
        this.erased(held.filter((annotation) => ids.has(annotation.id)));
        return;
      }
      case 'annotation.clear':
        this.cleared(held);
        return;
    }
  }

  /** This author drew `annotation`, replacing `replaced` (the same id) if it was there. */
  drew(annotation: Annotation, replaced?: Annotation): void {
    if (!lasting(annotation)) return;
    this.#push({ kind: 'draw', annotation, replaced });
  }

  /** This author's eraser removed `annotations`. */
  erased(annotations: readonly Annotation[]): void {
    const kept = annotations.filter(lasting);
    if (kept.length > 0) this.#push({ kind: 'erase', annotations: kept });
  }

  /** This author cleared every annotation; these were there. */
  cleared(annotations: readonly Annotation[]): void {
    this.#push({ kind: 'clear', annotations: annotations.filter(lasting) });
  }

  /** Undoes the last step: the frames that do it, none when there is nothing to undo. */
  undo(): HistoryFrame[] {
    const step = this.#done.pop();
    if (!step) return [];
    this.#undone.push(step);
    switch (step.kind) {
      case 'draw':
        return step.replaced ? drawFrames([step.replaced]) : eraseFrames([step.annotation.id]);
      case 'erase':
      case 'clear':
        return drawFrames(step.annotations);
    }
  }

  /** Redoes the last undone step: the frames that do it, none when there is nothing to redo. */
  redo(): HistoryFrame[] {
    const step = this.#undone.pop();
    if (!step) return [];
    this.#done.push(step);
    switch (step.kind) {
      case 'draw':
        return drawFrames([step.annotation]);
      case 'erase':
        return eraseFrames(step.annotations.map((annotation) => annotation.id));
      case 'clear':
        return [{ type: 'annotation.clear' }];
    }
  }

  #push(step: Step): void {
    this.#done.push(step);
    if (this.#done.length > this.#limit) this.#done.shift();
    // A new step makes what was undone unreachable, as in every editor.
    this.#undone.length = 0;
  }
}
