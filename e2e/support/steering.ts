/**
 * @module
 * Putting a WebSocket on a chosen node through nginx's round robin, without touching the socket.
 * With one nginx worker and equal weights, requests take the live nodes in turn; the access log
 * says which node took the last one, so requests of our own (`GET /health/live`) move the turn
 * until the next request goes where a test wants it. The agent SDK fetches a join token
 * (`POST /api/agent/connect`) right before each socket it opens, joins and rejoins alike, so
 * holding that response back while the turn is moved places the socket. Tests still ask the nodes
 * where the socket landed; this only makes the answer the one they need.
 */
import type { Page } from 'playwright-core';
import type { Cluster, ClusterNode } from './cluster.js';

/** The node that served the last request nginx logged, if any. */
function lastServed(cluster: Cluster): ClusterNode | undefined {
  const address = cluster.nginx.accessLog().at(-1)?.upstreams.at(-1);
  return cluster.nodes.find((node) => address === `127.0.0.1:${node.port}`);
}

/** The live node after `node` in the upstream's order: where round robin goes next. */
function liveNodeAfter(cluster: Cluster, node: ClusterNode): ClusterNode | undefined {
  const { nodes } = cluster;
  const start = nodes.indexOf(node);
  for (let step = 1; step <= nodes.length; step += 1) {
    const candidate = nodes[(start + step) % nodes.length]!;
    if (candidate.alive) return candidate;
  }
  return undefined;
}

/** Waits until nginx has logged more than `count` requests (it logs once a response is sent). */
async function loggedMoreThan(cluster: Cluster, count: number): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (cluster.nginx.accessLog().length <= count) {
    if (Date.now() > deadline) throw new Error('nginx did not log the request');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Sends requests of our own through nginx until its next request should go to `target`. */
export async function turnTo(cluster: Cluster, target: ClusterNode): Promise<void> {
  for (let burned = 0; burned <= cluster.nodes.length * 2; burned += 1) {
    const last = lastServed(cluster);
    if (last && liveNodeAfter(cluster, last) === target) return;
    const count = cluster.nginx.accessLog().length;
    await fetch(`${cluster.url}/health/live`);
    await loggedMoreThan(cluster, count);
  }
  throw new Error(`round robin never came to ${target.name}`);
}

/**
 * Makes each socket the agent's page opens land on `target()` (re-read for every join token:
 * rejoins too), until the returned function is called. `target()` returning undefined leaves a
 * socket to nginx.
 */
export async function steerAgentSockets(
  page: Page,
  cluster: Cluster,
  target: () => ClusterNode | undefined,
): Promise<() => Promise<void>> {
  const pattern = '**/api/agent/connect';
  await page.route(pattern, async (route) => {
    const count = cluster.nginx.accessLog().length;
    const response = await route.fetch();
    await loggedMoreThan(cluster, count);
    const node = target();
    if (node) await turnTo(cluster, node);
    await route.fulfill({ response });
  });
  return () => page.unroute(pattern);
}
