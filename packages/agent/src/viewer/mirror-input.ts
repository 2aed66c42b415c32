/**
 * @module
 * The input layer over the mirror: while this agent may act (a control mode, it is the
 * controller, and the console's interact tool is selected) a transparent surface over the page
 * turns clicks, double clicks, hovers, wheel, typing and option picks into remote-assist actions
 * (`input-translation.ts` decides what each means). Otherwise the surface lets every event through
 * to whatever lies beneath it, and a click on the mirror does nothing.
 *
 * The replay frame stays sandboxed without scripts (ADR 0001) and `pointer-events: none`: nothing
 * here listens inside it. The surface hit-tests the frame's document from the console's side
 * (`elementFromPoint`, which the frame's `allow-same-origin` permits) and reads element boxes and
 * scroll positions the same way.
 */
import type { Clock, TimerHandle } from '@sightline/client';
import type { RemoteAction } from '@sightline/protocol';
import {
  boxPointOf,
  clickIntent,
  keyIntent,
  scrollAction,
  toFramePoint,
  wheelPixels,
  type Box,
  type ElementFacts,
  type ScrollFacts,
} from './input-translation.js';

/** How long the pointer rests on an element before a `hover` is sent. */
export const HOVER_DWELL_MS = 400;
/** Wheel movement is gathered this long into one `scroll`. */
export const WHEEL_GATHER_MS = 120;
/** Typing pauses this long before the text typed so far is sent as one `type`. */
export const TYPING_IDLE_MS = 500;

/** What the input layer needs of the mirror. */
export interface MirrorAccess {
  readonly stage: HTMLElement;
  readonly frame: HTMLIFrameElement | undefined;
  idOf(node: Node): number | undefined;
}

/** What the input layer needs of its session. */
export interface MirrorInputOptions {
  clock: Clock;
  /** Whether input becomes commands now (mode, controller, tool). */
  active(): boolean;
  /** Sends an action to the tab the mirror shows. */
  act(action: RemoteAction): void;
  /**
   * Whether a pointer resting on an element sends `hover` now. In `controlled` each action is a
   * question for the customer, and a hover asked about is noise: only `full_control` hovers.
   */
  hovers(): boolean;
}

/** Turns the controller's input on the mirror into actions. */
export class MirrorInput {
  readonly #mirror: MirrorAccess;
  readonly #options: MirrorInputOptions;
  readonly #surface: HTMLDivElement;
  readonly #disposers: (() => void)[] = [];
  #typingTarget: number | undefined;
  #typed = '';
  #typingTimer: TimerHandle | undefined;
  #hover: { nodeId: number; timer: TimerHandle | undefined; sent: boolean } | undefined;
  #wheel: { dx: number; dy: number; at: { x: number; y: number }; timer: TimerHandle } | undefined;
  #picker: HTMLSelectElement | undefined;

  constructor(mirror: MirrorAccess, options: MirrorInputOptions) {
    this.#mirror = mirror;
    this.#options = options;
    const surface = mirror.stage.ownerDocument.createElement('div');
    surface.className = 'sightline-input';
    surface.tabIndex = -1;
    surface.setAttribute('data-testid', 'mirror-input');
    mirror.stage.appendChild(surface);
    this.#surface = surface;
    this.#listen('click', (event) => this.#onClick(event as MouseEvent));
    this.#listen('dblclick', (event) => this.#onClick(event as MouseEvent, true));
    this.#listen('pointermove', (event) => this.#onMove(event as PointerEvent));
    this.#listen('wheel', (event) => this.#onWheel(event as WheelEvent), { passive: false });
    this.#listen('keydown', (event) => this.#onKey(event as KeyboardEvent));
    this.refresh();
  }

  /** Re-reads whether input is active (after a mode, controller or tool change). */
  refresh(): void {
    const active = this.#options.active();
    this.#surface.toggleAttribute('data-active', active);
    if (active) return;
    this.#flushTyping();
    this.#cancelPending();
    this.#closePicker();
    this.#typingTarget = undefined;
  }

  /** Removes the surface and its listeners. */
  dispose(): void {
    this.#cancelPending();
    this.#closePicker();
    for (const dispose of this.#disposers.splice(0)) dispose();
    this.#surface.remove();
  }

  #listen(type: string, handler: (event: Event) => void, options?: AddEventListenerOptions): void {
    const listener = (event: Event) => {
      if (!this.#options.active()) return;
      handler(event);
    };
    this.#surface.addEventListener(type, listener, options);
    this.#disposers.push(() => this.#surface.removeEventListener(type, listener, options));
  }

  #act(action: RemoteAction): void {
    if (!this.#options.active()) return;
    this.#options.act(action);
  }

  #onClick(event: MouseEvent, double = false): void {
    // The second click of a double click is sent as the `dblclick` that follows it.
    if (!double && event.detail > 1) return;
    event.preventDefault();
    this.#surface.focus({ preventScroll: true });
    this.#flushTyping();
    this.#closePicker();
    const hit = this.#hitTest(event);
    if (!hit) return;
    this.#pointerRestsOn(hit.facts.nodeId);
    const intent = clickIntent(hit.facts, hit.point, hit.box, double);
    if (intent.kind === 'pick_options') {
      if (!double) this.#openPicker(hit.element as HTMLSelectElement, intent.nodeId, hit.box);
      return;
    }
    this.#typingTarget = intent.typingTarget;
    this.#act(intent.action);
  }

  #onMove(event: PointerEvent): void {
    if (!this.#options.hovers()) return;
    const hit = this.#hitTest(event);
    if (!hit || hit.facts.nodeId === this.#hover?.nodeId) return;
    if (this.#hover?.timer !== undefined) this.#options.clock.clearTimeout(this.#hover.timer);
    const { nodeId } = hit.facts;
    const at = { x: hit.point.x, y: hit.point.y };
    const hover = { nodeId, timer: undefined as TimerHandle | undefined, sent: false };
    // Only a pointer that rests on a new element hovers it: a sweep across the page sends nothing.
    hover.timer = this.#options.clock.setTimeout(() => {
      hover.timer = undefined;
      hover.sent = true;
      this.#act({ kind: 'hover', nodeId, at: boxPointOf(at, hit.box) });
    }, HOVER_DWELL_MS);
    this.#hover = hover;
  }

  /**
   * A click moves the page's pointer onto its element too, so the pointer resting there after it
   * sends no `hover` (in `controlled`, one more question for the customer about nothing new).
   */
  #pointerRestsOn(nodeId: number): void {
    if (this.#hover?.timer !== undefined) this.#options.clock.clearTimeout(this.#hover.timer);
    this.#hover = { nodeId, timer: undefined, sent: true };
  }

  #onWheel(event: WheelEvent): void {
    event.preventDefault();
    const frame = this.#mirror.frame;
    if (!frame) return;
    // A wheel's delta is an amount to scroll the page by, in the page's px, whatever the fit.
    const { dx, dy } = wheelPixels(event, frame.clientHeight);
    const wheel = this.#wheel;
    if (wheel) {
      wheel.dx += dx;
      wheel.dy += dy;
      return;
    }
    const at = { x: event.clientX, y: event.clientY };
    const timer = this.#options.clock.setTimeout(() => this.#flushWheel(), WHEEL_GATHER_MS);
    this.#wheel = { dx, dy, at, timer };
  }

  #flushWheel(): void {
    const wheel = this.#wheel;
    this.#wheel = undefined;
    if (!wheel) return;
    const hit = this.#hitTest({ clientX: wheel.at.x, clientY: wheel.at.y });
    const doc = this.#mirror.frame?.contentDocument;
    if (!doc) return;
    const action = scrollAction(this.#scrollContainers(hit?.element, doc), wheel.dx, wheel.dy);
    if (action) this.#act(action);
  }

  #onKey(event: KeyboardEvent): void {
    const intent = keyIntent(event);
    if (!intent) return;
    event.preventDefault();
    if (intent.kind === 'text') {
      if (this.#typingTarget === undefined) return;
      this.#typed += intent.text;
      if (this.#typingTimer !== undefined) this.#options.clock.clearTimeout(this.#typingTimer);
      this.#typingTimer = this.#options.clock.setTimeout(() => this.#flushTyping(), TYPING_IDLE_MS);
      return;
    }
    this.#flushTyping();
    const nodeId = this.#typingTarget;
    this.#act(
      nodeId === undefined
        ? { kind: 'key', key: intent.key, shift: intent.shift }
        : { kind: 'key', nodeId, key: intent.key, shift: intent.shift },
    );
    // Tab and Escape move the focus on the page: the next text goes nowhere until a click.
    if (intent.key === 'Tab' || intent.key === 'Escape') this.#typingTarget = undefined;
  }

  #flushTyping(): void {
    if (this.#typingTimer !== undefined) this.#options.clock.clearTimeout(this.#typingTimer);
    this.#typingTimer = undefined;
    const text = this.#typed;
    this.#typed = '';
    if (text && this.#typingTarget !== undefined) {
      this.#act({ kind: 'type', nodeId: this.#typingTarget, text, replace: false });
    }
  }

  /** A native picker over the select, listing its options by their text, by index. */
  #openPicker(select: HTMLSelectElement, nodeId: number, box: Box): void {
    const doc = this.#mirror.stage.ownerDocument;
    const picker = doc.createElement('select');
    picker.className = 'sightline-input-picker';
    picker.setAttribute('data-testid', 'mirror-option-picker');
    picker.multiple = select.multiple;
    picker.size = Math.min(8, Math.max(2, select.options.length));
    Array.from(select.options).forEach((option, index) => {
      const copy = doc.createElement('option');
      copy.value = String(index);
      copy.textContent = option.textContent || `Option ${index + 1}`;
      copy.selected = option.selected;
      picker.appendChild(copy);
    });
    const placed = this.#toStage(box);
    picker.style.left = `${placed.left}px`;
    picker.style.top = `${placed.top + placed.height}px`;
    picker.style.minWidth = `${placed.width}px`;
    picker.addEventListener('change', () => {
      const options = Array.from(picker.selectedOptions, (option) => Number(option.value));
      if (options.length > 0) this.#act({ kind: 'select', nodeId, options });
      if (!picker.multiple) this.#closePicker();
    });
    picker.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.#closePicker();
    });
    this.#mirror.stage.appendChild(picker);
    this.#picker = picker;
    picker.focus();
  }

  #closePicker(): void {
    this.#picker?.remove();
    this.#picker = undefined;
  }

  #cancelPending(): void {
    const clock = this.#options.clock;
    if (this.#hover?.timer !== undefined) clock.clearTimeout(this.#hover.timer);
    this.#hover = undefined;
    if (this.#wheel) clock.clearTimeout(this.#wheel.timer);
    this.#wheel = undefined;
    if (this.#typingTimer !== undefined) clock.clearTimeout(this.#typingTimer);
    this.#typingTimer = undefined;
    this.#typed = '';
  }

  /** The element of the page under a console point, with its facts and box, in frame px. */
  #hitTest(event: { clientX: number; clientY: number }) {
    const frame = this.#mirror.frame;
    const doc = frame?.contentDocument;
    if (!frame || !doc) return undefined;
    const point = toFramePoint(
      { x: event.clientX, y: event.clientY },
      frame.getBoundingClientRect(),
      frame.clientWidth,
    );
    const element = doc.elementFromPoint(point.x, point.y);
    const nodeId = element ? this.#mirror.idOf(element) : undefined;
    if (!element || nodeId === undefined) return undefined;
    const input = element as Partial<HTMLInputElement>;
    const facts: ElementFacts = {
      nodeId,
      tag: element.tagName.toLowerCase(),
      type: element.tagName === 'INPUT' ? (input.type ?? '').toLowerCase() : '',
      checked: input.checked === true,
      contentEditable: (element as HTMLElement).isContentEditable === true,
    };
    return { element, facts, point, box: element.getBoundingClientRect() as Box };
  }

  /** Scrollable ancestors of `element`, innermost first, then the page. */
  #scrollContainers(element: Element | undefined, doc: Document): ScrollFacts[] {
    const containers: ScrollFacts[] = [];
    const view = doc.defaultView;
    for (let el = element; el && el !== doc.documentElement && el !== doc.body;) {
      const style = view?.getComputedStyle(el);
      const scrolls = (value: string | undefined) => value === 'auto' || value === 'scroll';
      const maxTop = el.scrollHeight - el.clientHeight;
      const maxLeft = el.scrollWidth - el.clientWidth;
      const nodeId = this.#mirror.idOf(el);
      if (
        nodeId !== undefined &&
        ((scrolls(style?.overflowY) && maxTop > 0) || (scrolls(style?.overflowX) && maxLeft > 0))
      ) {
        containers.push({ nodeId, left: el.scrollLeft, top: el.scrollTop, maxLeft, maxTop });
      }
      el = el.parentElement ?? undefined;
    }
    const page = doc.scrollingElement ?? doc.documentElement;
    containers.push({
      left: page.scrollLeft,
      top: page.scrollTop,
      maxLeft: page.scrollWidth - page.clientWidth,
      maxTop: page.scrollHeight - page.clientHeight,
    });
    return containers;
  }

  /** How much the fit scales the frame on screen. */
  #scale(frame: HTMLIFrameElement): number {
    const width = frame.getBoundingClientRect().width;
    return width > 0 && frame.clientWidth > 0 ? width / frame.clientWidth : 1;
  }

  /** A box in frame px, placed in the stage's px. */
  #toStage(box: Box): Box {
    const frame = this.#mirror.frame;
    if (!frame) return box;
    const frameRect = frame.getBoundingClientRect();
    const stageRect = this.#mirror.stage.getBoundingClientRect();
    const scale = this.#scale(frame);
    return {
      left: frameRect.left - stageRect.left + box.left * scale,
      top: frameRect.top - stageRect.top + box.top * scale,
      width: box.width * scale,
      height: box.height * scale,
    };
  }
}
