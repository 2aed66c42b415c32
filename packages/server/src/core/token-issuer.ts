/**
 * @module
 * Issuing SDK JWTs on the server: console sign-in (a password for an agent token) and
 * `POST /api/token`, the token endpoint of Zoom's sample. Both sign with the default app's SDK
 * secret, so the tokens are ordinary SDK JWTs that every endpoint verifies the same way.
 */
import { randomBytes } from 'node:crypto';
import {
  SightlineError,
  type ConsoleLoginRequest,
  type ConsoleLoginResponse,
  type TokenRequest,
  type TokenResponse,
} from '@sightline/protocol';
import { DECOY_HASH, verifyPassword } from './passwords.js';
import type { AppRecord, Clock, SessionStore } from './ports.js';
import { signSdkToken } from './sdk-token.js';

interface Dependencies {
  store: SessionStore;
  clock: Clock;
  /** The app whose secret signs issued tokens. */
  app: () => AppRecord;
  /** Lifetime of a console sign-in, in seconds. */
  consoleTokenTtlSeconds: number;
}

/** Issues SDK JWTs. One per node. */
export class TokenIssuer {
  constructor(private readonly deps: Dependencies) {}

  /**
   * Signs a console user in. A wrong password and an unknown username are the same 4006 after
   * the same amount of work, so the endpoint does not reveal which usernames exist.
   */
  async login(request: ConsoleLoginRequest): Promise<ConsoleLoginResponse> {
    const user = await this.deps.store.getUserByUsername(request.username);
    const matches = await verifyPassword(request.password, user?.passwordHash ?? DECOY_HASH);
    if (!user || !matches) throw new SightlineError('CREDENTIALS_INVALID');
    const iat = Math.floor(this.deps.clock.now() / 1000);
    const exp = iat + this.deps.consoleTokenTtlSeconds;
    const token = await signSdkToken(
      this.deps.app(),
      { role_type: 2, user_id: user.username, user_name: user.displayName },
      { iat, exp },
    );
    return {
      token,
      user: { userId: user.username, userName: user.displayName, role: user.role },
      expiresAt: new Date(exp * 1000).toISOString(),
    };
  }

  /**
   * Issues a token as Zoom's sample token server does. A missing `userId` becomes a random one,
   * so two demo customers never collide; a missing `userName` becomes "Customer" or "Agent".
   */
  async issue(request: TokenRequest): Promise<TokenResponse> {
    const role = request.role;
    // A console user's identity comes from signing in, never from here: otherwise any agent could
    // mint a token naming a manager, and manage the app's mask rules as them.
    if (request.userId !== undefined && (await this.deps.store.getUserByUsername(request.userId))) {
      throw new SightlineError(
        'FORBIDDEN',
        'That userId is a console user, who signs in (POST /api/console/login) instead.',
      );
    }
    const iat = Math.floor(this.deps.clock.now() / 1000);
    const kind = role === 1 ? 'customer' : 'agent';
    const token = await signSdkToken(
      this.deps.app(),
      {
        role_type: role,
        user_id: request.userId ?? `${kind}-${randomBytes(6).toString('base64url')}`,
        user_name: request.userName ?? (role === 1 ? 'Customer' : 'Agent'),
      },
      { iat, exp: iat + request.expirationSeconds },
    );
    return { token };
  }
}
