import { describe, expect, it } from 'vitest';
import { EndReason, SessionState } from '@sightline/protocol';
import {
  END_REASONS,
  TRANSITIONS,
  isExtendable,
  isLive,
  listStatusOf,
  nextExtensionMs,
  nextState,
  timedTransitionOf,
  type SessionEvent,
} from './session-machine.js';

const STATES = SessionState.options;
const EVENTS: SessionEvent[] = [
  { type: 'issue_pin' },
  { type: 'request_consent' },
  { type: 'consent_granted' },
  { type: 'request_withdrawn' },
  { type: 'customer_dropped' },
  { type: 'customer_returned' },
  { type: 'end', reason: 'revoked' },
];

/** The only allowed transitions, written out independently of the table under test. */
const ALLOWED: Record<string, string> = {
  'created issue_pin': 'waiting',
  'created end': 'ended',
  'waiting request_consent': 'pending_consent',
  'waiting end': 'ended',
  'pending_consent consent_granted': 'active',
  'pending_consent request_withdrawn': 'waiting',
  'pending_consent end': 'ended',
  'active customer_dropped': 'reconnecting',
  'active end': 'ended',
  'reconnecting customer_returned': 'active',
  'reconnecting end': 'ended',
};

describe('session machine', () => {
  it('covers every state and every event in its table', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...STATES].sort());
    for (const state of STATES) {
      expect(Object.keys(TRANSITIONS[state]).sort()).toEqual(EVENTS.map((e) => e.type).sort());
    }
  });

  for (const state of STATES) {
    for (const event of EVENTS) {
      const key = `${state} ${event.type}`;
      const expected = ALLOWED[key];
      it(`${expected ? 'allows' : 'forbids'} ${key}${expected ? ` → ${expected}` : ''}`, () => {
        expect(nextState(state, event)).toBe(expected);
      });
    }
  }

  it('puts consent between an agent joining and the session going active', () => {
    expect(nextState('waiting', { type: 'consent_granted' })).toBeUndefined();
    expect(nextState('waiting', { type: 'request_consent' })).toBe('pending_consent');
    expect(nextState('pending_consent', { type: 'consent_granted' })).toBe('active');
    expect(nextState('pending_consent', { type: 'end', reason: 'declined' })).toBe('ended');
    expect(nextState('pending_consent', { type: 'request_withdrawn' })).toBe('waiting');
    expect(nextState('active', { type: 'request_consent' })).toBeUndefined();
  });

  it('lets a timeout end only the state it times', () => {
    const timeout = (reason: EndReason) => ({ type: 'end', reason }) as const;
    expect(nextState('waiting', timeout('timeout_waiting'))).toBe('ended');
    expect(nextState('active', timeout('timeout_waiting'))).toBeUndefined();
    // An invitation nobody opened: the agent waited for a customer who never came.
    expect(nextState('created', timeout('timeout_waiting'))).toBe('ended');
    expect(nextState('created', timeout('timeout_idle'))).toBeUndefined();
    expect(nextState('reconnecting', timeout('timeout_reconnect'))).toBe('ended');
    expect(nextState('active', timeout('timeout_reconnect'))).toBeUndefined();
    expect(nextState('pending_consent', timeout('declined'))).toBe('ended');
    expect(nextState('active', timeout('declined'))).toBeUndefined();
    for (const state of STATES.filter(isLive)) {
      expect(nextState(state, timeout('timeout_max'))).toBe('ended');
      expect(nextState(state, timeout('customer_ended'))).toBe('ended');
    }
  });

  it('lists every end reason under some live state', () => {
    const used = new Set(Object.values(END_REASONS).flat());
    expect([...used].sort()).toEqual([...EndReason.options].sort());
  });

  it('refuses every event once ended', () => {
    for (const event of EVENTS) expect(nextState('ended', event)).toBeUndefined();
    for (const reason of EndReason.options) {
      expect(nextState('ended', { type: 'end', reason })).toBeUndefined();
    }
  });

  it('times an unclaimed invitation, waiting, reconnecting and idleness, and nothing else', () => {
    const timeouts = { inviteMs: 900, waitingMs: 1_000, reconnectMs: 2_000, idleMs: 3_000 };
    expect(timedTransitionOf('created', timeouts)).toEqual({
      afterMs: 900,
      event: { type: 'end', reason: 'timeout_waiting' },
      restartsOnActivity: false,
    });
    expect(timedTransitionOf('waiting', timeouts)).toEqual({
      afterMs: 1_000,
      event: { type: 'end', reason: 'timeout_waiting' },
      restartsOnActivity: false,
    });
    expect(timedTransitionOf('reconnecting', timeouts)).toEqual({
      afterMs: 2_000,
      event: { type: 'end', reason: 'timeout_reconnect' },
      restartsOnActivity: false,
    });
    expect(timedTransitionOf('active', timeouts)).toEqual({
      afterMs: 3_000,
      event: { type: 'end', reason: 'timeout_idle' },
      restartsOnActivity: true,
    });
    for (const state of ['pending_consent', 'ended'] as const) {
      expect(timedTransitionOf(state, timeouts)).toBeUndefined();
    }
  });

  it('maps states to list statuses', () => {
    expect(STATES.map(listStatusOf)).toEqual(['live', 'live', 'live', 'live', 'live', 'ended']);
  });
});

describe('extending a session', () => {
  const policy = { stepMs: 15, maxTotalMs: 40 };

  it('adds the step until the total would pass its cap, then what is left, then nothing', () => {
    expect(nextExtensionMs(0, policy)).toBe(15);
    expect(nextExtensionMs(15, policy)).toBe(15);
    expect(nextExtensionMs(30, policy)).toBe(10);
    expect(nextExtensionMs(40, policy)).toBe(0);
    expect(nextExtensionMs(55, policy)).toBe(0);
    expect(nextExtensionMs(0, { stepMs: 15, maxTotalMs: 0 })).toBe(0);
  });

  it('is asked for only while someone watches: active, or reconnecting', () => {
    const extendable = SessionState.options.filter(isExtendable);
    expect(extendable).toEqual(['active', 'reconnecting']);
  });
});
