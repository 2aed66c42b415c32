/**
 * @module
 * The sketch's default way to ask for a text label's words: a small input on the drawing surface
 * where the label goes. Enter keeps the words, Escape drops them, and so does leaving the input
 * empty; clicking elsewhere keeps what was typed.
 */
import { ANNOTATION_TEXT_MAX_LENGTH } from '@sightline/protocol';

/** Asks for a label's words at (`clientX`, `clientY`) on `surface`; undefined when dropped. */
export function askTextInline(
  surface: HTMLElement,
  clientX: number,
  clientY: number,
): Promise<string | undefined> {
  const doc = surface.ownerDocument;
  const input = doc.createElement('input');
  const origin = surface.getBoundingClientRect();
  input.type = 'text';
  input.maxLength = ANNOTATION_TEXT_MAX_LENGTH;
  input.placeholder = 'Label';
  input.setAttribute('aria-label', 'Label text');
  input.style.cssText = [
    'position:absolute',
    `left:${Math.round(clientX - origin.left)}px`,
    `top:${Math.round(clientY - origin.top)}px`,
    'z-index:1',
    'min-width:160px',
    'padding:4px 6px',
    'font:14px system-ui,sans-serif',
    'border:1px solid #555',
    'border-radius:4px',
    'background:#fff',
    'color:#111',
    'pointer-events:auto',
  ].join(';');
  return new Promise((resolve) => {
    let settled = false;
    const settle = (value: string | undefined) => {
      if (settled) return;
      settled = true;
      input.remove();
      resolve(value?.trim() ? value : undefined);
    };
    input.addEventListener('keydown', (event) => {
      // The page (or the console's shortcuts) must not act on the keys typed into the label.
      event.stopPropagation();
      if (event.key === 'Enter') settle(input.value);
      else if (event.key === 'Escape') settle(undefined);
    });
    input.addEventListener('blur', () => settle(input.value));
    // The pointer that placed the label must not take the focus back on its way up.
    input.addEventListener('pointerdown', (event) => event.stopPropagation());
    surface.append(input);
    setTimeout(() => input.focus(), 0);
  });
}
