/**
 * Relay latency: one customer socket to N agent sockets through the real Sightline server (built,
 * in its own process, SQLite + in-memory bus), against a bare `ws` fan-out in its own process as
 * the floor. Same machine, same run, same load generator. Prints p50/p95/p99 per target and N, and
 * our figures as ratios of the floor's.
 *
 *   npm run bench            (builds first)
 *   BENCH_RATE=200 BENCH_BATCHES=3000 npm run bench
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { WebSocket } from 'ws';
import {
  PROTOCOL_VERSION,
  encodeBinaryFrame,
  parseRelayedBatch,
  type AgentConnectResponse,
  type StartSessionResponse,
} from '@sightline/protocol';
import { cpuSeconds, freePort, rssMiB, startNode } from '../support/process.js';
import { percentile, runMix, type Mix, type Samples } from './load.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const SDK_KEY = 'bench-app';
const SDK_SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';
const AGENT_COUNTS = (process.env.BENCH_AGENTS ?? '1,2,5').split(',').map(Number);
const MIX: Mix = {
  rate: Number(process.env.BENCH_RATE ?? 100),
  batches: Number(process.env.BENCH_BATCHES ?? 2000),
  warmup: 200,
  snapshotEvery: 100,
  snapshotBytes: 400 * 1024,
};

function open(url: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { origin, perMessageDeflate: false });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function nextText(socket: WebSocket): Promise<{ type: string }> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      socket.off('message', onMessage);
      resolve(JSON.parse(data.toString()) as { type: string });
    };
    socket.on('message', onMessage);
  });
}

async function token(role: 1 | 2, userId: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ app_key: SDK_KEY, role_type: role, user_id: userId, user_name: userId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(SDK_SECRET));
}

async function post<T>(base: string, path: string, bearer: string, body: object): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

interface Result {
  target: string;
  agents: number;
  samples: Samples;
  cpu: number;
  rss: number;
}

/** Runs the mix from `customer` to `agents`, reading the relay process's CPU time and memory. */
async function measure(
  target: string,
  pid: number,
  sockets: { customer: WebSocket; agents: WebSocket[] },
  io: Pick<Parameters<typeof runMix>[0], 'send' | 'readPayload'>,
): Promise<Result> {
  const cpuBefore = cpuSeconds(pid);
  const samples = await runMix({ mix: MIX, agents: sockets.agents, ...io });
  const result = {
    target,
    agents: sockets.agents.length,
    samples,
    cpu: cpuSeconds(pid) - cpuBefore,
    rss: rssMiB(pid),
  };
  for (const socket of [sockets.customer, ...sockets.agents]) socket.close();
  return result;
}

async function measureSightline(agentCount: number): Promise<Result> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-bench-'));
  // Consent is pre-approved: this measures the relay, and the customer here is not a person.
  const child = await startNode(['packages/server/dist/cli/main.js'], {
    cwd: ROOT,
    env: {
      SIGHTLINE_PORT: String(port),
      SIGHTLINE_DATA_DIR: dataDir,
      SIGHTLINE_SDK_KEY: SDK_KEY,
      SIGHTLINE_SDK_SECRET: SDK_SECRET,
      SIGHTLINE_ALLOWED_ORIGINS: base,
      SIGHTLINE_VIEW_CONSENT: 'pre_approved',
    },
    ready: new RegExp(`127\\.0\\.0\\.1:${port}`),
  });
  try {
    const started = await post<StartSessionResponse>(
      base,
      '/api/customer/start',
      await token(1, 'customer'),
      {},
    );
    const customer = await open(`ws://127.0.0.1:${port}/ws`, base);
    customer.send(
      JSON.stringify({
        type: 'session.hello',
        protocolVersion: PROTOCOL_VERSION,
        resumeToken: started.resumeToken,
        tabId: 'bench',
      }),
    );
    await nextText(customer);
    const agents: WebSocket[] = [];
    for (let i = 0; i < agentCount; i += 1) {
      const joined = await post<AgentConnectResponse>(
        base,
        '/api/agent/connect',
        await token(2, `agent-${i}`),
        { pin: started.pin },
      );
      const agent = await open(`ws://127.0.0.1:${port}/ws`, base);
      agent.send(
        JSON.stringify({
          type: 'session.hello',
          protocolVersion: PROTOCOL_VERSION,
          joinToken: joined.joinToken,
        }),
      );
      await nextText(agent);
      agents.push(agent);
    }
    return await measure(
      'sightline',
      child.pid ?? 0,
      { customer, agents },
      {
        send: (payload, seq, full) =>
          customer.send(
            encodeBinaryFrame({ type: 'dom.batch', tabId: 'bench', seq, full }, payload),
          ),
        readPayload: (frame) => {
          const parsed = parseRelayedBatch(
            new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength),
          );
          return parsed.ok ? parsed.value.payload : undefined;
        },
      },
    );
  } finally {
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measureFloor(agentCount: number): Promise<Result> {
  const port = await freePort();
  const child = await startNode(['--import', 'tsx', 'bench/relay/bare-fanout.ts', String(port)], {
    cwd: ROOT,
    ready: /ready/,
  });
  try {
    const agents: WebSocket[] = [];
    for (let i = 0; i < agentCount; i += 1)
      agents.push(await open(`ws://127.0.0.1:${port}/?role=agent`, 'http://x'));
    const customer = await open(`ws://127.0.0.1:${port}/?role=customer`, 'http://x');
    return await measure(
      'bare ws',
      child.pid ?? 0,
      { customer, agents },
      {
        send: (payload) => customer.send(payload),
        readPayload: (frame) => new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength),
      },
    );
  } finally {
    child.kill('SIGTERM');
  }
}

const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(2) : '—');
const ratio = (ours: number, floor: number) => (floor > 0 ? `${(ours / floor).toFixed(2)}×` : '—');

console.log(
  `relay bench: ${MIX.batches} measured batches per run at ${MIX.rate}/s, 1 in ${MIX.snapshotEvery} a ${MIX.snapshotBytes / 1024} KB snapshot, the rest 120 B–1 KB`,
);
const latencyRows: string[] = [];
const resourceRows: string[] = [];
for (const agentCount of AGENT_COUNTS) {
  const floor = await measureFloor(agentCount);
  const ours = await measureSightline(agentCount);
  for (const kind of ['small', 'snapshot'] as const) {
    const [f, o] = [floor.samples[kind], ours.samples[kind]];
    const [o50, o95, o99] = [50, 95, 99].map((p) => percentile(o, p)) as [number, number, number];
    const [f50, f95, f99] = [50, 95, 99].map((p) => percentile(f, p)) as [number, number, number];
    latencyRows.push(
      `| ${agentCount} | ${kind} | ${o.length} | ${fmt(o50)} / ${fmt(o95)} / ${fmt(o99)} | ${fmt(f50)} / ${fmt(f95)} / ${fmt(f99)} | ${ratio(o50, f50)} / ${ratio(o95, f95)} / ${ratio(o99, f99)} |`,
    );
  }
  resourceRows.push(
    `| ${agentCount} | ${ours.cpu.toFixed(2)} | ${floor.cpu.toFixed(2)} | ${ratio(ours.cpu, floor.cpu)} | ${ours.rss.toFixed(0)} | ${floor.rss.toFixed(0)} |`,
  );
}
console.log('\nLatency, customer send → agent receive, ms (p50 / p95 / p99):\n');
console.log('| agents | batch | samples | Sightline | bare ws floor | ratio |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const row of latencyRows) console.log(row);
console.log('\nRelay process during the measured run:\n');
console.log(
  '| agents | Sightline CPU s | floor CPU s | ratio | Sightline RSS MiB | floor RSS MiB |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const row of resourceRows) console.log(row);
