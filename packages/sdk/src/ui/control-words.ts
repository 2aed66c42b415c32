/**
 * @module
 * Remote actions in the customer's words, for the approval prompt: "Jane Doe wants to click
 * “Add to cart”". The target is named by its short label (`control/label.ts`: visible text or
 * accessible name, never a value) or, without one, by what it is ("a button"). What is typed is
 * counted, never shown.
 */
import type { RemoteAction } from '@sightline/protocol';
import type { TargetRole } from '../control/index.js';

/** The target as the prompt names it. */
export interface NamedTarget {
  readonly role: TargetRole;
  readonly label: string | undefined;
}

const NOUNS: Readonly<Record<TargetRole, string>> = {
  page: 'this page',
  button: 'a button',
  link: 'a link',
  field: 'a field',
  checkbox: 'a checkbox',
  radio: 'an option',
  select: 'a list',
  element: 'something on this page',
};

/** “Add to cart”, or "a button". */
export function targetWords(target: NamedTarget): string {
  return target.label === undefined ? NOUNS[target.role] : `“${target.label}”`;
}

function characters(count: number): string {
  return `${count} ${count === 1 ? 'character' : 'characters'}`;
}

/** What the agent wants to do, after "wants to": "click “Add to cart”", "type 12 characters into “Gift note”". */
export function actionWords(action: RemoteAction, target: NamedTarget): string {
  const what = targetWords(target);
  switch (action.kind) {
    case 'click':
      return `click ${what}`;
    case 'dblclick':
      return `double-click ${what}`;
    case 'hover':
      return `point at ${what}`;
    case 'focus':
      return `put the cursor in ${what}`;
    case 'type':
      return action.replace
        ? `replace the text in ${what} with ${characters(action.text.length)}`
        : `type ${characters(action.text.length)} into ${what}`;
    case 'select':
      return action.options.length === 1
        ? `choose an option in ${what}`
        : `choose ${action.options.length} options in ${what}`;
    case 'check':
      if (target.role === 'radio') return `select ${what}`;
      return `${action.checked ? 'tick' : 'untick'} ${what}`;
    case 'key': {
      const key = `${action.shift ? 'Shift+' : ''}${action.key.replace(/^Arrow/, 'arrow ')}`;
      return target.role === 'page' ? `press ${key}` : `press ${key} in ${what}`;
    }
    case 'scroll':
      return target.role === 'page' ? 'scroll this page' : `scroll ${what}`;
    case 'navigate':
      switch (action.to) {
        case 'back':
          return 'go back to the previous page';
        case 'forward':
          return 'go forward to the next page';
        case 'reload':
          return 'reload this page';
        case 'url':
          return `open ${pathOf(action.url ?? '')} on this site`;
      }
  }
}

/** A same-origin URL as the customer reads it: its path, short. */
function pathOf(url: string): string {
  try {
    const path = new URL(url).pathname;
    return path.length > 40 ? `${path.slice(0, 39)}…` : path;
  } catch {
    return 'a page';
  }
}

/** The approval prompt's heading: "Jane Doe wants to click “Add to cart”". */
export function actionPromptTitle(agentName: string, action: RemoteAction, target: NamedTarget) {
  return `${agentName} wants to ${actionWords(action, target)}`;
}

/** What the approval prompt says under its heading. */
export function actionPromptText(expiresInMs: number): string {
  const seconds = Math.max(1, Math.round(expiresInMs / 1000));
  return `Nothing happens unless you allow it. Without an answer within ${seconds} seconds, it does not happen.`;
}
