/**
 * @module
 * Internal: invitation tokens, the signed part of an invitation link. A JWT signed with the
 * server's own key (the key of the session tokens, ADR 0002), with its own `typ` header and
 * audience, so no other token passes as one and a leaked SDK secret cannot mint one. It names the
 * session and nothing else: whether the link was already used is the store's to say.
 */
import { SignJWT, errors, jwtVerify } from 'jose';
import { z } from 'zod';
import { SessionId, SightlineError } from '@sightline/protocol';

const ISSUER = 'sightline';
const AUDIENCE = 'sightline:invite';
const TYP = 'sightline-invite+jwt';

const InviteClaims = z.object({ sid: SessionId });

/** Signs and verifies invitation tokens with the server key. */
export class InviteTokens {
  /**
   * @param key - the server's signing key (32 random bytes, kept in the store's meta table).
   * @param now - the clock, in ms.
   */
  constructor(
    private readonly key: Uint8Array,
    private readonly now: () => number,
  ) {}

  /** Signs an invitation to `sessionId`, valid until `expiresAtMs`. */
  async sign(sessionId: string, expiresAtMs: number): Promise<string> {
    return new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: TYP })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor(this.now() / 1000))
      .setExpirationTime(Math.ceil(expiresAtMs / 1000))
      .sign(this.key);
  }

  /**
   * The session an invitation names, and whether it is past its expiry. Throws `INVITE_INVALID`
   * for anything else. jose checks the signature before the claims, so only a token this server
   * signed can come out as expired: a forged one is always invalid.
   */
  async verify(token: string): Promise<{ sessionId: string; expired: boolean }> {
    let payload: unknown;
    let expired = false;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        typ: TYP,
        requiredClaims: ['exp'],
        currentDate: new Date(this.now()),
      }));
    } catch (error) {
      if (!(error instanceof errors.JOSEError)) throw error;
      if (!(error instanceof errors.JWTExpired)) throw new SightlineError('INVITE_INVALID');
      payload = error.payload;
      expired = true;
    }
    const claims = InviteClaims.safeParse(payload);
    if (!claims.success) throw new SightlineError('INVITE_INVALID');
    return { sessionId: claims.data.sid, expired };
  }
}
