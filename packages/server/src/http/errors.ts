/**
 * @module
 * The one HTTP error path: everything thrown by a route, by Fastify or by a plugin becomes a
 * `SightlineError` and is answered as `{ error: { code, name, message } }` with its catalogue
 * status. Unknown routes are 4002.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { SightlineError, toSightlineError } from '@sightline/protocol';

/** Maps Fastify's own client errors (bad JSON, wrong content type, body too large) to 4001. */
function fromThrown(error: unknown): SightlineError {
  if (error instanceof SightlineError) return error;
  const fastifyError = error as Partial<FastifyError>;
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new SightlineError('REQUEST_INVALID', fastifyError.message, { cause: error });
  }
  return toSightlineError(error);
}

/** Installs the error and not-found handlers. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const sightline = fromThrown(error);
    if (sightline.httpStatus >= 500) request.log.error({ err: error }, 'request failed');
    if (sightline.retryAfterSeconds !== undefined) {
      void reply.header('retry-after', String(sightline.retryAfterSeconds));
    }
    return reply.status(sightline.httpStatus).send(sightline.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const error = new SightlineError('ROUTE_NOT_FOUND', `${request.method} ${path}`);
    return reply.status(error.httpStatus).send(error.toBody());
  });
}
