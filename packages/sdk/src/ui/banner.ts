/**
 * @module
 * The sharing banner: while any agent sees the page, the customer sees who, and in the control
 * modes who controls it, with the buttons to take it back at once: Stop control (to `view_only`),
 * Guide only (down to `guided`), Ask each time (closes an "Allow for 2 minutes" window, whose
 * countdown it shows), Draw (when the page lets the customer draw) and Stop, which ends the
 * session. Near the session's deadline it also says how long is left. It lives in the SDK's shadow
 * root, like the prompt, is never captured, and every control is a button in the tab order.
 */
import type { ControlMode } from '@sightline/protocol';
import type { ShadowHost } from './shadow-host.js';

/** "A", "A and B", "A, B and C". */
function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

/** What the banner says about control. */
export interface BannerControl {
  readonly mode: ControlMode;
  /** The controller's name, in `controlled` and `full_control`. */
  readonly controller: string | undefined;
}

/**
 * "Jane Doe is viewing this page"; in `guided` "… and can draw on it"; in the control modes
 * "Jane Doe is controlling this page, asking before each action" (in `controlled`), then who else
 * is viewing.
 */
export function bannerText(names: readonly string[], control?: BannerControl): string {
  const are = (list: readonly string[]) => (list.length === 1 ? 'is' : 'are');
  const viewing = `${listOf(names)} ${are(names)} viewing this page`;
  if (!control || control.mode === 'view_only') return viewing;
  if (control.mode === 'guided' || control.controller === undefined) {
    return `${viewing} and can draw on it`;
  }
  const asking = control.mode === 'controlled' ? ', asking before each action' : '';
  const others = names.filter((name) => name !== control.controller);
  const alsoViewing = others.length > 0 ? `. ${listOf(others)} ${are(others)} viewing` : '';
  return `${control.controller} is controlling this page${asking}${alsoViewing}`;
}

/** What the banner's buttons do. */
export interface BannerActions {
  /** Stop: end the session. */
  end(): void;
  /** Stop control (`view_only`) or Guide only (`guided`). */
  stepDown(mode: 'view_only' | 'guided'): void;
  /** Ask each time: close the customer's window. */
  withdrawGrant(): void;
  /** Draw: start or stop the customer's drawing. */
  toggleDrawing(): void;
}

/** Everything the banner shows. */
export interface BannerView {
  readonly viewers: readonly string[];
  readonly control: BannerControl;
  /** The window's countdown ("1:52"), while one is open. */
  readonly grantLeft: string | undefined;
  /** The session's time left, near its end. */
  readonly timeLeft: string | undefined;
  /** Whether the customer may draw, and is drawing now. */
  readonly drawing: { readonly allowed: boolean; readonly on: boolean };
}

interface Parts {
  readonly element: HTMLElement;
  readonly text: HTMLElement;
  readonly grant: HTMLElement;
  readonly timer: HTMLElement;
  readonly draw: HTMLButtonElement;
  readonly ask: HTMLButtonElement;
  readonly guide: HTMLButtonElement;
  readonly stopControl: HTMLButtonElement;
  readonly listeners: AbortController;
}

/** Shows and updates the banner; `dispose()` removes it. */
export class Banner {
  readonly #host: ShadowHost;
  readonly #actions: BannerActions;
  #parts: Parts | undefined;

  constructor(host: ShadowHost, actions: BannerActions) {
    this.#host = host;
    this.#actions = actions;
  }

  /** Shows `view`; no viewers hides the banner. */
  render(view: BannerView): void {
    if (view.viewers.length === 0) {
      this.dispose();
      return;
    }
    const parts = (this.#parts ??= this.#create());
    const { mode } = view.control;
    const text = bannerText(view.viewers, view.control);
    if (parts.text.textContent !== text) parts.text.textContent = text;
    parts.element.dataset.mode = mode;
    show(parts.grant, view.grantLeft && `Allowed without asking: ${view.grantLeft}`);
    show(parts.timer, view.timeLeft);
    parts.ask.hidden = view.grantLeft === undefined;
    parts.guide.hidden = mode !== 'controlled' && mode !== 'full_control';
    parts.stopControl.hidden = mode === 'view_only';
    parts.stopControl.textContent = mode === 'guided' ? 'Stop guiding' : 'Stop control';
    parts.draw.hidden = !view.drawing.allowed;
    parts.draw.textContent = view.drawing.on ? 'Stop drawing' : 'Draw';
    parts.draw.setAttribute('aria-pressed', String(view.drawing.on));
  }

  /** Removes the banner. */
  dispose(): void {
    this.#parts?.listeners.abort();
    this.#parts?.element.remove();
    this.#parts = undefined;
  }

  #create(): Parts {
    const doc = this.#host.root.ownerDocument;
    const listeners = new AbortController();
    const span = (className: string) => {
      const element = doc.createElement('span');
      element.className = className;
      return element;
    };
    const button = (label: string, testId: string, onClick: () => void, title?: string) => {
      const element = doc.createElement('button');
      element.type = 'button';
      element.textContent = label;
      element.dataset.testid = testId;
      if (title) element.title = title;
      element.addEventListener('click', onClick, { signal: listeners.signal });
      return element;
    };
    const element = doc.createElement('div');
    element.className = 'banner';
    element.dataset.testid = 'sightline-banner';
    element.setAttribute('role', 'region');
    element.setAttribute('aria-label', 'Screen sharing');
    const dot = span('dot');
    dot.setAttribute('aria-hidden', 'true');
    const text = span('banner-text');
    text.setAttribute('aria-live', 'polite');
    // Timers are not announced at each change; they are read with the banner.
    const grant = span('grant-left');
    grant.setAttribute('role', 'timer');
    const timer = span('time-left');
    timer.setAttribute('role', 'timer');
    const actions = this.#actions;
    const draw = button('Draw', 'sightline-draw', () => actions.toggleDrawing());
    const ask = button('Ask each time', 'sightline-withdraw-grant', () => actions.withdrawGrant());
    const guide = button(
      'Guide only',
      'sightline-guide-only',
      () => actions.stepDown('guided'),
      'They can point and draw, but not click or type',
    );
    const stopControl = button('Stop control', 'sightline-stop-control', () =>
      actions.stepDown('view_only'),
    );
    const end = button('Stop', 'sightline-stop-sharing', () => actions.end());
    end.className = 'stop';
    end.setAttribute('aria-label', 'Stop sharing this page');
    element.append(dot, text, grant, timer, draw, ask, guide, stopControl, end);
    this.#host.root.append(element);
    return { element, text, grant, timer, draw, ask, guide, stopControl, listeners };
  }
}

function show(element: HTMLElement, text: string | undefined): void {
  element.textContent = text ?? '';
  element.hidden = text === undefined;
}
