/**
 * @module
 * Bearer-token authentication for the API: the SDK JWT in `Authorization: Bearer <jwt>`,
 * verified by the core. A missing or malformed header is 2001, like a bad token.
 */
import type { FastifyRequest } from 'fastify';
import { SightlineError } from '@sightline/protocol';
import type { Engine } from '../core/engine.js';
import type { VerifiedSdkToken } from '../core/sdk-token.js';

/** The bearer token of `request`, or `undefined` if it has none. */
export function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Verifies the request's bearer SDK JWT (any role; the service checks the role). */
export async function authenticate(
  engine: Engine,
  request: FastifyRequest,
): Promise<VerifiedSdkToken> {
  const token = bearerOf(request);
  if (token === undefined) {
    throw new SightlineError(
      'TOKEN_INVALID',
      'Send the SDK JWT as "Authorization: Bearer <token>".',
    );
  }
  return engine.verifySdkToken(token);
}
