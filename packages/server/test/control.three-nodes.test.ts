/**
 * Issue 6, annotations and control across three nodes that share only a real PostgreSQL database
 * and a real redis-server (each node its own pool and connections): the customer's tab on node a,
 * Ann on node b and Bob on node c. Guided mode, asked on b and allowed on a, lets Ann draw; the
 * customer and Bob get her rectangle with her name. Controlled mode lets Ann's command cross to
 * the tab and its result come back; Bob, not the controller, is refused on his own node.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Annotation } from '@sightline/protocol';
import { ALL_ALLOWED, allowedAgent, customerSocket, stateIn, until } from './support/control.js';
import { startSession } from './support/flows.js';
import { freshDatabase, startPostgres, type PostgresCluster } from './support/postgres.js';
import { startRedis, type RedisServer } from './support/redis.js';
import { startServer, type TestServer } from './support/server.js';

let postgres: PostgresCluster;
let redis: RedisServer;
const servers: TestServer[] = [];

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
});

afterAll(async () => {
  await Promise.all([postgres?.stop(), redis?.stop()]);
});

afterEach(async () => {
  for (const t of servers.splice(0).reverse()) await t.close();
});

const rectangle: Annotation = {
  id: 'r-1',
  tool: 'rectangle',
  tabId: 'tab-1',
  nodeId: 31,
  points: [
    { x: -0.1, y: -0.1 },
    { x: 1.1, y: 1.1 },
  ],
  color: '#0090ff',
  width: 3,
};

async function threeNodes() {
  const databaseUrl = await freshDatabase(postgres.url);
  const node = async (nodeId: string) => {
    const t = await startServer({
      databaseUrl,
      redisUrl: redis.url,
      nodeId,
      viewConsent: 'pre_approved',
    });
    servers.push(t);
    return t;
  };
  const [a, b, c] = [await node('node-a'), await node('node-b'), await node('node-c')];
  const session = await startSession(a);
  const customer = await customerSocket(a, session);
  customer.sendJson({ type: 'control.settings', settings: ALL_ALLOWED });
  customer.sendJson({ type: 'tab.activity', state: 'focused' });
  await until(customer, 'control.state', (s) => s.settings !== null);
  const ann = await allowedAgent(b, session.pin, 'ann');
  const bob = await allowedAgent(c, session.pin, 'bob');
  for (const agent of [ann, bob]) await until(agent, 'control.state', (s) => s.settings !== null);
  return { customer, ann, bob };
}

describe('annotations and control across three nodes on PostgreSQL and Redis', () => {
  it('relays a drawing with its author, and a command to the tab, from the controller only', async () => {
    const { customer, ann, bob } = await threeNodes();

    ann.sendJson({ type: 'control.request', mode: 'guided' });
    const guided = await until(customer, 'consent.request', (r) => r.kind === 'control');
    customer.sendJson({ type: 'consent.response', requestId: guided.requestId, decision: 'allow' });
    await stateIn(bob, 'guided', null);
    await stateIn(ann, 'guided', null);
    ann.sendJson({ type: 'annotation.draw', annotation: rectangle });
    const drawn = {
      type: 'annotation.drawn',
      annotation: rectangle,
      author: { userId: 'ann', userName: 'Agent ann', role: 'agent' },
    };
    expect(await until(customer, 'annotation.drawn')).toEqual(drawn);
    expect(await until(bob, 'annotation.drawn')).toEqual(drawn);

    ann.sendJson({ type: 'control.request', mode: 'controlled' });
    const controlled = await until(customer, 'consent.request', (r) => r.kind === 'control');
    customer.sendJson({
      type: 'consent.response',
      requestId: controlled.requestId,
      decision: 'allow',
    });
    await stateIn(bob, 'controlled', 'ann');
    await stateIn(ann, 'controlled', 'ann');
    ann.sendJson({
      type: 'control.command',
      commandId: 'c-1',
      tabId: 'tab-1',
      action: { kind: 'click', nodeId: 7 },
    });
    expect(await until(customer, 'control.command')).toMatchObject({ commandId: 'c-1' });
    customer.sendJson({
      type: 'control.result',
      commandId: 'c-1',
      tabId: 'tab-1',
      outcome: 'done',
    });
    for (const agent of [ann, bob]) {
      expect(await until(agent, 'control.result')).toMatchObject({
        commandId: 'c-1',
        outcome: 'done',
      });
    }
    bob.sendJson({
      type: 'control.command',
      commandId: 'b-1',
      tabId: 'tab-1',
      action: { kind: 'click', nodeId: 7 },
    });
    expect(await until(bob, 'control.result')).toMatchObject({ outcome: 'refused', code: 3018 });
  });
});
