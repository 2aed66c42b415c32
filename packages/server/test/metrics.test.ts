/**
 * Issue 6, operations: `/metrics` and `/health` on real servers with real sockets. A customer's
 * batches move the socket, byte, batch and relay-latency series by exactly what was sent; across
 * two nodes the receiving node observes bus lag; nothing in a scrape names a session or a person;
 * access needs loopback or the metrics token; readiness reports each dependency.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SightlineError, encodeBinaryFrame } from '@sightline/protocol';
import { MemoryBus, MemoryBusHub, createServer, type SessionStore } from '../src/index.js';
import { connectAgent, connectCustomer, startSession } from './support/flows.js';
import { parseMetrics, scrape, valueOf, type Scrape } from './support/metrics.js';
import { startServer, type TestServer } from './support/server.js';
import { payload, type TestSocket } from './support/socket.js';
import { SDK_KEY, SDK_SECRET } from './support/tokens.js';

const servers: TestServer[] = [];

afterEach(async () => {
  // The first node owns a shared store: it closes last.
  for (const t of servers.splice(0).reverse()) await t.close().catch(() => undefined);
});

async function node(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const t = await startServer(...args);
  servers.push(t);
  return t;
}

/** How much each series grew between two scrapes (absent before: from 0). */
function growth(before: Scrape, after: Scrape, series: string): number {
  return valueOf(after, series) - (before.get(series) ?? 0);
}

/** Sends batches 1..count (the first full) and returns the bytes of the frames sent. */
function sendBatches(customer: TestSocket, count: number): number {
  let bytes = 0;
  for (let seq = 1; seq <= count; seq += 1) {
    const header = { tabId: 'tab-1', seq, full: seq === 1 };
    // Sizes differ per batch, so a count of frames cannot pass for a count of bytes.
    const body = payload(`batch ${seq} `.repeat(seq * 10));
    bytes += encodeBinaryFrame({ type: 'dom.batch', ...header }, body).byteLength;
    customer.sendBatch(header, body);
  }
  return bytes;
}

/** Reads `agent`'s frames until it has batch `last`; returns the bytes of the batches. */
async function receiveBatches(agent: TestSocket, last: number): Promise<number> {
  let bytes = 0;
  for (;;) {
    const frame = await agent.next();
    if (frame.kind !== 'binary') continue;
    bytes += frame.raw.byteLength;
    if (frame.header.seq === last) return bytes;
  }
}

const CUSTOMER_NAME = 'Quintessa Vandermolen';
const AGENT_ID = 'agent-zebulon';

describe('/metrics on one node', () => {
  it('counts the sockets, the bytes and the batches a customer sends an agent, and their latency', async () => {
    const t = await node({}, { quietConsent: true });
    const session = await startSession(t, { user_name: CUSTOMER_NAME });
    const { socket: customer } = await connectCustomer(t, session);
    const agent = await connectAgent(t, session.pin, AGENT_ID);
    await customer.expect('session.state');

    await vi.waitFor(async () => {
      const { samples } = await scrape(t.url);
      expect(valueOf(samples, 'sightline_sockets_open{role="customer"}')).toBe(1);
      expect(valueOf(samples, 'sightline_sockets_open{role="agent"}')).toBe(1);
      expect(valueOf(samples, 'sightline_sockets_open{role="unadmitted"}')).toBe(0);
      expect(valueOf(samples, 'sightline_sessions_active')).toBe(1);
    });
    const before = (await scrape(t.url)).samples;

    const sentBytes = sendBatches(customer, 5);
    const relayedBytes = await receiveBatches(agent, 5);
    const { text, samples: after } = await scrape(t.url);

    expect(growth(before, after, 'sightline_batches_relayed_total')).toBe(5);
    expect(growth(before, after, 'sightline_batches_relayed_bytes_total')).toBe(sentBytes);
    // The customer sent nothing but the batches meanwhile.
    expect(growth(before, after, 'sightline_ws_received_bytes_total{role="customer"}')).toBe(
      sentBytes,
    );
    expect(growth(before, after, 'sightline_ws_received_messages_total{role="customer"}')).toBe(5);
    expect(growth(before, after, 'sightline_batches_delivered_bytes_total')).toBe(relayedBytes);
    expect(
      growth(before, after, 'sightline_ws_sent_bytes_total{role="agent"}'),
    ).toBeGreaterThanOrEqual(relayedBytes);
    expect(growth(before, after, 'sightline_relay_latency_seconds_count')).toBe(5);
    expect(growth(before, after, 'sightline_relay_latency_seconds_bucket{le="+Inf"}')).toBe(5);
    // Same node, nothing slow: every batch within a second.
    expect(growth(before, after, 'sightline_relay_latency_seconds_bucket{le="1"}')).toBe(5);
    // The process's own metrics come too.
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(text).toMatch(/^# HELP sightline_relay_latency_seconds \S/m);

    customer.close();
    agent.close();
    await vi.waitFor(async () => {
      const { samples } = await scrape(t.url);
      expect(valueOf(samples, 'sightline_sockets_open{role="customer"}')).toBe(0);
      expect(valueOf(samples, 'sightline_sockets_open{role="agent"}')).toBe(0);
      expect(valueOf(samples, 'sightline_sessions_active')).toBe(0);
    });
  });

  it('names no session, PIN, user or address, and labels only by role, kind and bucket', async () => {
    const t = await node({}, { quietConsent: true });
    const session = await startSession(t, { user_id: 'customer-xq7', user_name: CUSTOMER_NAME });
    const { socket: customer } = await connectCustomer(t, session);
    const agent = await connectAgent(t, session.pin, AGENT_ID);
    sendBatches(customer, 2);
    await receiveBatches(agent, 2);

    const { text, samples } = await scrape(t.url);
    for (const secret of [
      session.sessionId,
      session.pin,
      session.resumeToken,
      'customer-xq7',
      CUSTOMER_NAME,
      AGENT_ID,
      SDK_KEY,
      'tab-1',
    ]) {
      expect(text).not.toContain(secret);
    }
    const labels = new Set<string>();
    for (const series of samples.keys()) {
      if (!series.startsWith('sightline_')) continue;
      for (const [, name] of series.matchAll(/([a-z_]+)="/g)) labels.add(name ?? '');
    }
    expect([...labels].sort()).toEqual(['kind', 'le', 'role']);
  });
});

describe('/metrics across two nodes', () => {
  it('observes bus lag, and relay latency from the origin, on the node with the agent', async () => {
    const hub = new MemoryBusHub();
    const a = await node({ bus: new MemoryBus({ nodeId: 'node-a', hub }) }, { quietConsent: true });
    const store: SessionStore = Object.assign(Object.create(a.server.store) as SessionStore, {
      close: async () => {},
    });
    const b = await node(
      { store, bus: new MemoryBus({ nodeId: 'node-b', hub }) },
      { quietConsent: true },
    );
    const session = await startSession(a);
    const { socket: customer } = await connectCustomer(a, session);
    const agent = await connectAgent(b, session.pin);
    await customer.expect('session.state');
    const [beforeA, beforeB] = [(await scrape(a.url)).samples, (await scrape(b.url)).samples];

    sendBatches(customer, 4);
    await receiveBatches(agent, 4);
    const [afterA, afterB] = [(await scrape(a.url)).samples, (await scrape(b.url)).samples];

    // Node a received them, node b delivered them: each counts its own part.
    expect(growth(beforeA, afterA, 'sightline_batches_relayed_total')).toBe(4);
    expect(growth(beforeB, afterB, 'sightline_batches_relayed_total')).toBe(0);
    expect(growth(beforeA, afterA, 'sightline_relay_latency_seconds_count')).toBe(0);
    expect(growth(beforeB, afterB, 'sightline_relay_latency_seconds_count')).toBe(4);
    expect(growth(beforeB, afterB, 'sightline_bus_lag_seconds_count{kind="batch"}')).toBe(4);
    expect(growth(beforeB, afterB, 'sightline_bus_lag_seconds_bucket{le="1",kind="batch"}')).toBe(
      4,
    );
    // Node a has no agent: nothing came back to it over the bus.
    expect(growth(beforeA, afterA, 'sightline_bus_lag_seconds_count{kind="batch"}')).toBe(0);
    expect(valueOf(afterA, 'sightline_sockets_open{role="agent"}')).toBe(0);
    expect(valueOf(afterB, 'sightline_sockets_open{role="agent"}')).toBe(1);
  });
});

describe('/metrics access', () => {
  it('answers loopback without a token, but not a forwarded request or another address', async () => {
    const t = await node({}, { listen: false });
    const inject = (headers: Record<string, string>, remoteAddress = '127.0.0.1') =>
      t.server.app.inject({ method: 'GET', url: '/metrics', headers, remoteAddress });

    const ok = await inject({});
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect((await inject({}, '::1')).statusCode).toBe(200);
    expect((await inject({}, '::ffff:127.0.0.1')).statusCode).toBe(200);
    for (const refused of [
      await inject({}, '203.0.113.9'),
      await inject({}, '::ffff:10.1.2.3'),
      // A reverse proxy on the same machine connects from loopback, on a stranger's behalf.
      await inject({ 'x-forwarded-for': '203.0.113.9' }),
      await inject({ forwarded: 'for=203.0.113.9' }),
      await inject({ 'x-real-ip': '203.0.113.9' }),
    ]) {
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe(4005);
      expect(refused.body).not.toContain('sightline_');
    }
  });

  it('with a token, wants it from everyone, loopback included', async () => {
    const token = 'scrape-token-0123456789abcdefghijkl';
    const t = await node({ metricsToken: token }, { listen: false });
    const inject = (authorization?: string, remoteAddress = '203.0.113.9') =>
      t.server.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: authorization === undefined ? {} : { authorization },
        remoteAddress,
      });

    const good = await inject(`Bearer ${token}`);
    expect(good.statusCode).toBe(200);
    expect(parseMetrics(good.body).has('sightline_sessions_active')).toBe(true);
    for (const refused of [
      await inject(),
      await inject(undefined, '127.0.0.1'),
      await inject(`Bearer ${token}x`),
      await inject(`Bearer ${token.slice(0, -1)}`),
      await inject(`Basic ${token}`),
    ]) {
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.code).toBe(2001);
      expect(refused.headers['www-authenticate']).toBe('Bearer realm="sightline-metrics"');
    }
  });

  it('refuses a short token at start', async () => {
    const start = createServer({
      sdkKey: SDK_KEY,
      sdkSecret: SDK_SECRET,
      dataDir: ':memory:',
      metricsToken: 'too-short',
    });
    await expect(start).rejects.toBeInstanceOf(SightlineError);
    await expect(start).rejects.toThrow(/metricsToken/);
  });
});

describe('/health', () => {
  it('reports each dependency with its latency, and 503 with the store closed', async () => {
    const t = await node({}, { listen: false });
    const health = async (url = '/health') => {
      const response = await t.server.app.inject({ method: 'GET', url });
      return { status: response.statusCode, body: response.json() };
    };

    for (const url of ['/health', '/health/ready']) {
      const ready = await health(url);
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({
        status: 'ok',
        checks: { store: 'ok', bus: 'ok' },
        dependencies: {
          store: { status: 'ok', latencyMs: expect.any(Number) },
          bus: { status: 'ok', latencyMs: expect.any(Number) },
        },
      });
      expect(ready.body.dependencies.store).not.toHaveProperty('error');
    }

    await t.server.store.close();
    const degraded = await health();
    expect(degraded.status).toBe(503);
    expect(degraded.body).toMatchObject({
      status: 'degraded',
      checks: { store: 'failing', bus: 'ok' },
      dependencies: {
        store: { status: 'failing', error: 'unavailable', latencyMs: expect.any(Number) },
        bus: { status: 'ok' },
      },
    });
    // The driver's own words stay in the log.
    expect(JSON.stringify(degraded.body)).not.toMatch(/database|sqlite|closed/i);
    expect((await health('/health/ready')).status).toBe(503);

    // Liveness asks nothing of the dependencies: a store outage is no reason to restart the node.
    const live = await health('/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok', uptimeSeconds: expect.any(Number) });
  });
});
