/**
 * @module
 * Internal: reading and moving a session's control record (ADR 0012). Every move is a
 * compare-and-set on the record's revision, written with its audit entries in one transaction,
 * and broadcast to the session as `control.state` once it won; a move that lost to another node
 * is decided again on the record that won. Also the words the audit trail uses for control.
 */
import {
  SightlineError,
  type ControlMode,
  type ControlSettings,
  type ControlState,
  type Participant,
} from '@sightline/protocol';
import { REFUSAL_ERROR, VIEW_ONLY, type Control, type RefusalWhy } from './control-machine.js';
import type {
  AuditEntry,
  Clock,
  ControlAgent,
  ControlRecord,
  Logger,
  SessionStore,
} from './ports.js';
import type { SessionHub } from './session-hub.js';

/** How many times a move is decided again after losing a compare-and-set before giving up. */
const MAX_ATTEMPTS = 8;

/** An audit line of a move, before its session and time are known. */
export interface AuditLine {
  actor: string;
  action: string;
  reason: string;
}

/** One attempt of a move: its result, or `lost` to decide again on the newer record. */
export type Attempt<R> = { result: R } | 'lost';

/** The agent as a frame names it. */
export const participantOf = (agent: ControlAgent): Participant => ({
  userId: agent.userId,
  userName: agent.userName,
  role: 'agent',
});

/** The agent as the record names it. */
export const agentOf = (participant: Participant): ControlAgent => ({
  userId: participant.userId,
  userName: participant.userName,
});

/** The record of a session that never changed its control. */
export const initialRecord = (sessionId: string): ControlRecord => ({
  sessionId,
  revision: 0,
  ...VIEW_ONLY,
  updatedAt: 0,
});

/** The `control.state` frame of `record` at `now`; a grant already over is no grant. */
export function stateFrame(record: ControlRecord, now: number): ControlState {
  const { pending } = record;
  return {
    type: 'control.state',
    revision: record.revision,
    mode: record.mode,
    controller: record.controller && participantOf(record.controller),
    grantUntil: record.grantUntil !== null && record.grantUntil > now ? record.grantUntil : null,
    pending: pending && {
      mode: pending.mode,
      agent: participantOf(pending.agent),
      waitingFor: pending.waitingFor,
    },
    settings: record.settings,
    serverTime: now,
  };
}

/** The reason of `control_changed`: the modes, the controller after, and why. */
export function changeReason(before: Control, after: Control, cause: string): string {
  return `from:${before.mode} to:${after.mode} controller:${after.controller?.userId ?? 'none'} cause:${cause}`;
}

/** The reason naming a pending step: whose, which, for which mode. */
export function pendingReason(agentUserId: string, id: string, mode: ControlMode): string {
  return `agent:${agentUserId} request:${id} mode:${mode}`;
}

/** What a refusal adds to its catalogue message, in words for the agent's console. */
const REFUSAL_WORDS: Record<RefusalWhy, string | undefined> = {
  remote_assist_disabled: 'This page does not allow remote assist.',
  pending: undefined,
  not_controller: 'Only the agent in control may do that.',
  mode: "The session's control mode does not allow that.",
  type_not_allowed: 'This page does not allow that kind of action.',
  customer_step_up: 'Only an agent asks for more control; the customer steps down.',
  not_controlled: 'A window of actions is granted in controlled mode only.',
};

/** The error a refusal is sent as. */
export const refusalError = (why: RefusalWhy): SightlineError =>
  new SightlineError(REFUSAL_ERROR[why], REFUSAL_WORDS[why]);

/** What a page's settings say, for the audit trail. Never selectors or values. */
export function describeSettings(settings: ControlSettings): string {
  const { remoteAssist: r } = settings;
  return [
    `remote_assist:${r.enable}`,
    `customer_consent:${r.enableCustomerConsent}`,
    `types:${r.types.join(',') || 'none'}`,
    `stop_confirmation:${r.requireStopConfirmation}`,
    `agent_annotation:${settings.allowAgentAnnotation}`,
    `customer_annotation:${settings.allowCustomerAnnotation}`,
  ].join(' ');
}

interface Dependencies {
  store: SessionStore;
  clock: Clock;
  logger: Logger;
  hub: SessionHub;
}

/** Reads and moves control records. One per node, shared by the control desks. */
export class ControlRecords {
  constructor(private readonly deps: Dependencies) {}

  /** The session's record now (revision 0, `view_only`, before its first move). */
  async read(sessionId: string): Promise<ControlRecord> {
    return (await this.deps.store.getControl(sessionId)) ?? initialRecord(sessionId);
  }

  /**
   * Runs `step` on the current record until it returns a result (having written nothing, or
   * having won its compare-and-set). Undefined when the session ended (a move lost to nobody:
   * the record did not change), or if it kept losing to other moves.
   */
  async attempt<R>(
    sessionId: string,
    step: (record: ControlRecord) => Promise<Attempt<R>>,
  ): Promise<R | undefined> {
    let record = await this.read(sessionId);
    for (let tries = 0; tries < MAX_ATTEMPTS; tries += 1) {
      const outcome = await step(record);
      if (outcome !== 'lost') return outcome.result;
      const lostAt = record.revision;
      record = await this.read(sessionId);
      if (record.revision === lostAt) return undefined;
    }
    this.deps.logger.warn({ sessionId }, 'control move kept losing its compare-and-set');
    return undefined;
  }

  /**
   * Moves `before` to `next` with its audit lines, and tells everyone in the session the new
   * state. Returns the stored record, or undefined if another move got there first (or the
   * session ended).
   */
  async commit(
    before: ControlRecord,
    next: Control,
    lines: readonly AuditLine[],
  ): Promise<ControlRecord | undefined> {
    const { store, clock, hub } = this.deps;
    const at = clock.now();
    const { sessionId } = before;
    const audit: AuditEntry[] = lines.map((line) => ({ sessionId, at, ...line }));
    const stored = await store.updateControl({
      expectedRevision: before.revision,
      next: { sessionId, ...next, updatedAt: at },
      audit,
    });
    if (stored) hub.sendText(sessionId, stateFrame(stored, clock.now()), { to: 'all' });
    return stored;
  }

  /** Writes audit lines that move nothing (a refusal). */
  async note(sessionId: string, line: AuditLine): Promise<void> {
    await this.deps.store.appendAudit({ sessionId, at: this.deps.clock.now(), ...line });
  }
}
