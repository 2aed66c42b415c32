/**
 * @module
 * The browser side of `e2e/annotation-mirror.e2e.test.ts`: the agent SDK's real mirror (rrweb's
 * replayer in its scriptless frame, scaled to fit its stage) with {@link MirrorAnnotations} over
 * it. The test hands it the rrweb events a customer page recorded, encoded as the server relays
 * them, and measures the layer's SVG against the mirrored elements, in console px.
 */
import type { eventWithTime } from '@rrweb/types';
import { systemClock, type LayerFrame, type SketchTool } from '@sightline/client';
import type { Annotation, Participant } from '@sightline/protocol';
import { zlibSync } from 'fflate';
import { MirrorAnnotations } from '../../src/viewer/annotation-layer.js';
import { Mirror } from '../../src/viewer/mirror.js';

/** A box in the console's viewport. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** What the test drives through `window.mirrorHarness`. */
export interface MirrorHarness {
  /** Annotations the agent's sketch finished. */
  drawn: Annotation[];
  /** Ids the agent's eraser went over. */
  erased: string[];
  /** Makes the mirror (in a `width`×`height` root) and the annotations over it. */
  start(width: number, height: number): void;
  /** Relays rrweb events as one `dom.batch` of tab `tab-1`. */
  feed(events: eventWithTime[], full: boolean): void;
  /** Whether the mirror shows a page with `selector` in it. */
  has(selector: string): boolean;
  apply(frame: LayerFrame): void;
  /** The rrweb id of the mirrored element `selector` finds. */
  id(selector: string): number | undefined;
  /** Box of the drawn shape of annotation `id`, or null if not shown. */
  shapeBox(id: string): Box | null;
  /** Box of the mirrored element `selector` finds, in console px. */
  elementBox(selector: string): Box;
  resize(width: number, height: number): void;
  /** Starts the agent's sketch with `tool`, ending the one before. */
  startSketch(tool: SketchTool, author: Participant): void;
  /** Undoes the agent's last step; the frames' types to send. */
  undo(author: Participant): string[];
}

declare global {
  interface Window {
    mirrorHarness: MirrorHarness;
  }
}

let mirror: Mirror | undefined;
let annotations: MirrorAnnotations | undefined;
let root: HTMLDivElement | undefined;
let seq = 0;
const encoder = new TextEncoder();

function toBox(rect: { left: number; top: number; width: number; height: number }): Box {
  return {
    left: rect.left,
    top: rect.top,
    right: rect.left + rect.width,
    bottom: rect.top + rect.height,
  };
}

let stopSketch: (() => void) | undefined;

const harness: MirrorHarness = {
  drawn: [],
  erased: [],
  start(width, height) {
    root = document.createElement('div');
    root.style.cssText = `position: absolute; left: 40px; top: 30px; width: ${width}px; height: ${height}px;`;
    document.body.append(root);
    mirror = new Mirror(root, systemClock, { status: () => undefined });
    mirror.reset(Date.now());
    annotations = new MirrorAnnotations(mirror);
  },
  feed(events, full) {
    seq += 1;
    mirror?.apply({
      header: { type: 'dom.batch', tabId: 'tab-1', seq, full, receivedAt: Date.now() },
      payload: zlibSync(encoder.encode(JSON.stringify(events))),
    });
  },
  has(selector) {
    return mirror?.frame?.contentDocument?.querySelector(selector) != null;
  },
  apply(frame) {
    annotations?.apply(frame);
  },
  id(selector) {
    const element = mirror?.frame?.contentDocument?.querySelector(selector);
    return element ? mirror?.idOf(element) : undefined;
  },
  shapeBox(id) {
    const group = mirror?.stage.querySelector(`[data-annotation-id="${id}"]`);
    if (!group || group.getAttribute('display') === 'none') return null;
    const shape = group.firstElementChild;
    return shape ? toBox(shape.getBoundingClientRect()) : null;
  },
  elementBox(selector) {
    const frame = mirror?.frame;
    const element = frame?.contentDocument?.querySelector(selector);
    if (!frame || !element) throw new Error(`nothing matches ${selector}`);
    const frameRect = frame.getBoundingClientRect();
    const scale = frameRect.width / frame.clientWidth;
    const box = element.getBoundingClientRect();
    return toBox({
      left: frameRect.left + box.left * scale,
      top: frameRect.top + box.top * scale,
      width: box.width * scale,
      height: box.height * scale,
    });
  },
  resize(width, height) {
    if (!root) return;
    root.style.width = `${width}px`;
    root.style.height = `${height}px`;
  },
  startSketch(tool, author) {
    stopSketch?.();
    stopSketch = annotations?.startSketch({
      tool: () => tool,
      color: () => '#0090ff',
      width: () => 3,
      author: () => author,
      onDraw: (annotation) => harness.drawn.push(annotation),
      onErase: (ids) => harness.erased.push(...ids),
    });
  },
  undo(author) {
    return (annotations?.undo(author) ?? []).map((frame) => frame.type);
  },
};

window.mirrorHarness = harness;
