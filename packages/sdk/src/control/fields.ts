/**
 * @module
 * Typing, choosing options and ticking boxes so that the page's own code hears it as from the
 * customer. A value is written with the browser's native setter (the prototype's, not the
 * element's own property: React and Vue put an instance setter over it to track what they wrote
 * themselves), then `input` and `change` are dispatched, which React's and Vue's listeners turn
 * into their state updates. A `beforeinput` the page cancels (an editor, a mask) stops typing.
 */

/** The element's own window, for its prototypes and event constructors. */
function windowOf(element: Element): Window & typeof globalThis {
  return (element.ownerDocument.defaultView ?? window) as Window & typeof globalThis;
}

/** Writes `value` with the native setter of the element's prototype chain. */
function setNativeValue(field: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  const view = windowOf(field);
  const proto =
    field.localName === 'textarea'
      ? view.HTMLTextAreaElement.prototype
      : view.HTMLInputElement.prototype;
  const setter = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
  if (setter) setter.call(field, value);
  else field.value = value;
}

/** `selectionStart`/`End`, or `undefined` for input types that have none (`number`, `email`). */
function selectionOf(field: HTMLInputElement | HTMLTextAreaElement): [number, number] | undefined {
  try {
    const { selectionStart, selectionEnd } = field;
    if (selectionStart === null || selectionEnd === null) return undefined;
    return [selectionStart, selectionEnd];
  } catch {
    return undefined;
  }
}

function fire(element: Element, type: 'input' | 'change', data?: string, inputType?: string): void {
  const view = windowOf(element);
  element.dispatchEvent(
    type === 'input'
      ? new view.InputEvent('input', { bubbles: true, composed: true, data, inputType })
      : new view.Event('change', { bubbles: true }),
  );
}

/**
 * Types `text` into a text field or textarea: at the caret (replacing a selection), or as the
 * whole new value (`replace`). The field's `maxlength` is honoured. Returns whether it typed.
 */
export function typeInto(
  field: HTMLInputElement | HTMLTextAreaElement,
  text: string,
  replace: boolean,
): boolean {
  const view = windowOf(field);
  field.focus({ preventScroll: true });
  const inputType = replace ? 'insertReplacementText' : 'insertText';
  const before = new view.InputEvent('beforeinput', {
    bubbles: true,
    cancelable: true,
    composed: true,
    data: text,
    inputType,
  });
  if (!field.dispatchEvent(before)) return false;
  const current = field.value;
  const selection = replace ? undefined : selectionOf(field);
  const [start, end] = replace
    ? [0, current.length]
    : (selection ?? [current.length, current.length]);
  let next = current.slice(0, start) + text + current.slice(end);
  let caret = start + text.length;
  if (field.maxLength >= 0 && next.length > field.maxLength) {
    next = next.slice(0, field.maxLength);
    caret = Math.min(caret, next.length);
  }
  setNativeValue(field, next);
  if (selectionOf(field)) field.setSelectionRange(caret, caret);
  fire(field, 'input', text, inputType);
  fire(field, 'change');
  return true;
}

/** Selects the options at `indexes` (only those, in a `multiple` select). */
export function chooseOptions(select: HTMLSelectElement, indexes: readonly number[]): void {
  select.focus({ preventScroll: true });
  if (select.multiple) {
    Array.from(select.options).forEach((option, index) => {
      option.selected = indexes.includes(index);
    });
  } else {
    select.selectedIndex = indexes[0] ?? -1;
  }
  fire(select, 'input');
  fire(select, 'change');
}

/**
 * Ticks or unticks a checkbox, or ticks a radio button, by clicking it if it is not as wanted: the
 * click toggles it and fires `input` and `change`, which is what React's checkbox handling
 * listens to. Returns whether it ended as wanted (the page may cancel the click).
 */
export function setChecked(box: HTMLInputElement, checked: boolean): boolean {
  if (box.checked !== checked) box.click();
  return box.checked === checked;
}
