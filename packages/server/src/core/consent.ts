/**
 * @module
 * Internal: consent to view, per agent. An admitted agent gets nothing of the page (no checkout,
 * no batch) until the customer allows it, or the app's `viewConsent` policy is `pre_approved`.
 *
 * The session's audit trail is the ledger (`consent-ledger.ts`): each question
 * (`consent_requested`) and each decision (`consent_allowed`, `consent_denied`,
 * `consent_pre_approved`) is an audit entry whose reason names the agent and the request
 * (`agent:<user_id> request:<id>`). Reading it back tells any
 * node, and a node after a restart, which agents may watch and which questions are still open, so
 * an allowed agent that reconnects is not asked again and a reloaded page is asked again.
 *
 * A question nobody answers within `timeoutMs` expires (`consent_expired`, by the system): it
 * is withdrawn without blame, like the agent leaving. The agent is told `CONSENT_TIMEOUT` and
 * closed, which closes the customer's prompt (`session.participant_left`), and a pending session
 * goes back to `waiting` (`agentLeft`). The timer is armed on the agent's node each time the agent
 * is welcomed, for the question's original deadline, so a reconnect never extends it.
 *
 * Only viewing is decided here. Questions of other kinds are asked with the same messages and
 * the same ledger, but decided by their own desk: an answer this desk does not recognise goes to
 * the control desk when it answers the session's pending control question (`control-desk.ts`),
 * and otherwise to the extension desk (`session-extension.ts`), which also asks a returning
 * customer its question. Extension, control and recording are always asked for, whatever the
 * app's policy.
 */
import { SightlineError, type ConsentResponse, type Participant } from '@sightline/protocol';
import { readStart, sendStart } from './agent-start.js';
import type { Connection } from './connection.js';
import {
  CONSENT_ACTIONS,
  ledgerReason,
  newRequestId,
  readLedger,
  type LedgerEntry,
} from './consent-ledger.js';
import type { ControlDesk } from './control-desk.js';
import type { Bus, Clock, Logger, SessionRecord, SessionStore, Timer } from './ports.js';
import type { ExtensionDesk } from './session-extension.js';
import type { SessionHub } from './session-hub.js';
import type { SessionLifecycle } from './session-lifecycle.js';
import { isLive } from './session-machine.js';
import { actorOf } from './session-service.js';
import { readCustomerTabs } from './tabs.js';

/** Whether an admitted agent may watch, and the consent request that says so or asks. */
export interface ConsentTicket {
  requestId: string;
  allowed: boolean;
}

/** One question to see the page and where it stands. */
type ConsentEntry = LedgerEntry;

/** The audit reason that ties a consent entry to its agent and request. */
const consentReason = (agentUserId: string, requestId: string): string =>
  ledgerReason(agentUserId, requestId, 'view');

interface Dependencies {
  store: SessionStore;
  bus: Bus;
  clock: Clock;
  logger: Logger;
  hub: SessionHub;
  lifecycle: SessionLifecycle;
  /** Answers and re-asks the questions to extend the session. */
  extensions: ExtensionDesk;
  /** Answers the questions to step up in control, and to hand it over. */
  control: ControlDesk;
  /** How long a question may stay unanswered, in ms. */
  timeoutMs: number;
}

/** One per node. */
export class ConsentDesk {
  /** This node's expiry timers, by request id. */
  private readonly timers = new Map<string, Timer>();

  constructor(private readonly deps: Dependencies) {}

  /**
   * Decides, before an admitted agent is welcomed, whether it may watch: it was allowed before
   * (a reconnect), or the app pre-approves viewing (recorded, and the session goes active now, so
   * the welcome already says so). Otherwise its open question is found or recorded.
   */
  async decide(session: SessionRecord, agent: Participant): Promise<ConsentTicket> {
    const { store, clock, lifecycle } = this.deps;
    const ledger = await this.ledger(session.id);
    const mine = ledger.filter((e) => e.agentUserId === agent.userId);
    const allowed = mine.find((e) => e.status === 'allowed');
    if (allowed) return { requestId: allowed.requestId, allowed: true };
    let requestId = mine.find((e) => e.status === 'open')?.requestId;
    if (requestId === undefined) {
      requestId = newRequestId();
      await store.appendAudit({
        sessionId: session.id,
        at: clock.now(),
        actor: actorOf('agent', agent.userId),
        action: CONSENT_ACTIONS.requested,
        reason: consentReason(agent.userId, requestId),
      });
    }
    const app = await store.getAppById(session.appId);
    if (app?.viewConsent !== 'pre_approved') return { requestId, allowed: false };
    // The page collected consent itself; the decision is still the customer's, on record.
    const actor = actorOf('customer', session.customerUserId);
    await store.appendAudit({
      sessionId: session.id,
      at: clock.now(),
      actor,
      action: CONSENT_ACTIONS.preApproved,
      reason: consentReason(agent.userId, requestId),
    });
    await lifecycle.apply(session.id, { type: 'consent_granted' }, actor);
    return { requestId, allowed: true };
  }

  /**
   * An agent was welcomed with its {@link ConsentDesk.decide} ticket. An allowed one was sent the
   * page with its welcome (`admission.ts`): the customer learns it watches. Otherwise it is told
   * to wait while the customer is asked. `first`: the agent had no other socket open.
   */
  async follow(
    connection: Connection,
    sessionId: string,
    ticket: ConsentTicket,
    first: boolean,
  ): Promise<void> {
    if (ticket.allowed) {
      // The customer captures only while an allowed agent is connected: after the agent's last
      // socket closed it may have stopped. An agent that still had a socket (a takeover, a
      // second window) is served by the checkout, and a snapshot would only cost the page.
      if (first) this.askForSnapshot(sessionId);
      await this.announceViewers(sessionId);
      return;
    }
    connection.send({ type: 'consent.pending', requestId: ticket.requestId });
    const agent = connection.participant;
    if (!agent) return;
    await this.armExpiry(sessionId, ticket.requestId);
    this.deps.hub.sendText(
      sessionId,
      { type: 'consent.request', requestId: ticket.requestId, kind: 'view', agent },
      { to: 'customer' },
    );
  }

  /**
   * A customer socket was welcomed: it learns who watches, is asked every open question of an
   * agent still connected, and starts capturing if anyone watches.
   */
  async customerWelcomed(connection: Connection, sessionId: string): Promise<void> {
    const [ledger, agents] = await Promise.all([
      this.ledger(sessionId),
      this.connectedAgents(sessionId),
    ]);
    if (connection.isClosing) return;
    const viewers = agents.filter((agent) => isAllowed(ledger, agent.userId));
    if (viewers.length > 0) connection.send({ type: 'consent.viewers', agents: viewers });
    for (const entry of ledger) {
      const agent = agents.find((a) => a.userId === entry.agentUserId);
      if (entry.status !== 'open' || !agent || isAllowed(ledger, agent.userId)) continue;
      connection.send({
        type: 'consent.request',
        requestId: entry.requestId,
        kind: 'view',
        agent,
      });
    }
    if (viewers.length > 0) {
      // The SDK captures only while an agent watches: a customer (re)joining a watched session
      // must start at once, with a full snapshot.
      connection.send({
        type: 'dom.snapshot_request',
        tabId: connection.tabId,
        reason: 'agent_joined',
      });
    }
    await this.deps.extensions.customerWelcomed(connection, sessionId);
  }

  /**
   * The customer answered. Returns the error to refuse the frame with: an unknown request, or
   * one already answered (by this tab or another).
   */
  async answer(
    sessionId: string,
    customer: Participant,
    response: ConsentResponse,
  ): Promise<SightlineError | undefined> {
    const { store, clock, hub, lifecycle } = this.deps;
    const ledger = await this.ledger(sessionId);
    const entry = ledger.find((e) => e.requestId === response.requestId);
    // Not a question to see the page: one of another kind, which its own desk answers or refuses.
    if (!entry) {
      if (await this.deps.control.asks(sessionId, response.requestId)) {
        return this.deps.control.answer(sessionId, customer, response);
      }
      return this.deps.extensions.answer(sessionId, customer, response);
    }
    if (entry.status !== 'open') {
      return new SightlineError(
        'PROTOCOL_INVALID_MESSAGE',
        'consent.response names no open consent request.',
      );
    }
    this.cancelExpiry(entry.requestId);
    const actor = actorOf('customer', customer.userId);
    const allow = response.decision === 'allow';
    await store.appendAudit({
      sessionId,
      at: clock.now(),
      actor,
      action: allow ? CONSENT_ACTIONS.allowed : CONSENT_ACTIONS.denied,
      reason: consentReason(entry.agentUserId, entry.requestId),
    });
    // The customer's other tabs show the same question: it is answered.
    hub.sendText(
      sessionId,
      { type: 'consent.settled', requestId: entry.requestId },
      { to: 'customer' },
    );
    const session = await store.getSession(sessionId);
    if (!session) return undefined;
    if (allow) {
      await this.granted(session, entry.agentUserId, entry.requestId);
      return undefined;
    }
    hub.decideConsent(sessionId, entry.agentUserId, entry.requestId, 'deny');
    // Nobody was allowed yet (the session is still pending): if nobody else is waiting for an
    // answer either, the customer has declined the session, not just one agent.
    if (session.state === 'pending_consent' && !(await this.anyoneAsking(sessionId, entry))) {
      await lifecycle.apply(sessionId, { type: 'end', reason: 'declined' }, actor);
    }
    return undefined;
  }

  /**
   * An agent's last socket closed. If it was the only one waiting for an answer and nobody was
   * allowed, the session goes back to waiting for an agent.
   */
  async agentLeft(sessionId: string): Promise<void> {
    const session = await this.deps.store.getSession(sessionId);
    if (session?.state !== 'pending_consent') return;
    if (await this.anyoneAsking(sessionId)) return;
    await this.deps.lifecycle.apply(sessionId, { type: 'request_withdrawn' }, 'system');
  }

  /** Cancels every expiry timer this node holds (shutdown). */
  close(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  /** Arms the expiry of an open question, for its original deadline. */
  private async armExpiry(sessionId: string, requestId: string): Promise<void> {
    const entry = (await this.ledger(sessionId)).find((e) => e.requestId === requestId);
    if (entry?.status !== 'open' || this.timers.has(requestId)) return;
    const delay = Math.max(0, entry.askedAt + this.deps.timeoutMs - this.deps.clock.now());
    this.timers.set(
      requestId,
      this.deps.clock.setTimer(delay, () => {
        this.timers.delete(requestId);
        this.expire(sessionId, requestId).catch((error: unknown) => {
          this.deps.logger.error({ err: error, sessionId, requestId }, 'consent expiry failed');
        });
      }),
    );
  }

  private cancelExpiry(requestId: string): void {
    this.timers.get(requestId)?.cancel();
    this.timers.delete(requestId);
  }

  /**
   * Withdraws a question nobody answered. An answer recorded first (on any node) wins: the
   * ledger keeps the first decision after the question, so expiry acts only if its own entry is
   * that decision.
   */
  private async expire(sessionId: string, requestId: string): Promise<void> {
    const { store, clock, hub } = this.deps;
    const session = await store.getSession(sessionId);
    if (!session || !isLive(session.state)) return;
    const before = (await this.ledger(sessionId)).find((e) => e.requestId === requestId);
    if (before?.status !== 'open') return;
    await store.appendAudit({
      sessionId,
      at: clock.now(),
      actor: 'system',
      action: CONSENT_ACTIONS.expired,
      reason: consentReason(before.agentUserId, requestId),
    });
    const after = (await this.ledger(sessionId)).find((e) => e.requestId === requestId);
    if (after?.status !== 'expired') return;
    // Closing the agent's sockets tells the customer it left (the prompt closes), and its last
    // socket closing takes a pending session back to waiting (`agentLeft`).
    hub.decideConsent(sessionId, before.agentUserId, requestId, 'expired');
  }

  /**
   * Starts sending the page to an agent socket the customer just allowed: the checkout of every
   * tab, then the live stream, with no gap and no duplicate. The socket is already in the hub, so
   * every batch is either in the checkout read after `hold()` or among the frames held meanwhile.
   * Its welcome resumed no tab (it was not allowed then), so every tab starts from its checkout.
   */
  async watch(connection: Connection, sessionId: string, requestId: string): Promise<void> {
    if (connection.watching || connection.isClosing) return;
    connection.hold();
    connection.startWatching();
    connection.send({ type: 'consent.allowed', requestId });
    // Which tab to show, before the tabs' pages.
    connection.send(await readCustomerTabs(this.deps.bus, sessionId));
    sendStart(connection, await readStart(this.deps.bus, sessionId));
    connection.release();
  }

  private async granted(
    session: SessionRecord,
    agentUserId: string,
    requestId: string,
  ): Promise<void> {
    // Refused unless the session is pending: a later agent joins an active session as it is.
    await this.deps.lifecycle.apply(
      session.id,
      { type: 'consent_granted' },
      actorOf('customer', session.customerUserId),
    );
    this.deps.hub.decideConsent(session.id, agentUserId, requestId, 'allow');
    this.askForSnapshot(session.id);
    await this.announceViewers(session.id);
  }

  /** Tells the customer which agents see the page now. */
  private async announceViewers(sessionId: string): Promise<void> {
    const [ledger, agents] = await Promise.all([
      this.ledger(sessionId),
      this.connectedAgents(sessionId),
    ]);
    this.deps.hub.sendText(
      sessionId,
      { type: 'consent.viewers', agents: agents.filter((a) => isAllowed(ledger, a.userId)) },
      { to: 'customer' },
    );
  }

  private askForSnapshot(sessionId: string): void {
    this.deps.hub.sendText(
      sessionId,
      { type: 'dom.snapshot_request', reason: 'agent_joined' },
      { to: 'customer' },
    );
  }

  /** Whether a connected agent other than `except`'s is allowed or still waiting for an answer. */
  private async anyoneAsking(sessionId: string, except?: ConsentEntry): Promise<boolean> {
    const [ledger, agents] = await Promise.all([
      this.ledger(sessionId),
      this.connectedAgents(sessionId),
    ]);
    return agents.some(
      (agent) =>
        agent.userId !== except?.agentUserId &&
        ledger.some(
          (e) => e.agentUserId === agent.userId && (e.status === 'open' || e.status === 'allowed'),
        ),
    );
  }

  private async connectedAgents(sessionId: string): Promise<Participant[]> {
    const participants = await this.deps.store.listParticipants([sessionId]);
    return participants
      .filter((p) => p.role === 'agent' && p.connections > 0)
      .map((p) => ({ userId: p.userId, userName: p.userName, role: p.role }));
  }

  /** Every question to see the page, oldest first, with its first decision. */
  private async ledger(sessionId: string): Promise<ConsentEntry[]> {
    return readLedger(await this.deps.store.listAudit(sessionId), 'view');
  }
}

function isAllowed(ledger: readonly ConsentEntry[], agentUserId: string): boolean {
  return ledger.some((e) => e.agentUserId === agentUserId && e.status === 'allowed');
}
