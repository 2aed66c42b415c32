/**
 * Issue 6: three demo nodes starting at once on one empty PostgreSQL database agree on what demo
 * mode generates. Before, each generated its own SDK key, secret and agent password, and all but
 * one failed to start on the demo agent's unique username; a node that did start signed tokens
 * with a secret the others did not know.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SightlineServer } from '../src/index.js';
import { freshDatabase, startPostgres, type PostgresCluster } from './support/postgres.js';

let cluster: PostgresCluster;
const dirs: string[] = [];

beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);

afterAll(async () => {
  await cluster.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('demo nodes starting together on one database (issue 6)', () => {
  it('all start, with one SDK key and secret and one agent password between them', async () => {
    const databaseUrl = await freshDatabase(cluster.url);
    const dataDirs = [1, 2, 3].map(() => mkdtempSync(join(tmpdir(), 'sightline-demo-node-')));
    dirs.push(...dataDirs);
    const started = await Promise.allSettled(
      dataDirs.map((dataDir) =>
        createServer({ demo: true, dataDir, databaseUrl, databasePoolSize: 2, logger: false }),
      ),
    );
    const nodes = started.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value] : [],
    );
    try {
      expect(started.filter((result) => result.status === 'rejected')).toEqual([]);

      expect(new Set(nodes.map((node) => node.sdkKey)).size).toBe(1);
      // The generated secret is printed once, by one node.
      expect(nodes.filter((node) => node.demo?.generatedSdkSecret !== undefined)).toHaveLength(1);
      const passwords = nodes.map((node) => node.demo?.agent.password);
      expect(new Set(passwords).size).toBe(1);
      for (const dataDir of dataDirs) {
        const file = JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8'));
        expect(file).toEqual({ username: 'agent', password: passwords[0] });
      }

      // Each node's sign-in works, and the token it signs is good on every other node.
      for (const [index, node] of nodes.entries()) {
        for (const credentials of node.demo?.agents ?? []) {
          const token = await login(node, credentials);
          const other = nodes[(index + 1) % nodes.length]!;
          const listed = await other.app.inject({
            method: 'GET',
            url: '/api/session/list',
            headers: { authorization: `Bearer ${token}` },
          });
          expect(listed.statusCode, `${credentials.username} from node ${index + 1}`).toBe(200);
        }
      }
    } finally {
      await Promise.all(nodes.map((node) => node.close()));
    }
  });
});

async function login(
  node: SightlineServer,
  credentials: { username: string; password: string },
): Promise<string> {
  const response = await node.app.inject({
    method: 'POST',
    url: '/api/console/login',
    payload: credentials,
  });
  expect(response.statusCode, credentials.username).toBe(200);
  return response.json<{ token: string }>().token;
}
