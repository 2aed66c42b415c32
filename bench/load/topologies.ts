/**
 * @module
 * What the load bench runs against, each started fresh for a run and stopped after:
 *
 * - `single`: one built `sightline` process on embedded defaults (SQLite in a fresh data folder,
 *   the in-memory bus), as `npm start` runs it;
 * - `three`: three `sightline` processes sharing a fresh PostgreSQL database and a fresh
 *   `redis-server` (the server tests' own starters; one PostgreSQL cluster serves every run, a new
 *   database each time). Clients reach the nodes directly, no balancer in between;
 * - `floor`: a bare `ws` fan-out (`floor.ts`).
 *
 * Every process is on this machine, with the load generator.
 */
import { type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freshDatabase,
  startPostgres,
  type PostgresCluster,
} from '../../packages/server/test/support/postgres.js';
import { startRedis } from '../../packages/server/test/support/redis.js';
import { findPids, freePort, processTree, startNode } from '../support/process.js';
import type { Target } from './sessions.js';

/** The topologies, in the order a run measures them. */
export const TOPOLOGIES = ['floor', 'single', 'three'] as const;
export type Topology = (typeof TOPOLOGIES)[number];

/** A started topology. */
export interface Deployment {
  target: Target;
  /** The relaying processes: Sightline nodes, or the floor. */
  relayPids: number[];
  /** Redis and every PostgreSQL process (postmaster and backends), read afresh on each call. */
  servicePids(): { redis: number[]; postgres: number[] };
  stop(): Promise<void>;
}

const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = 'packages/server/dist/cli/main.js';
const ORIGIN = 'http://shop.bench.test';
const SDK_KEY = 'bench-load-app';

/** Children still running, killed if the bench exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function stopChild(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Starts one `sightline` node with `env` on top of what every node of the bench shares. */
async function startSightline(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; dataDir: string }> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-load-'));
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('SIGHTLINE_')),
  );
  const child = await startNode([CLI], {
    cwd: ROOT,
    env: {
      ...inherited,
      SIGHTLINE_PORT: String(port),
      SIGHTLINE_DATA_DIR: dataDir,
      SIGHTLINE_ALLOWED_ORIGINS: ORIGIN,
      // The load's customers are not people who could press Allow: the app pre-approves viewing.
      SIGHTLINE_VIEW_CONSENT: 'pre_approved',
      ...env,
    },
    ready: new RegExp(`127\\.0\\.0\\.1:${port}\\b`),
  });
  running.add(child);
  return { child, url: `http://127.0.0.1:${port}`, dataDir };
}

function sightlineTarget(urls: string[], secret: string): Target {
  return { kind: 'sightline', urls, sdkKey: SDK_KEY, sdkSecret: secret, origin: ORIGIN };
}

async function startSingle(): Promise<Deployment> {
  const secret = randomBytes(32).toString('base64url');
  const node = await startSightline({ SIGHTLINE_SDK_KEY: SDK_KEY, SIGHTLINE_SDK_SECRET: secret });
  return {
    target: sightlineTarget([node.url], secret),
    relayPids: [node.child.pid ?? 0],
    servicePids: () => ({ redis: [], postgres: [] }),
    async stop() {
      await stopChild(node.child);
      rmSync(node.dataDir, { recursive: true, force: true });
    },
  };
}

let postgres: Promise<PostgresCluster> | undefined;

/** Stops the PostgreSQL cluster the `three` runs shared, if one was started. */
export async function stopServices(): Promise<void> {
  const cluster = await postgres?.catch(() => undefined);
  await cluster?.stop();
}

async function startThree(): Promise<Deployment> {
  postgres ??= startPostgres();
  const cluster = await postgres;
  const [databaseUrl, redis] = await Promise.all([freshDatabase(cluster.url), startRedis()]);
  const secret = randomBytes(32).toString('base64url');
  const shared = {
    SIGHTLINE_SDK_KEY: SDK_KEY,
    SIGHTLINE_SDK_SECRET: secret,
    SIGHTLINE_DATABASE_URL: databaseUrl,
    SIGHTLINE_REDIS_URL: redis.url,
  };
  const started = await Promise.allSettled([1, 2, 3].map(() => startSightline(shared)));
  const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async () => {
    await Promise.all(nodes.map((node) => stopChild(node.child)));
    for (const node of nodes) rmSync(node.dataDir, { recursive: true, force: true });
    await redis.stop();
  };
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const postmaster = findPids(new RegExp(`postgres .*-p ${cluster.port}\\b`))[0];
  return {
    target: sightlineTarget(
      nodes.map((node) => node.url),
      secret,
    ),
    relayPids: nodes.map((node) => node.child.pid ?? 0),
    servicePids: () => ({
      redis: findPids(new RegExp(`redis-server 127\\.0\\.0\\.1:${redis.port}\\b`)),
      postgres: postmaster ? processTree(postmaster) : [],
    }),
    stop,
  };
}

async function startFloor(): Promise<Deployment> {
  const port = await freePort();
  const child = await startNode(['--import', 'tsx', 'bench/load/floor.ts', String(port)], {
    cwd: ROOT,
    ready: /ready/,
  });
  running.add(child);
  return {
    target: { kind: 'floor', urls: [`http://127.0.0.1:${port}`] },
    relayPids: [child.pid ?? 0],
    servicePids: () => ({ redis: [], postgres: [] }),
    stop: () => stopChild(child),
  };
}

/** Starts `topology` afresh. */
export function deploy(topology: Topology): Promise<Deployment> {
  switch (topology) {
    case 'single':
      return startSingle();
    case 'three':
      return startThree();
    case 'floor':
      return startFloor();
  }
}
