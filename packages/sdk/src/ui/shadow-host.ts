/**
 * @module
 * The one element the SDK adds to the page for its UI: a host with a closed shadow root. Closed,
 * so neither the page's scripts nor rrweb can reach inside (rrweb serialises only open shadow
 * roots); the host itself carries the block attribute, so the recorder sends at most an empty
 * placeholder for it. Nothing of the prompt or the banner is ever captured.
 */
import { BLOCK_ATTRIBUTE } from '../privacy/masking.js';
import { UI_STYLES } from './styles.js';

/** The host element and its shadow root, created on first use and removed by `dispose()`. */
export class ShadowHost {
  readonly #document: Document;
  #host: HTMLElement | undefined;
  #root: ShadowRoot | undefined;

  constructor(document: Document) {
    this.#document = document;
  }

  /** The shadow root, attaching the host to the page if it is not there yet. */
  get root(): ShadowRoot {
    if (this.#root) return this.#root;
    const host = this.#document.createElement('sightline-ui');
    host.setAttribute(BLOCK_ATTRIBUTE, '');
    const root = host.attachShadow({ mode: 'closed' });
    const style = this.#document.createElement('style');
    style.textContent = UI_STYLES;
    root.append(style);
    this.#document.documentElement.append(host);
    this.#host = host;
    this.#root = root;
    return root;
  }

  /** The focused element inside the shadow root, if any. */
  get activeElement(): Element | null {
    return this.#root?.activeElement ?? null;
  }

  /** Removes the host: the page is as it was before the SDK showed anything. */
  dispose(): void {
    this.#host?.remove();
    this.#host = undefined;
    this.#root = undefined;
  }
}
