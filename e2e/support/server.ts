/**
 * @module
 * The real Sightline server, in process, on a random port, in demo mode, with a throwaway data
 * directory. It serves the built SDK, console and demo shop, so `npm run build` must have run.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type ServerOptions, type SessionStore } from '@sightline/server';

/** A running test server. */
export interface TestServer {
  url: string;
  /** The demo's main console agent. */
  agent: { username: string; password: string };
  /** A second, different demo agent. */
  secondAgent: { username: string; password: string };
  /** The server's store, for seeding what no API creates (console users with other roles). */
  store: SessionStore;
  close(): Promise<void>;
}

const BUILT = [
  'packages/sdk/dist/iife/sightline.js',
  'apps/console/dist/index.html',
  'apps/console/dist/console.js',
];

/**
 * Starts the server, with `options` over the demo defaults (a short invitation lifetime, say);
 * fails with a clear message if the browser bundles have not been built.
 */
export async function startServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const root = new URL('../../', import.meta.url).pathname;
  const missing = BUILT.filter((file) => !existsSync(join(root, file)));
  if (missing.length > 0) {
    throw new Error(`Run \`npm run build\` first; missing: ${missing.join(', ')}`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-e2e-'));
  const server = await createServer({ demo: true, port: 0, dataDir, logger: false, ...options });
  const url = await server.listen();
  const [agent, secondAgent] = server.demo?.agents ?? [];
  if (!agent || !secondAgent) throw new Error('demo mode did not seed two console agents');
  return {
    url,
    agent,
    secondAgent,
    store: server.store,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
