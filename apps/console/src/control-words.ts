/**
 * @module
 * The words and keys of control and annotation in the console (ADR 0012): mode names, what a
 * pending step waits for, the tools and their shortcuts, each agent's default colour. Pure, so the
 * components only render them.
 */
import type { DrawingBlock } from '@sightline/agent';
import type { ControlMode, ControlPending } from '@sightline/protocol';

/** The console's tools: acting on the page, the drawing tools, the laser and the eraser. */
export type Tool =
  | 'interact'
  | 'pen'
  | 'vanishing_pen'
  | 'rectangle'
  | 'ellipse'
  | 'arrow'
  | 'text'
  | 'spotlight'
  | 'laser'
  | 'eraser';

/** A tool as the toolbar shows it. */
export interface ToolInfo {
  tool: Tool;
  label: string;
  /** The key that selects it (`event.key`, lower case). */
  key: string;
}

/** Every tool, in toolbar order. */
export const TOOLS: readonly ToolInfo[] = [
  { tool: 'interact', label: 'Interact', key: 'i' },
  { tool: 'pen', label: 'Pen', key: 'p' },
  { tool: 'vanishing_pen', label: 'Vanishing pen', key: 'v' },
  { tool: 'rectangle', label: 'Rectangle', key: 'r' },
  { tool: 'ellipse', label: 'Ellipse', key: 'o' },
  { tool: 'arrow', label: 'Arrow', key: 'a' },
  { tool: 'text', label: 'Text', key: 't' },
  { tool: 'spotlight', label: 'Spotlight', key: 's' },
  { tool: 'laser', label: 'Laser pointer', key: 'l' },
  { tool: 'eraser', label: 'Eraser', key: 'e' },
];

/** The modes, lowest first, as the mode buttons name them. */
export const MODES: readonly { mode: ControlMode; label: string; key: string }[] = [
  { mode: 'view_only', label: 'View only', key: '1' },
  { mode: 'guided', label: 'Guide', key: '2' },
  { mode: 'controlled', label: 'Control', key: '3' },
  { mode: 'full_control', label: 'Full control', key: '4' },
];

/** A mode's name. */
export function modeLabel(mode: ControlMode): string {
  return MODES.find((m) => m.mode === mode)?.label ?? mode;
}

/** What a pending step up waits for, in words; undefined when nothing is pending. */
export function pendingWords(pending: ControlPending | null | undefined): string | undefined {
  if (!pending) return undefined;
  const who = pending.waitingFor === 'manager' ? 'a manager' : 'the customer';
  return `${modeLabel(pending.mode)} for ${pending.agent.userName}: Waiting for ${who}…`;
}

/** Why the chosen drawing tool draws nothing now, in words. */
export function drawingBlockWords(block: DrawingBlock): string {
  switch (block) {
    case 'waiting':
      return 'Drawing starts once the customer’s page is shown.';
    case 'mode':
      return 'Drawing needs Guide mode: ask the customer with Guide (2).';
    case 'page':
      return 'This site does not let agents draw on its pages.';
  }
}

/** What a keyboard shortcut does. */
export type Shortcut =
  | { kind: 'tool'; tool: Tool }
  | { kind: 'mode'; mode: ControlMode }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'clear' }
  | { kind: 'help' };

/** The keys of a key press that shortcuts read. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/**
 * The shortcut for a key press, if any: a tool's letter, 1–4 for the modes, Ctrl/⌘+Z undo,
 * Ctrl/⌘+Shift+Z or Ctrl/⌘+Y redo, Shift+X clear all, ? this list.
 */
export function shortcutOf(press: KeyPress): Shortcut | undefined {
  const key = press.key.toLowerCase();
  const command = press.ctrlKey || press.metaKey;
  if (command && !press.altKey) {
    if (key === 'z') return press.shiftKey ? { kind: 'redo' } : { kind: 'undo' };
    if (key === 'y') return { kind: 'redo' };
    return undefined;
  }
  if (press.altKey || command) return undefined;
  if (press.key === '?') return { kind: 'help' };
  if (press.shiftKey) return key === 'x' ? { kind: 'clear' } : undefined;
  const tool = TOOLS.find((t) => t.key === key);
  if (tool) return { kind: 'tool', tool: tool.tool };
  const mode = MODES.find((m) => m.key === key);
  return mode ? { kind: 'mode', mode: mode.mode } : undefined;
}

/** Every shortcut in words, for the `?` help and the buttons' titles. */
export const SHORTCUT_HELP: readonly { keys: string; does: string }[] = [
  ...TOOLS.map((t) => ({ keys: t.key.toUpperCase(), does: t.label })),
  ...MODES.map((m) => ({ keys: m.key, does: `Ask for ${m.label}` })),
  { keys: 'Ctrl+Z', does: 'Undo' },
  { keys: 'Ctrl+Shift+Z or Ctrl+Y', does: 'Redo' },
  { keys: 'Shift+X', does: 'Clear all annotations' },
  { keys: '?', does: 'Show these shortcuts' },
];

/**
 * Whether a key press belongs to what has the focus rather than to the shortcuts: a field, an
 * editable region, a select, or the mirror's input layer while it acts on the page.
 */
export function isTypingTarget(target: EventTarget | null): boolean {
  const element = target as Partial<HTMLElement> | null;
  if (!element || typeof element.tagName !== 'string') return false;
  const tag = element.tagName.toLowerCase();
  if (tag === 'input' || tag === 'textarea' || tag === 'select') return true;
  if (element.isContentEditable === true) return true;
  // The mirror's input layer takes keys only while it is active (it acts on the page).
  return (
    element.classList?.contains('sightline-input') === true &&
    element.hasAttribute?.('data-active') === true
  );
}

/** Colours agents draw with by default, distinct on a page and against each other. */
export const AGENT_COLORS: readonly string[] = [
  '#e5484d',
  '#0090ff',
  '#30a46c',
  '#f76b15',
  '#8e4ec6',
  '#d6409f',
  '#12a594',
  '#ffc53d',
];

/** An agent's default colour: the same for the same user id, on every console. */
export function defaultColor(userId: string): string {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return AGENT_COLORS[hash % AGENT_COLORS.length] ?? '#e5484d';
}
