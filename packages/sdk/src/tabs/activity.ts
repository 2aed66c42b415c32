/**
 * @module
 * Whether this tab is the one the customer is using: `focused` (visible, and its window has
 * focus), `visible` (on screen while another window has focus) or `hidden`. Reported to the
 * server as `tab.activity`, so agents follow the tab in front and know when the customer left the
 * site's tabs altogether.
 *
 * Focus moving into an iframe of the page blurs the window but leaves `document.hasFocus()` true,
 * so the state is read a tick after each event rather than from the event itself.
 */
import type { TabActivityState } from '@sightline/protocol';

/** The parts of the page this module reads. */
export interface ActivityPage {
  readonly document: Pick<Document, 'visibilityState' | 'hasFocus'> & EventTarget;
  readonly window: EventTarget;
}

/** The tab's state now. */
function activityOf(page: ActivityPage): TabActivityState {
  if (page.document.visibilityState === 'hidden') return 'hidden';
  return page.document.hasFocus() ? 'focused' : 'visible';
}

/** Watches the tab and calls `report` with each new state. */
export class TabActivityWatcher {
  readonly #page: ActivityPage;
  readonly #report: (state: TabActivityState, changed: boolean) => void;
  #last: TabActivityState | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #onEvent = () => {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#check(), 0);
  };

  /**
   * @param report - called with each new state; `changed` is false when the state is only sent
   *   again (after a welcome).
   */
  constructor(page: ActivityPage, report: (state: TabActivityState, changed: boolean) => void) {
    this.#page = page;
    this.#report = report;
    page.document.addEventListener('visibilitychange', this.#onEvent);
    for (const type of ['focus', 'blur', 'pageshow']) {
      page.window.addEventListener(type, this.#onEvent);
    }
  }

  /** Reports the state now, even if unchanged (after a welcome: the server forgot it). */
  resend(): void {
    const state = activityOf(this.#page);
    this.#last = state;
    this.#report(state, false);
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#page.document.removeEventListener('visibilitychange', this.#onEvent);
    for (const type of ['focus', 'blur', 'pageshow']) {
      this.#page.window.removeEventListener(type, this.#onEvent);
    }
  }

  #check(): void {
    const state = activityOf(this.#page);
    if (state === this.#last) return;
    this.#last = state;
    this.#report(state, true);
  }
}
