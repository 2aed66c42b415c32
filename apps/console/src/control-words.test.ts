import { expect, it } from 'vitest';
import {
  AGENT_COLORS,
  TOOLS,
  defaultColor,
  isTypingTarget,
  pendingWords,
  shortcutOf,
} from './control-words.js';

const press = (key: string, patch: Partial<Parameters<typeof shortcutOf>[0]> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...patch,
});
const ann = { userId: 'a1', userName: 'Ann Agent', role: 'agent' as const };

it('says what a pending step waits for', () => {
  expect(pendingWords(null)).toBeUndefined();
  expect(pendingWords({ mode: 'controlled', agent: ann, waitingFor: 'customer' })).toBe(
    'Control for Ann Agent: Waiting for the customer…',
  );
  expect(pendingWords({ mode: 'full_control', agent: ann, waitingFor: 'manager' })).toBe(
    'Full control for Ann Agent: Waiting for a manager…',
  );
});

it('maps keys to tools, modes, undo, redo, clear and help, and nothing else', () => {
  expect(shortcutOf(press('p'))).toEqual({ kind: 'tool', tool: 'pen' });
  expect(shortcutOf(press('E'))).toEqual({ kind: 'tool', tool: 'eraser' });
  expect(shortcutOf(press('3'))).toEqual({ kind: 'mode', mode: 'controlled' });
  expect(shortcutOf(press('z', { ctrlKey: true }))).toEqual({ kind: 'undo' });
  expect(shortcutOf(press('Z', { metaKey: true, shiftKey: true }))).toEqual({ kind: 'redo' });
  expect(shortcutOf(press('y', { ctrlKey: true }))).toEqual({ kind: 'redo' });
  expect(shortcutOf(press('X', { shiftKey: true }))).toEqual({ kind: 'clear' });
  expect(shortcutOf(press('?', { shiftKey: true }))).toEqual({ kind: 'help' });
  expect(shortcutOf(press('p', { ctrlKey: true }))).toBeUndefined();
  expect(shortcutOf(press('q'))).toBeUndefined();
  expect(shortcutOf(press('x'))).toBeUndefined();
  // Every tool has its own key.
  expect(new Set(TOOLS.map((t) => t.key)).size).toBe(TOOLS.length);
});

it('leaves keys to fields and to the mirror while it acts on the page', () => {
  const el = (tagName: string, extra: object = {}) => ({
    tagName,
    isContentEditable: false,
    classList: { contains: () => false },
    ...extra,
  });
  expect(isTypingTarget(el('INPUT') as unknown as EventTarget)).toBe(true);
  expect(isTypingTarget(el('TEXTAREA') as unknown as EventTarget)).toBe(true);
  expect(isTypingTarget(el('DIV', { isContentEditable: true }) as unknown as EventTarget)).toBe(
    true,
  );
  const layer = (active: boolean) =>
    el('DIV', {
      classList: { contains: (c: string) => c === 'sightline-input' },
      hasAttribute: (name: string) => active && name === 'data-active',
    }) as unknown as EventTarget;
  expect(isTypingTarget(layer(true))).toBe(true);
  expect(isTypingTarget(layer(false))).toBe(false);
  expect(isTypingTarget(el('BUTTON') as unknown as EventTarget)).toBe(false);
  expect(isTypingTarget(null)).toBe(false);
});

it('gives each agent a steady default colour', () => {
  expect(defaultColor('agent-1')).toBe(defaultColor('agent-1'));
  expect(AGENT_COLORS).toContain(defaultColor('agent-2'));
  const colours = new Set(['a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map(defaultColor));
  expect(colours.size).toBeGreaterThan(2);
});
