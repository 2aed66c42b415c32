import { describe, expect, it } from 'vitest';
import {
  Lifecycle,
  TRANSITIONS,
  sessionStatusOf,
  type LifecycleEvent,
  type LifecycleState,
} from './lifecycle.js';

function run(...events: LifecycleEvent[]): Lifecycle {
  const lifecycle = new Lifecycle();
  for (const event of events) lifecycle.apply(event);
  return lifecycle;
}

describe('Lifecycle', () => {
  it('follows the happy path: idle → starting → waiting → sharing → reconnecting → sharing → ended', () => {
    const seen: LifecycleState[] = [];
    const lifecycle = new Lifecycle((next) => seen.push(next));
    for (const event of [
      'start',
      'created',
      'agent_present',
      'socket_lost',
      'agent_present',
      'no_agent',
      'end',
    ] as const) {
      expect(lifecycle.apply(event)).toBe(true);
    }
    expect(seen).toEqual([
      'starting',
      'waiting',
      'sharing',
      'reconnecting',
      'sharing',
      'waiting',
      'ended',
    ]);
  });

  it('refuses events a state does not list, changing nothing', () => {
    expect(run().apply('agent_present')).toBe(false);
    const ended = run('start', 'created', 'end');
    for (const event of Object.keys(TRANSITIONS.waiting) as LifecycleEvent[]) {
      expect(ended.apply(event)).toBe(false);
    }
    expect(ended.state).toBe('ended');
    expect(run('start').apply('start')).toBe(false);
  });

  it('returns to idle when the start request fails, so start may be retried', () => {
    const lifecycle = run('start', 'start_failed');
    expect(lifecycle.state).toBe('idle');
    expect(lifecycle.can('start')).toBe(true);
  });

  it('resumes a stored session straight to waiting, or replaces it with a new start', () => {
    const resumed = run('recover');
    expect(sessionStatusOf(resumed.state)).toBe('session_recoverable');
    expect(resumed.apply('created')).toBe(false);
    expect(resumed.apply('resume')).toBe(true);
    expect(resumed.state).toBe('waiting');
    expect(resumed.apply('resume')).toBe(false);
    expect(run('recover', 'start').state).toBe('starting');
    expect(run('start').apply('recover')).toBe(false);
  });

  it('forgets a stored session another tab ended, and may then start afresh', () => {
    const lifecycle = new Lifecycle();
    expect(lifecycle.apply('forget')).toBe(false);
    lifecycle.apply('recover');
    expect(lifecycle.apply('forget')).toBe(true);
    expect(lifecycle.state).toBe('idle');
    expect(lifecycle.apply('start')).toBe(true);
  });

  it('can end from every state but ended', () => {
    for (const state of Object.keys(TRANSITIONS) as LifecycleState[]) {
      expect(TRANSITIONS[state].end === 'ended').toBe(state !== 'ended');
    }
  });

  it('maps every state to a public status', () => {
    expect((Object.keys(TRANSITIONS) as LifecycleState[]).map(sessionStatusOf)).toEqual([
      'session_not_started',
      'session_recoverable',
      'session_starting',
      'session_waiting',
      'session_in_progress',
      'session_reconnecting',
      'session_ended',
    ]);
  });
});
