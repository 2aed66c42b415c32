/**
 * Load: N concurrent sessions, each one customer and two agents, every customer sending 10
 * batches/s (`mix.ts`), through one Sightline node on embedded defaults, three nodes on
 * PostgreSQL and Redis, and a bare `ws` fan-out (the floor), all in one run. N steps up until
 * p99 customer → agent latency reaches 50 ms or a session is not held; the last N before is the
 * knee. Servers and load generator are separate processes on the same machine; both are measured.
 *
 *   npm run bench:load -w @sightline/bench                 (builds the server first)
 *   LOAD_STEPS=50,100,200 LOAD_TOPOLOGIES=single,floor LOAD_BUDGET_SECONDS=120 …
 *
 * Settings: LOAD_STEPS (session counts), LOAD_TOPOLOGIES (floor,single,three),
 * LOAD_BUDGET_SECONDS (no run starts that would end past it; default 270), LOAD_MEASURE_SECONDS
 * (6), LOAD_WARMUP_SECONDS (4, sessions' starts spread over all but its last second),
 * LOAD_WORKERS (load generator processes, 2).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { cpuSeconds, pssMiB } from '../support/process.js';
import type { ParentMessage, ReadyMessage, ResultMessage, WorkerMessage } from './ipc.js';
import { BATCHES_PER_SECOND, SNAPSHOT_BYTES, meanBatchBytes } from './mix.js';
import { handled, kneeTable, percentileOfSorted, runTable, type RunResult } from './report.js';
import { TOPOLOGIES, deploy, stopServices, type Deployment, type Topology } from './topologies.js';

const STEPS = (process.env.LOAD_STEPS ?? '100,200,400,600,800,1200,1600').split(',').map(Number);
const SELECTED = (process.env.LOAD_TOPOLOGIES ?? TOPOLOGIES.join(','))
  .split(',')
  .filter((name): name is Topology => (TOPOLOGIES as readonly string[]).includes(name));
const BUDGET_MS = Number(process.env.LOAD_BUDGET_SECONDS ?? 270) * 1000;
const MEASURE_MS = Number(process.env.LOAD_MEASURE_SECONDS ?? 6) * 1000;
const WARMUP_MS = Number(process.env.LOAD_WARMUP_SECONDS ?? 4) * 1000;
const WORKERS = Number(process.env.LOAD_WORKERS ?? 2);
const DRAIN_MS = 5_000;
const WORKER = new URL('./worker.ts', import.meta.url).pathname;

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
/** CPU seconds of each of `pids` still alive. */
function cpuOf(pids: number[]): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const pid of pids) {
    try {
      seconds.set(pid, cpuSeconds(pid));
    } catch {
      // gone: a PostgreSQL backend whose pool connection idled out, say
    }
  }
  return seconds;
}
/**
 * CPU seconds used between two readings by the processes alive at the second (all of it for one
 * started in between). A process that exited in between is lost, so this can only undercount.
 */
const cpuBetween = (before: Map<number, number>, after: Map<number, number>) =>
  sum([...after].map(([pid, seconds]) => seconds - (before.get(pid) ?? 0)));
const memoryOf = (pids: number[]) => sum(pids.map(pssMiB).filter(Number.isFinite));

function next<T extends WorkerMessage['type']>(
  worker: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<WorkerMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker: no ${type} in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message: WorkerMessage) => {
      if (message.type !== type) return;
      clearTimeout(timer);
      worker.off('message', onMessage);
      resolve(message as Extract<WorkerMessage, { type: T }>);
    };
    worker.on('message', onMessage);
  });
}

const tell = (worker: ChildProcess, message: ParentMessage) => worker.send(message);
const sleepUntil = (epochMs: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, epochMs - Date.now())));

/** Figures of the servers and the workers at one instant. */
function sample(deployment: Deployment, workers: ChildProcess[]) {
  const services = deployment.servicePids();
  return {
    at: performance.now(),
    relay: cpuOf(deployment.relayPids),
    redis: cpuOf(services.redis),
    postgres: cpuOf(services.postgres),
    client: cpuOf(workers.map((worker) => worker.pid ?? 0)),
    services,
  };
}

/** One topology at `sessions` sessions: deploy, set up, send, measure, stop. */
async function measure(topology: Topology, sessions: number, run: string): Promise<RunResult> {
  const deployment = await deploy(topology);
  const workers = Array.from({ length: WORKERS }, () =>
    fork(WORKER, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced' }),
  );
  try {
    const idle = deployment.servicePids();
    const idleMiB = memoryOf(deployment.relayPids) + memoryOf(idle.redis) + memoryOf(idle.postgres);
    const setupStarted = performance.now();
    const ready: ReadyMessage[] = await Promise.all(
      workers.map((worker, w) => {
        const mine = Array.from({ length: sessions }, (_, i) => i).filter((i) => i % WORKERS === w);
        const answer = next(worker, 'ready', 180_000);
        tell(worker, {
          type: 'setup',
          target: deployment.target,
          sessions: mine,
          total: sessions,
          run,
          concurrency: 8,
        });
        return answer;
      }),
    );
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    const startAt = Date.now() + 300;
    const results = workers.map((worker) =>
      next(worker, 'result', WARMUP_MS + MEASURE_MS + DRAIN_MS + 60_000),
    );
    for (const worker of workers) {
      tell(worker, {
        type: 'go',
        startAt,
        rampMs: Math.max(0, WARMUP_MS - 1000),
        warmupMs: WARMUP_MS,
        measureMs: MEASURE_MS,
        drainMs: DRAIN_MS,
      });
    }
    await sleepUntil(startAt + WARMUP_MS);
    const before = sample(deployment, workers);
    await sleepUntil(startAt + WARMUP_MS + MEASURE_MS);
    const after = sample(deployment, workers);
    const seconds = (after.at - before.at) / 1000;
    const cores = (key: 'relay' | 'redis' | 'postgres' | 'client') =>
      cpuBetween(before[key], after[key]) / seconds;
    const memory = {
      relay: memoryOf(deployment.relayPids),
      redis: memoryOf(after.services.redis),
      postgres: memoryOf(after.services.postgres),
    };
    const reports: ResultMessage[] = await Promise.all(results);
    const latencies = Float64Array.from(reports.flatMap((r) => [...r.latencies])).sort();
    const large = Float64Array.from(reports.flatMap((r) => [...r.large])).sort();
    const closes = reports.flatMap((r) => r.closes);
    const errors = ready.flatMap((r) => r.errors);
    return {
      topology,
      sessions,
      established: sum(ready.map((r) => r.established)),
      held: sum(reports.map((r) => r.held)),
      samples: latencies.length,
      p50: percentileOfSorted(latencies, 50),
      p95: percentileOfSorted(latencies, 95),
      p99: percentileOfSorted(latencies, 99),
      largeP99: percentileOfSorted(large, 99),
      sent: sum(reports.map((r) => r.sent)),
      scheduled: sum(reports.map((r) => r.scheduled)),
      missing: sum(reports.map((r) => r.missing)),
      relayCores: cores('relay'),
      redisCores: cores('redis'),
      postgresCores: cores('postgres'),
      relayMiB: memory.relay,
      idleMiB,
      redisMiB: memory.redis,
      postgresMiB: memory.postgres,
      clientCores: cores('client'),
      clientLoopP99: Math.max(...reports.map((r) => r.loopDelayP99)),
      clientLagP99: Math.max(...reports.map((r) => r.sendLagP99)),
      setupSeconds,
      notes: [
        ...errors.slice(0, 2),
        ...(closes.length > 0
          ? [`${closes.length} sockets closed (${[...new Set(closes)].join(', ')})`]
          : []),
        ...(sum(reports.map((r) => r.gaps + r.duplicates)) > 0
          ? [
              `gaps ${sum(reports.map((r) => r.gaps))}, duplicates ${sum(reports.map((r) => r.duplicates))}`,
            ]
          : []),
        ...(sum(reports.map((r) => r.missing)) > 0
          ? [`${sum(reports.map((r) => r.missing))} deliveries missing after the drain`]
          : []),
        ...(sum(reports.map((r) => r.requestedSnapshots)) > 0
          ? [`${sum(reports.map((r) => r.requestedSnapshots))} snapshots on request`]
          : []),
      ],
    };
  } finally {
    for (const worker of workers) {
      if (worker.connected) tell(worker, { type: 'close' });
    }
    await Promise.all(
      workers.map((worker) =>
        worker.exitCode !== null || worker.signalCode !== null
          ? undefined
          : new Promise((resolve) => worker.once('exit', resolve)),
      ),
    );
    await deployment.stop();
  }
}

const started = performance.now();
const elapsed = () => performance.now() - started;
const runs: RunResult[] = [];
const stopped = new Map<Topology, string>();
/** Wall time of each topology's last run, split into set-up and the rest, to estimate the next. */
const lastRun = new Map<Topology, { sessions: number; setupMs: number; otherMs: number }>();
const estimateMs = (topology: Topology, sessions: number) => {
  const last = lastRun.get(topology);
  if (!last) return WARMUP_MS + MEASURE_MS + 15_000;
  return last.otherMs + (last.setupMs * sessions) / last.sessions;
};

console.log(
  `load bench: ${BATCHES_PER_SECOND} batches/s per customer (first a ${SNAPSHOT_BYTES / 1024} KB snapshot, then ${meanBatchBytes().toFixed(0)} B mean: 120 B–1 KB mostly, 1–4 KB every 5th, 16–64 KB every 50th), 2 agents per session; ${WORKERS} load generator processes; warm-up ${WARMUP_MS / 1000} s, measured ${MEASURE_MS / 1000} s; budget ${BUDGET_MS / 1000} s`,
);
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

const active = new Set<Topology>(SELECTED);
const sightlineActive = () => [...active].some((topology) => topology !== 'floor');
try {
  for (const sessions of STEPS) {
    const step = [...active];
    const needed = sum(step.map((topology) => estimateMs(topology, sessions)));
    if (elapsed() + needed > BUDGET_MS) {
      for (const topology of step) stopped.set(topology, `time budget (next: N=${sessions})`);
      break;
    }
    for (const topology of step) {
      const runStarted = performance.now();
      const result = await measure(topology, sessions, `${topology}-${sessions}`).catch(
        (error: unknown): RunResult | undefined => {
          console.log(`${topology} N=${sessions}: failed: ${String(error)}`);
          return undefined;
        },
      );
      const wall = performance.now() - runStarted;
      if (!result) {
        stopped.set(topology, `error at N=${sessions}`);
        active.delete(topology);
        continue;
      }
      runs.push(result);
      lastRun.set(topology, {
        sessions,
        setupMs: result.setupSeconds * 1000,
        otherMs: wall - result.setupSeconds * 1000,
      });
      console.log(
        `${topology} N=${sessions}: held ${result.held}/${sessions}, p50/p95/p99 ${result.p50.toFixed(2)}/${result.p95.toFixed(2)}/${result.p99.toFixed(2)} ms, server ${(result.relayCores + result.redisCores + result.postgresCores).toFixed(2)} cores, client ${result.clientCores.toFixed(2)} cores, set-up ${result.setupSeconds.toFixed(1)} s, run ${(wall / 1000).toFixed(1)} s, load ${loadavg()[0]?.toFixed(2)}${result.notes.length ? `; ${result.notes.join('; ')}` : ''}`,
      );
      if (!handled(result)) {
        stopped.set(
          topology,
          `N=${sessions}: ${result.held < sessions ? `${sessions - result.held} not held` : `p99 ${result.p99.toFixed(1)} ms`}`,
        );
        // The floor keeps going while a Sightline topology does: they are read against it.
        if (topology !== 'floor' || !sightlineActive()) active.delete(topology);
      }
    }
    if (active.has('floor') && !sightlineActive() && stopped.has('floor')) active.delete('floor');
    if (active.size === 0) break;
  }
  for (const topology of active) if (!stopped.has(topology)) stopped.set(topology, 'last step');
} finally {
  await stopServices();
}

console.log(
  `\nEvery run (${(elapsed() / 1000).toFixed(0)} s in all, load average now ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}):\n`,
);
console.log(runTable(runs));
console.log('\nThe knee of each topology, and its figures beside the floor at the same N:\n');
console.log(kneeTable(runs, stopped));
