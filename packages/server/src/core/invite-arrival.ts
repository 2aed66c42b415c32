/**
 * @module
 * Internal: agents who join an invited session before its customer (seed 002's flow). Such an
 * agent is welcomed into the `created` session and asked nothing (`admission.ts`): no consent
 * question could be answered yet, and one left open would expire while the link waits. When the
 * customer opens the link, the invite service tells every node (`customer_arrived`), and each
 * agent socket waiting there asks now, as an agent joining a waiting session would: the session
 * goes to `pending_consent` and the customer is asked, or the app's policy pre-approves it.
 */
import type { Admitted } from './admission.js';
import type { Connection } from './connection.js';
import type { GatewayContext } from './gateway-context.js';
import { isLive } from './session-machine.js';
import { actorOf } from './session-service.js';

/** Asks the customer who just arrived to let a waiting agent's socket see the page. */
export async function askOnArrival(
  connection: Connection,
  admitted: Admitted,
  ctx: GatewayContext,
): Promise<void> {
  const { sessionId, participant } = admitted;
  // Refused if another agent got there first, which leaves the session just as wanted.
  await ctx.lifecycle.apply(
    sessionId,
    { type: 'request_consent' },
    actorOf('agent', participant.userId),
  );
  const session = await ctx.store.getSession(sessionId);
  if (!session || !isLive(session.state) || connection.isClosing) return;
  const ticket = await ctx.consent.decide(session, participant);
  // Pre-approved: nothing was sent with the welcome (there was no page), so the page starts here.
  if (ticket.allowed) await ctx.consent.watch(connection, sessionId, ticket.requestId);
  await ctx.consent.follow(connection, sessionId, ticket, true);
}
