/**
 * @module
 * The notice a customer sees when an invitation link cannot be used (expired, used already, not
 * valid, its session over): a small dialog in a closed shadow root of its own, like the consent
 * prompt, so the page's scripts cannot reach it and nothing of it is captured. It says what
 * happened and what to do, in words; OK or Escape closes it and removes it from the page.
 */
import { ErrorCode } from '@sightline/protocol';
import { ShadowHost } from './shadow-host.js';

/** What the notice says. */
export interface NoticeWords {
  title: string;
  text: string;
}

/** The notice's words for an error: ours for the invitation errors, the server's otherwise. */
export function inviteNoticeWords(code: number, errorMsg: string): NoticeWords {
  switch (code) {
    case ErrorCode.INVITE_EXPIRED.code:
      return {
        title: 'This link has expired',
        text: 'Links to share your screen with support work for a short time only. Ask your support agent to send you a new one.',
      };
    case ErrorCode.INVITE_USED.code:
      return {
        title: 'This link was already used',
        text: 'Each link works once. Ask your support agent to send you a new one, and tell them if it was not you who opened it.',
      };
    case ErrorCode.INVITE_INVALID.code:
      return {
        title: 'This link is not valid',
        text: 'It may have been copied incompletely. Ask your support agent to send you a new one.',
      };
    case ErrorCode.SESSION_ENDED.code:
      return {
        title: 'This support session has ended',
        text: 'Ask your support agent for a new link if you still need help.',
      };
    default:
      return { title: 'Could not connect you to support', text: errorMsg };
  }
}

let nextId = 0;

/**
 * Shows the notice on `document` and returns its disposer. The focus moves to its OK button and
 * goes back where it was once the notice is closed.
 */
export function showInviteNotice(document: Document, words: NoticeWords): () => void {
  const host = new ShadowHost(document);
  const root = host.root;
  const previous = document.activeElement;
  const id = `sightline-notice-${(nextId += 1)}`;

  const backdrop = document.createElement('div');
  backdrop.className = 'backdrop';
  const dialog = document.createElement('div');
  dialog.className = 'dialog';
  dialog.setAttribute('role', 'alertdialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.setAttribute('aria-labelledby', `${id}-title`);
  dialog.setAttribute('aria-describedby', `${id}-text`);
  const title = document.createElement('h2');
  title.id = `${id}-title`;
  title.textContent = words.title;
  const text = document.createElement('p');
  text.id = `${id}-text`;
  text.textContent = words.text;
  const ok = document.createElement('button');
  ok.type = 'button';
  ok.className = 'primary';
  ok.textContent = 'OK';
  const actions = document.createElement('div');
  actions.className = 'actions';
  actions.append(ok);
  dialog.append(title, text, actions);
  backdrop.append(dialog);
  root.append(backdrop);

  const listeners = new AbortController();
  const { signal } = listeners;
  const close = () => {
    if (signal.aborted) return;
    listeners.abort();
    host.dispose();
    if (previous instanceof HTMLElement && previous.isConnected) previous.focus();
  };
  dialog.addEventListener(
    'keydown',
    (event) => {
      // One button: Escape closes, and Tab stays on it.
      if (event.key === 'Escape' || event.key === 'Tab') event.preventDefault();
      if (event.key === 'Escape') close();
    },
    { signal },
  );
  ok.addEventListener('click', close, { signal });
  ok.focus();
  return close;
}
