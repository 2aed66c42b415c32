/**
 * @module
 * Stage 4 of the control pipeline: doing the action on the target stage 2 resolved (and stage 3
 * allowed). Each kind of action is in its own module: `pointer.ts`, `fields.ts`, `keys.ts`,
 * `navigation.ts`. Nothing here is reachable except through the pipeline (`remote-assist.ts`).
 */
import type { CommandRefusal, RemoteAction } from '@sightline/protocol';
import { chooseOptions, setChecked, typeInto } from './fields.js';
import { pressKey, type KeyContext } from './keys.js';
import { navigate, scrollTo } from './navigation.js';
import { click, doubleClick, hover } from './pointer.js';
import type { Target } from './resolve.js';

/** What stage 4 did. `after` runs once the result is sent (a navigation may unload the page). */
export type Executed =
  { readonly done: true; readonly after?: () => void } | { readonly refusal: CommandRefusal };

const DONE: Executed = { done: true };
const NOT_ACTIONABLE: Executed = { refusal: 'not_actionable' };

/** Stage 4: does `action` on `target`. */
export function execute(action: RemoteAction, target: Target, context: KeyContext): Executed {
  const element = target.element;
  switch (action.kind) {
    case 'scroll':
      scrollTo(context.document, element, action.left, action.top);
      return DONE;
    case 'navigate':
      return { done: true, after: () => navigate(context.document, action.to, action.url) };
    case 'key': {
      const refusal = pressKey(element, action.key, action.shift, context);
      return refusal ? { refusal } : DONE;
    }
    // Every other action names an element; stage 2 made sure it is one of the right kind.
    case 'click':
      if (element) click(element, action.at);
      return element ? DONE : NOT_ACTIONABLE;
    case 'dblclick':
      if (element) doubleClick(element, action.at);
      return element ? DONE : NOT_ACTIONABLE;
    case 'hover':
      if (element) hover(element, action.at);
      return element ? DONE : NOT_ACTIONABLE;
    case 'focus':
      (element as HTMLElement | undefined)?.focus();
      return element ? DONE : NOT_ACTIONABLE;
    case 'type':
      return element && typeInto(element as HTMLInputElement, action.text, action.replace)
        ? DONE
        : NOT_ACTIONABLE;
    case 'select':
      if (element) chooseOptions(element as HTMLSelectElement, action.options);
      return element ? DONE : NOT_ACTIONABLE;
    case 'check':
      return element && setChecked(element as HTMLInputElement, action.checked)
        ? DONE
        : NOT_ACTIONABLE;
  }
}
