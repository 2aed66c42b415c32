/**
 * @module
 * Health for balancers and orchestrators. `GET /health` (also `/health/ready`) is readiness:
 * it pings the store and the bus, reports each with its latency, and answers 503 when either
 * fails, so a balancer stops sending a node traffic it cannot serve. `GET /health/live` is
 * liveness: it touches nothing, so a dependency's outage never gets healthy nodes restarted.
 *
 * Both are public (balancers call them without credentials), so a failing dependency's error is
 * reported by its kind only; its text, which may name hosts and ports, goes to the log.
 */
import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { DependencyHealth, HealthResponse, LivenessResponse } from '@sightline/protocol';
import type { Bus, SessionStore } from '../../core/ports.js';

/** A check that does not answer within this time is failing. */
const CHECK_TIMEOUT_MS = 2_000;

/** Runs one dependency's probe against the time limit. Never rejects. */
async function check(
  name: string,
  probe: () => Promise<void>,
  log: FastifyBaseLogger,
): Promise<DependencyHealth> {
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 100) / 100;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), CHECK_TIMEOUT_MS);
  });
  try {
    // A probe that throws synchronously fails like one that rejects.
    const outcome = await Promise.race([Promise.resolve().then(probe), timeout]);
    if (outcome === 'timeout') {
      log.warn({ dependency: name, timeoutMs: CHECK_TIMEOUT_MS }, 'health check timed out');
      return { status: 'failing', latencyMs: latency(), error: 'timeout' };
    }
    return { status: 'ok', latencyMs: latency() };
  } catch (error) {
    log.warn({ dependency: name, err: error }, 'health check failed');
    return { status: 'failing', latencyMs: latency(), error: 'unavailable' };
  } finally {
    clearTimeout(timer);
  }
}

/** Registers `GET /health`, `/health/ready` and `/health/live`. */
export function healthRoutes(
  app: FastifyInstance,
  deps: { store: SessionStore; bus: Bus; version: string; startedAt: number },
): void {
  const uptimeSeconds = () => Math.floor((Date.now() - deps.startedAt) / 1000);

  const readiness = async (log: FastifyBaseLogger): Promise<HealthResponse> => {
    const [store, bus] = await Promise.all([
      check('store', () => deps.store.ping(), log),
      check('bus', () => deps.bus.ping(), log),
    ]);
    const ok = store.status === 'ok' && bus.status === 'ok';
    return {
      status: ok ? 'ok' : 'degraded',
      version: deps.version,
      uptimeSeconds: uptimeSeconds(),
      checks: { store: store.status, bus: bus.status },
      dependencies: { store, bus },
    };
  };

  for (const url of ['/health', '/health/ready']) {
    app.get(url, async (request, reply) => {
      const body = await readiness(request.log);
      return reply
        .status(body.status === 'ok' ? 200 : 503)
        .header('cache-control', 'no-store')
        .send(body);
    });
  }

  app.get('/health/live', async (_request, reply) => {
    const body: LivenessResponse = { status: 'ok', uptimeSeconds: uptimeSeconds() };
    return reply.header('cache-control', 'no-store').send(body);
  });
}
