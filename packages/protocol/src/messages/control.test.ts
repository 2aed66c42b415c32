import { describe, expect, it } from 'vitest';
import { parseClientText, parseServerText } from '../parse.js';
import { REMOTE_ASSIST_TYPE_OF, RemoteAction } from './control.js';

const agent = { userId: 'a1', userName: 'Jane Doe', role: 'agent' } as const;

describe('control messages', () => {
  it('accepts a command on an element and fills its defaults', () => {
    const parsed = parseClientText(
      JSON.stringify({
        type: 'control.command',
        commandId: 'c1',
        tabId: 't1',
        action: { kind: 'type', nodeId: 12, text: 'hello' },
      }),
    );
    expect(parsed.ok && parsed.value).toMatchObject({ action: { replace: false } });
  });

  it('refuses a command without its element, or with unknown fields', () => {
    const bad = [
      { kind: 'click' },
      { kind: 'click', nodeId: 0 },
      { kind: 'click', nodeId: 3, selector: '#buy' },
      { kind: 'key', key: 'Delete' },
      { kind: 'navigate', to: 'url' },
      { kind: 'navigate', to: 'back', url: 'https://x.test/' },
      { kind: 'select', nodeId: 3, options: [] },
    ];
    for (const action of bad)
      expect(RemoteAction.safeParse(action).success, JSON.stringify(action)).toBe(false);
  });

  it('maps every action to the remote-assist type a page must allow', () => {
    expect(REMOTE_ASSIST_TYPE_OF.scroll).toBe('scroll_page');
    expect(Object.keys(REMOTE_ASSIST_TYPE_OF).sort()).toEqual([
      'check',
      'click',
      'dblclick',
      'focus',
      'hover',
      'key',
      'navigate',
      'scroll',
      'select',
      'type',
    ]);
  });

  it('asks the customer for a mode only with the mode named', () => {
    const ask = { type: 'consent.request', requestId: 'cr_12345678', kind: 'control', agent };
    expect(parseServerText(JSON.stringify({ ...ask, mode: 'controlled' })).ok).toBe(true);
    expect(parseServerText(JSON.stringify(ask)).ok).toBe(false);
    expect(parseServerText(JSON.stringify({ ...ask, kind: 'view', mode: 'guided' })).ok).toBe(
      false,
    );
  });
});

describe('annotation messages', () => {
  const rectangle = {
    id: 'n1',
    tool: 'rectangle',
    tabId: 't1',
    nodeId: 40,
    points: [
      { x: -0.1, y: -0.2 },
      { x: 1.1, y: 1.2 },
    ],
    color: '#ff3366',
    width: 3,
  };

  it('accepts an anchored rectangle and relays it with its author', () => {
    expect(
      parseClientText(JSON.stringify({ type: 'annotation.draw', annotation: rectangle })).ok,
    ).toBe(true);
    const relayed = { type: 'annotation.drawn', annotation: rectangle, author: agent };
    expect(parseServerText(JSON.stringify(relayed)).ok).toBe(true);
  });

  it('refuses a text label without text, a bad colour, and an author forged by a client', () => {
    const draw = (annotation: object) =>
      parseClientText(JSON.stringify({ type: 'annotation.draw', annotation })).ok;
    expect(draw({ ...rectangle, tool: 'text' })).toBe(false);
    expect(draw({ ...rectangle, color: 'red' })).toBe(false);
    expect(
      parseClientText(
        JSON.stringify({ type: 'annotation.draw', annotation: rectangle, author: agent }),
      ).ok,
    ).toBe(false);
  });

  it('keeps a pointer and its position together', () => {
    const move = { type: 'pointer.move', kind: 'laser', tabId: 't1' };
    expect(parseClientText(JSON.stringify(move)).ok).toBe(true);
    expect(parseClientText(JSON.stringify({ ...move, nodeId: 4 })).ok).toBe(false);
    expect(parseClientText(JSON.stringify({ ...move, nodeId: 4, at: { x: 0.5, y: 0.5 } })).ok).toBe(
      true,
    );
  });
});
