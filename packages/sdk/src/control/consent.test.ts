import { describe, expect, it } from 'vitest';
import type { ControlState, Participant } from '@sightline/protocol';
import { ManualClock } from '../../test/manual-clock.js';
import { ALLOW_WINDOW_MS, ConsentGate, consentVerdict, type ApprovalAnswer } from './consent.js';
import { ControlTracker, INITIAL_CONTROL, type ControlView } from './control-state.js';

const JANE: Participant = { userId: 'jane', userName: 'Jane Doe', role: 'agent' };
const SAM: Participant = { userId: 'sam', userName: 'Sam Lee', role: 'agent' };
const CLICK = { kind: 'click', nodeId: 4 } as const;
const TARGET = { element: undefined, role: 'button', label: 'Add to cart' } as const;

const view = (mode: ControlView['mode'], controller: Participant | null): ControlView => ({
  ...INITIAL_CONTROL,
  revision: 1,
  mode,
  controller,
});

function state(over: Partial<ControlState>, serverTime = 5_000): ControlState {
  return {
    type: 'control.state',
    revision: 1,
    mode: 'controlled',
    controller: JANE,
    grantUntil: null,
    pending: null,
    settings: null,
    serverTime,
    ...over,
  };
}

/** A gate over a real tracker, whose prompt is answered by the test. */
function gate() {
  const clock = new ManualClock();
  const tracker = new ControlTracker(clock);
  const asked: { answer: (answer: ApprovalAnswer) => void; closed: boolean; expiresAt: number }[] =
    [];
  const grants: number[] = [];
  const consent = new ConsentGate({
    clock,
    view: () => tracker.view,
    grantOpen: () => tracker.grantUntil() !== undefined,
    prompt: (question, answer) => {
      const entry = { answer, closed: false, expiresAt: question.expiresAt };
      asked.push(entry);
      return () => (entry.closed = true);
    },
    grant: (ms) => {
      grants.push(ms);
      tracker.grant(ms);
    },
  });
  return { clock, tracker, asked, grants, consent };
}

describe('stage 3: consent', () => {
  it('lets only the controller act, only in a control mode, asking in controlled', () => {
    expect(consentVerdict(view('view_only', null), 'jane', false)).toBe('refuse');
    expect(consentVerdict(view('guided', null), 'jane', true)).toBe('refuse');
    expect(consentVerdict(view('controlled', JANE), 'sam', true)).toBe('refuse');
    expect(consentVerdict(view('controlled', JANE), 'jane', false)).toBe('ask');
    expect(consentVerdict(view('controlled', JANE), 'jane', true)).toBe('run');
    expect(consentVerdict(view('full_control', JANE), 'jane', false)).toBe('run');
    expect(consentVerdict(view('full_control', SAM), 'jane', false)).toBe('refuse');
  });

  it('asks in controlled: Allow runs it, Deny declines it, silence expires it after 30 s', async () => {
    const { clock, tracker, asked, consent } = gate();
    tracker.update(state({}));
    const allowed = consent.check(JANE, CLICK, TARGET, clock.now());
    asked[0]?.answer('allow');
    expect(await allowed).toEqual({ run: true });

    const denied = consent.check(JANE, CLICK, TARGET, clock.now());
    asked[1]?.answer('deny');
    expect(await denied).toEqual({ outcome: 'declined' });

    const arrived = clock.now();
    const silent = consent.check(JANE, CLICK, TARGET, arrived);
    expect(asked[2]?.expiresAt).toBe(arrived + 30_000);
    clock.advance(29_999);
    expect(asked[2]?.closed).toBe(false);
    clock.advance(1);
    expect(await silent).toEqual({ outcome: 'expired' });
    expect(asked[2]?.closed).toBe(true);
    // Too late already (it waited behind other questions): not asked at all.
    expect(await consent.check(JANE, CLICK, TARGET, clock.now() - 30_000)).toEqual({
      outcome: 'expired',
    });
    expect(asked).toHaveLength(3);
  });

  it('"Allow for 2 minutes" opens a window in which nothing is asked, until it closes', async () => {
    const { clock, tracker, asked, grants, consent } = gate();
    tracker.update(state({}));
    const first = consent.check(JANE, CLICK, TARGET, clock.now());
    asked[0]?.answer('allow_window');
    expect(await first).toEqual({ run: true });
    expect(grants).toEqual([ALLOW_WINDOW_MS]);
    clock.advance(ALLOW_WINDOW_MS - 1);
    expect(await consent.check(JANE, CLICK, TARGET, clock.now())).toEqual({ run: true });
    clock.advance(1);
    void consent.check(JANE, CLICK, TARGET, clock.now());
    expect(asked).toHaveLength(2);
  });

  it("follows the server's grant on its own clock, and drops the customer's on a new controller", () => {
    const { clock, tracker } = gate();
    // The server's clock is far off this one: only the distance counts.
    tracker.update(state({ grantUntil: 65_000 }, 5_000));
    expect(tracker.grantUntil()).toBe(clock.now() + 60_000);
    tracker.update(state({ revision: 2, grantUntil: null }));
    expect(tracker.grantUntil()).toBeUndefined();
    tracker.grant(ALLOW_WINDOW_MS);
    expect(tracker.grantUntil()).toBe(clock.now() + ALLOW_WINDOW_MS);
    tracker.update(state({ revision: 3, controller: SAM }));
    expect(tracker.grantUntil()).toBeUndefined();
    // A stale state changes nothing.
    expect(tracker.update(state({ revision: 2, mode: 'full_control' }))).toBeUndefined();
    expect(tracker.view.mode).toBe('controlled');
  });

  it('refuses an open question at once when the customer stops control', async () => {
    const { clock, tracker, asked, consent } = gate();
    tracker.update(state({}));
    const open = consent.check(JANE, CLICK, TARGET, clock.now());
    tracker.update(state({ revision: 2, mode: 'view_only', controller: null }));
    consent.controlChanged();
    expect(await open).toEqual({ outcome: 'refused', refusal: 'not_allowed' });
    expect(asked[0]?.closed).toBe(true);
    // A late click on the closed prompt changes nothing.
    asked[0]?.answer('allow');
  });

  it('runs an open question without an answer once full control is granted', async () => {
    const { clock, tracker, asked, consent } = gate();
    tracker.update(state({}));
    const open = consent.check(JANE, CLICK, TARGET, clock.now());
    tracker.update(state({ revision: 2, mode: 'full_control' }));
    consent.controlChanged();
    expect(await open).toEqual({ run: true });
    expect(asked[0]?.closed).toBe(true);
  });
});
