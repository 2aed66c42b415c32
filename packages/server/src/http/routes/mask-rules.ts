/**
 * @module
 * The mask rule endpoints. Management, for an app's console managers and admins (the core checks
 * the role): `GET /api/mask-rules`, `POST /api/mask-rules`, `PUT /api/mask-rules/:id`,
 * `DELETE /api/mask-rules/:id`. Reading, for the customer SDK with its session's resume token:
 * `GET /api/customer/mask-rules`, from allowed page origins only, as the other customer endpoints.
 */
import type { FastifyInstance } from 'fastify';
import { MaskRuleId, MaskRuleInput, SightlineError } from '@sightline/protocol';
import type { Engine } from '../../core/engine.js';
import { authenticate, bearerOf } from '../auth.js';
import type { OriginPolicy } from '../origin-policy.js';
import { parseWith } from '../validation.js';

/** The `:id` of a rule; one that cannot be a rule id is not found, like an unknown one. */
function ruleId(params: unknown): string {
  const id = (params as { id?: unknown }).id;
  if (!MaskRuleId.safeParse(id).success) throw new SightlineError('MASK_RULE_NOT_FOUND');
  return id as string;
}

/** Registers the mask rule endpoints. */
export function maskRuleRoutes(
  app: FastifyInstance,
  deps: { engine: Engine; origins: OriginPolicy },
): void {
  const { engine, origins } = deps;
  const rules = engine.maskRules;

  app.get('/api/mask-rules', async (request) => rules.list(await authenticate(engine, request)));

  app.post('/api/mask-rules', async (request, reply) => {
    const token = await authenticate(engine, request);
    const created = await rules.create(token, parseWith(MaskRuleInput, request.body));
    return reply.status(201).send(created);
  });

  app.put('/api/mask-rules/:id', async (request) => {
    const token = await authenticate(engine, request);
    const id = ruleId(request.params);
    return rules.update(token, id, parseWith(MaskRuleInput, request.body));
  });

  app.delete('/api/mask-rules/:id', async (request) => {
    const token = await authenticate(engine, request);
    return rules.remove(token, ruleId(request.params));
  });

  app.get(
    '/api/customer/mask-rules',
    {
      onRequest: async (request) => {
        if (!origins.allows(request.headers.origin, request.headers.host)) {
          throw new SightlineError('ORIGIN_NOT_ALLOWED');
        }
      },
    },
    async (request, reply) => {
      const token = bearerOf(request);
      if (token === undefined) {
        throw new SightlineError(
          'TOKEN_INVALID',
          'Send the session\'s resume token as "Authorization: Bearer <token>".',
        );
      }
      // Rules change; a page must never apply a stale copy.
      reply.header('cache-control', 'no-store');
      return rules.forCustomer(token);
    },
  );
}
