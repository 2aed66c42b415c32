/**
 * @module
 * The socket credentials (ADR 0002): join tokens for agents and resume tokens for customers.
 * JWTs signed with the server's own key, which no app knows, each kind with its own `typ` header
 * and audience, so an SDK JWT can never pass as one, a join token cannot pass as a resume token,
 * and a leaked SDK secret cannot mint either.
 */
import { SignJWT, jwtVerify } from 'jose';
import { z } from 'zod';
import { SessionId, SightlineError, USER_ID_MAX_LENGTH } from '@sightline/protocol';
import { joseFailureReason } from './sdk-token.js';

/** `join`: an agent's, short-lived. `resume`: a customer's, valid until the session expires. */
export type SessionTokenKind = 'join' | 'resume';

/** What a session token grants: one user, in one session. */
export interface SessionTokenGrant {
  sessionId: string;
  userId: string;
  userName: string;
}

const ISSUER = 'sightline';
const AUDIENCE: Record<SessionTokenKind, string> = {
  join: 'sightline:join',
  resume: 'sightline:resume',
};
const TYP: Record<SessionTokenKind, string> = {
  join: 'sightline-join+jwt',
  resume: 'sightline-resume+jwt',
};

const GrantClaims = z.object({
  sid: SessionId,
  sub: z.string().min(1).max(USER_ID_MAX_LENGTH),
  name: z.string().min(1),
});

/** Signs and verifies session tokens with the server key. */
export class SessionTokens {
  /**
   * @param key - the server's signing key (32 random bytes, kept in the store's meta table).
   * @param now - the clock, in ms.
   */
  constructor(
    private readonly key: Uint8Array,
    private readonly now: () => number,
  ) {}

  /** Signs a token of `kind` for `grant`, expiring at `expiresAtMs`. */
  async sign(
    kind: SessionTokenKind,
    grant: SessionTokenGrant,
    expiresAtMs: number,
  ): Promise<string> {
    return new SignJWT({ sid: grant.sessionId, name: grant.userName })
      .setProtectedHeader({ alg: 'HS256', typ: TYP[kind] })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE[kind])
      .setSubject(grant.userId)
      .setIssuedAt(Math.floor(this.now() / 1000))
      .setExpirationTime(Math.ceil(expiresAtMs / 1000))
      .sign(this.key);
  }

  /** Verifies a token of `kind`. Throws `TOKEN_INVALID` with a reason. */
  async verify(kind: SessionTokenKind, token: string): Promise<SessionTokenGrant> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE[kind],
        typ: TYP[kind],
        currentDate: new Date(this.now()),
      }));
    } catch (error) {
      throw new SightlineError(
        'TOKEN_INVALID',
        `Not a valid ${kind} token: ${joseFailureReason(error)}`,
      );
    }
    const claims = GrantClaims.safeParse(payload);
    if (!claims.success) {
      throw new SightlineError('TOKEN_INVALID', `Not a valid ${kind} token: bad claims.`);
    }
    return { sessionId: claims.data.sid, userId: claims.data.sub, userName: claims.data.name };
  }
}
