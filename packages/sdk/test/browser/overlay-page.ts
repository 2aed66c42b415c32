/**
 * @module
 * The browser side of `e2e/annotation-overlay.e2e.test.ts`: the customer's overlay on a plain
 * page, with the SDK's real recorder (rrweb ids, and the events it would send, kept in
 * `window.overlayHarness.events`). The overlay's shadow root is closed; the harness keeps a
 * handle on it by wrapping `attachShadow` before the overlay is made, so the test can measure
 * what is drawn. Nothing else of the SDK runs.
 */
import { record } from '@rrweb/record';
import type { eventWithTime } from '@rrweb/types';
import type { AnnotationSync, AuthoredAnnotation, Participant } from '@sightline/protocol';
import { Recorder } from '../../src/capture/recorder.js';
import { resolveSettings } from '../../src/options.js';
import {
  CustomerOverlay,
  type CustomerDrawingFrame,
  type OverlayFrame,
} from '../../src/overlay/index.js';
import { compileMaskPolicy } from '../../src/privacy/masking.js';

/** A box as the test compares them. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** What the test drives through `window.overlayHarness`. */
export interface OverlayHarness {
  /** rrweb events the recorder emitted, after the SDK's privacy step. */
  events: eventWithTime[];
  /** Frames the customer's drawing asked to send. */
  sent: CustomerDrawingFrame[];
  /** How often the customer ended drawing from the overlay. */
  ended: number;
  /** Starts recording and makes the overlay. */
  start(): void;
  /** The rrweb id of the element `selector` finds. */
  id(selector: string): number;
  apply(frame: OverlayFrame | AnnotationSync['annotations']): void;
  list(): AuthoredAnnotation[];
  /** Box of the drawn shape of annotation `id` (its first shape element), or null if not shown. */
  shapeBox(id: string): Box | null;
  /** Whether anything of annotation `id` is in the overlay's DOM. */
  inDom(id: string): boolean;
  /** The overlay's text content (author tags, labels). */
  overlayText(): string;
  /** What the spotlight's dimming looks like: shown, and its clear regions. */
  dimming(): { shown: boolean; holes: Box[] };
  /** Box of the page element `selector` finds. */
  box(selector: string): Box;
  startDrawing(tool: string, author: Participant): void;
  stopDrawing(): void;
  /** Mean and worst ms of `runs` layouts, each after a scroll of the page. */
  timeLayouts(runs: number): { mean: number; worst: number; boxReads: number };
  dispose(): void;
}

declare global {
  interface Window {
    overlayHarness: OverlayHarness;
  }
}

const roots: ShadowRoot[] = [];
const attachShadow = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init: ShadowRootInit) {
  const root = attachShadow.call(this, init);
  roots.push(root);
  return root;
};

let overlay: CustomerOverlay | undefined;
let recorder: Recorder | undefined;
let stop: (() => void) | undefined;

function toBox(rect: DOMRect): Box {
  return { left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom };
}

function overlayRoot(): ShadowRoot {
  const root = roots[roots.length - 1];
  if (!root) throw new Error('no overlay yet');
  return root;
}

const harness: OverlayHarness = {
  events: [],
  sent: [],
  ended: 0,
  start() {
    const settings = resolveSettings({ serverUrl: location.origin }, {});
    recorder = new Recorder({
      policy: compileMaskPolicy(settings),
      emit: (event) => harness.events.push(event),
      onError: () => undefined,
    });
    recorder.snapshot();
    overlay = new CustomerOverlay(document, (id) => record.mirror.getNode(id) as Element | null, {
      tabId: 'tab-1',
      idOf: (node) => record.mirror.getId(node),
    });
  },
  id(selector) {
    const element = document.querySelector(selector);
    if (!element) throw new Error(`nothing matches ${selector}`);
    return record.mirror.getId(element);
  },
  apply(frame) {
    overlay?.apply(frame);
  },
  list() {
    return overlay?.list() ?? [];
  },
  shapeBox(id) {
    const group = overlayRoot().querySelector(`[data-annotation-id="${id}"]`);
    if (!group || group.getAttribute('display') === 'none') return null;
    const shape = group.firstElementChild;
    return shape ? toBox(shape.getBoundingClientRect()) : null;
  },
  inDom(id) {
    return overlayRoot().querySelector(`[data-annotation-id="${id}"]`) !== null;
  },
  overlayText() {
    return overlayRoot().textContent ?? '';
  },
  dimming() {
    const dim = overlayRoot().querySelector('.sl-dim');
    const holes = [...overlayRoot().querySelectorAll('mask g rect')]
      .filter((rect) => rect.getAttribute('display') !== 'none')
      .map((rect) => {
        const [x, y, w, h] = ['x', 'y', 'width', 'height'].map((name) =>
          Number(rect.getAttribute(name)),
        ) as [number, number, number, number];
        return { left: x, top: y, right: x + w, bottom: y + h };
      });
    return { shown: dim?.getAttribute('display') !== 'none', holes };
  },
  box(selector) {
    const element = document.querySelector(selector);
    if (!element) throw new Error(`nothing matches ${selector}`);
    return toBox(element.getBoundingClientRect());
  },
  startDrawing(tool, author) {
    stop = overlay?.startDrawing({
      tool: tool as never,
      color: '#0b63ce',
      width: 4,
      author,
      onFrame: (frame) => harness.sent.push(frame),
      onEnd: () => (harness.ended += 1),
    });
  },
  stopDrawing() {
    stop?.();
  },
  timeLayouts(runs) {
    let total = 0;
    let worst = 0;
    let boxReads = 0;
    const read = Element.prototype.getBoundingClientRect;
    Element.prototype.getBoundingClientRect = function () {
      boxReads += 1;
      return read.call(this);
    };
    try {
      for (let i = 0; i < runs; i += 1) {
        window.scrollTo(0, (i % 50) * 7);
        // The page's own layout after the scroll is not the overlay's cost: settle it first.
        void document.body.offsetHeight;
        const started = performance.now();
        overlay?.refresh();
        const spent = performance.now() - started;
        total += spent;
        worst = Math.max(worst, spent);
      }
    } finally {
      Element.prototype.getBoundingClientRect = read;
    }
    return { mean: total / runs, worst, boxReads: boxReads / runs };
  },
  dispose() {
    overlay?.dispose();
    recorder?.stop();
  },
};

window.overlayHarness = harness;
