/**
 * @module
 * A throwaway `redis-server` for tests: no persistence, daemonized on a free loopback port with
 * its pid file, log and working folder in a fresh folder under the system's temp folder; `stop()`
 * kills it by that pid and deletes the folder. One server per test file; tests isolate by using
 * fresh session ids and node ids, not by flushing.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A running throwaway server. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Kills the server by its pid and deletes its folder. */
  stop(): Promise<void>;
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

/** Whether process `pid` is still alive. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether a server on `port` answers an inline PING with +PONG. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('error', () => done(false));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.write('PING\r\n');
  });
}

/** Polls `ready` every 20 ms for up to `ms`. */
async function poll(ready: () => Promise<boolean> | boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`redis-server: ${what}`);
    await sleep(20);
  }
}

/** Starts `redis-server` on a free loopback port; resolves once it answers PING. */
export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-redis-'));
  const pidFile = join(dir, 'redis.pid');
  const logFile = join(dir, 'redis.log');
  const port = await freePort();
  try {
    // --daemonize with a pid file: the pid is redis-server's own, whatever wraps the call.
    await run('redis-server', [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'yes',
      '--pidfile',
      pidFile,
      '--logfile',
      logFile,
      '--dir',
      dir,
    ]);
    await poll(() => existsSync(pidFile), 5_000, `no pid file (see ${logFile})`);
    await poll(() => answersPing(port), 5_000, `no PONG on port ${port}`);
  } catch (error) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n${log}`, { cause: error });
  }
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (alive(pid)) {
        process.kill(pid, 'SIGTERM');
        await poll(() => !alive(pid), 5_000, `pid ${pid} did not stop`);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
