/**
 * @module
 * Token endpoints: `POST /api/token` (Zoom's sample token server: open in demo mode, otherwise
 * for a signed-in agent) and `POST /api/console/login`.
 */
import type { FastifyInstance } from 'fastify';
import { ConsoleLoginRequest, SightlineError, TokenRequest } from '@sightline/protocol';
import type { Engine } from '../../core/engine.js';
import { requireRole } from '../../core/sdk-token.js';
import { authenticate } from '../auth.js';
import { describeIssues, parseWith } from '../validation.js';

/** Registers the token endpoints. */
export function tokenRoutes(app: FastifyInstance, deps: { engine: Engine; demo: boolean }): void {
  const { engine, demo } = deps;

  app.post('/api/token', async (request, reply) => {
    if (!demo) requireRole(await authenticate(engine, request), 2);
    const parsed = TokenRequest.safeParse(request.body ?? {});
    if (!parsed.success) {
      // Our error body, plus the `errors` list Zoom's sample token server answers with.
      const error = new SightlineError('REQUEST_INVALID', describeIssues(parsed.error.issues));
      return reply.status(error.httpStatus).send({
        ...error.toBody(),
        errors: parsed.error.issues.map((issue) => ({
          property: issue.path.map(String).join('.'),
          reason: issue.message,
        })),
      });
    }
    return engine.issuer.issue(parsed.data);
  });

  app.post('/api/console/login', async (request) =>
    engine.issuer.login(parseWith(ConsoleLoginRequest, request.body)),
  );
}
