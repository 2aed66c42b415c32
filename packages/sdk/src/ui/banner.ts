/**
 * @module
 * The sharing banner: while any agent sees the page, the customer sees who, and a Stop button
 * that ends the session; near the session's deadline, also how long it has left. It lives in the
 * SDK's shadow root, like the prompt, and is never captured.
 */
import type { ShadowHost } from './shadow-host.js';

/** "Jane Doe is viewing this page", "Jane Doe and Sam Lee are viewing this page", … */
export function bannerText(names: readonly string[]): string {
  if (names.length === 1) return `${names[0]} is viewing this page`;
  const list = `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
  return `${list} are viewing this page`;
}

/** Shows and updates the banner; `dispose()` removes it. */
export class Banner {
  readonly #host: ShadowHost;
  readonly #onStop: () => void;
  #element: HTMLElement | undefined;
  #text: HTMLElement | undefined;
  #timer: HTMLElement | undefined;
  /** The time left, while near the end; kept while the banner is hidden. */
  #timeLeft: string | undefined;
  #listeners: AbortController | undefined;

  constructor(host: ShadowHost, onStop: () => void) {
    this.#host = host;
    this.#onStop = onStop;
  }

  /** Shows the names of the agents viewing; none hides the banner. */
  show(names: readonly string[]): void {
    if (names.length === 0) {
      this.dispose();
      return;
    }
    if (!this.#element || !this.#text) {
      const doc = this.#host.root.ownerDocument;
      const element = doc.createElement('div');
      element.className = 'banner';
      element.setAttribute('role', 'region');
      element.setAttribute('aria-label', 'Screen sharing');
      const dot = doc.createElement('span');
      dot.className = 'dot';
      dot.setAttribute('aria-hidden', 'true');
      const text = doc.createElement('span');
      text.setAttribute('aria-live', 'polite');
      // A timer is not announced at each change; it is read with the banner.
      const timer = doc.createElement('span');
      timer.className = 'time-left';
      timer.setAttribute('role', 'timer');
      const stop = doc.createElement('button');
      stop.type = 'button';
      stop.textContent = 'Stop';
      stop.setAttribute('aria-label', 'Stop sharing this page');
      this.#listeners = new AbortController();
      stop.addEventListener('click', () => this.#onStop(), { signal: this.#listeners.signal });
      element.append(dot, text, timer, stop);
      this.#host.root.append(element);
      this.#element = element;
      this.#text = text;
      this.#timer = timer;
      this.#renderTimeLeft();
    }
    this.#text.textContent = bannerText(names);
  }

  /** Shows how long the session has left ("9 min left"), or nothing. */
  showTimeLeft(text: string | undefined): void {
    this.#timeLeft = text;
    this.#renderTimeLeft();
  }

  #renderTimeLeft(): void {
    if (!this.#timer) return;
    this.#timer.textContent = this.#timeLeft ?? '';
    this.#timer.hidden = this.#timeLeft === undefined;
  }

  /** Removes the banner. */
  dispose(): void {
    this.#listeners?.abort();
    this.#listeners = undefined;
    this.#element?.remove();
    this.#element = undefined;
    this.#text = undefined;
    this.#timer = undefined;
  }
}
