import type { AgentToServer, Participant } from '@sightline/protocol';
import { expect, it } from 'vitest';
import { ManualClock } from '../../../sdk/test/manual-clock.js';
import type { AgentEventMap } from '../events.js';
import { AnnotationLink, POINTER_INTERVAL_MS } from './annotations.js';

const me: Participant = { userId: 'a1', userName: 'Ann Agent', role: 'agent' };

function link(connected = true) {
  const clock = new ManualClock();
  const sent: AgentToServer[] = [];
  const drawn: AgentEventMap['annotation_drawn'][] = [];
  const l = new AnnotationLink({
    clock,
    send: (frame) => connected && sent.push(frame) > 0,
    self: () => me,
    drawn: (event) => drawn.push(event),
    erased() {},
    cleared() {},
  });
  return { clock, sent, drawn, l };
}

const pen = {
  id: 'n1',
  tool: 'pen' as const,
  tabId: 'tab-1',
  nodeId: 12,
  points: [{ x: 0.1, y: 0.2 }],
  color: '#ff0000',
  width: 3,
};

it('sends a valid annotation and reports it locally as this agent’s', () => {
  const { l, sent, drawn } = link();
  l.draw(pen);
  expect(sent).toEqual([{ type: 'annotation.draw', annotation: pen }]);
  expect(drawn).toEqual([{ annotation: pen, author: me, local: true }]);
});

it('refuses a malformed annotation, and says so while not connected', () => {
  const { l, sent } = link();
  expect(() => l.draw({ ...pen, color: 'red' })).toThrow(expect.objectContaining({ code: 4001 }));
  expect(() => l.draw({ ...pen, tool: 'text' })).toThrow(expect.objectContaining({ code: 4001 }));
  expect(sent).toEqual([]);
  const offline = link(false);
  expect(() => offline.l.clear()).toThrow(expect.objectContaining({ code: 1002 }));
  expect(offline.drawn).toEqual([]);
});

it('sends the pointer at most about 30 times a second, the latest position last', () => {
  const { l, sent, clock } = link();
  for (let i = 0; i < 100; i += 1) {
    l.pointer({ kind: 'cursor', tabId: 'tab-1', nodeId: 5, at: { x: i / 100, y: 0.5 } });
    clock.advance(10);
  }
  // One second of moves every 10 ms.
  expect(sent.length).toBeLessThanOrEqual(31);
  expect(sent.length).toBeGreaterThanOrEqual(25);
  clock.advance(POINTER_INTERVAL_MS);
  expect(sent.at(-1)).toEqual({
    type: 'pointer.move',
    kind: 'cursor',
    tabId: 'tab-1',
    nodeId: 5,
    at: { x: 0.99, y: 0.5 },
  });
  l.pointer({ kind: 'cursor', tabId: 'tab-1' });
  clock.advance(POINTER_INTERVAL_MS);
  expect(sent.at(-1)).toEqual({ type: 'pointer.move', kind: 'cursor', tabId: 'tab-1' });
  expect(() => l.pointer({ kind: 'cursor', tabId: 'tab-1', nodeId: 5 })).toThrow();
});
