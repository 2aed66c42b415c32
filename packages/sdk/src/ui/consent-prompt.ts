/**
 * @module
 * The consent prompt: a modal dialog in the SDK's shadow root asking whether an agent may see
 * the page, or may go on for longer than the session was to last. Accessible: `role="dialog"`, `aria-modal`, labelled and described, focus moved into
 * it (to Deny, so a stray Enter never shares the page) and kept there (Tab cycles), Escape
 * answers Deny, and focus goes back where it was once answered.
 */
import type { ShadowHost } from './shadow-host.js';

/** What the prompt shows and whom it tells. */
export interface ConsentPromptOptions {
  /** The question, as its heading (see {@link promptTitle}, {@link extensionPromptTitle}). */
  title: string;
  /** What answering means (see {@link promptText}, {@link extensionPromptText}). */
  text: string;
  /** Called once, with the customer's answer. */
  onAnswer: (decision: 'allow' | 'deny') => void;
}

/** The agent as the prompt names them: "Jane Doe (Support)", or just "Jane Doe". */
function agentTitle(agentName: string, agentLabel: string): string {
  return `${agentName}${agentLabel ? ` (${agentLabel})` : ''}`;
}

/** The prompt's heading for an agent: "Jane Doe (Support) wants to see this page". */
export function promptTitle(agentName: string, agentLabel: string): string {
  return `${agentTitle(agentName, agentLabel)} wants to see this page`;
}

/** Whole minutes, as the customer reads them: "1 more minute", "15 more minutes". */
function moreMinutes(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  return `${minutes} more ${minutes === 1 ? 'minute' : 'minutes'}`;
}

/**
 * The prompt's heading for a request to extend the session: "Jane Doe (Support) asks to continue
 * this session for 15 more minutes".
 */
export function extensionPromptTitle(
  agentName: string,
  agentLabel: string,
  extensionMs: number,
): string {
  return `${agentTitle(agentName, agentLabel)} asks to continue this session for ${moreMinutes(extensionMs)}`;
}

/** What allowing or denying an extension means. It promises nothing about what is seen. */
export function extensionPromptText(): string {
  return (
    'If you allow, sharing goes on as it is now for that long. If you deny, the session ends ' +
    'at the time already planned. You can stop sharing at any time.'
  );
}

/**
 * What the prompt tells the customer the agent will see. It must be true under the page's masking
 * settings: with `custom_input` some typed values are shown, so only what is always masked is
 * promised.
 */
export function promptText(allInputsMasked: boolean): string {
  const hidden = allInputsMasked
    ? 'What you type in fields stays hidden from them.'
    : 'Some of what you type may be visible to them; passwords and card details always stay hidden.';
  return `They will see this page as you do, live. ${hidden} You can stop sharing at any time.`;
}

let nextId = 0;

/**
 * Shows the prompt. Returns its disposer, which removes it without answering (the agent left, or
 * the session ended).
 */
export function showConsentPrompt(host: ShadowHost, options: ConsentPromptOptions): () => void {
  const root = host.root;
  const doc = root.ownerDocument;
  const previous = doc.activeElement;
  const id = `sightline-consent-${(nextId += 1)}`;

  const backdrop = doc.createElement('div');
  backdrop.className = 'backdrop';
  const dialog = doc.createElement('div');
  dialog.className = 'dialog';
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.setAttribute('aria-labelledby', `${id}-title`);
  dialog.setAttribute('aria-describedby', `${id}-text`);
  const title = doc.createElement('h2');
  title.id = `${id}-title`;
  title.textContent = options.title;
  const text = doc.createElement('p');
  text.id = `${id}-text`;
  text.textContent = options.text;
  const deny = doc.createElement('button');
  deny.type = 'button';
  deny.textContent = 'Deny';
  const allow = doc.createElement('button');
  allow.type = 'button';
  allow.className = 'primary';
  allow.textContent = 'Allow';
  const actions = doc.createElement('div');
  actions.className = 'actions';
  actions.append(deny, allow);
  dialog.append(title, text, actions);
  backdrop.append(dialog);
  root.append(backdrop);

  let open = true;
  // Every listener below is registered with this signal: closing the prompt detaches them all.
  const listeners = new AbortController();
  const { signal } = listeners;
  const close = () => {
    if (!open) return;
    open = false;
    listeners.abort();
    backdrop.remove();
    if (previous instanceof HTMLElement && previous.isConnected) previous.focus();
  };
  const answer = (decision: 'allow' | 'deny') => {
    if (!open) return;
    close();
    options.onAnswer(decision);
  };
  const buttons = [deny, allow];
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      answer('deny');
    } else if (event.key === 'Tab') {
      event.preventDefault();
      const at = buttons.indexOf(host.activeElement as HTMLButtonElement);
      const step = event.shiftKey ? -1 : 1;
      buttons[(at + step + buttons.length) % buttons.length]?.focus();
    }
  };
  dialog.addEventListener('keydown', onKey, { signal });
  deny.addEventListener('click', () => answer('deny'), { signal });
  allow.addEventListener('click', () => answer('allow'), { signal });
  deny.focus();
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
