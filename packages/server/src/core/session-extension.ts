/**
 * @module
 * Internal: the session's deadline (`timeout_max`) and agents' questions to extend it. An agent
 * the customer allowed to see the page asks (`session.extend`); the customer is asked with the
 * consent questions' own machinery, as `consent.request { kind: 'extend' }`, always: the app's
 * `viewConsent` policy covers viewing only. Allow moves the deadline by one step (`lifecycle.extend`,
 * which re-arms the timer), and everyone is told the new one (`session.deadline`); Deny and
 * silence leave it. The agents follow the question through `session.extension`.
 *
 * The audit trail is the ledger, as for viewing (ADR 0005): `consent_requested`, then
 * `consent_allowed`, `consent_denied` or `consent_expired`, with reason
 * `agent:<user_id> request:<id> kind:extend` (`consent-ledger.ts`), and each move of the deadline
 * is `session_extended`, written with the new deadline in one transaction (the store's
 * compare-and-set: two answers extend once), its reason ending in `added_ms:<ms>`. What all
 * extensions added is read back from those entries, so the cap holds across nodes and restarts.
 *
 * One question at a time per session. A question nobody answers within `timeoutMs` expires, as a
 * view question does, without blame; one whose agent has left, or whose timer was lost with its
 * node, is expired as soon as anyone looks at it, so it never blocks the next.
 */
import {
  SightlineError,
  type ConsentResponse,
  type DeadlineInfo,
  type ExtensionOutcome,
  type Participant,
} from '@sightline/protocol';
import {
  CONSENT_ACTIONS,
  ledgerReason,
  newRequestId,
  readLedger,
  type LedgerEntry,
} from './consent-ledger.js';
import type { Connection } from './connection.js';
import type { AuditEntry, Clock, Logger, SessionRecord, SessionStore, Timer } from './ports.js';
import type { SessionHub } from './session-hub.js';
import { SESSION_EXTENDED, type SessionLifecycle } from './session-lifecycle.js';
import { isExtendable, isLive, nextExtensionMs, type ExtensionPolicy } from './session-machine.js';
import { actorOf } from './session-service.js';

/** The limits behind extensions, as the server's options name them. */
export interface ExtensionLimits {
  /** What one extension adds, in ms. */
  sessionExtensionMs: number;
  /** The most all of a session's extensions may add together, in ms (0: none). */
  sessionMaxExtensionMs: number;
}

interface Dependencies {
  store: SessionStore;
  clock: Clock;
  logger: Logger;
  hub: SessionHub;
  lifecycle: SessionLifecycle;
  policy: ExtensionPolicy;
  /** How long a question may stay unanswered, in ms (the consent timeout). */
  timeoutMs: number;
}

const ADDED = / added_ms:(\d+)$/;

/** Refused: the question named is not open (unknown, answered, or expired). */
const notOpen = (): SightlineError =>
  new SightlineError('PROTOCOL_INVALID_MESSAGE', 'consent.response names no open consent request.');

/** One per node. */
export class ExtensionDesk {
  /** This node's expiry timers, by request id. */
  private readonly timers = new Map<string, Timer>();
  /** Sessions with a question being asked on this node right now: one question at a time. */
  private readonly asking = new Set<string>();

  constructor(private readonly deps: Dependencies) {}

  /** When the session ends by itself, and what one more extension would add. */
  async deadlineOf(session: SessionRecord): Promise<DeadlineInfo> {
    const audit = await this.deps.store.listAudit(session.id);
    return this.deadline(session, audit);
  }

  /**
   * An agent asks to extend the session. Returns the error to refuse the frame with: the agent
   * may not ask (3006), a question is already open (3014), or the cap is reached (3015).
   */
  async ask(connection: Connection, sessionId: string): Promise<SightlineError | undefined> {
    const agent = connection.participant;
    if (!agent || !connection.watching) {
      return new SightlineError(
        'MESSAGE_NOT_ALLOWED',
        'Only an agent the customer allowed to see the page may ask to extend the session.',
      );
    }
    if (this.asking.has(sessionId)) return new SightlineError('EXTENSION_PENDING');
    this.asking.add(sessionId);
    try {
      return await this.askNow(sessionId, agent);
    } finally {
      this.asking.delete(sessionId);
    }
  }

  /**
   * The customer answered a question that is not one to see the page. Returns the error to
   * refuse the frame with when it names no open question to extend.
   */
  async answer(
    sessionId: string,
    customer: Participant,
    response: ConsentResponse,
  ): Promise<SightlineError | undefined> {
    const { store, clock } = this.deps;
    const entry = await this.openQuestion(sessionId, response.requestId);
    if (!entry) return notOpen();
    this.cancelExpiry(entry.requestId);
    const allow = response.decision === 'allow';
    const actor = actorOf('customer', customer.userId);
    await store.appendAudit({
      sessionId,
      at: clock.now(),
      actor,
      action: allow ? CONSENT_ACTIONS.allowed : CONSENT_ACTIONS.denied,
      reason: ledgerReason(entry.agentUserId, entry.requestId, 'extend'),
    });
    const audit = await store.listAudit(sessionId);
    const decided = readLedger(audit, 'extend').find((e) => e.requestId === entry.requestId);
    // Another tab's answer, or the expiry, was recorded first: that one stands and was told.
    if (decided?.status !== (allow ? 'allowed' : 'denied')) return undefined;
    this.settled(sessionId, entry.requestId);
    const session = await store.getSession(sessionId);
    if (!session || !isLive(session.state)) return undefined;
    const extensionMs = nextExtensionMs(extendedMs(audit), this.deps.policy);
    const agent = await this.participant(sessionId, entry.agentUserId);
    if (!allow) {
      this.tellAgents(sessionId, entry, agent, 'denied', extensionMs);
      return undefined;
    }
    if (extensionMs === 0) return undefined;
    const extended = await this.deps.lifecycle.extend(
      sessionId,
      { from: session.expiresAt, to: session.expiresAt + extensionMs },
      actor,
      `${ledgerReason(entry.agentUserId, entry.requestId, 'extend')} added_ms:${extensionMs}`,
    );
    // Not extended: the session ended meanwhile, or another answer moved the deadline first.
    if (!extended) return undefined;
    this.tellAgents(sessionId, entry, agent, 'allowed', extensionMs);
    const deadline = this.deadline(extended, await store.listAudit(sessionId));
    this.deps.hub.sendText(sessionId, { type: 'session.deadline', ...deadline }, { to: 'all' });
    return undefined;
  }

  /** A customer socket was welcomed: it is asked the open question again, if there is one. */
  async customerWelcomed(connection: Connection, sessionId: string): Promise<void> {
    const audit = await this.deps.store.listAudit(sessionId);
    const open = readLedger(audit, 'extend').find((e) => e.status === 'open');
    if (!open || !(await this.stillAsking(sessionId, open)) || connection.isClosing) return;
    const agent = await this.participant(sessionId, open.agentUserId);
    connection.send({
      type: 'consent.request',
      requestId: open.requestId,
      kind: 'extend',
      agent,
      extensionMs: Math.max(1, nextExtensionMs(extendedMs(audit), this.deps.policy)),
    });
  }

  /** Cancels every expiry timer this node holds (shutdown). */
  close(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  private async askNow(sessionId: string, agent: Participant): Promise<SightlineError | undefined> {
    const { store, clock, hub } = this.deps;
    const session = await store.getSession(sessionId);
    if (!session || !isExtendable(session.state)) {
      return new SightlineError('MESSAGE_NOT_ALLOWED', 'The session cannot be extended now.');
    }
    const audit = await store.listAudit(sessionId);
    const open = readLedger(audit, 'extend').find((e) => e.status === 'open');
    if (open && (await this.stillAsking(sessionId, open))) {
      return new SightlineError('EXTENSION_PENDING');
    }
    const extensionMs = nextExtensionMs(extendedMs(audit), this.deps.policy);
    if (extensionMs === 0) return new SightlineError('EXTENSION_LIMIT_REACHED');
    const requestId = newRequestId();
    const askedAt = clock.now();
    await store.appendAudit({
      sessionId,
      at: askedAt,
      actor: actorOf('agent', agent.userId),
      action: CONSENT_ACTIONS.requested,
      reason: ledgerReason(agent.userId, requestId, 'extend'),
    });
    const entry: LedgerEntry = {
      requestId,
      agentUserId: agent.userId,
      kind: 'extend',
      askedAt,
      status: 'open',
    };
    this.armExpiry(sessionId, entry);
    hub.sendText(
      sessionId,
      { type: 'consent.request', requestId, kind: 'extend', agent, extensionMs },
      { to: 'customer' },
    );
    this.tellAgents(sessionId, entry, agent, 'pending', extensionMs);
    return undefined;
  }

  /**
   * Whether an open question still stands. One past its deadline (its timer was lost with a
   * node) or whose agent has left is expired now, so it cannot block the next question.
   */
  private async stillAsking(sessionId: string, entry: LedgerEntry): Promise<boolean> {
    const due = entry.askedAt + this.deps.timeoutMs <= this.deps.clock.now();
    const participants = await this.deps.store.listParticipants([sessionId]);
    const present = participants.some(
      (p) => p.role === 'agent' && p.userId === entry.agentUserId && p.connections > 0,
    );
    if (!due && present) return true;
    await this.expire(sessionId, entry.requestId);
    return false;
  }

  /** The question `requestId` if it is open and still stands. */
  private async openQuestion(
    sessionId: string,
    requestId: string,
  ): Promise<LedgerEntry | undefined> {
    const audit = await this.deps.store.listAudit(sessionId);
    const entry = readLedger(audit, 'extend').find((e) => e.requestId === requestId);
    if (entry?.status !== 'open') return undefined;
    // Past its deadline, an answer is refused as for viewing; an agent that left is no reason to
    // refuse a Yes to going on for the others.
    if (entry.askedAt + this.deps.timeoutMs <= this.deps.clock.now()) {
      await this.expire(sessionId, requestId);
      return undefined;
    }
    return entry;
  }

  private armExpiry(sessionId: string, entry: LedgerEntry): void {
    const delay = Math.max(0, entry.askedAt + this.deps.timeoutMs - this.deps.clock.now());
    this.timers.set(
      entry.requestId,
      this.deps.clock.setTimer(delay, () => {
        this.timers.delete(entry.requestId);
        this.expire(sessionId, entry.requestId).catch((error: unknown) => {
          this.deps.logger.error({ err: error, sessionId }, 'extension expiry failed');
        });
      }),
    );
  }

  private cancelExpiry(requestId: string): void {
    this.timers.get(requestId)?.cancel();
    this.timers.delete(requestId);
  }

  /**
   * Withdraws an open question without blame. An answer recorded first (on any node) wins: the
   * ledger keeps the first decision, so the expiry acts only if its own entry is that decision.
   */
  private async expire(sessionId: string, requestId: string): Promise<void> {
    const { store, clock } = this.deps;
    this.cancelExpiry(requestId);
    const before = readLedger(await store.listAudit(sessionId), 'extend').find(
      (e) => e.requestId === requestId,
    );
    if (before?.status !== 'open') return;
    await store.appendAudit({
      sessionId,
      at: clock.now(),
      actor: 'system',
      action: CONSENT_ACTIONS.expired,
      reason: ledgerReason(before.agentUserId, requestId, 'extend'),
    });
    const audit = await store.listAudit(sessionId);
    const after = readLedger(audit, 'extend').find((e) => e.requestId === requestId);
    if (after?.status !== 'expired') return;
    this.settled(sessionId, requestId);
    const session = await store.getSession(sessionId);
    if (!session || !isLive(session.state)) return;
    const extensionMs = nextExtensionMs(extendedMs(audit), this.deps.policy);
    const agent = await this.participant(sessionId, before.agentUserId);
    this.tellAgents(sessionId, before, agent, 'expired', extensionMs);
  }

  /** Every customer tab closes its prompt for the question. */
  private settled(sessionId: string, requestId: string): void {
    this.deps.hub.sendText(sessionId, { type: 'consent.settled', requestId }, { to: 'customer' });
  }

  private tellAgents(
    sessionId: string,
    entry: LedgerEntry,
    agent: Participant,
    outcome: ExtensionOutcome,
    extensionMs: number,
  ): void {
    const code =
      outcome === 'denied'
        ? new SightlineError('EXTENSION_DECLINED').code
        : outcome === 'expired'
          ? new SightlineError('EXTENSION_TIMEOUT').code
          : undefined;
    this.deps.hub.sendText(
      sessionId,
      {
        type: 'session.extension',
        requestId: entry.requestId,
        agent,
        outcome,
        // What the question asked for; a cap reached since leaves nothing, which is not a size.
        extensionMs: Math.max(1, extensionMs),
        ...(code === undefined ? {} : { code }),
      },
      { to: 'agent' },
    );
  }

  /** The agent as others see it, even after it left (its name stays on record). */
  private async participant(sessionId: string, userId: string): Promise<Participant> {
    const participants = await this.deps.store.listParticipants([sessionId]);
    const found = participants.find((p) => p.role === 'agent' && p.userId === userId);
    return { userId, userName: found?.userName ?? userId, role: 'agent' };
  }

  private deadline(session: SessionRecord, audit: readonly AuditEntry[]): DeadlineInfo {
    return {
      endsAt: session.expiresAt,
      serverTime: this.deps.clock.now(),
      extensionMs: nextExtensionMs(extendedMs(audit), this.deps.policy),
    };
  }
}

/** What the session's extensions added to its deadline in all, from its audit trail. */
function extendedMs(audit: readonly AuditEntry[]): number {
  let total = 0;
  for (const entry of audit) {
    if (entry.action !== SESSION_EXTENDED) continue;
    total += Number(ADDED.exec(entry.reason ?? '')?.[1] ?? 0);
  }
  return total;
}
