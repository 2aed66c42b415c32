/**
 * @module
 * Internal: the control modes' transition table (ADR 0012), pure: who may move a session from
 * which mode to which, what a move needs (the customer's yes, a manager's approval), and what a
 * control or annotation frame is allowed in a given control. No I/O and no clock: the desk
 * (`control-desk.ts`) reads the record, asks this module, and writes the answer by compare-and-set.
 *
 * The rules, in one place:
 * - A step down (or the same mode, by anyone who would not take control by it) applies at once,
 *   from any allowed agent or from the customer (`control.set`; Stop is `view_only`). The
 *   customer never steps up (3006), and a step down of the customer's withdraws a pending step.
 * - A step up is asked by an agent, one at a time per session (3019). `guided` asks the customer.
 *   `controlled` and `full_control` need the page's `remoteAssist.enable` (3018); `full_control`
 *   asked by an agent below `manager` waits for a manager first; `controlled` with the page's
 *   `enableCustomerConsent: false` starts without the question. An agent asking for the control
 *   mode the session is in, held by another agent, is asking to take control: a step up.
 * - In `controlled` and `full_control` the agent whose step was allowed is the controller. A
 *   handover asks the customer about the new one; until it allows, the old one keeps control.
 * - The controller leaving drops the mode to `guided`; a page that turns remote assist off does too.
 */
import {
  CONTROL_MODE_RANK,
  REMOTE_ASSIST_TYPE_OF,
  RemoteAssistType,
  isControlMode,
  type ControlMode,
  type ControlSettings,
  type RemoteActionKind,
  type Role,
} from '@sightline/protocol';
import type { ControlAgent, PendingControl } from './ports.js';

/** A session's control as the machine sees it: the record without its keys. */
export interface Control {
  mode: ControlMode;
  controller: ControlAgent | null;
  grantUntil: number | null;
  pending: PendingControl | null;
  settings: ControlSettings | null;
}

/** A session's control before anything happened. */
export const VIEW_ONLY: Control = {
  mode: 'view_only',
  controller: null,
  grantUntil: null,
  pending: null,
  settings: null,
};

/**
 * What a page that has not sent its settings allows: the customer SDK's defaults, remote assist
 * off (it is opt-in per page), annotations on.
 */
export const DEFAULT_CONTROL_SETTINGS: ControlSettings = {
  remoteAssist: {
    enable: false,
    enableCustomerConsent: true,
    types: [...RemoteAssistType.options],
    requireStopConfirmation: false,
  },
  allowAgentAnnotation: true,
  allowCustomerAnnotation: true,
};

/** The page's settings, or the defaults before it sent any. */
export const settingsOf = (control: Control): ControlSettings =>
  control.settings ?? DEFAULT_CONTROL_SETTINGS;

/** How a move compares the modes. */
export type Step = 'down' | 'same' | 'up';

/** Whether going from `from` to `to` is a step down, up, or none. */
export function stepOf(from: ControlMode, to: ControlMode): Step {
  const delta = CONTROL_MODE_RANK[to] - CONTROL_MODE_RANK[from];
  return delta < 0 ? 'down' : delta > 0 ? 'up' : 'same';
}

/** Why the machine refuses something; the desk words and audits it. */
export type RefusalWhy =
  | 'remote_assist_disabled'
  | 'pending'
  | 'not_controller'
  | 'mode'
  | 'type_not_allowed'
  | 'customer_step_up'
  | 'not_controlled';

/** The catalogue error each refusal is sent as. */
export const REFUSAL_ERROR = {
  remote_assist_disabled: 'CONTROL_NOT_ALLOWED',
  pending: 'CONTROL_PENDING',
  not_controller: 'CONTROL_NOT_ALLOWED',
  mode: 'CONTROL_NOT_ALLOWED',
  type_not_allowed: 'CONTROL_NOT_ALLOWED',
  customer_step_up: 'MESSAGE_NOT_ALLOWED',
  not_controlled: 'CONTROL_NOT_ALLOWED',
} as const satisfies Record<RefusalWhy, string>;

/**
 * What a move leads to: `apply` now (`next`), `nothing` to do, `ask` someone (the desk records
 * the pending step), or `refuse`. `preApproved`: applied without the customer's question because
 * the page said so (`enableCustomerConsent: false`).
 */
export type Decision =
  | { kind: 'apply'; next: Control; preApproved?: boolean }
  | { kind: 'nothing' }
  | { kind: 'ask'; waitingFor: 'manager' | 'customer' }
  | { kind: 'refuse'; why: RefusalWhy };

/**
 * `control` moved to `mode`: the controller is `controller` in a control mode (kept if absent)
 * and nobody otherwise; the customer's grant ends whenever the mode or controller changes.
 */
export function moved(control: Control, mode: ControlMode, controller?: ControlAgent): Control {
  const next = isControlMode(mode) ? (controller ?? control.controller) : null;
  const same = mode === control.mode && next?.userId === control.controller?.userId;
  const pending = control.pending?.handover && !isControlMode(mode) ? null : control.pending;
  return {
    ...control,
    mode,
    controller: next,
    grantUntil: same ? control.grantUntil : null,
    pending,
  };
}

/** An allowed agent's `control.request`. `manager`: the agent's role is `manager` or above. */
export function decideRequest(
  control: Control,
  request: { agent: ControlAgent; mode: ControlMode; manager: boolean },
): Decision {
  const { mode, agent } = request;
  const takesControl = isControlMode(mode) && control.controller?.userId !== agent.userId;
  const step = stepOf(control.mode, mode);
  if (step === 'down') return { kind: 'apply', next: moved(control, mode) };
  if (step === 'same' && !takesControl) return { kind: 'nothing' };
  if (control.pending) return { kind: 'refuse', why: 'pending' };
  if (mode === 'guided') return { kind: 'ask', waitingFor: 'customer' };
  const { remoteAssist } = settingsOf(control);
  if (!remoteAssist.enable) return { kind: 'refuse', why: 'remote_assist_disabled' };
  if (mode === 'full_control') {
    return { kind: 'ask', waitingFor: request.manager ? 'customer' : 'manager' };
  }
  if (!remoteAssist.enableCustomerConsent) {
    return { kind: 'apply', next: moved(control, mode, agent), preApproved: true };
  }
  return { kind: 'ask', waitingFor: 'customer' };
}

/** The controller hands control to `to`, another allowed agent in the session. */
export function decideHandover(control: Control, from: ControlAgent, to: ControlAgent): Decision {
  if (!isControlMode(control.mode) || control.controller?.userId !== from.userId) {
    return { kind: 'refuse', why: 'not_controller' };
  }
  if (to.userId === from.userId) return { kind: 'nothing' };
  if (control.pending) return { kind: 'refuse', why: 'pending' };
  const { remoteAssist } = settingsOf(control);
  if (control.mode === 'controlled' && !remoteAssist.enableCustomerConsent) {
    return { kind: 'apply', next: moved(control, control.mode, to), preApproved: true };
  }
  return { kind: 'ask', waitingFor: 'customer' };
}

/** The customer's `control.set`: a step down, which also withdraws any pending step. */
export function decideSet(control: Control, mode: ControlMode): Decision {
  const step = stepOf(control.mode, mode);
  if (step === 'up') return { kind: 'refuse', why: 'customer_step_up' };
  if (step === 'same') return { kind: 'nothing' };
  return { kind: 'apply', next: { ...moved(control, mode), pending: null } };
}

/** The customer's `control.grant` of `durationMs` (0 withdraws it) at `now`. */
export function decideGrant(control: Control, durationMs: number, now: number): Decision {
  if (control.mode !== 'controlled') return { kind: 'refuse', why: 'not_controlled' };
  const grantUntil = durationMs === 0 ? null : now + durationMs;
  if (grantUntil === control.grantUntil) return { kind: 'nothing' };
  return { kind: 'apply', next: { ...control, grantUntil } };
}

/** The customer allowed the pending step: the mode, or the controller of a handover, moves. */
export function allowed(control: Control): Control {
  const pending = control.pending;
  if (!pending) return control;
  const mode = pending.handover ? control.mode : pending.mode;
  return { ...moved(control, mode, pending.agent), pending: null };
}

/**
 * An agent's last socket closed. The controller leaving drops the mode to `guided`; a step
 * asked by or for the agent is withdrawn.
 */
export function agentLeft(control: Control, userId: string): Control {
  let next = control;
  if (control.controller?.userId === userId) next = moved(control, 'guided');
  if (next.pending?.agent.userId === userId) next = { ...next, pending: null };
  return next;
}

/**
 * The page sent its settings. A page that does not allow remote assist ends a control mode
 * (down to `guided`) and withdraws a pending step to one.
 */
export function settingsChanged(control: Control, settings: ControlSettings): Control {
  let next: Control = { ...control, settings };
  if (settings.remoteAssist.enable) return next;
  if (isControlMode(next.mode)) next = moved(next, 'guided');
  if (next.pending && isControlMode(next.pending.mode)) next = { ...next, pending: null };
  return next;
}

/** Why a `control.command` of `agentUserId` for an action of `kind` may not be relayed, if so. */
export function checkCommand(
  control: Control,
  agentUserId: string,
  kind: RemoteActionKind,
): RefusalWhy | undefined {
  if (!isControlMode(control.mode)) return 'mode';
  if (control.controller?.userId !== agentUserId) return 'not_controller';
  const { remoteAssist } = settingsOf(control);
  if (!remoteAssist.enable) return 'remote_assist_disabled';
  if (!remoteAssist.types.includes(REMOTE_ASSIST_TYPE_OF[kind])) return 'type_not_allowed';
  return undefined;
}

/**
 * Whether a participant of `role` may draw, erase and point: agents in `guided` and above when
 * the page allows agents to, the customer whenever the page allows the customer to.
 */
export function mayAnnotate(control: Control, role: Role): boolean {
  const settings = settingsOf(control);
  if (role === 'customer') return settings.allowCustomerAnnotation;
  return (
    CONTROL_MODE_RANK[control.mode] >= CONTROL_MODE_RANK.guided && settings.allowAgentAnnotation
  );
}
