/**
 * @module
 * The customer SDK's "CDN" distribution: `GET /sdk/sightline.js` (cached 5 minutes, revalidated
 * by ETag), `GET /sdk/sightline-<version>.js` (cached for good), and the SRI hash of both at
 * `GET /sdk/sightline.js.sri` and in the `X-Sightline-SRI` header. Any page may load them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SightlineError } from '@sightline/protocol';
import { SdkBundle, type LoadedBundle } from '../sdk-bundle.js';
import type { StaticAssets } from '../static-assets.js';

const SHORT_CACHE = 'public, max-age=300';
const FOREVER = 'public, max-age=31536000, immutable';

/** Registers the SDK routes. */
export function sdkRoutes(app: FastifyInstance, assets: StaticAssets): void {
  const bundle = new SdkBundle(assets.sdkBundle);
  const load = (): LoadedBundle => {
    const loaded = bundle.load();
    if (!loaded) throw new SightlineError('ASSET_NOT_BUILT', 'Missing: the customer SDK bundle.');
    return loaded;
  };

  const serve = (request: FastifyRequest, reply: FastifyReply, cache: string) => {
    const loaded = load();
    headers(reply, loaded, assets.sdkVersion, cache);
    if (matchesEtag(request.headers['if-none-match'], loaded.etag)) return reply.status(304).send();
    return reply.type('text/javascript; charset=utf-8').send(loaded.body);
  };

  app.get('/sdk/sightline.js', (request, reply) => serve(request, reply, SHORT_CACHE));

  app.get('/sdk/sightline.js.sri', (_request, reply) => {
    const loaded = load();
    headers(reply, loaded, assets.sdkVersion, SHORT_CACHE);
    return reply.type('text/plain; charset=utf-8').send(loaded.integrity);
  });

  app.get<{ Params: { file: string } }>('/sdk/:file', (request, reply) => {
    const version = /^sightline-(.+)\.js$/.exec(request.params.file)?.[1];
    if (version !== assets.sdkVersion) {
      throw new SightlineError('ROUTE_NOT_FOUND', `No SDK file ${request.params.file}.`);
    }
    return serve(request, reply, FOREVER);
  });
}

/** `If-None-Match` uses the weak comparison: a list, `W/` prefixes and `*` all count. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

function headers(reply: FastifyReply, bundle: LoadedBundle, version: string, cache: string): void {
  reply
    .header('cache-control', cache)
    .header('etag', bundle.etag)
    .header('x-sightline-sdk-version', version)
    .header('x-sightline-sri', bundle.integrity)
    // Integrators load the script cross-origin, with `integrity` and `crossorigin="anonymous"`.
    .header('access-control-allow-origin', '*')
    .header('cross-origin-resource-policy', 'cross-origin');
}
