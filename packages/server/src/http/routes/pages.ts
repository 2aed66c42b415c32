/**
 * @module
 * The static pages: the console at `/console/` (with a strict CSP), the demo shop at `/demo/` and
 * `/` → `/demo/` in demo mode, and an empty `/favicon.ico`. A folder that is not built answers
 * 503 `ASSET_NOT_BUILT`, instead of failing the server's start.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { SightlineError } from '@sightline/protocol';
import type { StaticAssets } from '../static-assets.js';

/**
 * The console's Content-Security-Policy. rrweb's replay iframe is `about:blank`, so it inherits
 * this policy and needs inline styles; `img-src *` lets mirrored images load; no script may come
 * from anywhere but the console itself, and the replayed page runs none.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  'img-src * data: blob:',
  'font-src * data:',
  'media-src *',
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'self'",
].join('; ');

/** Serves `root` under `prefix`, or 503 while `root/index.html` does not exist. */
async function staticFolder(
  app: FastifyInstance,
  options: { root: string; prefix: string; what: string; csp?: string },
): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRequest', async () => {
      if (existsSync(join(options.root, 'index.html'))) return;
      throw new SightlineError('ASSET_NOT_BUILT', `Missing: the ${options.what}.`);
    });
    await scope.register(fastifyStatic, {
      root: options.root,
      prefix: options.prefix,
      redirect: true,
      decorateReply: false,
      setHeaders: (response) => {
        if (options.csp) response.setHeader('content-security-policy', options.csp);
      },
    });
  });
}

/** Registers the page routes. */
export async function pageRoutes(
  app: FastifyInstance,
  deps: { assets: StaticAssets; demo: boolean },
): Promise<void> {
  await staticFolder(app, {
    root: deps.assets.consoleDir,
    prefix: '/console',
    what: 'console',
    csp: CONSOLE_CSP,
  });
  if (deps.demo) {
    await staticFolder(app, { root: deps.assets.demoSiteDir, prefix: '/demo', what: 'demo site' });
    app.get('/', (_request, reply) => reply.redirect('/demo/', 302));
  }
  app.get('/favicon.ico', (_request, reply) => reply.status(204).send());
}
