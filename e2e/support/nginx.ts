/**
 * @module
 * nginx from apt in front of a test cluster, configured from the very file `docs/deployment.md`
 * shows (`deploy/nginx/sightline.conf`): only its three upstream addresses and its `listen` line
 * are rewritten to loopback ports, so the suite tests what operators copy. The rest of the
 * configuration (pid file, logs, temporary files) lives in a fresh folder under the system's temp
 * folder, so nothing needs root-owned paths; nginx runs in the foreground as our child.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The deployment's nginx configuration, as the docs quote it. */
export const NGINX_TEMPLATE = new URL('../../deploy/nginx/sightline.conf', import.meta.url)
  .pathname;

const NGINX = process.env.SIGHTLINE_NGINX ?? '/usr/sbin/nginx';

/** The example upstream lines of the template: `server 10.0.0.11:8080 …`. */
const UPSTREAM_SERVER = /^(\s*server )10\.0\.0\.\d+:8080( .*;)$/gm;
const LISTEN = /^(\s*)listen 80;$/gm;

/**
 * The template with its upstream servers replaced by `upstreams` (`127.0.0.1:<port>`, as many as
 * the template names) and its `listen` by `127.0.0.1:<port>`. Throws if the template no longer
 * has exactly those lines, rather than testing a configuration the docs do not show.
 */
export function renderSiteConf(template: string, port: number, upstreams: string[]): string {
  const servers = template.match(UPSTREAM_SERVER) ?? [];
  const listens = template.match(LISTEN) ?? [];
  if (servers.length !== upstreams.length || listens.length !== 1) {
    throw new Error(
      `${NGINX_TEMPLATE}: expected ${upstreams.length} "server 10.0.0.x:8080" lines and one ` +
        `"listen 80;", found ${servers.length} and ${listens.length}`,
    );
  }
  let next = 0;
  return template
    .replace(
      UPSTREAM_SERVER,
      (_, head: string, tail: string) => `${head}${upstreams[next++]}${tail}`,
    )
    .replace(LISTEN, (_, indent: string) => `${indent}listen 127.0.0.1:${port};`);
}

/** The test's own main configuration around the site's: foreground, one worker, all in `dir`. */
function mainConf(dir: string, site: string): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `    ${kind}_temp_path ${join(dir, kind)};`)
    .join('\n');
  return `daemon off;
master_process on;
# One worker: one round-robin state, so consecutive requests take consecutive nodes.
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events {
    worker_connections 512;
}
http {
    log_format upstream '$request_method $uri $status $upstream_addr';
    access_log ${join(dir, 'access.log')} upstream;
${temp}
    include ${site};
}
`;
}

/** One line of the access log: which node served a request (several when nginx retried). */
export interface AccessEntry {
  method: string;
  path: string;
  status: number;
  /** Every upstream tried, in order: `127.0.0.1:<port>`. */
  upstreams: string[];
}

/** A running nginx. */
export interface Nginx {
  /** `http://127.0.0.1:<port>` */
  url: string;
  pid: number;
  /** Every request finished so far. A WebSocket is logged when it closes. */
  accessLog(): AccessEntry[];
  /** The error log so far, for failure messages. */
  errorLog(): string;
  /** Fast shutdown (SIGTERM: open sockets are cut), then deletes the folder. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts nginx on `port`, balancing over `upstreams`; resolves once it answers through them. */
export async function startNginx(port: number, upstreams: string[]): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-nginx-'));
  // As root, nginx's worker runs as `nobody`, which must reach its temporary folders in here.
  chmodSync(dir, 0o755);
  const site = join(dir, 'sightline.conf');
  writeFileSync(site, renderSiteConf(readFileSync(NGINX_TEMPLATE, 'utf8'), port, upstreams));
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, mainConf(dir, site));
  const read = (file: string) => {
    try {
      return readFileSync(join(dir, file), 'utf8');
    } catch {
      return '';
    }
  };
  const child = spawn(NGINX, ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // If the worker exits without stop(), nginx (and so its worker) goes with it.
  const orphaned = () => child.kill('SIGTERM');
  process.once('exit', orphaned);
  child.once('exit', () => process.off('exit', orphaned));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) {
      const log = `${stderr}${read('error.log')}`;
      await stop();
      throw new Error(`nginx exited with ${child.exitCode}:\n${log}`);
    }
    const ok = await fetch(`${url}/health/live`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      const log = read('error.log');
      await stop();
      throw new Error(`nginx did not answer on ${url}:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    pid: child.pid ?? 0,
    accessLog: () =>
      read('access.log')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [method = '', path = '', status = '0', ...rest] = line.split(' ');
          // Retries are listed with ", ", internal redirects with " : ".
          const upstreams = rest
            .join(' ')
            .split(/\s*,\s*|\s+:\s+/)
            .filter((a) => a !== '-');
          return { method, path, status: Number(status), upstreams: upstreams.filter(Boolean) };
        }),
    errorLog: () => read('error.log'),
    stop,
  };
}
