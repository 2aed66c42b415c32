/**
 * @module
 * Internal: the session's control mode (ADR 0012), moved by its participants. An allowed agent
 * asks for a mode (`control.request`) or, as the controller, hands control over
 * (`control.handover`); the customer steps down or stops (`control.set`), grants a window of
 * actions (`control.grant`), answers the questions (`consent.response`, routed here by the
 * consent desk) and says what the page allows (`control.settings`). The controller leaving drops
 * the mode to `guided`. Which move is allowed, and what it needs, is the transition table's
 * (`control-machine.ts`); each move is a compare-and-set of the session's control record with its
 * audit lines (`control-record.ts`), broadcast as `control.state`; a step waiting for a manager
 * or the customer is `control-pending.ts`'s.
 *
 * Audit actions: `control_requested`, `control_changed` (`from:… to:… controller:… cause:…`),
 * `control_refused` (3018, with why), `control_granted`, `control_settings`,
 * `control_withdrawn`, the ledger's `consent_*` for the customer's questions, and
 * `full_control_approved`/`full_control_denied`.
 */
import {
  SightlineError,
  type ConsentResponse,
  type ControlMode,
  type ControlSettings,
  type Participant,
} from '@sightline/protocol';
import { isDeepStrictEqual } from 'node:util';
import { CONSENT_ACTIONS, newRequestId, readLedger } from './consent-ledger.js';
import type { Connection } from './connection.js';
import {
  agentLeft,
  allowed,
  decideGrant,
  decideHandover,
  decideRequest,
  decideSet,
  settingsChanged,
  type Control,
  type Decision,
} from './control-machine.js';
import { newApprovalId, type PendingSteps, type Withdrawal } from './control-pending.js';
import {
  agentOf,
  changeReason,
  describeSettings,
  refusalError,
  stateFrame,
  type Attempt,
  type AuditLine,
  type ControlRecords,
} from './control-record.js';
import { isApprover } from './control-approvals.js';
import type { Clock, ControlAgent, ControlRecord, PendingControl, SessionStore } from './ports.js';
import { actorOf } from './session-service.js';

/** One move asked of the desk, decided by the transition table on the current record. */
interface Move {
  /** Who moves, for the audit. */
  actor: string;
  decide: (record: ControlRecord) => Decision;
  /** The step to wait with, when the move needs a manager's or the customer's answer. */
  pendingFor?: (waitingFor: 'manager' | 'customer', record: ControlRecord) => PendingControl;
  /** The session's customer, on record for a step the page pre-approved. */
  customerUserId: string;
  /** What was asked, for the audit: `mode:<mode>` or `handover_to:<user_id>`. */
  what: string;
  /** Set by the customer's own step down: `stop` or `step_down`. */
  cause?: string;
}

/** How a committed move reads in the audit, and what a pending step it dropped is told. */
interface Change {
  actor: string;
  /** Why the mode or controller moved (`control_changed`'s cause). */
  cause: string;
  why: Withdrawal;
  /** Whose move `control_changed` records, when not `actor`'s. */
  changedBy?: string;
}

interface Dependencies {
  store: SessionStore;
  clock: Clock;
  records: ControlRecords;
  pending: PendingSteps;
}

/** The question named is not open (unknown, answered, or expired). */
const notOpen = (): SightlineError =>
  new SightlineError('PROTOCOL_INVALID_MESSAGE', 'consent.response names no open consent request.');

/** One per node. */
export class ControlDesk {
  constructor(private readonly deps: Dependencies) {}

  /**
   * A socket was welcomed: it learns the control now, and a customer is asked the open question
   * again, if one waits for it (a reloaded page asks again).
   */
  async welcomed(connection: Connection, sessionId: string): Promise<void> {
    const record = await this.deps.pending.fresh(sessionId);
    if (connection.isClosing) return;
    connection.send(stateFrame(record, this.deps.clock.now()));
    const { pending } = record;
    if (connection.role !== 'customer' || pending?.waitingFor !== 'customer') return;
    connection.send({
      type: 'consent.request',
      requestId: pending.id,
      kind: 'control',
      agent: { ...pending.agent, role: 'agent' },
      mode: pending.mode,
    });
  }

  /** An allowed agent asks for `mode`. Returns the error to refuse the frame with. */
  async request(
    sessionId: string,
    agent: Participant,
    mode: ControlMode,
  ): Promise<SightlineError | undefined> {
    const session = await this.deps.store.getSession(sessionId);
    if (!session) return new SightlineError('SESSION_NOT_FOUND');
    const manager =
      mode === 'full_control' && (await isApprover(this.deps.store, session.appId, agent.userId));
    await this.deps.pending.fresh(sessionId);
    return this.move(sessionId, {
      actor: actorOf('agent', agent.userId),
      decide: (record) => decideRequest(record, { agent: agentOf(agent), mode, manager }),
      pendingFor: (waitingFor) => ({
        id: waitingFor === 'manager' ? newApprovalId() : newRequestId(),
        mode,
        agent: agentOf(agent),
        waitingFor,
        since: this.deps.clock.now(),
        handover: false,
      }),
      customerUserId: session.customerUserId,
      what: `mode:${mode}`,
    });
  }

  /**
   * The controller hands control to `toUserId`, an agent in the session the customer allowed to
   * see the page. Returns the error to refuse the frame with.
   */
  async handover(
    sessionId: string,
    from: Participant,
    toUserId: string,
  ): Promise<SightlineError | undefined> {
    const session = await this.deps.store.getSession(sessionId);
    if (!session) return new SightlineError('SESSION_NOT_FOUND');
    const to = await this.watchingAgent(sessionId, toUserId);
    if (!to) {
      const reason = `handover_to:${toUserId} why:not_watching`;
      const actor = actorOf('agent', from.userId);
      await this.deps.records.note(sessionId, { actor, action: 'control_refused', reason });
      return new SightlineError(
        'CONTROL_NOT_ALLOWED',
        'Control goes only to an agent in the session whom the customer allowed to see the page.',
      );
    }
    await this.deps.pending.fresh(sessionId);
    return this.move(sessionId, {
      actor: actorOf('agent', from.userId),
      decide: (record) => decideHandover(record, agentOf(from), to),
      pendingFor: (_waitingFor, record) => ({
        id: newRequestId(),
        mode: record.mode,
        agent: to,
        waitingFor: 'customer',
        since: this.deps.clock.now(),
        handover: true,
      }),
      customerUserId: session.customerUserId,
      what: `handover_to:${toUserId}`,
    });
  }

  /** The customer steps down to `mode` (Stop: `view_only`). Returns the error to refuse with. */
  async set(
    sessionId: string,
    customer: Participant,
    mode: ControlMode,
  ): Promise<SightlineError | undefined> {
    return this.move(sessionId, {
      actor: actorOf('customer', customer.userId),
      decide: (record) => decideSet(record, mode),
      customerUserId: customer.userId,
      what: `mode:${mode}`,
      cause: mode === 'view_only' ? 'stop' : 'step_down',
    });
  }

  /** The customer allows every action for `durationMs` (0 withdraws). Returns the refusal. */
  async grant(
    sessionId: string,
    customer: Participant,
    durationMs: number,
  ): Promise<SightlineError | undefined> {
    const { records, clock } = this.deps;
    const actor = actorOf('customer', customer.userId);
    return records.attempt(
      sessionId,
      async (record): Promise<Attempt<SightlineError | undefined>> => {
        const decision = decideGrant(record, durationMs, clock.now());
        if (decision.kind === 'refuse') {
          const reason = `grant duration_ms:${durationMs} from:${record.mode} why:${decision.why}`;
          await records.note(sessionId, { actor, action: 'control_refused', reason });
          return { result: refusalError(decision.why) };
        }
        if (decision.kind !== 'apply') return { result: undefined };
        const controller = record.controller?.userId ?? 'none';
        const until = decision.next.grantUntil ?? 'none';
        const stored = await records.commit(record, decision.next, [
          {
            actor,
            action: 'control_granted',
            reason: `controller:${controller} duration_ms:${durationMs} until:${until}`,
          },
        ]);
        return stored ? { result: undefined } : 'lost';
      },
    );
  }

  /** The customer's page says what it allows. Stored if it changed; may end a control mode. */
  async settings(
    sessionId: string,
    customer: Participant,
    settings: ControlSettings,
  ): Promise<void> {
    const actor = actorOf('customer', customer.userId);
    const line = { actor, action: 'control_settings', reason: describeSettings(settings) };
    await this.deps.records.attempt(sessionId, async (record): Promise<Attempt<undefined>> => {
      if (isDeepStrictEqual(record.settings, settings)) return { result: undefined };
      const next = settingsChanged(record, settings);
      const change: Change = { actor, cause: 'page_settings', why: 'page_settings' };
      return (await this.commitMove(record, next, [line], change)) ? { result: undefined } : 'lost';
    });
  }

  /** Whether `requestId` is the control question the customer is asked now. */
  async asks(sessionId: string, requestId: string): Promise<boolean> {
    const { pending } = await this.deps.records.read(sessionId);
    return pending?.waitingFor === 'customer' && pending.id === requestId;
  }

  /**
   * The customer answered the control question. Returns the error to refuse the frame with when
   * it names no open question. Allow moves the mode (or the controller, for a handover); Deny
   * leaves it, and whoever asked is told 3020.
   */
  async answer(
    sessionId: string,
    customer: Participant,
    response: ConsentResponse,
  ): Promise<SightlineError | undefined> {
    const { records, pending: steps } = this.deps;
    const open = (await steps.fresh(sessionId)).pending;
    if (open?.waitingFor !== 'customer' || open.id !== response.requestId) return notOpen();
    const actor = actorOf('customer', customer.userId);
    const allow = response.decision === 'allow';
    const answer = steps.answerLine(
      open,
      actor,
      allow ? CONSENT_ACTIONS.allowed : CONSENT_ACTIONS.denied,
    );
    const result = await records.attempt(sessionId, async (current): Promise<Attempt<boolean>> => {
      // Another tab's answer, or the expiry, was stored first: that one stands and was told.
      if (current.pending?.id !== open.id) return { result: false };
      const next = allow ? allowed(current) : { ...current, pending: null };
      const lines = [answer];
      if (allow) {
        const reason = changeReason(current, next, open.handover ? 'handover' : 'allowed');
        lines.push({ actor, action: 'control_changed', reason });
      }
      if (!(await records.commit(current, next, lines))) return 'lost';
      steps.over(sessionId, open);
      if (!allow) steps.tell(current, 'CONTROL_DECLINED');
      return { result: true };
    });
    return result === false ? notOpen() : undefined;
  }

  /**
   * An agent's last socket closed. The controller leaving drops the mode to `guided`; a step the
   * agent asked for, or was to receive, is withdrawn.
   */
  async agentLeft(sessionId: string, agent: Participant): Promise<void> {
    const change: Change = {
      actor: actorOf('agent', agent.userId),
      cause: 'controller_left',
      why: 'agent_left',
    };
    await this.deps.records.attempt(sessionId, async (record): Promise<Attempt<undefined>> => {
      const next = agentLeft(record, agent.userId);
      if (next === record) return { result: undefined };
      return (await this.commitMove(record, next, [], change)) ? { result: undefined } : 'lost';
    });
  }

  /**
   * Decides and applies one move: a refusal is audited (3018) and returned; a move applies at
   * once; a step that needs someone's answer becomes the pending step, and they are asked.
   */
  private async move(sessionId: string, move: Move): Promise<SightlineError | undefined> {
    const { records, pending: steps } = this.deps;
    const { actor, what } = move;
    return records.attempt(
      sessionId,
      async (record): Promise<Attempt<SightlineError | undefined>> => {
        const decision = move.decide(record);
        switch (decision.kind) {
          case 'nothing':
            return { result: undefined };
          case 'refuse': {
            const error = refusalError(decision.why);
            if (error.errorName === 'CONTROL_NOT_ALLOWED') {
              const reason = `${what} from:${record.mode} why:${decision.why}`;
              await records.note(sessionId, { actor, action: 'control_refused', reason });
            }
            return { result: error };
          }
          case 'apply': {
            // Only the customer's own step down withdraws a step up; an agent's drops a handover.
            const why: Withdrawal = move.cause === undefined ? 'stepped_down' : 'customer_stopped';
            const change: Change = { actor, cause: move.cause ?? 'step_down', why };
            const lines: AuditLine[] = [];
            if (decision.preApproved) {
              // The page collected consent itself (`enableCustomerConsent: false`): on record.
              const reason = `${what} from:${record.mode} waiting:none`;
              lines.push({ actor, action: 'control_requested', reason });
              change.cause = 'pre_approved';
              change.changedBy = actorOf('customer', move.customerUserId);
            }
            const applied = await this.commitMove(record, decision.next, lines, change);
            return applied ? { result: undefined } : 'lost';
          }
          case 'ask': {
            if (!move.pendingFor) return { result: undefined };
            const waiting = move.pendingFor(decision.waitingFor, record);
            const reason = `${what} from:${record.mode} waiting:${decision.waitingFor} request:${waiting.id}`;
            const lines: AuditLine[] = [
              { actor, action: 'control_requested', reason },
              ...steps.questionLines(waiting, actor),
            ];
            const stored = await records.commit(record, { ...record, pending: waiting }, lines);
            if (!stored) return 'lost';
            steps.asked(stored);
            return { result: undefined };
          }
        }
      },
    );
  }

  /**
   * Commits `next` after `lines`, adding `control_changed` when the mode or the controller moved
   * and the withdrawal of a pending step it dropped, whose asker is then told. False if it lost.
   */
  private async commitMove(
    record: ControlRecord,
    next: Control,
    lines: readonly AuditLine[],
    change: Change,
  ): Promise<boolean> {
    const { records, pending: steps } = this.deps;
    const all = [...lines];
    if (next.mode !== record.mode || next.controller?.userId !== record.controller?.userId) {
      const reason = changeReason(record, next, change.cause);
      all.push({ actor: change.changedBy ?? change.actor, action: 'control_changed', reason });
    }
    const dropped = record.pending !== null && next.pending === null;
    if (dropped) all.push(...steps.withdrawLines(record, change.why, change.actor));
    if (!(await records.commit(record, next, all))) return false;
    if (dropped) steps.withdrawn(record, change.why);
    return true;
  }

  /** The agent `userId`, if connected to the session and allowed by the customer to see it. */
  private async watchingAgent(
    sessionId: string,
    userId: string,
  ): Promise<ControlAgent | undefined> {
    const { store } = this.deps;
    const [participants, audit] = await Promise.all([
      store.listParticipants([sessionId]),
      store.listAudit(sessionId),
    ]);
    const found = participants.find(
      (p) => p.role === 'agent' && p.userId === userId && p.connections > 0,
    );
    const sees = readLedger(audit, 'view').some(
      (e) => e.agentUserId === userId && e.status === 'allowed',
    );
    return found && sees ? agentOf(found) : undefined;
  }
}
