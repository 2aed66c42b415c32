/**
 * @module
 * Key presses (Enter, Tab, Escape, the arrows), as `keydown` and `keyup` on the target, or on the
 * page when nothing has the focus. A dispatched key event does nothing by itself, so the parts of
 * a key's default action support needs are done here, unless the page cancelled the `keydown`:
 *
 * - Enter activates a button or a link, and in a text field submits its form the way the browser
 *   does (by clicking the form's default button), but only if that button may be a target: the
 *   same rules as any command's target (`mayActivate`), so Enter cannot press "Place order".
 * - Tab and Shift+Tab move the focus to the next or previous focusable element.
 * - The arrows scroll the page when nothing has the focus.
 */
import type { CommandRefusal, RemoteKey } from '@sightline/protocol';

/** What a key press needs to know about the page's rules. */
export interface KeyContext {
  readonly document: Document;
  /** Why `element` may not be activated (the target rules), if it may not. */
  readonly mayActivate: (element: Element) => CommandRefusal | undefined;
}

const CODES: Readonly<Record<RemoteKey, { code: string; keyCode: number }>> = {
  Enter: { code: 'Enter', keyCode: 13 },
  Tab: { code: 'Tab', keyCode: 9 },
  Escape: { code: 'Escape', keyCode: 27 },
  ArrowUp: { code: 'ArrowUp', keyCode: 38 },
  ArrowDown: { code: 'ArrowDown', keyCode: 40 },
  ArrowLeft: { code: 'ArrowLeft', keyCode: 37 },
  ArrowRight: { code: 'ArrowRight', keyCode: 39 },
};

/** Elements that take the focus with Tab, in document order. */
const FOCUSABLE =
  'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, iframe, [tabindex], [contenteditable]:not([contenteditable="false"])';

/** How far an arrow key scrolls the page, CSS px. */
const ARROW_STEP = 40;

function keyEvent(target: Element, type: 'keydown' | 'keyup', key: RemoteKey, shift: boolean) {
  const view = (target.ownerDocument.defaultView ?? window) as Window & typeof globalThis;
  const { code, keyCode } = CODES[key];
  return new view.KeyboardEvent(type, {
    key,
    code,
    keyCode,
    which: keyCode,
    shiftKey: shift,
    bubbles: true,
    cancelable: true,
    composed: true,
    view,
  } as KeyboardEventInit);
}

/** The next (or previous) element Tab reaches from `from`, in `document`. */
function nextFocusable(document: Document, from: Element | undefined, back: boolean) {
  const all = [...document.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) =>
      element.tabIndex >= 0 && !element.matches(':disabled') && element.getClientRects().length > 0,
  );
  if (all.length === 0) return undefined;
  const at = from ? all.indexOf(from as HTMLElement) : -1;
  if (at === -1) return back ? all.at(-1) : all[0];
  return all[(at + (back ? -1 : 1) + all.length) % all.length];
}

const TEXT_TYPES = new Set(['text', 'search', 'email', 'url', 'tel', 'number', 'password']);

function isActivatable(element: Element): boolean {
  const tag = element.localName;
  if (tag === 'button' || tag === 'summary') return true;
  if (tag === 'a' && element.hasAttribute('href')) return true;
  if (tag === 'input')
    return ['submit', 'button', 'reset', 'image'].includes((element as HTMLInputElement).type);
  const role = element.getAttribute('role');
  return role === 'button' || role === 'link';
}

/**
 * The button Enter in `element` would press by submitting its form (implicit submission): its
 * form's first submit button, when `element` is a text field in a form.
 */
export function implicitSubmitter(element: Element): HTMLElement | undefined {
  const field = element as HTMLInputElement;
  if (element.localName !== 'input' || !TEXT_TYPES.has(field.type) || !field.form) return undefined;
  return defaultButton(field.form);
}

/** The button implicit submission clicks: the form's first submit button. */
function defaultButton(form: HTMLFormElement): HTMLElement | undefined {
  return [...form.elements].find(
    (element): element is HTMLButtonElement | HTMLInputElement =>
      (element.localName === 'button' || element.localName === 'input') &&
      ['submit', 'image'].includes((element as HTMLButtonElement).type),
  );
}

/** Enter's default action on `target`, within the page's rules. */
function enter(target: Element, context: KeyContext): CommandRefusal | undefined {
  if (isActivatable(target)) {
    (target as HTMLElement).click();
    return undefined;
  }
  const field = target as HTMLInputElement;
  if (target.localName !== 'input' || !TEXT_TYPES.has(field.type) || !field.form) return undefined;
  const button = defaultButton(field.form);
  if (button) {
    const refusal = context.mayActivate(button);
    if (refusal) return refusal;
    if (!button.matches(':disabled')) button.click();
    return undefined;
  }
  // Without a submit button, a form submits on Enter only when this is its one text field.
  const fields = [...field.form.elements].filter(
    (element) =>
      element.localName === 'input' && TEXT_TYPES.has((element as HTMLInputElement).type),
  );
  if (fields.length === 1) field.form.requestSubmit();
  return undefined;
}

/**
 * Presses `key` on `target` (the page's body when `undefined`). Returns why its default action
 * was refused, if it was; the key events themselves were dispatched by then.
 */
export function pressKey(
  target: Element | undefined,
  key: RemoteKey,
  shift: boolean,
  context: KeyContext,
): CommandRefusal | undefined {
  const { document } = context;
  const on = target ?? document.body ?? document.documentElement;
  const proceed = on.dispatchEvent(keyEvent(on, 'keydown', key, shift));
  let refusal: CommandRefusal | undefined;
  if (proceed) {
    switch (key) {
      case 'Enter':
        refusal = target ? enter(target, context) : undefined;
        break;
      case 'Tab':
        nextFocusable(target?.ownerDocument ?? document, target, shift)?.focus();
        break;
      case 'ArrowUp':
      case 'ArrowDown':
      case 'ArrowLeft':
      case 'ArrowRight':
        if (!target) {
          const dx = key === 'ArrowLeft' ? -ARROW_STEP : key === 'ArrowRight' ? ARROW_STEP : 0;
          const dy = key === 'ArrowUp' ? -ARROW_STEP : key === 'ArrowDown' ? ARROW_STEP : 0;
          document.defaultView?.scrollBy({ left: dx, top: dy, behavior: 'instant' });
        }
        break;
      case 'Escape':
        break;
    }
  }
  on.dispatchEvent(keyEvent(on, 'keyup', key, shift));
  return refusal;
}
