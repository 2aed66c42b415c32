/**
 * @module
 * Internal: a step up in control while it waits (ADR 0012), for a manager's approval of
 * `full_control` or for the customer's answer, until it is decided, runs out of time or is
 * withdrawn. The pending step lives in the session's control record, so every node sees it; the
 * timer that ends the wait runs on the node that started it, and a wait whose timer was lost with
 * its node is ended as soon as anyone reads the record past its time (`fresh`).
 *
 * The customer is asked with the consent questions' own messages and ledger
 * (`consent.request { kind: 'control', mode }`, `consent.settled`; reasons
 * `agent:<id> request:<id> kind:control mode:<mode>`). Whoever asked hears a refusal as
 * `session.error`: 3020 the customer said no (or stopped control meanwhile), 3021 no manager
 * approved, 3024 the customer did not answer in time, 3018 the page stopped allowing it.
 */
import { randomBytes } from 'node:crypto';
import { SightlineError, type ErrorName } from '@sightline/protocol';
import { CONSENT_ACTIONS, ledgerReason, newRequestId } from './consent-ledger.js';
import {
  pendingReason,
  participantOf,
  type AuditLine,
  type ControlRecords,
} from './control-record.js';
import type { Clock, ControlRecord, Logger, PendingControl, Timer } from './ports.js';
import type { SessionHub } from './session-hub.js';
import { actorOf } from './session-service.js';

/**
 * Why a pending step stopped waiting without being allowed: the customer stepped down, an agent
 * stepped out of the control modes (a handover lapses), an agent concerned left, or the page
 * stopped allowing remote assist.
 */
export type Withdrawal = 'customer_stopped' | 'stepped_down' | 'agent_left' | 'page_settings';

/** The audit actions of control approvals. */
export const APPROVAL_ACTIONS = {
  approved: 'full_control_approved',
  denied: 'full_control_denied',
} as const;

interface Dependencies {
  records: ControlRecords;
  clock: Clock;
  logger: Logger;
  hub: SessionHub;
  /** How long the customer has to answer (the consent timeout), in ms. */
  customerWaitMs: number;
  /** How long a request for `full_control` waits for a manager, in ms. */
  managerWaitMs: number;
}

/** A new approval id (`ca_…`), for the console's URL. */
export const newApprovalId = (): string => `ca_${randomBytes(12).toString('base64url')}`;

/** One per node. */
export class PendingSteps {
  /** This node's wait timers, by pending id. */
  private readonly timers = new Map<string, Timer>();

  constructor(private readonly deps: Dependencies) {}

  /** Until when `pending` waits. */
  deadline(pending: PendingControl): number {
    const wait =
      pending.waitingFor === 'manager' ? this.deps.managerWaitMs : this.deps.customerWaitMs;
    return pending.since + wait;
  }

  /** The session's record, with a wait already past its time ended first. */
  async fresh(sessionId: string): Promise<ControlRecord> {
    const record = await this.deps.records.read(sessionId);
    const { pending } = record;
    if (!pending || this.deadline(pending) > this.deps.clock.now()) return record;
    await this.expire(sessionId, pending.id);
    return this.deps.records.read(sessionId);
  }

  /**
   * A new pending step was stored: its wait starts, and the customer is asked if it waits for
   * the customer. `asker`: who asked (for a handover, the controller; otherwise `pending.agent`).
   */
  asked(record: ControlRecord): void {
    const { pending } = record;
    if (!pending) return;
    this.arm(record.sessionId, pending);
    if (pending.waitingFor === 'customer') {
      this.deps.hub.sendText(
        record.sessionId,
        {
          type: 'consent.request',
          requestId: pending.id,
          kind: 'control',
          agent: participantOf(pending.agent),
          mode: pending.mode,
        },
        { to: 'customer' },
      );
    }
  }

  /** The audit lines that ask the customer about `pending` (the consent ledger's question). */
  questionLines(pending: PendingControl, actor: string): AuditLine[] {
    if (pending.waitingFor !== 'customer') return [];
    return [
      {
        actor,
        action: CONSENT_ACTIONS.requested,
        reason: ledgerReason(pending.agent.userId, pending.id, 'control', pending.mode),
      },
    ];
  }

  /** The audit line that closes the customer's question about `pending` in the ledger. */
  answerLine(pending: PendingControl, actor: string, action: string): AuditLine {
    return {
      actor,
      action,
      reason: ledgerReason(pending.agent.userId, pending.id, 'control', pending.mode),
    };
  }

  /** The pending step was decided or dropped: its timer stops, and the customer's prompt closes. */
  over(sessionId: string, pending: PendingControl): void {
    this.timers.get(pending.id)?.cancel();
    this.timers.delete(pending.id);
    if (pending.waitingFor === 'customer') {
      this.deps.hub.sendText(
        sessionId,
        { type: 'consent.settled', requestId: pending.id },
        { to: 'customer' },
      );
    }
  }

  /** The audit lines of withdrawing `record`'s pending step for `why`. */
  withdrawLines(record: ControlRecord, why: Withdrawal, actor: string): AuditLine[] {
    const { pending } = record;
    if (!pending) return [];
    const lines: AuditLine[] = [
      {
        actor,
        action: 'control_withdrawn',
        reason: `${pendingReason(pending.agent.userId, pending.id, pending.mode)} cause:${why}`,
      },
    ];
    if (pending.waitingFor === 'customer') {
      // The ledger's question closes too: the customer's Stop is a no; anything else, no blame.
      const action = why === 'customer_stopped' ? CONSENT_ACTIONS.denied : CONSENT_ACTIONS.expired;
      lines.push(this.answerLine(pending, actor, action));
    }
    return lines;
  }

  /** `before`'s pending step was withdrawn for `why`: its wait ends, and whoever asked is told. */
  withdrawn(before: ControlRecord, why: Withdrawal): void {
    const { pending } = before;
    if (!pending) return;
    this.over(before.sessionId, pending);
    if (why === 'customer_stopped') this.tell(before, 'CONTROL_DECLINED');
    if (why === 'page_settings') this.tell(before, 'CONTROL_NOT_ALLOWED');
  }

  /**
   * A manager answered the request `approvalId` for `full_control`. Approve: the customer is
   * asked next. Deny: whoever asked is told 3021. False when it no longer waits for a manager.
   */
  async decideApproval(
    sessionId: string,
    approvalId: string,
    approve: boolean,
    managerUserId: string,
  ): Promise<boolean> {
    const { records, clock } = this.deps;
    const decided = await records.attempt(sessionId, async (record) => {
      const { pending } = record;
      if (pending?.waitingFor !== 'manager' || pending.id !== approvalId) return { result: false };
      if (this.deadline(pending) <= clock.now()) return { result: false };
      const actor = actorOf('agent', managerUserId);
      const approval: AuditLine = {
        actor,
        action: approve ? APPROVAL_ACTIONS.approved : APPROVAL_ACTIONS.denied,
        reason: pendingReason(pending.agent.userId, pending.id, pending.mode),
      };
      if (!approve) {
        const stored = await records.commit(record, { ...record, pending: null }, [approval]);
        if (!stored) return 'lost';
        this.over(sessionId, pending);
        this.tell(record, 'CONTROL_APPROVAL_REQUIRED');
        return { result: true };
      }
      const asking: PendingControl = {
        ...pending,
        id: newRequestId(),
        waitingFor: 'customer',
        since: clock.now(),
      };
      const question = this.questionLines(asking, actorOf('agent', pending.agent.userId));
      const stored = await records.commit(record, { ...record, pending: asking }, [
        approval,
        ...question,
      ]);
      if (!stored) return 'lost';
      this.over(sessionId, pending);
      this.asked(stored);
      return { result: true };
    });
    if (decided === undefined) return false;
    // Past its time: ended now, like any read of it would.
    if (!decided) await this.fresh(sessionId);
    return decided;
  }

  /** Cancels every timer this node holds (shutdown). */
  close(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  /**
   * Ends the wait of `pendingId` if it is still the session's pending step: nobody answered in
   * time. An answer stored first (on any node) wins, by the record's revision.
   */
  private async expire(sessionId: string, pendingId: string): Promise<void> {
    const { records } = this.deps;
    await records.attempt(sessionId, async (record) => {
      const { pending } = record;
      if (pending?.id !== pendingId) return { result: undefined };
      const line: AuditLine =
        pending.waitingFor === 'manager'
          ? {
              actor: 'system',
              action: APPROVAL_ACTIONS.denied,
              reason: `${pendingReason(pending.agent.userId, pending.id, pending.mode)} cause:no_answer`,
            }
          : this.answerLine(pending, 'system', CONSENT_ACTIONS.expired);
      const stored = await records.commit(record, { ...record, pending: null }, [line]);
      if (!stored) return 'lost';
      this.over(sessionId, pending);
      this.tell(
        record,
        pending.waitingFor === 'manager' ? 'CONTROL_APPROVAL_REQUIRED' : 'CONTROL_TIMEOUT',
      );
      return { result: undefined };
    });
  }

  private arm(sessionId: string, pending: PendingControl): void {
    if (this.timers.has(pending.id)) return;
    const delay = Math.max(0, this.deadline(pending) - this.deps.clock.now());
    this.timers.set(
      pending.id,
      this.deps.clock.setTimer(delay, () => {
        this.timers.delete(pending.id);
        this.expire(sessionId, pending.id).catch((error: unknown) => {
          this.deps.logger.error({ err: error, sessionId }, 'control wait expiry failed');
        });
      }),
    );
  }

  /**
   * Tells whoever asked for `record`'s pending step why it did not happen: the agent who asked
   * for a mode, or the controller who asked for a handover.
   */
  tell(record: ControlRecord, error: ErrorName): void {
    const { pending } = record;
    if (!pending) return;
    const asker = pending.handover ? record.controller : pending.agent;
    if (!asker) return;
    const refusal = new SightlineError(error);
    this.deps.hub.sendText(
      record.sessionId,
      {
        type: 'session.error',
        code: refusal.code,
        name: refusal.errorName,
        message: refusal.message,
      },
      { to: 'agent', userId: asker.userId },
    );
  }
}
