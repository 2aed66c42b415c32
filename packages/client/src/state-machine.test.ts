import { describe, expect, it } from 'vitest';
import { StateMachine, type TransitionFn } from './state-machine.js';

type Light = 'off' | 'on' | 'broken';
type Press = 'toggle' | 'smash';

const TABLE: Record<Light, Partial<Record<Press, Light>>> = {
  off: { toggle: 'on', smash: 'broken' },
  on: { toggle: 'off', smash: 'broken' },
  broken: { smash: 'broken' },
};
const next: TransitionFn<Light, Press> = (state, event) => TABLE[state][event];

describe('StateMachine', () => {
  it('starts in its initial state and follows the table', () => {
    const machine = new StateMachine<Light, Press>('off', next);
    expect(machine.state).toBe('off');
    expect(machine.apply('toggle')).toBe(true);
    expect(machine.state).toBe('on');
  });

  it('refuses an event the table does not list, changing nothing', () => {
    const machine = new StateMachine<Light, Press>('broken', next);
    expect(machine.apply('toggle')).toBe(false);
    expect(machine.state).toBe('broken');
    expect(machine.apply('smash')).toBe(true);
  });

  it('reports changes with the previous state, after the state is updated, and not self-moves', () => {
    const changes: [Light, Light, Light][] = [];
    const machine: StateMachine<Light, Press> = new StateMachine<Light, Press>(
      'off',
      next,
      (state, previous) => changes.push([previous, state, machine.state]),
    );
    machine.apply('toggle');
    machine.apply('smash');
    machine.apply('smash');
    expect(changes).toEqual([
      ['off', 'on', 'on'],
      ['on', 'broken', 'broken'],
    ]);
  });
});
