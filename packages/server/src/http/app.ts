/**
 * @module
 * The Fastify application: security headers, CORS for allowed customer origins, the one error
 * handler, and every route. Built without listening, so tests can `inject()`.
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../core/engine.js';
import type { Bus, SessionStore } from '../core/ports.js';
import { registerErrorHandling } from './errors.js';
import type { OriginPolicy } from './origin-policy.js';
import { controlApprovalRoutes } from './routes/control-approvals.js';
import { healthRoutes } from './routes/health.js';
import { inviteRoutes } from './routes/invites.js';
import { maskRuleRoutes } from './routes/mask-rules.js';
import { metricsRoutes, type MetricsSource } from './routes/metrics.js';
import { pageRoutes } from './routes/pages.js';
import { sdkRoutes } from './routes/sdk.js';
import { sessionRoutes } from './routes/sessions.js';
import { tokenRoutes } from './routes/tokens.js';
import type { StaticAssets } from './static-assets.js';

/** What the routes need. */
export interface HttpDependencies {
  engine: Engine;
  store: SessionStore;
  bus: Bus;
  origins: OriginPolicy;
  assets: StaticAssets;
  demo: boolean;
  version: string;
  startedAt: number;
  /** What `GET /metrics` serves. */
  metrics: MetricsSource;
  /** The bearer token `/metrics` requires; unset, it answers loopback only. */
  metricsToken?: string;
}

/** Installs hooks and routes on `app`. */
export async function installRoutes(app: FastifyInstance, deps: HttpDependencies): Promise<void> {
  registerErrorHandling(app);
  // An empty body sent as application/json counts as no body, as a missing one does: fetch
  // wrappers often set the header on every POST. Non-empty bodies keep Fastify's safe parser
  // (callback style: it returns nothing to await).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    void parseJson(request, text, done);
  });
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
  });

  await app.register(async (api) => {
    // Browsers on allowed origins (and the server's own pages) may call the API cross-origin.
    // The customer endpoint refuses other origins outright; see routes/sessions.ts.
    await api.register(cors, {
      origin: (origin, callback) => callback(null, deps.origins.allows(origin, undefined)),
      methods: ['GET', 'POST'],
      maxAge: 600,
    });
    sessionRoutes(api, deps);
    inviteRoutes(api, deps);
    maskRuleRoutes(api, deps);
    controlApprovalRoutes(api, deps);
    tokenRoutes(api, deps);
  });
  healthRoutes(app, deps);
  metricsRoutes(app, deps);
  sdkRoutes(app, deps.assets);
  await pageRoutes(app, deps);
}
