/**
 * @module
 * Clicks, double-clicks and hovers as a mouse makes them: pointer and mouse events dispatched on
 * the target at a point of its border box (`at`, fractions; the centre by default), with client
 * coordinates, in the target's own window (a same-origin iframe's, if it is in one). A dispatched
 * `click` runs the element's activation as a real one does: a link follows, a checkbox toggles,
 * a submit button submits. The element under the mouse before a hover hears it leave.
 */
import type { BoxPoint } from '@sightline/protocol';

/** Event constructors of the element's own window, so events pass `instanceof` checks there. */
function windowOf(element: Element): Window & typeof globalThis {
  return (element.ownerDocument.defaultView ?? window) as Window & typeof globalThis;
}

/** The client coordinates of `at` in `element`'s border box. */
export function pointIn(element: Element, at: BoxPoint | undefined): { x: number; y: number } {
  const box = element.getBoundingClientRect();
  return { x: box.left + box.width * (at?.x ?? 0.5), y: box.top + box.height * (at?.y ?? 0.5) };
}

type MouseKind = 'over' | 'enter' | 'move' | 'down' | 'up' | 'out' | 'leave';

/** Dispatches `pointer<kind>` then `mouse<kind>`; returns whether the mouse one was not cancelled. */
function both(
  element: Element,
  kind: MouseKind,
  point: { x: number; y: number },
  detail = 0,
): boolean {
  const view = windowOf(element);
  const bubbles = kind !== 'enter' && kind !== 'leave';
  const pressed = kind === 'down' ? 1 : 0;
  const init: PointerEventInit = {
    bubbles,
    cancelable: bubbles,
    composed: true,
    view,
    clientX: point.x,
    clientY: point.y,
    screenX: point.x + view.screenX,
    screenY: point.y + view.screenY,
    button: 0,
    buttons: pressed,
    detail,
  };
  if (typeof view.PointerEvent === 'function') {
    element.dispatchEvent(
      new view.PointerEvent(`pointer${kind}`, {
        ...init,
        detail: 0,
        pointerId: 1,
        pointerType: 'mouse',
        isPrimary: true,
      }),
    );
  }
  return element.dispatchEvent(new view.MouseEvent(`mouse${kind}`, init));
}

/** The element last hovered or clicked, which hears the pointer leave when it moves on. */
let under: WeakRef<Element> | undefined;

/** Moves the pointer onto `element`: the previous one hears it leave. */
function moveOnto(element: Element, point: { x: number; y: number }): void {
  const previous = under?.deref();
  if (previous !== element) {
    if (previous?.isConnected) {
      both(previous, 'out', point);
      both(previous, 'leave', point);
    }
    both(element, 'over', point);
    both(element, 'enter', point);
  }
  under = new WeakRef(element);
  both(element, 'move', point);
}

/** The nearest element that takes the focus when pressed: the target or an ancestor. */
function focusTargetOf(element: Element): HTMLElement | undefined {
  for (let at: Element | null = element; at; at = at.parentElement) {
    const html = at as HTMLElement;
    if (typeof html.focus === 'function' && (html.tabIndex >= 0 || at.hasAttribute('tabindex'))) {
      return html;
    }
  }
  return undefined;
}

/** One press and release, then `click` (`detail` counts the clicks of a double-click). */
function press(element: Element, point: { x: number; y: number }, detail: number): void {
  const focusable = both(element, 'down', point, detail);
  // A real mousedown focuses; a dispatched one does not, unless we do (and the page did not
  // cancel it, as it may to keep the focus where it is).
  if (focusable) focusTargetOf(element)?.focus({ preventScroll: true });
  both(element, 'up', point, detail);
  const view = windowOf(element);
  // `click` is a PointerEvent where the browser has them.
  const Click = typeof view.PointerEvent === 'function' ? view.PointerEvent : view.MouseEvent;
  element.dispatchEvent(
    new Click('click', {
      bubbles: true,
      cancelable: true,
      composed: true,
      view,
      clientX: point.x,
      clientY: point.y,
      button: 0,
      detail,
      pointerId: 1,
      pointerType: 'mouse',
      isPrimary: true,
    }),
  );
}

/** Hovers over `element` at `at`. */
export function hover(element: Element, at?: BoxPoint): void {
  moveOnto(element, pointIn(element, at));
}

/** Clicks `element` at `at`. */
export function click(element: Element, at?: BoxPoint): void {
  const point = pointIn(element, at);
  moveOnto(element, point);
  press(element, point, 1);
}

/** Double-clicks `element` at `at`: two clicks, then `dblclick`. */
export function doubleClick(element: Element, at?: BoxPoint): void {
  const point = pointIn(element, at);
  moveOnto(element, point);
  press(element, point, 1);
  press(element, point, 2);
  const view = windowOf(element);
  element.dispatchEvent(
    new view.MouseEvent('dblclick', {
      bubbles: true,
      cancelable: true,
      composed: true,
      view,
      clientX: point.x,
      clientY: point.y,
      button: 0,
      detail: 2,
    }),
  );
}
