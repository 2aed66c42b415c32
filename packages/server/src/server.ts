/**
 * @module
 * `createServer`: options in, a running node out. It resolves the options once, opens the store
 * and the bus, seeds the default app (and the demo agent), builds the core, and mounts the HTTP
 * routes and the WebSocket gateway on one Fastify server.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import Fastify, { type FastifyInstance } from 'fastify';
import { PrometheusMetrics } from './adapters/metrics/prometheus.js';
import { systemClock } from './adapters/system/clock.js';
import { randomIds } from './adapters/system/ids.js';
import { createEngine, type Engine } from './core/engine.js';
import type { Bus, SessionStore } from './core/ports.js';
import type { DemoCredentials } from './setup/bootstrap.js';
import { installRoutes } from './http/app.js';
import { OriginPolicy } from './http/origin-policy.js';
import { locateAssets } from './http/static-assets.js';
import { resolveOptions, type ServerOptions } from './options.js';
import { bootstrap } from './setup/bootstrap.js';
import { openBus } from './setup/bus.js';
import { openStore } from './setup/store.js';
import { attachWebSockets } from './ws/websocket-server.js';

/** A Sightline server node. */
export interface SightlineServer {
  /** The Fastify instance: `inject()` for tests, hooks and routes for embedders. */
  readonly app: FastifyInstance;
  /** Starts listening; resolves to the base URL (`publicUrl`, or the bound address). */
  listen(): Promise<string>;
  /** Closes every socket (4503), cancels timers, stops listening, closes the bus and the store. */
  close(): Promise<void>;
  /** The base URL: `publicUrl`, else `http://<host>:<port>` (the bound port once listening). */
  readonly url: string;
  readonly store: SessionStore;
  readonly bus: Bus;
  /** The default app's SDK key (public). */
  readonly sdkKey: string;
  /** Demo mode only. */
  readonly demo?: {
    /** The main seeded console agent. */
    agent: DemoCredentials;
    /** Every seeded console agent (the main one first), for watching with two consoles. */
    agents: DemoCredentials[];
    /** The default app's SDK secret, only on the start that generated it. */
    generatedSdkSecret?: string;
  };
}

const version = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Creates a server node from `options` (see `ServerOptions`; everything has a default except the
 * SDK key and secret outside demo mode). Throws `CONFIG_INVALID` on bad options.
 *
 * @example
 * const server = await createServer({ demo: true, port: 0, dataDir: ':memory:' });
 * const url = await server.listen();
 */
export async function createServer(options: Partial<ServerOptions> = {}): Promise<SightlineServer> {
  const resolved = resolveOptions(options);
  if (resolved.dataDir !== ':memory:') mkdirSync(resolved.dataDir, { recursive: true });
  const clock = resolved.clock ?? systemClock;
  const app = Fastify({
    logger: resolved.logger,
    ...(resolved.trustProxy ? { trustProxy: [...resolved.trustProxy] } : {}),
  });
  const store = resolved.store ?? (await openStore(resolved, clock, app.log));
  let bus: Bus;
  try {
    bus = resolved.bus ?? (await openBus(resolved, app.log));
  } catch (error) {
    await store.close();
    throw error;
  }

  let boundUrl: string | undefined;
  const url = (): string =>
    resolved.publicUrl ?? boundUrl ?? `http://${hostForUrl(resolved.host)}:${resolved.port}`;

  const metrics = new PrometheusMetrics();
  let engine: Engine | undefined;
  try {
    const seeded = await bootstrap(store, resolved, clock.now());
    const core = await createEngine({
      store,
      bus,
      clock,
      ids: resolved.ids ?? randomIds,
      logger: app.log,
      limits: resolved,
      timeouts: {
        inviteMs: resolved.inviteTtlSeconds * 1000,
        waitingMs: resolved.waitingTimeoutMs,
        reconnectMs: resolved.reconnectWindowMs,
        idleMs: resolved.idleTimeoutMs,
        consentMs: resolved.consentTimeoutMs,
      },
      consoleTokenTtlSeconds: resolved.consoleTokenTtlSeconds,
      defaultApp: seeded.app,
      publicUrl: url,
      metrics,
      nodeSweep: { intervalMs: resolved.nodeSweepIntervalMs, clock: systemClock },
    });
    engine = core;
    metrics.observe(() => core.stats());
    const origins = new OriginPolicy(resolved.allowedOrigins, () => new URL(url()).origin);
    await installRoutes(app, {
      engine: core,
      store,
      bus,
      origins,
      assets: locateAssets(resolved.assets),
      demo: resolved.demo,
      version,
      startedAt: Date.now(),
      metrics,
      ...(resolved.metricsToken === undefined ? {} : { metricsToken: resolved.metricsToken }),
    });
    const sockets = attachWebSockets(app.server, {
      gateway: core.gateway,
      origins,
      logger: app.log,
    });

    let closing: Promise<void> | undefined;
    return {
      app,
      get url() {
        return url();
      },
      store,
      bus,
      sdkKey: seeded.app.sdkKey,
      demo: seeded.demoAgents?.[0] && {
        agent: seeded.demoAgents[0],
        agents: seeded.demoAgents,
        generatedSdkSecret: seeded.generatedSdkSecret,
      },
      async listen() {
        await app.listen({ host: resolved.host, port: resolved.port });
        const address = app.server.address();
        if (address && typeof address === 'object') {
          boundUrl = `http://${hostForUrl(resolved.host)}:${address.port}`;
        }
        return url();
      },
      close() {
        // Order matters: sockets first (their release writes to the store), then the listener,
        // then the ports they used.
        closing ??= (async () => {
          core.stop();
          await sockets.close();
          await core.gateway.drain();
          await app.close();
          await bus.close();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    engine?.stop();
    await app.close();
    await bus.close();
    await store.close();
    throw error;
  }
}
