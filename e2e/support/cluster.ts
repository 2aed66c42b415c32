/**
 * @module
 * A deployment as `docs/deployment.md` describes it, on loopback: a throwaway PostgreSQL and
 * Redis (the server tests' own starters), three real `sightline` processes (the built CLI,
 * configured only through `SIGHTLINE_*`, in demo mode, started all at once on one database) and
 * nginx round-robin in front of them (`nginx.ts`). A test kills a node with a signal, asks each
 * node directly what it holds (its `/metrics`, which answers loopback), and stops everything
 * after, also when the worker exits without its `afterAll`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freshDatabase,
  startPostgres,
  type PostgresCluster,
} from '../../packages/server/test/support/postgres.js';
import { startRedis, type RedisServer } from '../../packages/server/test/support/redis.js';
import { startNginx, type Nginx } from './nginx.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'packages/server/dist/cli/main.js');
const BUILT = [
  'packages/server/dist/cli/main.js',
  'packages/sdk/dist/iife/sightline.js',
  'apps/console/dist/index.html',
  'apps/console/dist/console.js',
];

/** A console sign-in. */
export interface Credentials {
  username: string;
  password: string;
}

/** Open sockets on one node, by role, as its `sightline_sockets_open` gauge says. */
export type SocketCounts = Record<'customer' | 'agent' | 'unadmitted', number>;

/** One `sightline` process. */
export interface ClusterNode {
  /** `node-1`, `node-2`, … in the upstream's order. */
  readonly name: string;
  /** The node itself, bypassing nginx: `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Until {@link Cluster.kill} (or a crash). */
  readonly alive: boolean;
  /** What the process printed, for failure messages. */
  output(): string;
}

/** A running cluster. The `url`, `agent` and `secondAgent` fit the flows of `flows.ts`. */
export interface Cluster {
  /** nginx: what browsers use. */
  readonly url: string;
  readonly nodes: readonly ClusterNode[];
  readonly nginx: Nginx;
  /** The demo's console agents, whose password every node agrees on. */
  readonly agent: Credentials;
  readonly secondAgent: Credentials;
  /** Open sockets on `node`, from its own `/metrics`. */
  sockets(node: ClusterNode): Promise<SocketCounts>;
  /** Sends `signal` (SIGKILL unless given) to the node; resolves once the process is gone. */
  kill(node: ClusterNode, signal?: NodeJS.Signals): Promise<void>;
  /** Stops the nodes, nginx, Redis and PostgreSQL, and deletes their folders. Idempotent. */
  stop(): Promise<void>;
}

/** Children still running, killed synchronously if the process exits without `stop()`. */
const running = new Map<ChildProcess, NodeJS.Signals>();
let exitHook = false;

function track(child: ChildProcess, onExit: NodeJS.Signals): void {
  running.set(child, onExit);
  child.once('exit', () => running.delete(child));
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const [orphan, signal] of running) orphan.kill(signal);
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The parent's environment without any `SIGHTLINE_*`: a node is configured by `env` alone. */
function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('SIGHTLINE_')),
  );
  return { ...inherited, NO_COLOR: '1', ...env };
}

interface Started {
  node: ClusterNode;
  child: ChildProcess;
}

/** Spawns one node and resolves once its `/health` is 200 (store and bus reachable). */
async function startNode(
  name: string,
  port: number,
  env: Record<string, string>,
): Promise<Started> {
  const child = spawn(process.execPath, [CLI], {
    env: cleanEnv({ ...env, SIGHTLINE_PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child, 'SIGKILL');
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const node: ClusterNode = {
    name,
    url,
    port,
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    output: () => output,
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (!node.alive) throw new Error(`${name} exited (${child.exitCode}):\n${output}`);
    const ready = await fetch(`${url}/health`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) return { node, child };
    if (Date.now() > deadline) throw new Error(`${name} not ready in 30 s:\n${output}`);
    await sleep(50);
  }
}

function readCredentials(dataDir: string): Credentials {
  const file = join(dataDir, 'demo-credentials.json');
  return JSON.parse(readFileSync(file, 'utf8')) as Credentials;
}

/** Parses `sightline_sockets_open{role="…"} n` out of a Prometheus text exposition. */
function socketCounts(text: string): SocketCounts {
  const counts: SocketCounts = { customer: 0, agent: 0, unadmitted: 0 };
  for (const match of text.matchAll(/^sightline_sockets_open\{role="(\w+)"\} (\d+)$/gm)) {
    const role = match[1] as keyof SocketCounts;
    if (role in counts) counts[role] = Number(match[2]);
  }
  return counts;
}

/**
 * Starts PostgreSQL and Redis, then `size` nodes at once (one database, one Redis, the same SDK
 * key and secret, the balancer's URL as their public URL, nginx as their trusted proxy, each its
 * own data folder), then nginx over them. Fails with a clear message if the server or the browser
 * bundles have not been built. On failure, whatever started is stopped before the error is thrown.
 */
export async function startCluster(size = 3): Promise<Cluster> {
  const missing = BUILT.filter((file) => !existsSync(join(ROOT, file)));
  if (missing.length > 0) {
    throw new Error(`Run \`npm run build\` first; missing: ${missing.join(', ')}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'sightline-cluster-'));
  let postgres: PostgresCluster | undefined;
  let redis: RedisServer | undefined;
  let nginx: Nginx | undefined;
  const children: ChildProcess[] = [];
  let stopping: Promise<void> | undefined;

  const stop = () =>
    (stopping ??= (async () => {
      // Nodes first, gracefully (they release their sockets in the store), with a deadline.
      await Promise.all(
        children.map(async (child) => {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
          await exited(child);
          clearTimeout(timer);
        }),
      );
      await Promise.allSettled([nginx?.stop(), redis?.stop(), postgres?.stop()]);
      rmSync(dir, { recursive: true, force: true });
    })());

  try {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    const databaseUrl = await freshDatabase(postgres.url);
    const free = new Set<number>();
    while (free.size <= size) free.add(await freePort());
    const [balancerPort = 0, ...ports] = free;
    const publicUrl = `http://127.0.0.1:${balancerPort}`;
    // What docs/deployment.md says every node must share.
    const shared = {
      SIGHTLINE_HOST: '127.0.0.1',
      SIGHTLINE_PUBLIC_URL: publicUrl,
      SIGHTLINE_DATABASE_URL: databaseUrl,
      SIGHTLINE_DATABASE_POOL_SIZE: '4',
      SIGHTLINE_REDIS_URL: redis.url,
      SIGHTLINE_SDK_KEY: 'sl_multi_node_e2e',
      SIGHTLINE_SDK_SECRET: randomBytes(32).toString('base64url'),
      SIGHTLINE_TRUST_PROXY: '127.0.0.1',
      SIGHTLINE_DEMO: 'true',
      SIGHTLINE_LOG_LEVEL: 'warn',
    };
    const dataDirs = ports.map((_, index) => join(dir, `node-${index + 1}`));
    for (const dataDir of dataDirs) mkdirSync(dataDir);
    // All at once, on one empty database: migrations and demo seeding race, as in a rollout.
    const started = await Promise.allSettled(
      ports.map((port, index) =>
        startNode(`node-${index + 1}`, port, { ...shared, SIGHTLINE_DATA_DIR: dataDirs[index]! }),
      ),
    );
    for (const result of started)
      if (result.status === 'fulfilled') children.push(result.value.child);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const nodes = started.map((result) => (result as PromiseFulfilledResult<Started>).value.node);

    const passwords = new Set(dataDirs.map((dataDir) => readCredentials(dataDir).password));
    if (passwords.size !== 1) {
      throw new Error(`the nodes seeded ${passwords.size} different demo passwords`);
    }
    const { password } = readCredentials(dataDirs[0]!);

    nginx = await startNginx(
      balancerPort,
      ports.map((port) => `127.0.0.1:${port}`),
    );
    const balancer = nginx;
    return {
      url: publicUrl,
      nodes,
      nginx: balancer,
      agent: { username: 'agent', password },
      secondAgent: { username: 'agent2', password },
      async sockets(node) {
        const response = await fetch(`${node.url}/metrics`);
        if (!response.ok) throw new Error(`${node.name} /metrics: ${response.status}`);
        return socketCounts(await response.text());
      },
      async kill(node, signal = 'SIGKILL') {
        const child = children[nodes.indexOf(node)];
        if (!child) throw new Error(`${node.name} is not in this cluster`);
        child.kill(signal);
        await exited(child);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
