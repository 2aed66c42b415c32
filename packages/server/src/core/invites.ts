/**
 * @module
 * Agent-initiated sessions (seed 002's flow). An agent creates a session for a customer who is
 * not there yet and gets a one-time link to the app's invite page; the agent joins by the
 * session's PIN and waits in it, in `created`. The customer's SDK redeems the link's invitation
 * for what `POST /api/customer/start` returns, which moves the session to `waiting` (`issue_pin`)
 * and tells the agents waiting in it to ask the customer for consent (`invite-arrival.ts`).
 *
 * The link is signed (`invite-tokens.ts`), single-use (the store consumes it atomically: of two
 * browsers opening it at once, exactly one gets the session) and expiring: the invitation and the
 * session's `created` state time out together (`timeout_waiting`). Every refusal of an opened
 * link is written to the session's audit trail.
 */
import {
  INVITE_QUERY_PARAMETER,
  SightlineError,
  type CreateInviteRequest,
  type CreateInviteResponse,
  type RedeemInviteRequest,
  type StartSessionResponse,
} from '@sightline/protocol';
import type { InviteTokens } from './invite-tokens.js';
import { MAX_PIN_ATTEMPTS } from './pins.js';
import type { Clock, Ids, Logger, SessionRecord, SessionStore } from './ports.js';
import { requireRole, type VerifiedSdkToken } from './sdk-token.js';
import type { SessionHub } from './session-hub.js';
import { SYSTEM_ACTOR, type SessionLifecycle } from './session-lifecycle.js';
import { isLive } from './session-machine.js';
import { actorOf } from './session-service.js';
import type { SessionTokens } from './session-tokens.js';

/** The name an invited customer goes by: the link says nothing about who opens it. */
export const INVITED_CUSTOMER_NAME = 'Customer';

/** The limits invitations follow. */
export interface InviteLimits {
  /** How long a link works, and the session waits for its customer, in s. */
  inviteTtlSeconds: number;
  /** `timeout_max`, counted from the link's expiry. */
  sessionMaxDurationMs: number;
  /** The most extensions may add to a session's deadline, in ms: resume tokens outlast it so. */
  sessionMaxExtensionMs: number;
  /** How long a session waits for its customer to come back; customers are told, to resume. */
  reconnectWindowMs: number;
}

interface Dependencies {
  store: SessionStore;
  ids: Ids;
  clock: Clock;
  logger: Logger;
  lifecycle: SessionLifecycle;
  hub: SessionHub;
  inviteTokens: InviteTokens;
  sessionTokens: SessionTokens;
  limits: InviteLimits;
  /** The server's public URL, which a path-only invite page is relative to. */
  publicUrl: () => string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Invitations: made by agents, redeemed by customers. One per node. */
export class InviteService {
  constructor(private readonly deps: Dependencies) {}

  /**
   * Creates a session in `created` for an agent token, with its invitation and link. 4008 if the
   * app has no invite page. The session's `timeout_max` counts from the link's expiry, so a
   * customer who opens the link late still gets the whole session.
   */
  async create(token: VerifiedSdkToken, body: CreateInviteRequest): Promise<CreateInviteResponse> {
    const { app, claims } = requireRole(token, 2);
    const { store, clock, ids, limits } = this.deps;
    if (app.inviteUrl === undefined) {
      throw new SightlineError(
        'INVITES_NOT_CONFIGURED',
        'The operator sets it with SIGHTLINE_INVITE_URL.',
      );
    }
    const page = new URL(app.inviteUrl, this.deps.publicUrl());
    const { ticketRef } = body;
    const actor = actorOf('agent', claims.user_id);

    let session: SessionRecord | undefined;
    let inviteExpiresAt = 0;
    for (let attempt = 0; attempt < MAX_PIN_ATTEMPTS && !session; attempt += 1) {
      const now = clock.now();
      inviteExpiresAt = now + limits.inviteTtlSeconds * 1000;
      const id = ids.sessionId();
      const candidate: SessionRecord = {
        id,
        appId: app.id,
        pin: ids.pin(),
        state: 'created',
        byop: false,
        customerUserId: `invitee-${id}`,
        customerUserName: INVITED_CUSTOMER_NAME,
        createdAt: now,
        updatedAt: now,
        expiresAt: inviteExpiresAt + limits.sessionMaxDurationMs,
      };
      const outcome = await store.insertSession(candidate, {
        sessionId: id,
        at: now,
        actor,
        action: 'session.created',
        toState: 'created',
        reason: `invitation until ${iso(inviteExpiresAt)}${ticketRef ? ` for ticket ${ticketRef}` : ''}`,
      });
      if (outcome === 'created') session = candidate;
    }
    if (!session) {
      this.deps.logger.error({ appId: app.id }, 'no free PIN after the maximum attempts');
      throw new SightlineError('SESSION_START_FAILED', 'No free PIN was found.');
    }
    try {
      await store.insertInvite({
        sessionId: session.id,
        appId: app.id,
        createdBy: claims.user_id,
        ticketRef,
        createdAt: session.createdAt,
        expiresAt: inviteExpiresAt,
      });
    } catch (error) {
      // A session nobody can ever claim would only wait for its timeout: end it now.
      await this.deps.lifecycle.apply(session.id, { type: 'end', reason: 'error' }, SYSTEM_ACTOR);
      throw error;
    }
    // Inserted sessions have no timers yet: this arms the invitation's expiry and `timeout_max`.
    this.deps.lifecycle.arm(session);
    page.searchParams.set(
      INVITE_QUERY_PARAMETER,
      await this.deps.inviteTokens.sign(session.id, inviteExpiresAt),
    );
    return {
      sessionId: session.id,
      pin: session.pin,
      inviteUrl: page.toString(),
      expiresAt: iso(inviteExpiresAt),
      ...(ticketRef === undefined ? {} : { ticketRef }),
    };
  }

  /**
   * Redeems an invitation for the customer who opened the link: 3011 if it is not one of ours,
   * 3012 if it expired, 3013 if someone else opened it first, 4004 if its session is over. The
   * first redemption moves the session to `waiting` and tells the agents waiting in it that the
   * customer is here; a retry by the same opener (its first answer was lost) gets the session again.
   */
  async redeem(body: RedeemInviteRequest): Promise<StartSessionResponse> {
    const { store, clock } = this.deps;
    const { sessionId, expired } = await this.deps.inviteTokens.verify(body.invite);
    if (expired) {
      await this.refused(sessionId, 'expired');
      throw new SightlineError('INVITE_EXPIRED');
    }
    const redemption = await store.redeemInvite({
      sessionId,
      openerId: body.openerId,
      at: clock.now(),
    });
    switch (redemption.status) {
      case 'unknown':
        throw new SightlineError('INVITE_INVALID');
      case 'expired':
        await this.refused(sessionId, 'expired');
        throw new SightlineError('INVITE_EXPIRED');
      case 'used':
        await this.refused(sessionId, 'already used by another browser');
        throw new SightlineError('INVITE_USED');
      case 'redeemed':
        break;
    }
    const session = await store.getSession(sessionId);
    if (!session || !isLive(session.state)) throw new SightlineError('SESSION_ENDED');
    let current = session;
    // Also on a retry: the first attempt may have consumed the invitation and then failed.
    if (session.state === 'created') {
      const claimed = await this.deps.lifecycle.apply(
        sessionId,
        { type: 'issue_pin' },
        actorOf('customer', session.customerUserId),
        'invitation opened',
      );
      if (!claimed.session || !isLive(claimed.session.state)) {
        throw new SightlineError('SESSION_ENDED');
      }
      current = claimed.session;
      if (claimed.ok) this.deps.hub.customerArrived(sessionId);
    }
    const resumeToken = await this.deps.sessionTokens.sign(
      'resume',
      { sessionId, userId: session.customerUserId, userName: session.customerUserName },
      // Valid until the latest deadline extensions could reach (`session-service.ts` `start`).
      session.expiresAt + this.deps.limits.sessionMaxExtensionMs,
    );
    return {
      sessionId,
      pin: session.pin,
      status: current.state,
      expiresAt: iso(session.expiresAt),
      resumeToken,
      reconnectWindowSeconds: Math.ceil(this.deps.limits.reconnectWindowMs / 1000),
    };
  }

  /** Audits a refused opening of a link. */
  private async refused(sessionId: string, why: string): Promise<void> {
    if (!(await this.deps.store.getSession(sessionId))) return;
    await this.deps.store.appendAudit({
      sessionId,
      at: this.deps.clock.now(),
      actor: SYSTEM_ACTOR,
      action: 'invite.refused',
      reason: why,
    });
  }
}
