import { SightlineError } from '@sightline/protocol';
import { describe, expect, it } from 'vitest';
import {
  LIFECYCLE_STATES,
  Lifecycle,
  TRANSITIONS,
  canTransition,
  connectionStatusOf,
  isFinal,
  type LifecycleState,
} from './lifecycle.js';

/** A lifecycle walked into `state` through allowed transitions. */
function lifecycleIn(state: LifecycleState): Lifecycle {
  const paths: Record<LifecycleState, LifecycleState[]> = {
    idle: [],
    connecting: ['connecting'],
    joined: ['connecting', 'joined'],
    reconnecting: ['connecting', 'joined', 'reconnecting'],
    left: ['connecting', 'left'],
    ended: ['connecting', 'joined', 'ended'],
    failed: ['connecting', 'failed'],
  };
  const lifecycle = new Lifecycle();
  for (const next of paths[state]) lifecycle.to(next);
  expect(lifecycle.state).toBe(state);
  return lifecycle;
}

const allowed: [LifecycleState, LifecycleState][] = LIFECYCLE_STATES.flatMap((from) =>
  TRANSITIONS[from].map((to): [LifecycleState, LifecycleState] => [from, to]),
);
const forbidden: [LifecycleState, LifecycleState][] = LIFECYCLE_STATES.flatMap((from) =>
  LIFECYCLE_STATES.filter((to) => !TRANSITIONS[from].includes(to)).map(
    (to): [LifecycleState, LifecycleState] => [from, to],
  ),
);

describe('agent session lifecycle', () => {
  it('starts idle', () => {
    expect(new Lifecycle().state).toBe('idle');
  });

  it('has exactly the transitions of the design', () => {
    expect(allowed).toEqual([
      ['idle', 'connecting'],
      ['connecting', 'joined'],
      ['connecting', 'left'],
      ['connecting', 'ended'],
      ['connecting', 'failed'],
      ['joined', 'reconnecting'],
      ['joined', 'left'],
      ['joined', 'ended'],
      ['joined', 'failed'],
      ['reconnecting', 'joined'],
      ['reconnecting', 'left'],
      ['reconnecting', 'ended'],
      ['reconnecting', 'failed'],
    ]);
  });

  it.each(allowed)('allows %s → %s and reports it', (from, to) => {
    const changes: [LifecycleState, LifecycleState][] = [];
    const lifecycle = lifecycleIn(from);
    const observed = new Lifecycle((state, previous) => changes.push([previous, state]));
    expect(canTransition(from, to)).toBe(true);
    lifecycle.to(to);
    expect(lifecycle.state).toBe(to);
    observed.to('connecting');
    expect(changes).toEqual([['idle', 'connecting']]);
  });

  it.each(forbidden)('forbids %s → %s and stays put', (from, to) => {
    const lifecycle = lifecycleIn(from);
    expect(canTransition(from, to)).toBe(false);
    expect(() => lifecycle.to(to)).toThrow(SightlineError);
    expect(lifecycle.state).toBe(from);
  });

  it('never retries a first join: connecting cannot become reconnecting', () => {
    expect(canTransition('connecting', 'reconnecting')).toBe(false);
  });

  it('treats left, ended and failed as final', () => {
    expect(LIFECYCLE_STATES.filter(isFinal)).toEqual(['left', 'ended', 'failed']);
  });

  it('maps every state to a public connection status', () => {
    expect(Object.fromEntries(LIFECYCLE_STATES.map((s) => [s, connectionStatusOf(s)]))).toEqual({
      idle: 'idle',
      connecting: 'connecting',
      joined: 'connected',
      reconnecting: 'reconnecting',
      left: 'disconnected',
      ended: 'ended',
      failed: 'failed',
    });
  });
});
