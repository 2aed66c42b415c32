/**
 * @module
 * The in-page half of the annotations bench, bundled by `annotations.bench.ts` and run in
 * Chromium on the shop page: the SDK's real {@link CustomerOverlay} (and so the shared
 * {@link AnnotationLayer}) holding the annotations the driver sends, while the page scrolls on
 * every animation frame; or, as the baseline, a bare `getBoundingClientRect()` of the same anchor
 * elements once per frame, drawing nothing. Exposes `window.annotationsBench`.
 *
 * The layer's own time is taken by wrapping `AnnotationLayer.prototype.refresh`, which is what
 * its animation-frame loop and its scroll listener call, so every layout it does is counted and
 * nothing else of it changes.
 */
import type { AuthoredAnnotation } from '@sightline/protocol';
import { AnnotationLayer } from '../../packages/client/src/annotations/layer.js';
import { CustomerOverlay } from '../../packages/sdk/src/overlay/index.js';

/** What one measured phase gives back. */
export interface PhaseResult {
  /** Per frame: ms the layer spent laying out, or the baseline spent reading boxes. */
  work: number[];
  /** How many layouts the layer did over the phase (0 for the baseline). */
  layouts: number;
  /** Of the layer's time over the phase, ms spent in layouts its scroll listener asked for. */
  onScroll: number;
  /** Per frame: ms between this animation frame and the one before. */
  deltas: number[];
}

/** What a phase runs: the overlay on a scrolling or a still page, or the bare box reads. */
export type PhaseKind = 'layer' | 'still' | 'baseline';

/** What the driver calls through `window.annotationsBench`. */
export interface AnnotationsBench {
  /** How far the page scrolls each frame, CSS px. */
  readonly scrollStep: number;
  /** The page's node count (elements, texts and the rest). */
  nodes(): number;
  /** The smallest step `performance.now()` takes here, ms. */
  timerStep(): number;
  /** Picks `count` anchor elements spread over the page; their node ids are 1…`count`. */
  anchors(count: number): number[];
  /** Median ms between animation frames on the still page. */
  idleInterval(frames: number): Promise<number>;
  /**
   * Starts a phase from the top of the page: the overlay holding `annotations` (`layer`, or
   * `still` for the same with the page not scrolling), or the bare reads of the current anchors
   * (`baseline`), the page scrolling every frame but in `still`. Resolves after `warmup` frames.
   */
  start(kind: PhaseKind, annotations: AuthoredAnnotation[], warmup: number): Promise<void>;
  /** Measures the next `frames` frames of the running phase. */
  measure(frames: number): Promise<PhaseResult>;
  /** Ends the phase: the overlay is removed and the page stops scrolling. */
  stop(): void;
}

/** How far the page scrolls each frame, CSS px: about 1,400 px/s at 60 frames a second. */
const SCROLL_STEP = 24;

const TAB_ID = 'tab-1';

let spent = 0;
let layouts = 0;
let onScroll = 0;
const refresh = AnnotationLayer.prototype.refresh;
AnnotationLayer.prototype.refresh = function timedRefresh(this: AnnotationLayer): void {
  const started = performance.now();
  refresh.call(this);
  const took = performance.now() - started;
  spent += took;
  layouts += 1;
  // The event being dispatched, if any: a scroll while the layer's listener runs, none in its
  // frame callback.
  if (window.event?.type === 'scroll') onScroll += took;
};

const byId = new Map<number, Element>();
let anchorList: Element[] = [];
let sink = 0;

interface Phase {
  overlay?: CustomerOverlay;
  reader?: number;
  driver?: number;
  scrolls: boolean;
  y: number;
  direction: 1 | -1;
  last?: number;
  onFrame?: (work: number, delta: number | undefined) => void;
}
let phase: Phase | undefined;

function nextFrame(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(resolve));
}

/** The baseline: one bare box read per anchor, once per frame. */
function read(): void {
  if (!phase) return;
  const started = performance.now();
  for (const element of anchorList) sink += element.getBoundingClientRect().top;
  spent += performance.now() - started;
  phase.reader = requestAnimationFrame(read);
}

/**
 * Registered after the layer's (or the reader's) frame callback, so it runs last in each frame:
 * it closes the frame's account, then scrolls. The scroll event reaches the layer at the start
 * of the next frame, before its frame callback, as a person's scrolling does.
 */
function drive(time: number): void {
  if (!phase) return;
  const work = spent;
  spent = 0;
  const delta = phase.last === undefined ? undefined : time - phase.last;
  phase.last = time;
  phase.onFrame?.(work, delta);
  phase.driver = requestAnimationFrame(drive);
  if (!phase.scrolls) return;
  const bottom = document.documentElement.scrollHeight - innerHeight;
  phase.y += SCROLL_STEP * phase.direction;
  if (phase.y >= bottom || phase.y <= 0) {
    phase.y = Math.min(bottom, Math.max(0, phase.y));
    phase.direction = phase.direction === 1 ? -1 : 1;
  }
  window.scrollTo(0, phase.y);
}

function frames(count: number, each?: (work: number, delta: number | undefined) => void) {
  return new Promise<void>((resolve) => {
    let left = count;
    if (!phase) throw new Error('no phase running');
    phase.onFrame = (work, delta) => {
      each?.(work, delta);
      left -= 1;
      if (left === 0 && phase) {
        phase.onFrame = undefined;
        resolve();
      }
    };
  });
}

const bench: AnnotationsBench = {
  scrollStep: SCROLL_STEP,
  nodes() {
    const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
    let count = 0;
    while (walker.nextNode()) count += 1;
    return count;
  },
  timerStep() {
    let step = Infinity;
    for (let i = 0; i < 20; i += 1) {
      const first = performance.now();
      let next = first;
      while (next === first) next = performance.now();
      step = Math.min(step, next - first);
    }
    return step;
  },
  anchors(count) {
    const candidates = [
      ...document.querySelectorAll('.thumb, .card h3, .price, .card button, .desc'),
    ];
    byId.clear();
    anchorList = [];
    for (let i = 0; i < count; i += 1) {
      const element = candidates[Math.floor(((i + 0.5) * candidates.length) / count)];
      if (!element) throw new Error('not enough anchor candidates');
      byId.set(i + 1, element);
      anchorList.push(element);
    }
    return anchorList.map((_, i) => i + 1);
  },
  async idleInterval(count) {
    const deltas: number[] = [];
    let last = await nextFrame();
    for (let i = 0; i < count; i += 1) {
      const time = await nextFrame();
      deltas.push(time - last);
      last = time;
    }
    deltas.sort((a, b) => a - b);
    return deltas[Math.floor(deltas.length / 2)] ?? Number.NaN;
  },
  async start(kind, annotations, warmup) {
    if (phase) throw new Error('a phase is running');
    window.scrollTo(0, 0);
    await nextFrame();
    phase = { scrolls: kind !== 'still', y: 0, direction: 1 };
    if (kind !== 'baseline') {
      phase.overlay = new CustomerOverlay(document, (id) => byId.get(id) ?? null, {
        tabId: TAB_ID,
        idOf: () => undefined,
      });
      phase.overlay.apply(annotations);
      if (phase.overlay.list().length !== annotations.length) throw new Error('overlay lost some');
    } else {
      phase.reader = requestAnimationFrame(read);
    }
    phase.driver = requestAnimationFrame(drive);
    await frames(warmup);
  },
  async measure(count) {
    const result: PhaseResult = { work: [], layouts: 0, onScroll: 0, deltas: [] };
    const before = { layouts, onScroll };
    await frames(count, (work, delta) => {
      result.work.push(work);
      if (delta !== undefined) result.deltas.push(delta);
    });
    result.layouts = layouts - before.layouts;
    result.onScroll = onScroll - before.onScroll;
    return result;
  },
  stop() {
    if (!phase) return;
    if (phase.reader !== undefined) cancelAnimationFrame(phase.reader);
    if (phase.driver !== undefined) cancelAnimationFrame(phase.driver);
    phase.overlay?.dispose();
    phase = undefined;
    spent = 0;
    // Keeps the baseline's reads observable, so no engine can drop them.
    document.body.dataset.sink = String(sink > 0);
  },
};

(window as unknown as { annotationsBench: AnnotationsBench }).annotationsBench = bench;
