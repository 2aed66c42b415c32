/**
 * @module
 * Internal: how the agent's clicks, keys and wheel on the mirror become remote-assist actions
 * (ADR 0012), as pure functions over plain facts, so the input layer only gathers facts and sends.
 * Elements are named by their rrweb node id; a click's position is a fraction of the element's
 * border box, so it lands on the same spot of the element whatever the customer's layout.
 */
import {
  CONTROL_MODE_RANK,
  type BoxPoint,
  type ControlMode,
  type RemoteAction,
  type RemoteKey,
} from '@sightline/protocol';

/** A point or a box in some viewport, CSS px. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Whether the mirror turns input into commands: a control mode, this agent controls, interact is the tool. */
export function acceptsInput(
  control: { mode: ControlMode; isController: boolean } | undefined,
  interactSelected: boolean,
): boolean {
  if (!control || !interactSelected || !control.isController) return false;
  return CONTROL_MODE_RANK[control.mode] >= CONTROL_MODE_RANK.controlled;
}

/**
 * Maps a point in the console's viewport to the mirror frame's own viewport: the frame is drawn
 * at `frameRect` (after the fit's scale), and is `frameWidth` CSS px wide inside.
 */
export function toFramePoint(
  client: { x: number; y: number },
  frameRect: Box,
  frameWidth: number,
): { x: number; y: number } {
  const scale = frameRect.width > 0 && frameWidth > 0 ? frameRect.width / frameWidth : 1;
  return { x: (client.x - frameRect.left) / scale, y: (client.y - frameRect.top) / scale };
}

/** Where `point` falls in `box`, as fractions of its width and height, kept within 0–1. */
export function boxPointOf(point: { x: number; y: number }, box: Box): BoxPoint {
  const fraction = (offset: number, size: number) =>
    size > 0 ? Math.min(1, Math.max(0, offset / size)) : 0.5;
  return { x: fraction(point.x - box.left, box.width), y: fraction(point.y - box.top, box.height) };
}

/** What the input layer knows of the element under the pointer. */
export interface ElementFacts {
  nodeId: number;
  /** Lower-case tag name. */
  tag: string;
  /** `type` of an input, lower case; '' otherwise. */
  type: string;
  checked: boolean;
  contentEditable: boolean;
}

const TEXT_INPUT_TYPES: ReadonlySet<string> = new Set([
  'text',
  'search',
  'email',
  'url',
  'tel',
  'number',
  'password',
  '',
]);

/** Whether typing goes into this element (a text field or an editable region). */
export function isTextTarget(
  facts: Pick<ElementFacts, 'tag' | 'type' | 'contentEditable'>,
): boolean {
  return (
    facts.tag === 'textarea' ||
    facts.contentEditable ||
    (facts.tag === 'input' && TEXT_INPUT_TYPES.has(facts.type))
  );
}

/** What a click on an element means. `select` opens the console's option picker. */
export type ClickIntent =
  | { kind: 'action'; action: RemoteAction; typingTarget?: number }
  | { kind: 'pick_options'; nodeId: number };

/**
 * The action for a click (or double click) at `point` on an element at `box`: a tick for a
 * checkbox or radio, the option picker for a select, focus for a text field (which then takes the
 * typing), a click at the point otherwise.
 */
export function clickIntent(
  facts: ElementFacts,
  point: { x: number; y: number },
  box: Box,
  double = false,
): ClickIntent {
  const { nodeId } = facts;
  if (facts.tag === 'select') return { kind: 'pick_options', nodeId };
  if (facts.tag === 'input' && (facts.type === 'checkbox' || facts.type === 'radio')) {
    // A radio is unticked only by ticking another of its group.
    const checked = facts.type === 'radio' ? true : !facts.checked;
    return { kind: 'action', action: { kind: 'check', nodeId, checked } };
  }
  if (isTextTarget(facts)) {
    return { kind: 'action', action: { kind: 'focus', nodeId }, typingTarget: nodeId };
  }
  const at = boxPointOf(point, box);
  return { kind: 'action', action: { kind: double ? 'dblclick' : 'click', nodeId, at } };
}

/** A scroll container's position and range, innermost first; the page (no `nodeId`) last. */
export interface ScrollFacts {
  nodeId?: number;
  left: number;
  top: number;
  /** `scrollWidth - clientWidth`, `scrollHeight - clientHeight`. */
  maxLeft: number;
  maxTop: number;
}

/** A wheel event's delta in px: lines are 16 px, pages the viewport's height (`pagePx`). */
export function wheelPixels(
  wheel: { deltaX: number; deltaY: number; deltaMode: number },
  pagePx: number,
): { dx: number; dy: number } {
  const unit = wheel.deltaMode === 1 ? 16 : wheel.deltaMode === 2 ? pagePx : 1;
  return { dx: wheel.deltaX * unit, dy: wheel.deltaY * unit };
}

/**
 * The scroll a wheel asks for: the innermost container that can still move that way goes to
 * its resulting position (within its range); undefined when nothing can move.
 */
export function scrollAction(
  containers: readonly ScrollFacts[],
  dx: number,
  dy: number,
): RemoteAction | undefined {
  const clamp = (value: number, max: number) => Math.round(Math.min(Math.max(0, value), max));
  for (const c of containers) {
    const left = clamp(c.left + dx, Math.max(0, c.maxLeft));
    const top = clamp(c.top + dy, Math.max(0, c.maxTop));
    if (left === Math.round(c.left) && top === Math.round(c.top)) continue;
    return c.nodeId === undefined
      ? { kind: 'scroll', left, top }
      : { kind: 'scroll', nodeId: c.nodeId, left, top };
  }
  return undefined;
}

/** The keys that become `key` actions. */
const REMOTE_KEYS: ReadonlySet<string> = new Set<RemoteKey>([
  'Enter',
  'Tab',
  'Escape',
  'ArrowUp',
  'ArrowDown',
  'ArrowLeft',
  'ArrowRight',
]);

/** What a key press means: text to type, a key to press, or nothing. */
export type KeyIntent =
  { kind: 'text'; text: string } | { kind: 'key'; key: RemoteKey; shift: boolean };

/**
 * A key press on the mirror: a printable character (no Ctrl, Meta or Alt-only shortcut) is text;
 * Enter, Tab, Escape and the arrows are keys; anything else (Backspace, Delete, shortcuts) does
 * nothing, since the protocol has no key that edits.
 */
export function keyIntent(event: {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}): KeyIntent | undefined {
  if (REMOTE_KEYS.has(event.key)) {
    return { kind: 'key', key: event.key as RemoteKey, shift: event.shiftKey };
  }
  if (event.ctrlKey || event.metaKey) return undefined;
  // One user-perceived character: `key` names it; named keys ("Shift", "F5") are longer.
  if ([...event.key].length !== 1) return undefined;
  return { kind: 'text', text: event.key };
}
