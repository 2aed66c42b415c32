/**
 * @module
 * Scrolling (the page, or an element that scrolls) and moving through the tab's history. The
 * navigation itself runs after the command's result is sent, since the page may unload.
 */

/** Scrolls the page, or `element`, to (`left`, `top`), at once. */
export function scrollTo(
  document: Document,
  element: Element | undefined,
  left: number,
  top: number,
): void {
  const doc = element?.ownerDocument ?? document;
  const pageRoot = !element || element === doc.documentElement || element === doc.body;
  if (pageRoot) doc.defaultView?.scrollTo({ left, top, behavior: 'instant' });
  else element.scrollTo({ left, top, behavior: 'instant' });
}

/** Where a `navigate` action goes. */
export type NavigateTo = 'back' | 'forward' | 'reload' | 'url';

/** Goes back, forward, reloads, or opens `url` (already checked to be on the page's origin). */
export function navigate(document: Document, to: NavigateTo, url?: string): void {
  const view = document.defaultView;
  if (!view) return;
  switch (to) {
    case 'back':
      view.history.back();
      return;
    case 'forward':
      view.history.forward();
      return;
    case 'reload':
      view.location.reload();
      return;
    case 'url':
      if (url !== undefined) view.location.assign(url);
      return;
  }
}
