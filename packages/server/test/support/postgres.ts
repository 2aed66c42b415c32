/**
 * @module
 * A throwaway PostgreSQL cluster for tests: `initdb` into a fresh folder under the system's temp
 * folder, started with `pg_ctl` on a free loopback port (trust auth, fsync off, its socket in its
 * own folder), stopped and deleted by `stop()`. Tests isolate with {@link freshDatabase}: one
 * cluster per test file, one database per test.
 *
 * As root, `initdb` refuses to run, so the cluster belongs to the `postgres` user and its tools
 * run through `runuser`; as anyone else they run as the current user.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** A running throwaway cluster. */
export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  /** Stops the cluster (fast shutdown: open connections are cut) and deletes its files. */
  stop(): Promise<void>;
}

/** The newest installed server's `bin` folder (`/usr/lib/postgresql/<version>/bin`). */
function serverBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) {
    throw new Error(`No PostgreSQL server under ${root}: run scripts/ensure-test-deps.mjs`);
  }
  return join(root, newest, 'bin');
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

/** Starts a fresh cluster on a free loopback port. */
export async function startPostgres(): Promise<PostgresCluster> {
  const bin = serverBin();
  const asRoot = process.getuid?.() === 0;
  const tool = async (name: string, args: string[]): Promise<void> => {
    const path = join(bin, name);
    if (asRoot) await run('runuser', ['-u', 'postgres', '--', path, ...args]);
    else await run(path, args);
  };
  const dir = mkdtempSync(join(tmpdir(), 'sightline-pg-'));
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: group } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(group.trim()));
  }
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  await tool('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  // A port can be taken between choosing and binding it: try a few.
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const settings = [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${dir}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
    try {
      await tool('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', settings, 'start']);
    } catch (error) {
      if (attempt < 3) continue;
      rmSync(dir, { recursive: true, force: true });
      const output = existsSync(log) ? readFileSync(log, 'utf8') : '';
      throw new Error(`pg_ctl start failed: ${String(error)}\n${output}`, { cause: error });
    }
    let stopped: Promise<void> | undefined;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      stop() {
        stopped ??= (async () => {
          try {
            await tool('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        })();
        return stopped;
      },
    };
  }
}

/**
 * Creates an empty database `t_<random>` in the cluster at `url` and returns its URL, so each test
 * starts from nothing without a cluster of its own.
 */
export async function freshDatabase(url: string): Promise<string> {
  const name = `t_${randomBytes(8).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  return fresh.toString();
}
