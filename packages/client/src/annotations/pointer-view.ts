/**
 * @module
 * Other participants' pointers (`pointer.moved`, never stored): the cursor highlight, a ring
 * with its owner's name, and the laser pointer, a bright dot with a short fading trail. Each
 * position is anchored like an annotation, so a pointer stays on its element while the page moves.
 */
import type { AnchoredPoint, Participant, PointerKind } from '@sightline/protocol';
import type { Point } from './anchoring.js';
import { AuthorTag, setAttr, svgElement } from './svg.js';

/** How long the laser's trail lasts behind it, and its dot after the last move, ms. */
export const LASER_TRAIL_MS = 700;

/** A cursor highlight that has not moved for this long is taken as gone (its owner left), ms. */
export const CURSOR_IDLE_MS = 20_000;

/** Most positions a laser trail keeps. */
const TRAIL_MAX = 48;

/** One anchored position of a pointer, and when it arrived. */
export interface PointerSample {
  nodeId: number;
  at: AnchoredPoint;
  time: number;
}

/** What the layer knows of one participant's pointer of one kind. */
export class PointerTrack {
  readonly kind: PointerKind;
  readonly author: Participant;
  readonly tabId: string;
  /** Newest last. A cursor keeps only its latest. */
  samples: PointerSample[] = [];

  constructor(kind: PointerKind, author: Participant, tabId: string) {
    this.kind = kind;
    this.author = author;
    this.tabId = tabId;
  }

  /** Adds a position received at `time`. */
  add(sample: PointerSample): void {
    if (this.kind === 'cursor') {
      this.samples = [sample];
      return;
    }
    this.samples.push(sample);
    if (this.samples.length > TRAIL_MAX) this.samples.splice(0, this.samples.length - TRAIL_MAX);
  }

  /** Drops what has faded by `now`; false when nothing is left to show. */
  prune(now: number): boolean {
    const lifetime = this.kind === 'laser' ? LASER_TRAIL_MS : CURSOR_IDLE_MS;
    this.samples = this.samples.filter((sample) => now - sample.time < lifetime);
    return this.samples.length > 0;
  }
}

/** The SVG of one pointer. */
export class PointerView {
  /** The view's root, in the layer's pointers group. */
  readonly group: SVGGElement;
  readonly #doc: Document;
  readonly #kind: PointerKind;
  readonly #color: string;
  readonly #mark: SVGGElement;
  readonly #tag: AuthorTag;
  readonly #segments: SVGLineElement[] = [];
  readonly #trail: SVGGElement;

  constructor(doc: Document, kind: PointerKind, author: Participant, color: string) {
    this.#doc = doc;
    this.#kind = kind;
    this.#color = color;
    this.group = svgElement(doc, 'g', { class: `sl-pointer sl-${kind}` });
    this.#trail = svgElement(doc, 'g', { stroke: color, 'stroke-linecap': 'round' });
    this.#mark = svgElement(doc, 'g');
    if (kind === 'cursor') {
      this.#mark.append(
        svgElement(doc, 'circle', {
          r: 16,
          fill: color,
          'fill-opacity': 0.15,
          stroke: color,
          'stroke-width': 3,
        }),
      );
    } else {
      this.#mark.append(
        svgElement(doc, 'circle', { r: 11, fill: color, 'fill-opacity': 0.3 }),
        svgElement(doc, 'circle', { r: 5, fill: color, stroke: '#ffffff', 'stroke-width': 1.5 }),
      );
    }
    this.#tag = new AuthorTag(doc, author.userName, color);
    this.group.append(this.#trail, this.#mark, this.#tag.element);
  }

  /**
   * Lays the pointer out: `points` are its samples' places in the layer (undefined where the
   * anchor is gone), `ages` how old each is, newest last.
   */
  update(points: readonly (Point | undefined)[], ages: readonly number[]): void {
    const head = points[points.length - 1];
    const headAge = ages[ages.length - 1] ?? Infinity;
    if (!head) {
      setAttr(this.group, 'display', 'none');
      return;
    }
    this.group.removeAttribute('display');
    setAttr(this.#mark, 'transform', `translate(${round(head.x)} ${round(head.y)})`);
    if (this.#kind === 'laser') {
      // The dot fades over the last quarter of its life after the pointer stops.
      const fade = Math.min(1, Math.max(0, (LASER_TRAIL_MS - headAge) / (LASER_TRAIL_MS / 4)));
      setAttr(this.#mark, 'opacity', fade.toFixed(2));
      this.#layOutTrail(points, ages);
    }
    this.#tag.place(head, 'right');
  }

  /** Removes the view's elements. */
  remove(): void {
    this.group.remove();
  }

  #layOutTrail(points: readonly (Point | undefined)[], ages: readonly number[]): void {
    let used = 0;
    for (let i = 1; i < points.length; i += 1) {
      const from = points[i - 1];
      const to = points[i];
      if (!from || !to) continue;
      let segment = this.#segments[used];
      if (!segment) {
        segment = svgElement(this.#doc, 'line', { stroke: this.#color });
        this.#segments.push(segment);
        this.#trail.append(segment);
      }
      used += 1;
      const life = Math.max(0, 1 - (ages[i] ?? LASER_TRAIL_MS) / LASER_TRAIL_MS);
      segment.removeAttribute('display');
      setAttr(segment, 'x1', from.x);
      setAttr(segment, 'y1', from.y);
      setAttr(segment, 'x2', to.x);
      setAttr(segment, 'y2', to.y);
      setAttr(segment, 'stroke-opacity', (0.8 * life).toFixed(2));
      setAttr(segment, 'stroke-width', 1 + 5 * life);
    }
    for (const spare of this.#segments.slice(used)) setAttr(spare, 'display', 'none');
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
