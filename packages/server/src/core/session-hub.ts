/**
 * @module
 * Internal: a node's registry of the sockets admitted to each session, and the fan-out to them.
 * Whatever a session's sockets must receive is delivered to this node's members directly and
 * published on the bus for the members on other nodes; a message from the bus takes the same
 * delivery path. The hub subscribes to a session while it has local members, and only then.
 *
 * Takeover (ADR 0007): an agent holds one socket per session, and a customer one per tab. Each
 * member is stamped when it joins and its claim is published; any older member of the same agent
 * or tab, on any node, is superseded (closed with 1015). A member that hears the claim of an older
 * socket publishes its own claim again: that older socket may have joined its hub after this one's
 * claim went by, and must still close. Claims only ever close older sockets, so this settles.
 */
import type { ControlCommandRelay, EndReason, Role, ServerToClient } from '@sightline/protocol';
import { noMetrics, type Metrics } from './metrics.js';
import type {
  Bus,
  BusMessage,
  BusPayload,
  ConsentOutcome,
  Logger,
  SocketClaim,
  StoredBatch,
  Unsubscribe,
} from './ports.js';

/** A batch as the hub relays it: a {@link StoredBatch} without what only the checkout needs. */
export type RelayedBatch = Pick<StoredBatch, 'tabId' | 'seq' | 'receivedAt' | 'frame'>;

/** A socket admitted to a session, as the hub sees it. Implemented by `connection.ts`. */
export interface HubMember {
  readonly role: Role;
  readonly userId: string;
  /** The customer's tab; undefined for agents. */
  readonly tabId: string | undefined;
  /** Agents: the customer allowed this one to see the page. */
  readonly watching: boolean;
  /** Sends a server text frame, already serialised. */
  sendText(text: string): void;
  /** Sends a relayed `dom.batch` frame. Called on agents only. */
  sendBatch(batch: RelayedBatch): void;
  /** Sends `session.ended` and closes the socket with 4999. */
  end(reason: EndReason): void;
  /** Agents: this agent's consent request was answered, or expired unanswered. */
  consentDecided(requestId: string, decision: ConsentOutcome): void;
  /** Agents waiting in an invited session: its customer opened the link. Others need not care. */
  customerArrived?(): void;
  /** A newer socket of the same agent, or of the same tab, took over: send 1015 and close. */
  supersede(): void;
  /** Customers: a controller's checked `control.command` for this member's tab. */
  controlCommand?(command: ControlCommandRelay): void;
}

/** Who gets a text frame: a role or everyone, optionally without one participant's sockets. */
export interface Audience {
  to: 'all' | Role;
  except?: { role: Role; userId: string };
  /** Only agents the customer allowed to see the page (what they are sent is about the page). */
  watchingOnly?: boolean;
  /** Only this participant's sockets, of the role `to` names. */
  userId?: string;
  /** Only the customer's socket of this tab (what is sent is about that tab's page). */
  tabId?: string;
}

interface LocalSession {
  members: Set<HubMember>;
  /** Each member's claim, once it has joined. */
  claims: Map<HubMember, SocketClaim>;
  /** Settles once the bus subscription is in place; joins wait for it. */
  subscribed: Promise<Unsubscribe | undefined>;
}

/** Whether two claims are of the same agent, or of the same customer tab. */
function sameOwner(a: SocketClaim, b: SocketClaim): boolean {
  return a.role === b.role && a.userId === b.userId && a.tabId === b.tabId;
}

/** Whether claim `a` was admitted after claim `b`. */
function isNewer(a: SocketClaim, b: SocketClaim): boolean {
  if (a.at !== b.at) return a.at > b.at;
  if (a.order !== b.order) return a.order > b.order;
  return a.socketId > b.socketId;
}

/** One per node. */
export class SessionHub {
  private readonly sessions = new Map<string, LocalSession>();
  /** The last claim's time and count on this node: stamps never go back. */
  private lastAt = Number.NEGATIVE_INFINITY;
  private claimed = 0;

  constructor(
    private readonly bus: Bus,
    private readonly logger: Logger,
    private readonly now: () => number,
    private readonly metrics: Metrics = noMetrics,
  ) {}

  /**
   * Registers a member. Resolves once the session's bus subscription is live, so from then on the
   * member misses nothing published by any node: the late-join ordering relies on this. Then the
   * member claims its place, which supersedes any older socket of the same agent or tab.
   */
  async add(sessionId: string, member: HubMember): Promise<void> {
    let local = this.sessions.get(sessionId);
    if (!local) {
      local = {
        members: new Set(),
        claims: new Map(),
        subscribed: this.bus
          .subscribe(sessionId, (message) => this.received(sessionId, message))
          .catch((error: unknown) => {
            this.logger.error({ err: error, sessionId }, 'bus subscribe failed');
            return undefined;
          }),
      };
      this.sessions.set(sessionId, local);
    }
    local.members.add(member);
    await local.subscribed;
    if (!local.members.has(member)) return;
    this.lastAt = Math.max(this.lastAt, this.now());
    this.claimed += 1;
    const claim: SocketClaim = {
      role: member.role,
      userId: member.userId,
      ...(member.tabId === undefined ? {} : { tabId: member.tabId }),
      at: this.lastAt,
      order: this.claimed,
      socketId: `${this.bus.nodeId}:${this.claimed}`,
    };
    local.claims.set(member, claim);
    this.broadcast(sessionId, { kind: 'claim', claim });
    // Presence: every node can see who is in the session, and where.
    const entry = {
      socketId: claim.socketId,
      role: claim.role,
      userId: claim.userId,
      at: claim.at,
    };
    const tab = claim.tabId === undefined ? {} : { tabId: claim.tabId };
    this.bus.presence.enter(sessionId, { ...entry, ...tab }).catch((error: unknown) => {
      this.logger.warn({ err: error, sessionId }, 'presence enter failed');
    });
  }

  /** Unregisters a member; the last one out ends the node's bus subscription for the session. */
  async remove(sessionId: string, member: HubMember): Promise<void> {
    const local = this.sessions.get(sessionId);
    const claim = local?.claims.get(member);
    local?.claims.delete(member);
    if (claim) {
      await this.bus.presence.leave(sessionId, claim.socketId).catch((error: unknown) => {
        this.logger.warn({ err: error, sessionId }, 'presence leave failed');
      });
    }
    if (!local?.members.delete(member) || local.members.size > 0) return;
    this.sessions.delete(sessionId);
    const unsubscribe = await local.subscribed;
    await unsubscribe?.();
  }

  /** This node's members of the session. */
  members(sessionId: string): readonly HubMember[] {
    return [...(this.sessions.get(sessionId)?.members ?? [])];
  }

  /** Sessions with at least one member on this node. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Relays a stored batch to every agent of the session, on every node. */
  relayBatch(sessionId: string, batch: StoredBatch): void {
    this.broadcast(sessionId, {
      kind: 'batch',
      tabId: batch.tabId,
      seq: batch.seq,
      receivedAt: batch.receivedAt,
      frame: batch.frame,
    });
  }

  /** Sends a server text frame to the audience, on every node. */
  sendText(sessionId: string, message: ServerToClient, audience: Audience): void {
    this.broadcast(sessionId, { kind: 'text', ...audience, text: JSON.stringify(message) });
  }

  /**
   * Relays a checked `control.command` to the customer's socket of its tab, on whichever node
   * holds it, and to nobody else.
   */
  relayCommand(sessionId: string, command: ControlCommandRelay): void {
    this.broadcast(sessionId, { kind: 'command', command });
  }

  /** Tells every socket of the session, on every node, that it ended, and closes them. */
  end(sessionId: string, reason: EndReason): void {
    this.broadcast(sessionId, { kind: 'ended', reason });
  }

  /** Tells the agent's sockets, on every node, how its consent request was settled. */
  decideConsent(
    sessionId: string,
    userId: string,
    requestId: string,
    decision: ConsentOutcome,
  ): void {
    this.broadcast(sessionId, { kind: 'consent', userId, requestId, decision });
  }

  /** Tells the agents waiting in an invited session, on every node, that its customer is here. */
  customerArrived(sessionId: string): void {
    this.broadcast(sessionId, { kind: 'customer_arrived' });
  }

  /** Ends every local member's socket through `close` (shutdown). */
  forEachMember(visit: (member: HubMember) => void): void {
    for (const local of this.sessions.values()) for (const member of local.members) visit(member);
  }

  private broadcast(sessionId: string, message: BusPayload): void {
    this.deliver(sessionId, message);
    const sent: BusMessage = { ...message, sentAt: this.now() };
    this.bus.publish(sessionId, sent).catch((error: unknown) => {
      this.logger.error({ err: error, sessionId, kind: message.kind }, 'bus publish failed');
    });
  }

  /** A message from another node: its lag is measured, then it is delivered like a local one. */
  private received(sessionId: string, message: BusMessage): void {
    // Across machines the lag includes their clocks' skew; a negative one is skew alone.
    if (message.sentAt !== undefined) {
      this.metrics.busReceived(message.kind, Math.max(0, this.now() - message.sentAt));
    }
    this.deliver(sessionId, message);
  }

  private deliver(sessionId: string, message: BusPayload): void {
    const local = this.sessions.get(sessionId);
    if (!local) return;
    if (message.kind === 'claim') {
      this.settleClaim(sessionId, local, message.claim);
      return;
    }
    // Iterate over a copy: ending a member removes it from the set.
    for (const member of [...local.members]) {
      switch (message.kind) {
        case 'batch':
          if (member.role === 'agent') member.sendBatch(message);
          break;
        case 'text':
          if (message.to !== 'all' && message.to !== member.role) break;
          if (message.except?.role === member.role && message.except.userId === member.userId) {
            break;
          }
          if (message.watchingOnly && !member.watching) break;
          if (message.userId !== undefined && message.userId !== member.userId) break;
          if (message.tabId !== undefined && message.tabId !== member.tabId) break;
          member.sendText(message.text);
          break;
        case 'command':
          if (member.role === 'customer' && member.tabId === message.command.tabId) {
            member.controlCommand?.(message.command);
          }
          break;
        case 'ended':
          member.end(message.reason);
          break;
        case 'customer_arrived':
          if (member.role === 'agent') member.customerArrived?.();
          break;
        case 'consent':
          if (member.role === 'agent' && member.userId === message.userId) {
            member.consentDecided(message.requestId, message.decision);
          }
          break;
      }
    }
  }

  /** Supersedes this node's older sockets of the claim's owner; a newer one claims again. */
  private settleClaim(sessionId: string, local: LocalSession, claim: SocketClaim): void {
    const again: SocketClaim[] = [];
    for (const [member, mine] of [...local.claims]) {
      if (mine.socketId === claim.socketId || !sameOwner(mine, claim)) continue;
      if (isNewer(claim, mine)) {
        local.claims.delete(member);
        member.supersede();
      } else {
        again.push(mine);
      }
    }
    for (const mine of again) this.broadcast(sessionId, { kind: 'claim', claim: mine });
  }
}
