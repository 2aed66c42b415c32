/**
 * @module
 * "Hidden from the agent": while a session is shared, and only if the page turned it on
 * (`showMaskedAreas`), the customer sees a dashed outline around every area the agent sees masked
 * or blocked. The outlines live in the SDK's closed shadow root (never captured), let every click
 * through (`pointer-events: none`), and follow scrolling, resizing and page changes.
 *
 * They show what the policy's selectors match in the page's own document: not inside shadow roots
 * or iframes (which are masked all the same), nor values the PII detection replaces.
 */
import { hiddenAreaSelectors, type MaskPolicy } from '../privacy/masking.js';
import type { ShadowHost } from './shadow-host.js';

/** At most this many outlines: beyond, the page is mostly hidden anyway. */
const MAX_OUTLINES = 200;

/** The label on each outline. */
export const HIDDEN_LABEL = 'Hidden from the agent';

/** Elements matching any of `selectors`, outermost only, the SDK's own host left out. */
function outermostMatches(doc: Document, selectors: readonly string[]): Element[] {
  const found = new Set<Element>();
  for (const selector of selectors) {
    try {
      doc.querySelectorAll(selector).forEach((element) => found.add(element));
    } catch {
      // A selector the browser rejects masks everything it is asked about; nothing to outline.
    }
  }
  const outermost: Element[] = [];
  for (const element of found) {
    if (element.localName === 'sightline-ui') continue;
    let parent = element.parentElement;
    while (parent && !found.has(parent)) parent = parent.parentElement;
    if (!parent) outermost.push(element);
  }
  return outermost.slice(0, MAX_OUTLINES);
}

/** Draws and redraws the outlines; `dispose()` removes them and every listener. */
export class MaskedAreas {
  readonly #host: ShadowHost;
  readonly #policy: () => MaskPolicy;
  #layer: HTMLElement | undefined;
  #listeners: AbortController | undefined;
  #observer: MutationObserver | undefined;
  #frame: number | undefined;

  /** @param policy - read at each redraw: the page's policy with the server rules in force. */
  constructor(host: ShadowHost, policy: () => MaskPolicy) {
    this.#host = host;
    this.#policy = policy;
  }

  /** Shows the outlines (again); they then follow the page until {@link MaskedAreas.dispose}. */
  show(): void {
    if (this.#layer) return;
    const root = this.#host.root;
    const doc = root.ownerDocument;
    const view = doc.defaultView;
    const layer = doc.createElement('div');
    layer.className = 'masked-areas';
    root.append(layer);
    this.#layer = layer;
    this.#listeners = new AbortController();
    const options = { capture: true, passive: true, signal: this.#listeners.signal };
    view?.addEventListener('scroll', () => this.#schedule(), options);
    view?.addEventListener('resize', () => this.#schedule(), options);
    if (view?.MutationObserver) {
      this.#observer = new view.MutationObserver(() => this.#schedule());
      this.#observer.observe(doc.documentElement, {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      });
    }
    this.#draw();
  }

  /** Removes the outlines and stops following the page. */
  dispose(): void {
    this.#listeners?.abort();
    this.#listeners = undefined;
    this.#observer?.disconnect();
    this.#observer = undefined;
    if (this.#frame !== undefined)
      this.#layer?.ownerDocument.defaultView?.cancelAnimationFrame(this.#frame);
    this.#frame = undefined;
    this.#layer?.remove();
    this.#layer = undefined;
  }

  #schedule(): void {
    const view = this.#layer?.ownerDocument.defaultView;
    if (!view || this.#frame !== undefined) return;
    this.#frame = view.requestAnimationFrame(() => {
      this.#frame = undefined;
      this.#draw();
    });
  }

  #draw(): void {
    const layer = this.#layer;
    if (!layer) return;
    const doc = layer.ownerDocument;
    const boxes = outermostMatches(doc, hiddenAreaSelectors(this.#policy())).flatMap((element) => {
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) return [];
      const box = doc.createElement('div');
      box.className = 'masked-area';
      box.style.left = `${rect.left}px`;
      box.style.top = `${rect.top}px`;
      box.style.width = `${rect.width}px`;
      box.style.height = `${rect.height}px`;
      const label = doc.createElement('span');
      label.className = 'masked-label';
      label.textContent = HIDDEN_LABEL;
      box.append(label);
      return [box];
    });
    layer.replaceChildren(...boxes);
  }
}
