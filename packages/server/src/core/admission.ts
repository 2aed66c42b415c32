/**
 * @module
 * Internal: what happens between a valid `session.hello` and the live stream. The credential is
 * verified, the store admits the participant (limits and duplicates, atomically), then:
 *
 * - a customer is welcomed with `lastAckedSeq`, so it resends only what the server lacks; a tab
 *   that resumes first has its newest stored batch relayed again, in case the node that stored
 *   it died before relaying it;
 * - an agent is welcomed and registered with the hub, then handed to the consent desk
 *   (`consent.ts`): until the customer allows it, it is sent no checkout and no batch; once
 *   allowed, every tab's checkout, then the live stream, with no gap and no duplicate. An agent
 *   allowed already (a reconnect, or a pre-approving app) is sent the page right behind its
 *   welcome, which says which tabs resume from what its mirror holds (`agent-start.ts`).
 *
 * One socket per agent and per customer tab: a newer socket of the same agent, or of the same
 * tab, takes over and the older one is closed with 1015 (`session-hub.ts`, ADR 0007).
 *
 * Each side is announced to the others with `session.participant_joined` on its first socket, and
 * every socket learns the session's control (`control.state`) right after its welcome.
 */
import {
  PROTOCOL_VERSION,
  SightlineError,
  type Participant,
  type ResumeFrom,
  type Role,
  type SessionHello,
} from '@sightline/protocol';
import { readStart, resumedTabs, sendStart } from './agent-start.js';
import { relayLastStored } from './batch-intake.js';
import type { Connection } from './connection.js';
import type { GatewayContext } from './gateway-context.js';
import { readCustomerTabs } from './tabs.js';
import type { SessionRecord } from './ports.js';
import { isLive } from './session-machine.js';
import { actorOf } from './session-service.js';

/** A socket's place in a session once admitted. */
export interface Admitted {
  sessionId: string;
  participant: Participant;
  /** The customer's tab; absent for agents. */
  tabId?: string;
  /** Agents: what the mirror holds per tab, from the hello; absent on a first join. */
  resumeFrom?: ResumeFrom;
}

/**
 * Admits the socket that said `hello`, or throws the error to close it with (2001 bad token,
 * 4003 unknown session, 4004 ended, 1012/1013 full, 1015 the user is already in the other role).
 * An older socket of the same agent or tab is closed with 1015 once this one is in the hub.
 */
export async function admit(
  connection: Connection,
  hello: SessionHello,
  ctx: GatewayContext,
): Promise<void> {
  const role: Role = hello.resumeToken !== undefined ? 'customer' : 'agent';
  const credential = hello.resumeToken ?? hello.joinToken ?? '';
  const grant = await ctx.tokens.verify(role === 'customer' ? 'resume' : 'join', credential);
  if (role === 'customer' && hello.tabId === undefined) {
    throw new SightlineError('PROTOCOL_INVALID_MESSAGE', 'tabId is required from customers.');
  }
  const session = await ctx.store.getSession(grant.sessionId);
  if (!session) throw new SightlineError('SESSION_NOT_FOUND');
  if (!isLive(session.state)) throw new SightlineError('SESSION_ENDED');

  const participant: Participant = { userId: grant.userId, userName: grant.userName, role };
  const admission = await ctx.store.admitParticipant({
    sessionId: session.id,
    ...participant,
    nodeId: ctx.bus.nodeId,
    at: ctx.clock.now(),
    maxOfRole: role === 'customer' ? ctx.limits.maxCustomers : ctx.limits.maxAgents,
    // A customer holds a socket per tab, and a reconnect may race its own stale socket: one
    // participant, counted once against the limit. The hub then closes the older socket of the
    // same agent or tab (takeover). A user already in the other role is a duplicate (1015).
    allowSharedUser: true,
  });
  if (admission.status === 'full') {
    throw new SightlineError(
      role === 'customer' ? 'SESSION_CUSTOMER_COUNT_LIMIT' : 'SESSION_AGENT_COUNT_LIMIT',
    );
  }
  if (admission.status === 'duplicate') throw new SightlineError('SESSION_DUPLICATE_USER');

  const admitted: Admitted = {
    sessionId: session.id,
    participant,
    tabId: role === 'customer' ? hello.tabId : undefined,
    resumeFrom: role === 'agent' ? hello.resumeFrom : undefined,
  };
  connection.bind(admitted);
  if (connection.isClosing) return;
  if (role === 'customer') await welcomeCustomer(connection, admitted, admission.first, ctx);
  else await welcomeAgent(connection, admitted, { session, first: admission.first }, ctx);
}

async function welcomeCustomer(
  connection: Connection,
  admitted: Admitted,
  first: boolean,
  ctx: GatewayContext,
): Promise<void> {
  const { sessionId, participant } = admitted;
  // Refused unless reconnecting. Applied before joining the hub, so the customer learns the new
  // state from its welcome rather than from a broadcast as well.
  await ctx.lifecycle.apply(
    sessionId,
    { type: 'customer_returned' },
    actorOf('customer', participant.userId),
  );
  connection.hold();
  await ctx.hub.add(sessionId, connection);
  const session = await current(connection, sessionId, ctx);
  if (!session) return;
  const [lastAckedSeq, others] = await Promise.all([
    ctx.bus.lastSeqs(sessionId),
    othersIn(sessionId, participant, ctx),
  ]);
  const { tabId } = admitted;
  // Before the welcome, so it reaches the agents ahead of anything the customer sends next.
  if (tabId !== undefined && lastAckedSeq[tabId] !== undefined) {
    await relayLastStored(ctx, sessionId, tabId);
  }
  if (connection.isClosing) return;
  connection.send({ ...(await welcome(admitted, session, others, ctx)), lastAckedSeq });
  connection.release();
  if (first) announce(admitted, ctx);
  await ctx.control.welcomed(connection, sessionId);
  await ctx.consent.customerWelcomed(connection, sessionId);
}

async function welcomeAgent(
  connection: Connection,
  admitted: Admitted,
  admission: { session: SessionRecord; first: boolean },
  ctx: GatewayContext,
): Promise<void> {
  const { sessionId, participant } = admitted;
  if (admission.session.state === 'created') {
    await welcomeBeforeCustomer(connection, admitted, admission.first, ctx);
    return;
  }
  if (admission.session.state === 'waiting') {
    // Refused if another agent got there first, which leaves the session just as wanted.
    await ctx.lifecycle.apply(
      sessionId,
      { type: 'request_consent' },
      actorOf('agent', participant.userId),
    );
  }
  const ticket = await ctx.consent.decide(admission.session, participant);
  connection.hold();
  await ctx.hub.add(sessionId, connection);
  const session = await current(connection, sessionId, ctx);
  if (!session) return;
  const others = await othersIn(sessionId, participant, ctx);
  // Read while held: with the held frames, exactly what the agent lacks.
  const start = ticket.allowed
    ? await readStart(ctx.bus, sessionId, admitted.resumeFrom)
    : undefined;
  if (connection.isClosing) return;
  const resumed =
    admitted.resumeFrom === undefined ? {} : { resumed: start ? resumedTabs(start) : [] };
  connection.send({ ...(await welcome(admitted, session, others, ctx)), ...resumed });
  if (start) {
    connection.startWatching();
    connection.send({ type: 'consent.allowed', requestId: ticket.requestId });
    // Which tab to show, before the tabs' pages.
    connection.send(await readCustomerTabs(ctx.bus, sessionId));
    sendStart(connection, start);
  }
  // Unless allowed, held batches are dropped here, and the checkout covers them once allowed.
  connection.release();
  if (admission.first) announce(admitted, ctx);
  await ctx.control.welcomed(connection, sessionId);
  await ctx.consent.follow(connection, sessionId, ticket, admission.first);
}

/**
 * An agent who joined an invited session before its customer: welcomed, and asked nothing until
 * the customer opens the link (`invite-arrival.ts`). A customer who arrived while this socket was
 * joining the hub went by unheard, so the socket asks at once.
 */
async function welcomeBeforeCustomer(
  connection: Connection,
  admitted: Admitted,
  first: boolean,
  ctx: GatewayContext,
): Promise<void> {
  const { sessionId, participant } = admitted;
  connection.awaitCustomer();
  connection.hold();
  await ctx.hub.add(sessionId, connection);
  const session = await current(connection, sessionId, ctx);
  if (!session) return;
  const others = await othersIn(sessionId, participant, ctx);
  if (connection.isClosing) return;
  connection.send(await welcome(admitted, session, others, ctx));
  connection.release();
  if (first) announce(admitted, ctx);
  await ctx.control.welcomed(connection, sessionId);
  if (session.state !== 'created') connection.customerArrived();
}

/**
 * The session as it is now that the socket is in the hub. If it ended in between, the hub's
 * `session.ended` went out before this socket could hear it, so it is ended here.
 */
async function current(
  connection: Connection,
  sessionId: string,
  ctx: GatewayContext,
): Promise<SessionRecord | undefined> {
  const session = await ctx.store.getSession(sessionId);
  if (session && isLive(session.state)) return session;
  connection.end(session?.endReason ?? 'error');
  return undefined;
}

async function othersIn(
  sessionId: string,
  self: Participant,
  ctx: GatewayContext,
): Promise<Participant[]> {
  const participants = await ctx.store.listParticipants([sessionId]);
  return participants
    .filter((p) => p.connections > 0 && !(p.role === self.role && p.userId === self.userId))
    .map((p) => ({ userId: p.userId, userName: p.userName, role: p.role }));
}

async function welcome(
  admitted: Admitted,
  session: SessionRecord,
  others: Participant[],
  ctx: GatewayContext,
) {
  // Everyone learns when the session ends by itself, and whether an extension could move it.
  const deadline = await ctx.extensions.deadlineOf(session);
  return {
    type: 'session.welcome' as const,
    protocolVersion: PROTOCOL_VERSION,
    sessionId: admitted.sessionId,
    role: admitted.participant.role,
    self: admitted.participant,
    participants: others,
    state: session.state,
    serverTime: deadline.serverTime,
    deadline,
  };
}

function announce(admitted: Admitted, ctx: GatewayContext): void {
  const { participant } = admitted;
  ctx.hub.sendText(
    admitted.sessionId,
    { type: 'session.participant_joined', participant },
    { to: 'all', except: { role: participant.role, userId: participant.userId } },
  );
}
