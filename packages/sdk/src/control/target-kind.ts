/**
 * @module
 * Whether an element is the kind of element an action needs: text goes into a text field or a
 * textarea, an option is chosen in a `<select>`, a box is ticked on a checkbox or a radio button,
 * and a pointer needs something on screen. Pure: it reads {@link TargetFacts}, which `resolve.ts`
 * reads off the live element, so the rules are tested without a browser.
 */
import type { CommandRefusal, RemoteAction } from '@sightline/protocol';

/** What the customer's prompt calls the target. */
export type TargetRole =
  'page' | 'button' | 'link' | 'field' | 'checkbox' | 'radio' | 'select' | 'element';

/** What the kind rules read of an element. */
export interface TargetFacts {
  /** Lower-case tag name. */
  readonly tag: string;
  /** An `<input>`'s `type`, lower case; `''` for other elements. */
  readonly type: string;
  /** The `role` attribute, if any. */
  readonly ariaRole: string;
  /** Whether it has an `href` (links). */
  readonly hasHref: boolean;
  /** `:disabled`, a disabled fieldset included. */
  readonly disabled: boolean;
  readonly readOnly: boolean;
  /** A `<select multiple>`. */
  readonly multiple: boolean;
  /** A `<select>`'s number of options; 0 otherwise. */
  readonly optionCount: number;
  /** Whether it can take the focus (natively, or with a `tabindex`). */
  readonly focusable: boolean;
  /** Whether its content overflows it in a direction it scrolls in. */
  readonly scrollable: boolean;
  /** Whether it has a box on screen (not `display: none`). */
  readonly rendered: boolean;
  /** The document's `<html>` or `<body>`: scrolling it scrolls the page. */
  readonly isPageRoot: boolean;
}

/** Inputs that take typed text. */
const TEXT_INPUT_TYPES: ReadonlySet<string> = new Set([
  'text',
  'search',
  'email',
  'url',
  'tel',
  'number',
  'password',
]);

/** Inputs that are buttons. */
const BUTTON_INPUT_TYPES: ReadonlySet<string> = new Set(['button', 'submit', 'reset', 'image']);

/** Whether `facts` describe a field that takes typed text. */
export function isTextField(facts: TargetFacts): boolean {
  return facts.tag === 'textarea' || (facts.tag === 'input' && TEXT_INPUT_TYPES.has(facts.type));
}

/** What the prompt calls the element. */
export function roleOf(facts: TargetFacts): TargetRole {
  if (facts.tag === 'input' && facts.type === 'checkbox') return 'checkbox';
  if (facts.tag === 'input' && facts.type === 'radio') return 'radio';
  if (facts.tag === 'select') return 'select';
  if (isTextField(facts)) return 'field';
  if (facts.tag === 'button' || (facts.tag === 'input' && BUTTON_INPUT_TYPES.has(facts.type))) {
    return 'button';
  }
  if (facts.ariaRole === 'button') return 'button';
  if ((facts.tag === 'a' && facts.hasHref) || facts.ariaRole === 'link') return 'link';
  if (facts.ariaRole === 'checkbox' || facts.ariaRole === 'switch') return 'checkbox';
  if (facts.ariaRole === 'radio') return 'radio';
  if (facts.isPageRoot) return 'page';
  return 'element';
}

/**
 * Why `action` cannot act on an element with `facts`, if it cannot: always `not_actionable`
 * (masking, blocking and the deny list are decided before this).
 */
export function kindRefusal(action: RemoteAction, facts: TargetFacts): CommandRefusal | undefined {
  const refuse = (cannot: boolean) => (cannot ? 'not_actionable' : undefined);
  switch (action.kind) {
    case 'click':
    case 'dblclick':
      return refuse(facts.disabled || !facts.rendered);
    case 'hover':
      return refuse(!facts.rendered);
    case 'focus':
      return refuse(facts.disabled || !facts.focusable);
    case 'type':
      return refuse(!isTextField(facts) || facts.disabled || facts.readOnly);
    case 'select': {
      if (facts.tag !== 'select' || facts.disabled) return 'not_actionable';
      if (!facts.multiple && action.options.length !== 1) return 'not_actionable';
      return refuse(action.options.some((index) => index >= facts.optionCount));
    }
    case 'check': {
      const choice = facts.tag === 'input' && (facts.type === 'checkbox' || facts.type === 'radio');
      // A radio button is unticked by ticking another one of its group.
      return refuse(!choice || facts.disabled || (facts.type === 'radio' && !action.checked));
    }
    case 'key':
      return undefined;
    case 'scroll':
      return refuse(!facts.scrollable && !facts.isPageRoot);
    case 'navigate':
      return undefined;
  }
}
