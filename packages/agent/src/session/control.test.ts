import { ControlState, type Participant } from '@sightline/protocol';
import { expect, it } from 'vitest';
import { ManualClock } from '../../../sdk/test/manual-clock.js';
import {
  ControlDesk,
  isControlErrorCode,
  reasonOf,
  type CommandResult,
  type ControlInfo,
} from './control.js';

const me: Participant = { userId: 'a1', userName: 'Ann Agent', role: 'agent' };
const other: Participant = { userId: 'a2', userName: 'Bo Agent', role: 'agent' };

function state(revision: number, patch: Partial<ControlState> = {}): ControlState {
  return ControlState.parse({
    type: 'control.state',
    revision,
    mode: 'view_only',
    controller: null,
    grantUntil: null,
    pending: null,
    settings: null,
    serverTime: 1_000,
    ...patch,
  });
}

function desk() {
  const clock = new ManualClock();
  const states: ControlInfo[] = [];
  const results: CommandResult[] = [];
  const d = new ControlDesk(clock, () => 0.5, {
    state: (info) => states.push(info),
    result: (result) => results.push(result),
  });
  return { clock, d, states, results };
}

it('reports each newer state and ignores stale and repeated ones', () => {
  const { d, states } = desk();
  expect(d.update(state(3, { mode: 'guided' }), me)).toBe(true);
  expect(d.update(state(2, { mode: 'full_control', controller: me }), me)).toBe(false);
  expect(d.update(state(3, { mode: 'guided' }), me)).toBe(false);
  expect(d.update(state(4, { mode: 'controlled', controller: me }), me)).toBe(true);
  expect(states.map((s) => [s.revision, s.mode, s.isController])).toEqual([
    [3, 'guided', false],
    [4, 'controlled', true],
  ]);
  expect(d.info?.controller).toEqual(me);
});

it('knows another agent holds control, and maps the grant onto this agent’s clock', () => {
  const { d, clock } = desk();
  d.update(state(1, { mode: 'controlled', controller: other, grantUntil: 61_000 }), me);
  expect(d.info?.isController).toBe(false);
  // The grant ends 60 s after the server's now, whatever the server's clock says.
  expect(d.info?.grantUntil).toBe(clock.now() + 60_000);
});

it('settles this agent’s command with its result, in words, and reports others’', async () => {
  const { d, results } = desk();
  const id = d.nextCommandId();
  expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  expect(d.nextCommandId()).not.toBe(id);
  const pending = d.track(id, 'tab-1', me);
  d.result({
    type: 'control.result',
    commandId: 'someone-elses',
    tabId: 'tab-1',
    agent: other,
    outcome: 'done',
  });
  d.result({
    type: 'control.result',
    commandId: id,
    tabId: 'tab-1',
    agent: me,
    outcome: 'refused',
    refusal: 'masked',
    code: 3022,
  });
  await expect(pending).resolves.toEqual({
    commandId: id,
    tabId: 'tab-1',
    agent: me,
    mine: true,
    outcome: 'refused',
    refusal: 'masked',
    code: 3022,
    reason: 'That element is masked on the customer’s page.',
  });
  expect(results.map((r) => [r.commandId, r.mine])).toEqual([
    ['someone-elses', false],
    [id, true],
  ]);
});

it('expires a command that never gets a result', async () => {
  const { d, clock } = desk();
  const pending = d.track('c1', 'tab-1', me);
  clock.advance(44_000);
  let settled = false;
  void pending.then(() => (settled = true));
  await Promise.resolve();
  expect(settled).toBe(false);
  clock.advance(2_000);
  await expect(pending).resolves.toMatchObject({
    outcome: 'expired',
    code: 3024,
    reason: 'The customer did not answer in time.',
  });
});

it('says why in the catalogue’s words when the page gave no refusal', () => {
  expect(reasonOf({ outcome: 'done' })).toBeUndefined();
  expect(reasonOf({ outcome: 'declined' })).toEqual({
    code: 3023,
    reason: 'The customer declined the action.',
  });
  expect(reasonOf({ outcome: 'refused', code: 3018 })).toEqual({
    code: 3018,
    reason: "The session's control mode, or the page's settings, do not allow that.",
  });
  expect(isControlErrorCode(3018)).toBe(true);
  expect(isControlErrorCode(3025)).toBe(true);
  expect(isControlErrorCode(3017)).toBe(false);
  expect(isControlErrorCode(3026)).toBe(false);
});
