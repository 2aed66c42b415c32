/**
 * @module
 * `GET /metrics`: this node's Prometheus metrics, for operators' scrapers only.
 *
 * Access (see `ServerOptions.metricsToken`): with a token configured, every scrape must bear it,
 * wherever it comes from; without one, only a request made straight from loopback that no proxy
 * forwarded is answered. The check looks at the socket's own address, never at `request.ip`,
 * which `trustProxy` may have taken from a header. The series name no session, user or address.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SightlineError } from '@sightline/protocol';
import { bearerOf } from '../auth.js';

/** The headers a forwarding proxy adds: a request carrying one did not start on this machine. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;

/** What the route serves. */
export interface MetricsSource {
  readonly contentType: string;
  render(): Promise<string>;
}

/** Whether `address` is a loopback address (IPv4 127/8, IPv6 ::1, or IPv4-mapped 127/8). */
function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4.startsWith('127.') || address === '::1';
}

/** Hashing first gives both sides one length, so the comparison takes the same time for any guess. */
function sameToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Why the request may not read the metrics, if it may not; see the module comment. */
function refusal(request: FastifyRequest, token: string | undefined): SightlineError | undefined {
  if (token !== undefined) {
    const given = bearerOf(request);
    if (given !== undefined && sameToken(given, token)) return undefined;
    return new SightlineError('TOKEN_INVALID', 'Send the metrics token as a bearer token.');
  }
  const direct = FORWARDING_HEADERS.every((name) => request.headers[name] === undefined);
  if (direct && isLoopback(request.socket.remoteAddress)) return undefined;
  return new SightlineError(
    'FORBIDDEN',
    'Metrics are served to loopback only; set SIGHTLINE_METRICS_TOKEN to scrape from elsewhere.',
  );
}

/** Registers `GET /metrics`. */
export function metricsRoutes(
  app: FastifyInstance,
  deps: { metrics: MetricsSource; metricsToken?: string },
): void {
  app.get('/metrics', async (request, reply) => {
    const refused = refusal(request, deps.metricsToken);
    if (refused) {
      if (refused.httpStatus === 401) {
        void reply.header('www-authenticate', 'Bearer realm="sightline-metrics"');
      }
      throw refused;
    }
    const body = await deps.metrics.render();
    return reply
      .header('content-type', deps.metrics.contentType)
      .header('cache-control', 'no-store')
      .send(body);
  });
}
