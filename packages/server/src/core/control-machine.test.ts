/**
 * The control modes' transition table (issue 5, ADR 0012): every pair of modes, asked by the
 * controller, by another agent and by the customer, and what each needs.
 */
import { describe, expect, it } from 'vitest';
import { ControlMode, type ControlSettings, type RemoteActionKind } from '@sightline/protocol';
import {
  VIEW_ONLY,
  agentLeft,
  allowed,
  checkCommand,
  decideGrant,
  decideHandover,
  decideRequest,
  decideSet,
  mayAnnotate,
  settingsChanged,
  stepOf,
  type Control,
  type Decision,
} from './control-machine.js';
import type { PendingControl } from './ports.js';

const ann = { userId: 'ann', userName: 'Ann Agent' };
const bob = { userId: 'bob', userName: 'Bob Agent' };
const MODES = ControlMode.options;

const settings = (
  remoteAssist: Partial<ControlSettings['remoteAssist']> = {},
  rest: Partial<Omit<ControlSettings, 'remoteAssist'>> = {},
): ControlSettings => ({
  remoteAssist: {
    enable: true,
    enableCustomerConsent: true,
    types: ['scroll_page', 'click', 'hover', 'type', 'select', 'key', 'navigate'],
    requireStopConfirmation: false,
    ...remoteAssist,
  },
  allowAgentAnnotation: true,
  allowCustomerAnnotation: true,
  ...rest,
});

/** A session in `mode`, controlled by Ann in the control modes, on a page allowing everything. */
const inMode = (mode: ControlMode, extra: Partial<Control> = {}): Control => ({
  ...VIEW_ONLY,
  mode,
  controller: mode === 'controlled' || mode === 'full_control' ? ann : null,
  settings: settings(),
  ...extra,
});

const pending = (over: Partial<PendingControl> = {}): PendingControl => ({
  id: 'cr_0123456789',
  mode: 'controlled',
  agent: bob,
  waitingFor: 'customer',
  since: 1,
  handover: false,
  ...over,
});

/** A decision in short: `apply:<mode>:<controller>`, `ask:<who>`, `refuse:<why>`, `nothing`. */
function short(decision: Decision): string {
  switch (decision.kind) {
    case 'apply':
      return `apply:${decision.next.mode}:${decision.next.controller?.userId ?? '-'}${decision.preApproved ? ':pre' : ''}`;
    case 'ask':
      return `ask:${decision.waitingFor}`;
    case 'refuse':
      return `refuse:${decision.why}`;
    case 'nothing':
      return 'nothing';
  }
}

describe('an agent asking for a mode (not a manager; the page allows remote assist)', () => {
  // Rows: the session's mode (Ann controls the control modes). Columns: the mode asked for.
  const byAnn: Record<ControlMode, string[]> = {
    view_only: ['nothing', 'ask:customer', 'ask:customer', 'ask:manager'],
    guided: ['apply:view_only:-', 'nothing', 'ask:customer', 'ask:manager'],
    controlled: ['apply:view_only:-', 'apply:guided:-', 'nothing', 'ask:manager'],
    full_control: ['apply:view_only:-', 'apply:guided:-', 'apply:controlled:ann', 'nothing'],
  };
  // Bob is not the controller: asking for the control mode Ann holds is asking to take it.
  const byBob: Record<ControlMode, string[]> = {
    view_only: ['nothing', 'ask:customer', 'ask:customer', 'ask:manager'],
    guided: ['apply:view_only:-', 'nothing', 'ask:customer', 'ask:manager'],
    controlled: ['apply:view_only:-', 'apply:guided:-', 'ask:customer', 'ask:manager'],
    full_control: ['apply:view_only:-', 'apply:guided:-', 'apply:controlled:ann', 'ask:manager'],
  };

  for (const from of MODES) {
    for (const [index, to] of MODES.entries()) {
      it(`${from} → ${to}: Ann ${byAnn[from][index]}, Bob ${byBob[from][index]}`, () => {
        const control = inMode(from);
        expect(short(decideRequest(control, { agent: ann, mode: to, manager: false }))).toBe(
          byAnn[from][index],
        );
        expect(short(decideRequest(control, { agent: bob, mode: to, manager: false }))).toBe(
          byBob[from][index],
        );
      });
    }
  }

  it('a manager asks the customer for full_control directly', () => {
    for (const from of MODES) {
      const decision = decideRequest(inMode(from), {
        agent: bob,
        mode: 'full_control',
        manager: true,
      });
      expect(short(decision)).toBe('ask:customer');
    }
  });

  it('refuses every step up to a control mode when the page does not allow remote assist', () => {
    const off = { settings: settings({ enable: false }) };
    for (const mode of ['controlled', 'full_control'] as const) {
      for (const manager of [false, true]) {
        const decision = decideRequest(inMode('guided', off), { agent: bob, mode, manager });
        expect(short(decision)).toBe('refuse:remote_assist_disabled');
      }
    }
    // Guided needs no remote assist, and a page that never said is treated as not allowing it.
    expect(
      short(
        decideRequest(inMode('view_only', off), { agent: bob, mode: 'guided', manager: false }),
      ),
    ).toBe('ask:customer');
    const unsaid = inMode('view_only', { settings: null });
    expect(short(decideRequest(unsaid, { agent: bob, mode: 'controlled', manager: false }))).toBe(
      'refuse:remote_assist_disabled',
    );
  });

  it('starts controlled without the question when the page turned customer consent off', () => {
    const noConsent = { settings: settings({ enableCustomerConsent: false }) };
    const request = { agent: bob, manager: false };
    expect(
      short(decideRequest(inMode('view_only', noConsent), { ...request, mode: 'controlled' })),
    ).toBe('apply:controlled:bob:pre');
    expect(
      short(decideRequest(inMode('controlled', noConsent), { ...request, mode: 'controlled' })),
    ).toBe('apply:controlled:bob:pre');
    // Full control and guided are always asked.
    expect(
      short(
        decideRequest(inMode('view_only', noConsent), {
          ...request,
          mode: 'full_control',
          manager: true,
        }),
      ),
    ).toBe('ask:customer');
    expect(
      short(decideRequest(inMode('view_only', noConsent), { ...request, mode: 'guided' })),
    ).toBe('ask:customer');
  });

  it('allows one pending step at a time, while steps down still apply at once', () => {
    const waiting = (mode: ControlMode) =>
      inMode(mode, { pending: pending({ mode: 'full_control' }) });
    for (const to of ['guided', 'controlled', 'full_control'] as const) {
      expect(
        short(decideRequest(waiting('view_only'), { agent: ann, mode: to, manager: true })),
      ).toBe('refuse:pending');
    }
    const down = decideRequest(waiting('controlled'), {
      agent: ann,
      mode: 'guided',
      manager: false,
    });
    expect(down).toMatchObject({
      kind: 'apply',
      next: { mode: 'guided', pending: { mode: 'full_control' } },
    });
    expect(
      short(decideRequest(waiting('guided'), { agent: bob, mode: 'guided', manager: false })),
    ).toBe('nothing');
  });

  it('ends the grant whenever the mode or the controller changes, and only then', () => {
    const granted = inMode('controlled', { grantUntil: 500 });
    const down = decideRequest(inMode('full_control', { grantUntil: null }), {
      agent: ann,
      mode: 'controlled',
      manager: false,
    });
    expect(down).toMatchObject({ next: { grantUntil: null } });
    expect(decideRequest(granted, { agent: ann, mode: 'guided', manager: false })).toMatchObject({
      next: { grantUntil: null, controller: null },
    });
    expect(settingsChanged(granted, settings())).toMatchObject({ grantUntil: 500 });
  });
});

describe('the customer setting the mode', () => {
  for (const from of MODES) {
    for (const to of MODES) {
      const step = stepOf(from, to);
      const expected =
        step === 'up'
          ? 'refuse:customer_step_up'
          : step === 'same'
            ? 'nothing'
            : `apply:${to}:${to === 'controlled' ? 'ann' : '-'}`;
      it(`${from} → ${to}: ${expected}`, () => {
        expect(short(decideSet(inMode(from), to))).toBe(expected);
      });
    }
  }

  it('withdraws a pending step with a step down (Stop), but not by setting the same mode', () => {
    const waiting = inMode('guided', { pending: pending() });
    expect(decideSet(waiting, 'view_only')).toMatchObject({
      next: { mode: 'view_only', pending: null },
    });
    expect(decideSet(waiting, 'guided')).toEqual({ kind: 'nothing' });
  });

  it('grants a window only in controlled, and withdraws it with 0', () => {
    expect(short(decideGrant(inMode('full_control'), 60_000, 1_000))).toBe('refuse:not_controlled');
    expect(short(decideGrant(inMode('guided'), 60_000, 1_000))).toBe('refuse:not_controlled');
    expect(decideGrant(inMode('controlled'), 60_000, 1_000)).toMatchObject({
      next: { grantUntil: 61_000 },
    });
    expect(decideGrant(inMode('controlled', { grantUntil: 61_000 }), 0, 2_000)).toMatchObject({
      next: { grantUntil: null },
    });
    expect(decideGrant(inMode('controlled'), 0, 2_000)).toEqual({ kind: 'nothing' });
  });
});

describe('handover, answers and leaving', () => {
  it('lets only the controller hand over, asking the customer unless the page said not to', () => {
    expect(short(decideHandover(inMode('controlled'), ann, bob))).toBe('ask:customer');
    expect(short(decideHandover(inMode('full_control'), ann, bob))).toBe('ask:customer');
    expect(short(decideHandover(inMode('controlled'), bob, ann))).toBe('refuse:not_controller');
    expect(short(decideHandover(inMode('guided'), ann, bob))).toBe('refuse:not_controller');
    expect(short(decideHandover(inMode('controlled'), ann, ann))).toBe('nothing');
    expect(short(decideHandover(inMode('controlled', { pending: pending() }), ann, bob))).toBe(
      'refuse:pending',
    );
    const noConsent = inMode('controlled', {
      settings: settings({ enableCustomerConsent: false }),
    });
    expect(short(decideHandover(noConsent, ann, bob))).toBe('apply:controlled:bob:pre');
  });

  it('moves to the pending mode, or hands control over, when the customer allows', () => {
    expect(allowed(inMode('view_only', { pending: pending({ mode: 'guided' }) }))).toMatchObject({
      mode: 'guided',
      controller: null,
      pending: null,
    });
    expect(allowed(inMode('guided', { pending: pending({ mode: 'full_control' }) }))).toMatchObject(
      {
        mode: 'full_control',
        controller: bob,
        pending: null,
      },
    );
    const handover = inMode('full_control', {
      grantUntil: null,
      pending: pending({ handover: true, mode: 'full_control' }),
    });
    expect(allowed(handover)).toMatchObject({
      mode: 'full_control',
      controller: bob,
      pending: null,
    });
  });

  it('drops to guided when the controller leaves, and withdraws what the leaver asked', () => {
    expect(agentLeft(inMode('full_control'), 'ann')).toMatchObject({
      mode: 'guided',
      controller: null,
    });
    expect(agentLeft(inMode('controlled'), 'bob')).toMatchObject({
      mode: 'controlled',
      controller: ann,
    });
    expect(agentLeft(inMode('guided', { pending: pending() }), 'bob')).toMatchObject({
      pending: null,
    });
    // A handover to Bob ends with Ann's control.
    const handover = inMode('controlled', { pending: pending({ handover: true }) });
    expect(agentLeft(handover, 'ann')).toMatchObject({ mode: 'guided', pending: null });
  });

  it('ends control when the page turns remote assist off', () => {
    const off = settings({ enable: false });
    expect(settingsChanged(inMode('full_control'), off)).toMatchObject({
      mode: 'guided',
      controller: null,
      settings: off,
    });
    expect(settingsChanged(inMode('guided', { pending: pending() }), off)).toMatchObject({
      pending: null,
    });
    expect(
      settingsChanged(inMode('view_only', { pending: pending({ mode: 'guided' }) }), off),
    ).toMatchObject({
      pending: { mode: 'guided' },
    });
  });
});

describe('what a frame may do', () => {
  const kinds: RemoteActionKind[] = [
    'scroll',
    'click',
    'dblclick',
    'hover',
    'type',
    'select',
    'check',
    'focus',
    'key',
    'navigate',
  ];

  it('relays commands of the controller only, in controlled and full control', () => {
    for (const mode of MODES) {
      const why = checkCommand(inMode(mode), 'ann', 'click');
      expect(why).toBe(mode === 'controlled' || mode === 'full_control' ? undefined : 'mode');
      expect(checkCommand(inMode(mode), 'bob', 'click')).toBe(
        mode === 'controlled' || mode === 'full_control' ? 'not_controller' : 'mode',
      );
    }
  });

  it("honours the page's remote assist types: Zoom's scroll_page alone allows only scrolling", () => {
    const scrollOnly = inMode('full_control', { settings: settings({ types: ['scroll_page'] }) });
    for (const kind of kinds) {
      expect(checkCommand(scrollOnly, 'ann', kind)).toBe(
        kind === 'scroll' ? undefined : 'type_not_allowed',
      );
    }
    for (const kind of kinds)
      expect(checkCommand(inMode('controlled'), 'ann', kind)).toBeUndefined();
  });

  it('lets agents annotate from guided on when the page allows it, and the customer when allowed', () => {
    for (const mode of MODES) {
      expect(mayAnnotate(inMode(mode), 'agent')).toBe(mode !== 'view_only');
      expect(mayAnnotate(inMode(mode), 'customer')).toBe(true);
    }
    const none = inMode('full_control', {
      settings: settings({}, { allowAgentAnnotation: false, allowCustomerAnnotation: false }),
    });
    expect(mayAnnotate(none, 'agent')).toBe(false);
    expect(mayAnnotate(none, 'customer')).toBe(false);
    expect(mayAnnotate(inMode('guided', { settings: null }), 'agent')).toBe(true);
  });
});
