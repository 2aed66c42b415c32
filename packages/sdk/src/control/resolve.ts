/**
 * @module
 * Stage 2 of the control pipeline: which element a command acts on, and whether it may. An
 * element is named by its rrweb node id (`record.mirror`), which is what the agent's mirror knows.
 * It is refused, in this order, when it is
 *
 * - `gone`: the id names nothing on the page now (removed, or capture restarted);
 * - `blocked`: it is, or is inside, an element the agent sees as a grey box;
 * - `masked`: its value or text is masked under the page's policy (every field in `all_input`,
 *   password and payment fields always, `[data-sightline-mask]` and mask rules, all text in
 *   `all_text`), so control can neither read nor write what masking hides;
 * - `denied_selector`: it is, or is inside, a match of `remoteAssist.denySelectors`;
 * - `not_actionable`: not the kind of element the action needs (`target-kind.ts`).
 *
 * A click reaches more than its target: a click in a `<label>` acts on the label's field, and an
 * `<option>` belongs to its `<select>`, and Enter in a text field presses its form's submit
 * button. Those are checked with the same rules. A key without a node id goes to the focused
 * element, which is checked the same way.
 */
import type { CommandRefusal, RemoteAction } from '@sightline/protocol';
import {
  isAlwaysMasked,
  isInsideBlocked,
  shouldMaskInput,
  shouldMaskText,
  type MaskPolicy,
} from '../privacy/masking.js';
import { within } from '../privacy/tree.js';
import { implicitSubmitter } from './keys.js';
import { targetLabel } from './label.js';
import { kindRefusal, roleOf, type TargetFacts, type TargetRole } from './target-kind.js';

/** What stage 2 reads. */
export interface ResolveContext {
  /** The live node rrweb recorded under an id (`record.mirror.getNode`), while recording. */
  readonly nodeOf: (id: number) => unknown;
  /** The mask policy now (server rules included). */
  readonly policy: MaskPolicy;
  /** `remoteAssist.denySelectors`. */
  readonly denySelectors: readonly string[];
  /** The page. */
  readonly document: Document;
}

/** What a command acts on. */
export interface Target {
  /** The element; `undefined` for the page itself (scrolling it, navigating, a key on nothing). */
  readonly element: Element | undefined;
  readonly role: TargetRole;
  /** A short name for the customer's prompt (`label.ts`); never a value, never masked text. */
  readonly label: string | undefined;
}

/** What stage 2 decided. */
export type Resolved = { readonly target: Target } | { readonly refusal: CommandRefusal };

const PAGE: Target = { element: undefined, role: 'page', label: undefined };

const FORM_FIELDS: ReadonlySet<string> = new Set(['input', 'textarea', 'select']);

function isElement(node: unknown): node is Element {
  return (
    typeof node === 'object' && node !== null && (node as Node).nodeType === 1 && 'tagName' in node
  );
}

/** The focused element, looking into shadow roots and same-origin iframes. */
export function focusedElement(document: Document): Element | undefined {
  let active: Element | null = document.activeElement;
  for (let depth = 0; active && depth < 32; depth += 1) {
    const inner =
      active.shadowRoot?.activeElement ??
      (active.localName === 'iframe' ? frameActive(active as HTMLIFrameElement) : null);
    if (!inner) break;
    active = inner;
  }
  if (!active) return undefined;
  const doc = active.ownerDocument;
  return active === doc.body || active === doc.documentElement ? undefined : active;
}

function frameActive(frame: HTMLIFrameElement): Element | null {
  try {
    return frame.contentDocument?.activeElement ?? null;
  } catch {
    return null;
  }
}

/** Whether the page's masking hides anything of `element` (value or text). */
export function isMaskedTarget(element: Element, policy: MaskPolicy): boolean {
  if (isAlwaysMasked(element)) return true;
  // Mask and block rules, `all_text`, and editable text in `all_input`: covers any element.
  if (shouldMaskText(element, policy)) return true;
  return FORM_FIELDS.has(element.localName) && shouldMaskInput(element, policy);
}

/**
 * Elements an action on `element` also acts on: a click's label's field, an option's select, and
 * the button Enter in a text field presses by submitting its form.
 */
function reachedBy(element: Element, action: RemoteAction | undefined): Element[] {
  const reached: Element[] = [];
  if (action?.kind === 'key' && action.key === 'Enter') {
    const submitter = implicitSubmitter(element);
    if (submitter) reached.push(submitter);
  }
  const label = element.closest('label');
  const control = label ? (label as HTMLLabelElement).control : null;
  if (control && control !== element) reached.push(control);
  const select = element.localName === 'option' ? element.closest('select') : null;
  if (select) reached.push(select);
  return reached;
}

/** Why `element` (or what `action` on it reaches) may not be a target, if it may not. */
export function targetRefusal(
  element: Element,
  context: Pick<ResolveContext, 'policy' | 'denySelectors'>,
  action?: RemoteAction,
): CommandRefusal | undefined {
  const all = [element, ...reachedBy(element, action)];
  if (all.some((each) => isInsideBlocked(each, context.policy))) return 'blocked';
  if (all.some((each) => isMaskedTarget(each, context.policy))) return 'masked';
  const denied = (each: Element) =>
    context.denySelectors.some((selector) => within(each, selector));
  if (all.some(denied)) return 'denied_selector';
  return undefined;
}

/** Reads the facts the kind rules need off a live element. */
export function factsOf(element: Element): TargetFacts {
  const html = element as HTMLElement & Partial<HTMLInputElement & HTMLSelectElement>;
  const tag = element.localName;
  const doc = element.ownerDocument;
  const isPageRoot = element === doc.documentElement || element === doc.body;
  let disabled: boolean;
  try {
    disabled = element.matches(':disabled');
  } catch {
    disabled = false;
  }
  const overflowing =
    element.scrollHeight > element.clientHeight || element.scrollWidth > element.clientWidth;
  const style = doc.defaultView?.getComputedStyle(element);
  const scrolls = (value: string | undefined) => value === 'auto' || value === 'scroll';
  return {
    tag,
    type: tag === 'input' ? String(html.type ?? '').toLowerCase() : '',
    ariaRole: (element.getAttribute('role') ?? '').trim().toLowerCase(),
    hasHref: element.hasAttribute('href'),
    disabled,
    readOnly: html.readOnly === true,
    multiple: tag === 'select' && html.multiple === true,
    optionCount: tag === 'select' ? (html.options?.length ?? 0) : 0,
    focusable:
      (typeof html.tabIndex === 'number' && html.tabIndex >= 0) ||
      element.hasAttribute('tabindex') ||
      (element as HTMLElement).isContentEditable === true,
    scrollable: overflowing && (scrolls(style?.overflowY) || scrolls(style?.overflowX)),
    rendered: element.getClientRects().length > 0,
    isPageRoot,
  };
}

/** The element `action` names, the focused one for a key without one, or the page. */
function elementOf(
  action: RemoteAction,
  context: ResolveContext,
): Element | 'gone' | 'not_element' | undefined {
  if (action.kind === 'navigate') return undefined;
  if (action.nodeId === undefined) {
    return action.kind === 'key' ? focusedElement(context.document) : undefined;
  }
  const node = context.nodeOf(action.nodeId);
  if (node === null || node === undefined || !(node as Node).isConnected) return 'gone';
  return isElement(node) ? node : 'not_element';
}

/** Stage 2: the target of `action`, or why there is none it may act on. */
export function resolveTarget(action: RemoteAction, context: ResolveContext): Resolved {
  const element = elementOf(action, context);
  if (element === 'gone') return { refusal: 'gone' };
  if (element === 'not_element') return { refusal: 'not_actionable' };
  if (element === undefined) return { target: PAGE };
  const refusal = targetRefusal(element, context, action) ?? kindRefusal(action, factsOf(element));
  if (refusal) return { refusal };
  const facts = factsOf(element);
  return {
    target: { element, role: roleOf(facts), label: targetLabel(element, context.policy) },
  };
}
