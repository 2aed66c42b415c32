/**
 * @module
 * Managers' approvals of full control (ADR 0012), for console users with the role `manager` or
 * `admin` (the core checks the role): `GET /api/agent/control-approvals` lists the requests of the
 * user's app still waiting, `POST /api/agent/control-approvals/:id` approves or denies one.
 */
import type { FastifyInstance } from 'fastify';
import {
  ControlApprovalDecisionRequest,
  ControlApprovalId,
  SightlineError,
} from '@sightline/protocol';
import type { Engine } from '../../core/engine.js';
import { authenticate } from '../auth.js';
import { parseWith } from '../validation.js';

/** The `:id` of an approval; one that cannot be an approval id is not found, like an unknown one. */
function approvalId(params: unknown): string {
  const id = (params as { id?: unknown }).id;
  if (!ControlApprovalId.safeParse(id).success) throw new SightlineError('APPROVAL_NOT_FOUND');
  return id as string;
}

/** Registers the approval endpoints. */
export function controlApprovalRoutes(app: FastifyInstance, deps: { engine: Engine }): void {
  const { engine } = deps;
  const approvals = engine.controlApprovals;

  app.get('/api/agent/control-approvals', async (request, reply) => {
    const token = await authenticate(engine, request);
    // Requests come and go by the second; a console must never show a stale list.
    reply.header('cache-control', 'no-store');
    return approvals.list(token);
  });

  app.post('/api/agent/control-approvals/:id', async (request) => {
    const token = await authenticate(engine, request);
    const id = approvalId(request.params);
    return approvals.decide(token, id, parseWith(ControlApprovalDecisionRequest, request.body));
  });
}
