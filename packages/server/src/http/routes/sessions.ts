/**
 * @module
 * The session endpoints: start (customer), connect by PIN (agent), revoke and list (agent).
 * Bodies and queries are validated with the protocol's schemas; the core does the rest.
 */
import type { FastifyInstance } from 'fastify';
import {
  AgentConnectRequest,
  RevokeSessionRequest,
  SessionListQuery,
  SightlineError,
  StartSessionRequest,
} from '@sightline/protocol';
import type { Engine } from '../../core/engine.js';
import { authenticate } from '../auth.js';
import type { OriginPolicy } from '../origin-policy.js';
import { parseWith } from '../validation.js';

/** Registers the session endpoints. */
export function sessionRoutes(
  app: FastifyInstance,
  deps: { engine: Engine; origins: OriginPolicy },
): void {
  const { engine, origins } = deps;

  app.post(
    '/api/customer/start',
    {
      // Only allowed pages may start a customer session; CORS alone would still let the
      // request through and merely hide the answer.
      onRequest: async (request) => {
        if (!origins.allows(request.headers.origin, request.headers.host)) {
          throw new SightlineError('ORIGIN_NOT_ALLOWED');
        }
      },
    },
    async (request) => {
      const token = await authenticate(engine, request);
      return engine.sessions.start(token, parseWith(StartSessionRequest, request.body));
    },
  );

  app.post('/api/agent/connect', async (request) => {
    const token = await authenticate(engine, request);
    return engine.sessions.connect(token, parseWith(AgentConnectRequest, request.body), {
      address: request.ip,
    });
  });

  app.post('/api/session/revoke', async (request) => {
    const token = await authenticate(engine, request);
    return engine.sessions.revoke(token, parseWith(RevokeSessionRequest, request.body));
  });

  app.get('/api/session/list', async (request) => {
    const token = await authenticate(engine, request);
    return engine.sessions.list(token, parseWith(SessionListQuery, request.query));
  });
}
