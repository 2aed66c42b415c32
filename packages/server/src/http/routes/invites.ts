/**
 * @module
 * The invitation endpoints: an agent creates a session and its one-time link
 * (`POST /api/agent/invite`), and the page the link opened redeems it (`POST /api/customer/invite`).
 * The redeem endpoint is a customer endpoint: only allowed page origins may call it, as for
 * `POST /api/customer/start`, and it needs no bearer token, since the signed invitation is the
 * credential.
 */
import type { FastifyInstance } from 'fastify';
import { CreateInviteRequest, RedeemInviteRequest, SightlineError } from '@sightline/protocol';
import type { Engine } from '../../core/engine.js';
import { authenticate } from '../auth.js';
import type { OriginPolicy } from '../origin-policy.js';
import { parseWith } from '../validation.js';

/** Registers the invitation endpoints. */
export function inviteRoutes(
  app: FastifyInstance,
  deps: { engine: Engine; origins: OriginPolicy },
): void {
  const { engine, origins } = deps;

  app.post('/api/agent/invite', async (request) => {
    const token = await authenticate(engine, request);
    return engine.invites.create(token, parseWith(CreateInviteRequest, request.body));
  });

  app.post(
    '/api/customer/invite',
    {
      onRequest: async (request) => {
        if (!origins.allows(request.headers.origin, request.headers.host)) {
          throw new SightlineError('ORIGIN_NOT_ALLOWED');
        }
      },
    },
    async (request) => engine.invites.redeem(parseWith(RedeemInviteRequest, request.body)),
  );
}
