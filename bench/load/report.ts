/**
 * @module
 * The load bench's figures: one {@link RunResult} per topology and session count, printed as
 * Markdown tables (every run, then the knee of each topology beside the floor's figures at the
 * same count).
 */
import type { Topology } from './topologies.js';

/** Largest p99 (ms) a count may have and still count as handled. */
export const KNEE_P99_MS = 50;

/** One topology at one session count. */
export interface RunResult {
  topology: Topology;
  sessions: number;
  /** Sessions whose three sockets were set up. */
  established: number;
  /** Sessions whose sockets all stayed open and whose agents got every batch once, in order. */
  held: number;
  /** Measured deliveries, and their latency percentiles (ms). */
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  /** p99 of the 16–64 KB batches alone. */
  largeP99: number;
  /** Batches sent in the measured window against the schedule's count, and deliveries missing at the end. */
  sent: number;
  scheduled: number;
  missing: number;
  /** CPU (cores, averaged over the measured window) and memory (MiB, proportional set size). */
  relayCores: number;
  redisCores: number;
  postgresCores: number;
  relayMiB: number;
  /** All server-side processes before any session was set up. */
  idleMiB: number;
  redisMiB: number;
  postgresMiB: number;
  /** The load generator's CPU (all workers, cores), its event-loop delay p99 and its send lag p99 (ms). */
  clientCores: number;
  clientLoopP99: number;
  clientLagP99: number;
  setupSeconds: number;
  /** Set-up errors and unexpected close codes, abbreviated. */
  notes: string[];
}

/** Whether the run was handled: every session held and p99 under the knee. */
export function handled(run: RunResult): boolean {
  return run.held === run.sessions && run.p99 < KNEE_P99_MS;
}

/** The p-th percentile (0–100) of sorted `values`, nearest rank. */
export function percentileOfSorted(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? Number.NaN;
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(value < 10 ? 2 : 1) : '—');
const x = (ours: number, floor: number | undefined) =>
  floor && Number.isFinite(ours) && floor > 0 ? `${(ours / floor).toFixed(1)}×` : '—';
const NAMES: Record<Topology, string> = {
  floor: 'bare ws floor',
  single: '1 node (SQLite, memory bus)',
  three: '3 nodes (PostgreSQL, Redis)',
};

/** Server-side cores: the relay processes plus Redis and PostgreSQL. */
export function serverCores(run: RunResult): number {
  return run.relayCores + run.redisCores + run.postgresCores;
}

/** Server-side memory: the relay processes plus Redis and PostgreSQL, MiB. */
export function serverMiB(run: RunResult): number {
  return run.relayMiB + run.redisMiB + run.postgresMiB;
}

/** Every run, one row each. */
export function runTable(runs: readonly RunResult[]): string {
  const rows = [
    '| topology | N | held | p50 / p95 / p99 ms | large p99 | server CPU cores (relay + redis + pg) | server MiB (relay + redis + pg) | client cores, loop p99, lag p99 | sent / scheduled |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const run of runs) {
    rows.push(
      `| ${NAMES[run.topology]} | ${run.sessions} | ${run.held}${handled(run) ? '' : ' ✗'} | ${ms(run.p50)} / ${ms(run.p95)} / ${ms(run.p99)} | ${ms(run.largeP99)} | ${serverCores(run).toFixed(2)} (${run.relayCores.toFixed(2)} + ${run.redisCores.toFixed(2)} + ${run.postgresCores.toFixed(2)}) | ${serverMiB(run).toFixed(0)} (${run.relayMiB.toFixed(0)} + ${run.redisMiB.toFixed(0)} + ${run.postgresMiB.toFixed(0)}) | ${run.clientCores.toFixed(2)}, ${ms(run.clientLoopP99)}, ${ms(run.clientLagP99)} ms | ${run.sent} / ${run.scheduled} |`,
    );
  }
  return rows.join('\n');
}

/** Per topology: the knee, and the figures at it beside the floor's at the same N, as ratios. */
export function kneeTable(
  runs: readonly RunResult[],
  stopped: ReadonlyMap<Topology, string>,
): string {
  const rows = [
    '| topology | knee N (p99 < 50 ms, all held) | stopped by | p50 / p95 / p99 ms at knee | × floor | server cores per 1,000 sessions | × floor | server MiB per 1,000 sessions (above idle) | × floor |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const topology of ['single', 'three', 'floor'] as const) {
    const mine = runs.filter((run) => run.topology === topology);
    if (mine.length === 0) continue;
    const knee = mine.filter(handled).at(-1);
    if (!knee) {
      rows.push(`| ${NAMES[topology]} | none | ${stopped.get(topology) ?? ''} | | | | | | |`);
      continue;
    }
    const floor = runs.find((run) => run.topology === 'floor' && run.sessions === knee.sessions);
    const per1000 = (value: number, run: RunResult) => (value * 1000) / run.sessions;
    const cores = per1000(serverCores(knee), knee);
    const memory = per1000(serverMiB(knee) - knee.idleMiB, knee);
    const floorCores = floor ? per1000(serverCores(floor), floor) : undefined;
    const floorMemory = floor ? per1000(serverMiB(floor) - floor.idleMiB, floor) : undefined;
    const latencyRatio =
      topology === 'floor' || !floor
        ? '—'
        : `${x(knee.p50, floor.p50)} / ${x(knee.p95, floor.p95)} / ${x(knee.p99, floor.p99)}`;
    rows.push(
      `| ${NAMES[topology]} | ${knee.sessions} | ${stopped.get(topology) ?? ''} | ${ms(knee.p50)} / ${ms(knee.p95)} / ${ms(knee.p99)} | ${latencyRatio} | ${cores.toFixed(2)} | ${topology === 'floor' ? '—' : x(cores, floorCores)} | ${memory.toFixed(0)} | ${topology === 'floor' ? '—' : x(memory, floorMemory)} |`,
    );
  }
  return rows.join('\n');
}
