import { RemoteAction } from '@sightline/protocol';
import { expect, it } from 'vitest';
import {
  acceptsInput,
  boxPointOf,
  clickIntent,
  keyIntent,
  scrollAction,
  toFramePoint,
  wheelPixels,
  type ElementFacts,
} from './input-translation.js';

const facts = (patch: Partial<ElementFacts>): ElementFacts => ({
  nodeId: 7,
  tag: 'button',
  type: '',
  checked: false,
  contentEditable: false,
  ...patch,
});
const box = { left: 100, top: 50, width: 200, height: 40 };
const keys = { shiftKey: false, ctrlKey: false, metaKey: false, altKey: false };

it('accepts input only in a control mode, for the controller, with interact selected', () => {
  expect(acceptsInput({ mode: 'controlled', isController: true }, true)).toBe(true);
  expect(acceptsInput({ mode: 'full_control', isController: true }, true)).toBe(true);
  expect(acceptsInput({ mode: 'guided', isController: true }, true)).toBe(false);
  expect(acceptsInput({ mode: 'view_only', isController: false }, true)).toBe(false);
  expect(acceptsInput({ mode: 'full_control', isController: false }, true)).toBe(false);
  expect(acceptsInput({ mode: 'full_control', isController: true }, false)).toBe(false);
  expect(acceptsInput(undefined, true)).toBe(false);
});

it('maps a console point into the scaled frame, and into a fraction of the box', () => {
  // The frame is 1000 px wide inside, drawn at half size from (20, 10).
  expect(
    toFramePoint({ x: 120, y: 60 }, { left: 20, top: 10, width: 500, height: 300 }, 1000),
  ).toEqual({
    x: 200,
    y: 100,
  });
  expect(boxPointOf({ x: 150, y: 60 }, box)).toEqual({ x: 0.25, y: 0.25 });
  expect(boxPointOf({ x: 400, y: 0 }, box)).toEqual({ x: 1, y: 0 });
  expect(boxPointOf({ x: 5, y: 5 }, { left: 0, top: 0, width: 0, height: 0 })).toEqual({
    x: 0.5,
    y: 0.5,
  });
});

it('turns a click into the action the element needs', () => {
  const point = { x: 200, y: 60 };
  expect(clickIntent(facts({}), point, box)).toEqual({
    kind: 'action',
    action: { kind: 'click', nodeId: 7, at: { x: 0.5, y: 0.25 } },
  });
  expect(clickIntent(facts({}), point, box, true)).toMatchObject({ action: { kind: 'dblclick' } });
  expect(clickIntent(facts({ tag: 'input', type: 'checkbox', checked: true }), point, box)).toEqual(
    {
      kind: 'action',
      action: { kind: 'check', nodeId: 7, checked: false },
    },
  );
  expect(
    clickIntent(facts({ tag: 'input', type: 'radio', checked: true }), point, box),
  ).toMatchObject({
    action: { kind: 'check', checked: true },
  });
  expect(clickIntent(facts({ tag: 'select' }), point, box)).toEqual({
    kind: 'pick_options',
    nodeId: 7,
  });
  expect(clickIntent(facts({ tag: 'input', type: 'email' }), point, box)).toEqual({
    kind: 'action',
    action: { kind: 'focus', nodeId: 7 },
    typingTarget: 7,
  });
  expect(clickIntent(facts({ tag: 'div', contentEditable: true }), point, box)).toMatchObject({
    typingTarget: 7,
  });
  // Every action made here is one the protocol accepts.
  for (const f of [
    facts({}),
    facts({ tag: 'input', type: 'checkbox' }),
    facts({ tag: 'textarea' }),
  ]) {
    const intent = clickIntent(f, point, box);
    if (intent.kind === 'action') expect(RemoteAction.safeParse(intent.action).success).toBe(true);
  }
});

it('scrolls the innermost container that can move that way, to its resulting position', () => {
  const list = { nodeId: 30, left: 0, top: 380, maxLeft: 0, maxTop: 400 };
  const page = { left: 0, top: 100, maxLeft: 0, maxTop: 3000 };
  expect(scrollAction([list, page], 0, 100)).toEqual({
    kind: 'scroll',
    nodeId: 30,
    left: 0,
    top: 400,
  });
  // The list is at its end: the page scrolls instead.
  expect(scrollAction([{ ...list, top: 400 }, page], 0, 100)).toEqual({
    kind: 'scroll',
    left: 0,
    top: 200,
  });
  expect(scrollAction([{ ...page, top: 0 }], 0, -50)).toBeUndefined();
  expect(wheelPixels({ deltaX: 0, deltaY: 3, deltaMode: 1 }, 800)).toEqual({ dx: 0, dy: 48 });
  expect(wheelPixels({ deltaX: 0, deltaY: 1, deltaMode: 2 }, 800)).toEqual({ dx: 0, dy: 800 });
});

it('types printable keys, presses navigation keys, and ignores the rest', () => {
  expect(keyIntent({ ...keys, key: 'a' })).toEqual({ kind: 'text', text: 'a' });
  expect(keyIntent({ ...keys, key: 'É', shiftKey: true })).toEqual({ kind: 'text', text: 'É' });
  expect(keyIntent({ ...keys, key: '😀' })).toEqual({ kind: 'text', text: '😀' });
  expect(keyIntent({ ...keys, key: 'Tab', shiftKey: true })).toEqual({
    kind: 'key',
    key: 'Tab',
    shift: true,
  });
  expect(keyIntent({ ...keys, key: 'Enter' })).toEqual({ kind: 'key', key: 'Enter', shift: false });
  expect(keyIntent({ ...keys, key: 'Backspace' })).toBeUndefined();
  expect(keyIntent({ ...keys, key: 'Shift' })).toBeUndefined();
  expect(keyIntent({ ...keys, key: 'v', ctrlKey: true })).toBeUndefined();
});
