#!/usr/bin/env node
/**
 * @module
 * The `sightline` command: configuration from the `SIGHTLINE_*` environment (`--demo` turns demo
 * mode on), then a server until SIGINT or SIGTERM. A newcomer's first screen, so it is short:
 * what to open, and in demo mode how to sign in.
 */
import { SightlineError } from '@sightline/protocol';
import { createServer, type SightlineServer } from '../server.js';
import { optionsFromEnv, type ServerOptions } from '../options.js';

const USAGE = `Usage: sightline [--demo]

Starts a Sightline server. Configuration comes from the environment:
  SIGHTLINE_HOST, SIGHTLINE_PORT, SIGHTLINE_PUBLIC_URL, SIGHTLINE_DATA_DIR,
  SIGHTLINE_SDK_KEY, SIGHTLINE_SDK_SECRET, SIGHTLINE_ALLOWED_ORIGINS,
  SIGHTLINE_DATABASE_URL, SIGHTLINE_DATABASE_POOL_SIZE, SIGHTLINE_REDIS_URL,
  SIGHTLINE_TRUST_PROXY, SIGHTLINE_RECORDING_KEY, SIGHTLINE_METRICS_TOKEN, SIGHTLINE_DEMO,
  SIGHTLINE_LOG_LEVEL
--demo   serve the demo shop and seed demo credentials (same as SIGHTLINE_DEMO=true)
`;

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = paint(1);
const dim = paint(2);
const cyan = paint(36);
const red = paint(31);

function fail(message: string): never {
  process.stderr.write(`${red('sightline:')} ${message}\n`);
  process.exit(1);
}

function banner(server: SightlineServer, options: Partial<ServerOptions>, url: string): string {
  const row = (label: string, value: string) => `  ${label.padEnd(16)}${value}`;
  const lines = [
    '',
    `  ${bold('Sightline')} is running${server.demo ? ' in demo mode' : ''} at ${cyan(url)}`,
    '',
  ];
  if (server.demo) lines.push(row('Demo shop', cyan(`${url}/demo/`)));
  lines.push(row('Agent console', cyan(`${url}/console/`)));
  lines.push(row('Customer SDK', `${url}/sdk/sightline.js`));
  lines.push(row('Health', `${url}/health`));
  const scrapers = options.metricsToken === undefined ? 'loopback only' : 'bearer token';
  lines.push(row('Metrics', `${url}/metrics ${dim(`(${scrapers})`)}`));
  lines.push('');
  if (server.demo) {
    const [agent, ...others] = server.demo.agents;
    if (agent) {
      lines.push(row('Console login', `${bold(agent.username)} / ${bold(agent.password)}`));
    }
    for (const other of others) {
      lines.push(row('', dim(`a second agent: ${other.username}, same password`)));
    }
  }
  lines.push(row('SDK key', server.sdkKey));
  if (server.demo?.generatedSdkSecret) {
    lines.push(row('SDK secret', server.demo.generatedSdkSecret));
    lines.push(row('', dim('(generated now and shown only this once; keep it server-side)')));
  }
  const dataDir = options.dataDir ?? './data';
  if (options.databaseUrl !== undefined) {
    // Host and database only: the URL may hold a password.
    const database = new URL(options.databaseUrl);
    lines.push(row('Data', dim(`PostgreSQL ${database.host}${database.pathname}`)));
  } else {
    lines.push(row('Data', dim(dataDir)));
  }
  if (options.redisUrl !== undefined) {
    // Host only: the URL may hold a password.
    lines.push(row('Bus', dim(`Redis ${new URL(options.redisUrl).host}`)));
  }
  lines.push('', dim('  Press Ctrl+C to stop.'), '');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const unknown = args.filter((arg) => arg !== '--demo');
  if (unknown.length > 0) fail(`unknown argument ${unknown.join(' ')}\n\n${USAGE}`);
  const env = args.includes('--demo') ? { ...process.env, SIGHTLINE_DEMO: 'true' } : process.env;

  let server: SightlineServer;
  let options: Partial<ServerOptions>;
  try {
    options = optionsFromEnv(env);
    server = await createServer({ logger: { level: 'warn' }, ...options });
  } catch (error) {
    if (error instanceof SightlineError && error.errorName === 'CONFIG_INVALID')
      fail(error.message);
    throw error;
  }

  let url: string;
  try {
    url = await server.listen();
  } catch (error) {
    await server.close();
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE') fail('that port is in use; set SIGHTLINE_PORT to another one.');
    if (code === 'EACCES') fail('no permission to listen on that port; try one above 1024.');
    throw error;
  }
  process.stdout.write(`${banner(server, options, url)}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(dim(`\n  ${signal}: closing sessions and stopping...\n`));
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${red('sightline: failed to start')}\n${String((error as Error).stack ?? error)}\n`,
  );
  process.exit(1);
});
