/**
 * @module
 * The SDK's modal dialog, in its shadow root: the consent prompt, the approval of one remote
 * action and the Stop confirmation are all one of these. Accessible: `role="dialog"`,
 * `aria-modal`, labelled and described; the focus moves to the first button (the safe answer,
 * so a stray Enter never allows anything) and stays inside (Tab cycles); Escape gives the
 * dialog's `escape` answer; the focus goes back where it was once answered. A click outside
 * reaches nothing on the page.
 */
import type { ShadowHost } from './shadow-host.js';

/** One button of a dialog. */
export interface DialogButton<A extends string> {
  readonly answer: A;
  readonly label: string;
  /** The main action, drawn as such. */
  readonly primary?: boolean;
  /** A stable hook for tests that read the shadow root through the DevTools protocol. */
  readonly testId?: string;
}

/** What a dialog shows and whom it tells. */
export interface DialogOptions<A extends string> {
  readonly title: string;
  readonly text: string;
  /** In order; the first one has the focus. */
  readonly buttons: readonly DialogButton<A>[];
  /** The answer Escape gives. */
  readonly escape: A;
  /** Called once, with the customer's answer. */
  readonly onAnswer: (answer: A) => void;
  /** `data-testid` of the dialog. */
  readonly testId?: string;
}

let nextId = 0;

/** Shows a dialog. Returns its disposer, which removes it without an answer. */
export function showDialog<A extends string>(
  host: ShadowHost,
  options: DialogOptions<A>,
): () => void {
  const root = host.root;
  const doc = root.ownerDocument;
  const previous = doc.activeElement;
  const id = `sightline-dialog-${(nextId += 1)}`;

  const backdrop = doc.createElement('div');
  backdrop.className = 'backdrop';
  const dialog = doc.createElement('div');
  dialog.className = 'dialog';
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.setAttribute('aria-labelledby', `${id}-title`);
  dialog.setAttribute('aria-describedby', `${id}-text`);
  if (options.testId) dialog.dataset.testid = options.testId;
  const title = doc.createElement('h2');
  title.id = `${id}-title`;
  title.textContent = options.title;
  const text = doc.createElement('p');
  text.id = `${id}-text`;
  text.textContent = options.text;
  const actions = doc.createElement('div');
  actions.className = 'actions';
  const buttons = options.buttons.map((spec) => {
    const button = doc.createElement('button');
    button.type = 'button';
    button.textContent = spec.label;
    if (spec.primary) button.className = 'primary';
    if (spec.testId) button.dataset.testid = spec.testId;
    actions.append(button);
    return { button, answer: spec.answer };
  });
  dialog.append(title, text, actions);
  backdrop.append(dialog);
  root.append(backdrop);

  let open = true;
  // Every listener below is registered with this signal: closing the dialog detaches them all.
  const listeners = new AbortController();
  const { signal } = listeners;
  const close = () => {
    if (!open) return;
    open = false;
    listeners.abort();
    backdrop.remove();
    if (previous instanceof HTMLElement && previous.isConnected) previous.focus();
  };
  const answer = (value: A) => {
    if (!open) return;
    close();
    options.onAnswer(value);
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      answer(options.escape);
    } else if (event.key === 'Tab') {
      event.preventDefault();
      const at = buttons.findIndex(({ button }) => button === host.activeElement);
      const step = event.shiftKey ? -1 : 1;
      buttons[(at + step + buttons.length) % buttons.length]?.button.focus();
    }
  };
  dialog.addEventListener('keydown', onKey, { signal });
  for (const { button, answer: value } of buttons) {
    button.addEventListener('click', () => answer(value), { signal });
  }
  buttons[0]?.button.focus();
  // aria-modal keeps assistive technology inside; a click outside must not reach the page.
  backdrop.addEventListener(
    'mousedown',
    (event) => {
      if (event.target === backdrop) {
        event.preventDefault();
        (host.activeElement as HTMLElement | null)?.focus();
      }
    },
    { signal },
  );
  return close;
}
