/**
 * @module
 * `GET /health`: liveness and readiness. 200 when the store and the bus answer, 503 otherwise.
 */
import type { FastifyInstance } from 'fastify';
import type { HealthResponse } from '@sightline/protocol';
import type { Bus, SessionStore } from '../../core/ports.js';

/** A check that does not answer within this time is failing. */
const CHECK_TIMEOUT_MS = 2_000;

async function check(probe: () => Promise<void>): Promise<'ok' | 'failing'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'failing'>((resolve) => {
    timer = setTimeout(() => resolve('failing'), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([probe().then(() => 'ok' as const), timeout]);
  } catch {
    return 'failing';
  } finally {
    clearTimeout(timer);
  }
}

/** Registers `GET /health`. */
export function healthRoutes(
  app: FastifyInstance,
  deps: { store: SessionStore; bus: Bus; version: string; startedAt: number },
): void {
  app.get('/health', async (_request, reply) => {
    const [store, bus] = await Promise.all([
      check(() => deps.store.ping()),
      check(() => deps.bus.ping()),
    ]);
    const ok = store === 'ok' && bus === 'ok';
    const body: HealthResponse = {
      status: ok ? 'ok' : 'degraded',
      version: deps.version,
      uptimeSeconds: Math.floor((Date.now() - deps.startedAt) / 1000),
      checks: { store, bus },
    };
    return reply
      .status(ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(body);
  });
}
