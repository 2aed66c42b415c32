/**
 * @module
 * The session operations behind the HTTP API: start (customer), connect by PIN (agent), revoke
 * and list. Callers pass an already verified SDK token; this module checks its role and applies
 * the rules. Socket admission (limits, duplicates) is the gateway's, at `session.hello`.
 */
import {
  SightlineError,
  type AgentConnectRequest,
  type AgentConnectResponse,
  type RevokeSessionRequest,
  type RevokeSessionResponse,
  type Role,
  type SessionListQuery,
  type SessionListResponse,
  type SessionSummary,
  type StartSessionRequest,
  type StartSessionResponse,
} from '@sightline/protocol';
import { PinGuessLimiter } from './pin-guess-limiter.js';
import { MAX_PIN_ATTEMPTS, normaliseCustomPin } from './pins.js';
import type {
  Clock,
  FailureWindows,
  Ids,
  Logger,
  ParticipantRecord,
  SessionRecord,
  SessionStore,
} from './ports.js';
import { requireRole, type VerifiedSdkToken } from './sdk-token.js';
import type { SessionLifecycle } from './session-lifecycle.js';
import type { SessionTokens } from './session-tokens.js';

/** The audit actor for a participant. */
export function actorOf(role: Role, userId: string): string {
  return `${role}:${userId}`;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The limits the service applies. */
export interface SessionLimits {
  maxAgents: number;
  sessionMaxDurationMs: number;
  /** The most extensions may add to a session's deadline, in ms: resume tokens outlast it so. */
  sessionMaxExtensionMs: number;
  /** How long a session waits for its customer to come back; customers are told, to resume. */
  reconnectWindowMs: number;
  joinTokenTtlSeconds: number;
  pinGuessesPerAgent: number;
  pinGuessesPerAddress: number;
  pinGuessWindowMs: number;
}

/** Where an HTTP request came from. */
export interface RequestOrigin {
  /** The client's address: the socket's, or the forwarded one from a trusted proxy (`trustProxy`). */
  address: string;
}

interface Dependencies {
  store: SessionStore;
  ids: Ids;
  clock: Clock;
  logger: Logger;
  lifecycle: SessionLifecycle;
  tokens: SessionTokens;
  limits: SessionLimits;
  /** Where wrong PINs are counted: the bus, shared by every node. */
  failures: FailureWindows;
}

/** Session operations. One per node. */
export class SessionService {
  private readonly pinGuesses: PinGuessLimiter;

  constructor(private readonly deps: Dependencies) {
    this.pinGuesses = new PinGuessLimiter(deps.clock, deps.failures, {
      perAgent: deps.limits.pinGuessesPerAgent,
      perAddress: deps.limits.pinGuessesPerAddress,
      windowMs: deps.limits.pinGuessWindowMs,
    });
  }

  /**
   * Starts a session for a customer token. With `enable_byop: 1` the customer's PIN is required
   * (1009), must be 1–10 letters or digits (1008) and free among the app's live sessions (1010).
   * Without it a `customPinCode` is ignored, as Zoom ignores it, and a 6-digit PIN is generated.
   */
  async start(token: VerifiedSdkToken, body: StartSessionRequest): Promise<StartSessionResponse> {
    const { app, claims } = requireRole(token, 1);
    const { store, clock, ids, limits } = this.deps;
    const byop = claims.enable_byop === 1;
    const customPin = byop ? this.customPin(body.customPinCode) : undefined;
    const actor = actorOf('customer', claims.user_id);

    let session: SessionRecord | undefined;
    for (let attempt = 0; attempt < (byop ? 1 : MAX_PIN_ATTEMPTS) && !session; attempt += 1) {
      const now = clock.now();
      const candidate: SessionRecord = {
        id: ids.sessionId(),
        appId: app.id,
        pin: customPin ?? ids.pin(),
        state: 'created',
        byop,
        customerUserId: claims.user_id,
        customerUserName: claims.user_name,
        createdAt: now,
        updatedAt: now,
        expiresAt: now + limits.sessionMaxDurationMs,
      };
      const outcome = await store.insertSession(candidate, {
        sessionId: candidate.id,
        at: now,
        actor,
        action: 'session.created',
        toState: 'created',
        reason: byop ? 'customer PIN' : undefined,
      });
      if (outcome === 'created') session = candidate;
    }
    if (!session) {
      if (byop) throw new SightlineError('SESSION_START_PIN_CONFLICT');
      this.deps.logger.error({ appId: app.id }, 'no free PIN after the maximum attempts');
      throw new SightlineError('SESSION_START_FAILED', 'No free PIN was found.');
    }

    const issued = await this.deps.lifecycle.apply(session.id, { type: 'issue_pin' }, actor);
    if (!issued.ok) throw new SightlineError('SESSION_START_FAILED');
    const resumeToken = await this.deps.tokens.sign(
      'resume',
      { sessionId: session.id, userId: claims.user_id, userName: claims.user_name },
      // Valid until the latest deadline extensions could reach, so a page reloaded in extra time
      // resumes; an ended session is refused at admission whatever its token says.
      session.expiresAt + limits.sessionMaxExtensionMs,
    );
    return {
      sessionId: session.id,
      pin: session.pin,
      status: issued.session.state,
      expiresAt: iso(session.expiresAt),
      resumeToken,
      reconnectWindowSeconds: Math.ceil(limits.reconnectWindowMs / 1000),
    };
  }

  /**
   * Exchanges an agent token and a PIN for a join token. An unknown PIN, or one whose session
   * ended, is 1006. A session already holding `maxAgents` connected agents is refused here (1013)
   * so the agent hears it over HTTP; the socket admission checks again, atomically.
   */
  async connect(
    token: VerifiedSdkToken,
    body: AgentConnectRequest,
    from: RequestOrigin,
  ): Promise<AgentConnectResponse> {
    const { app, claims } = requireRole(token, 2);
    const { store, clock, limits } = this.deps;
    const guesser = { appId: app.id, userId: claims.user_id, address: from.address };
    // Checked before the lookup, so once limited even a right PIN is refused: otherwise the
    // answer to the next guess would still tell a guesser whether it was right.
    const verdict = await this.pinGuesses.check(guesser);
    if (!verdict.allowed) {
      const retryAfterSeconds = Math.ceil(verdict.retryAfterMs / 1000);
      throw new SightlineError('RATE_LIMITED', `Retry in ${retryAfterSeconds} s.`, {
        retryAfterSeconds,
      });
    }
    const session = await store.findLiveSessionByPin(app.id, body.pin);
    if (!session) {
      const reached = await this.pinGuesses.recordFailure(guesser);
      for (const kind of reached) {
        await store.appendAppAudit({
          appId: app.id,
          at: clock.now(),
          actor: actorOf('agent', claims.user_id),
          action: 'pin.guess_limit_reached',
          reason: `${kind} limit: ${kind === 'agent' ? limits.pinGuessesPerAgent : limits.pinGuessesPerAddress} wrong PINs in ${limits.pinGuessWindowMs / 1000} s from ${from.address}`,
        });
      }
      throw new SightlineError('SESSION_JOIN_PIN_NOT_FOUND');
    }
    const participants = await store.listParticipants([session.id]);
    const agents = participants.filter((p) => p.role === 'agent' && p.connections > 0);
    const alreadyIn = agents.some((p) => p.userId === claims.user_id);
    if (!alreadyIn && agents.length >= limits.maxAgents) {
      throw new SightlineError('SESSION_AGENT_COUNT_LIMIT');
    }
    const now = clock.now();
    await store.appendAudit({
      sessionId: session.id,
      at: now,
      actor: actorOf('agent', claims.user_id),
      action: 'agent.pin_accepted',
    });
    const joinToken = await this.deps.tokens.sign(
      'join',
      { sessionId: session.id, userId: claims.user_id, userName: claims.user_name },
      now + limits.joinTokenTtlSeconds * 1000,
    );
    return { sessionId: session.id, joinToken };
  }

  /** Ends a session of the agent's app with reason `revoked`. 4003 if unknown, 4004 if over. */
  async revoke(
    token: VerifiedSdkToken,
    body: RevokeSessionRequest,
  ): Promise<RevokeSessionResponse> {
    const { app, claims } = requireRole(token, 2);
    const session = await this.deps.store.getSession(body.sessionId);
    if (!session || session.appId !== app.id) throw new SightlineError('SESSION_NOT_FOUND');
    const result = await this.deps.lifecycle.apply(
      session.id,
      { type: 'end', reason: 'revoked' },
      actorOf('agent', claims.user_id),
    );
    if (!result.ok) throw new SightlineError('SESSION_ENDED');
    return { sessionId: session.id, state: 'ended', endReason: 'revoked' };
  }

  /** A page of the app's sessions, newest first, with their participants. */
  async list(token: VerifiedSdkToken, query: SessionListQuery): Promise<SessionListResponse> {
    const { app } = requireRole(token, 2);
    const { store } = this.deps;
    const page = await store.listSessions({
      appId: app.id,
      status: query.status,
      limit: query.limit + 1,
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    });
    const sessions = page.slice(0, query.limit);
    const participants = await store.listParticipants(sessions.map((s) => s.id));
    const last = sessions.at(-1);
    return {
      sessions: sessions.map((s) => summarise(s, participants)),
      nextCursor: page.length > query.limit && last ? encodeCursor(last) : null,
    };
  }

  private customPin(raw: string | undefined): string {
    if (raw === undefined || raw.trim() === '') {
      throw new SightlineError('SESSION_START_PIN_REQUIRED');
    }
    return normaliseCustomPin(raw);
  }
}

function summarise(session: SessionRecord, all: readonly ParticipantRecord[]): SessionSummary {
  const ended = session.state === 'ended';
  return {
    sessionId: session.id,
    pin: ended ? undefined : session.pin,
    state: session.state,
    endReason: session.endReason,
    createdAt: iso(session.createdAt),
    endedAt: session.endedAt === undefined ? undefined : iso(session.endedAt),
    expiresAt: iso(session.expiresAt),
    participants: all
      .filter((p) => p.sessionId === session.id)
      .map((p) => ({
        userId: p.userId,
        userName: p.userName,
        role: p.role,
        joinedAt: iso(p.joinedAt),
        leftAt: p.leftAt === undefined ? undefined : iso(p.leftAt),
      })),
  };
}

/** The opaque list cursor: the last session's sort key, base64url JSON. */
function encodeCursor(session: SessionRecord): string {
  return Buffer.from(JSON.stringify([session.createdAt, session.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: number; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string'
    ) {
      return { createdAt: value[0] as number, id: value[1] };
    }
  } catch {
    // Falls through to the error below.
  }
  throw new SightlineError('REQUEST_INVALID', 'cursor: not a cursor this server issued.');
}
