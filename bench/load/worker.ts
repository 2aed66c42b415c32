/**
 * A load generator process of the load bench, forked by `load.bench.ts`: it sets up its share of
 * the sessions, sends every customer's batches on schedule, times every delivery to the agents
 * on its own clock (a session's customer and agents live in the same worker), and reports. The
 * servers run in other processes, so the generator's CPU is not theirs; the parent reads both.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import type {
  GoMessage,
  ParentMessage,
  ResultMessage,
  SetupMessage,
  WorkerMessage,
} from './ipc.js';
import { BATCHES_PER_SECOND, batchPayload, kindOf } from './mix.js';
import { startLoadSession, type LoadSession } from './sessions.js';

const PERIOD_MS = 1000 / BATCHES_PER_SECOND;
/** The event-loop delay monitor's timer interval, which every sample includes. */
const LOOP_RESOLUTION_MS = 10;

/** One session as the schedule sees it. */
interface Scheduled {
  index: number;
  session?: LoadSession;
  /** When in each 100 ms cycle its batch goes, ms. */
  phase: number;
  /** The cycles (from `startAt`) of its first batch, first measured batch and last batch. */
  firstCycle: number;
  measuredCycle: number;
  lastCycle: number;
  /** Batch numbers from this one on are measured. */
  firstMeasured: number;
  sent: number;
}

const latencies: number[] = [];
const large: number[] = [];
const lags: number[] = [];
let sessions: Scheduled[] = [];
let requestedSnapshots = 0;

function reply(message: WorkerMessage): void {
  process.send?.(message);
}

async function setup(message: SetupMessage): Promise<void> {
  sessions = message.sessions.map((index) => ({
    index,
    phase: 0,
    firstCycle: 0,
    measuredCycle: 0,
    lastCycle: 0,
    firstMeasured: 1,
    sent: 0,
  }));
  const errors: string[] = [];
  let next = 0;
  const one = async () => {
    for (;;) {
      const scheduled = sessions[next];
      next += 1;
      if (!scheduled) return;
      try {
        scheduled.session = await startLoadSession(
          message.target,
          scheduled.index,
          message.run,
          (seq, latency) => {
            if (seq < scheduled.firstMeasured) return;
            latencies.push(latency);
            if (kindOf(seq) === 'large') large.push(latency);
          },
        );
      } catch (error) {
        if (errors.length < 5) errors.push(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: message.concurrency }, one));
  reply({ type: 'ready', established: sessions.filter((s) => s.session).length, errors });
}

function percentile99(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? 0;
}

/**
 * Sends on schedule; resolves once the last batch of the measured window went. Session `s` sends
 * at `phase + k × 100 ms` for every cycle `k` from its first: sessions are kept in phase order,
 * so the next batch due is always the next in that order. Late sends go at once (catching up):
 * the stamp is the real send time, so a slow generator shows as lag, not as relay latency.
 */
function send(go: GoMessage, total: number): Promise<void> {
  const start = performance.now() + (go.startAt - Date.now());
  const end = go.warmupMs + go.measureMs;
  for (const s of sessions) {
    const offset = (go.rampMs * s.index) / total;
    s.phase = offset % PERIOD_MS;
    s.firstCycle = Math.floor(offset / PERIOD_MS);
    s.measuredCycle = Math.max(s.firstCycle, Math.ceil((go.warmupMs - s.phase) / PERIOD_MS));
    s.lastCycle = Math.ceil((end - s.phase) / PERIOD_MS) - 1;
    s.firstMeasured = s.measuredCycle - s.firstCycle + 1;
  }
  const live = sessions.filter((s) => s.session).sort((a, b) => a.phase - b.phase);
  let cycle = 0;
  let position = 0;
  return new Promise((resolve) => {
    const pump = () => {
      const now = performance.now() - start;
      for (;;) {
        const s = live[position];
        if (!s) return resolve();
        const due = s.phase + cycle * PERIOD_MS;
        if (due >= end) return resolve();
        if (due > now) {
          setTimeout(pump, due - now);
          return;
        }
        const k = cycle;
        position += 1;
        if (position === live.length) {
          position = 0;
          cycle += 1;
        }
        if (k < s.firstCycle) continue;
        const session = s.session!;
        const seq = k - s.firstCycle + 1;
        const full = seq === 1 || session.snapshotWanted();
        if (full && seq !== 1) requestedSnapshots += 1;
        if (session.customer.readyState === WebSocket.OPEN) {
          session.send(seq, batchPayload(seq, full), full);
          s.sent = seq;
        }
        if (seq >= s.firstMeasured) lags.push(now - due);
      }
    };
    setTimeout(pump, Math.max(0, start - performance.now()));
  });
}

async function run(go: GoMessage, total: number): Promise<void> {
  const delay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  delay.enable();
  await send(go, total);
  delay.disable();
  const complete = () =>
    sessions.every((s) => !s.session || s.session.received.every((r) => r.next > s.sent));
  const deadline = performance.now() + go.drainMs;
  while (!complete() && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const result: ResultMessage = {
    type: 'result',
    latencies: Float64Array.from(latencies),
    large: Float64Array.from(large),
    sessions: sessions.length,
    held: 0,
    sent: 0,
    scheduled: 0,
    gaps: 0,
    duplicates: 0,
    missing: 0,
    closes: [],
    sendLagP99: percentile99(lags),
    loopDelayP99: Math.max(0, delay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS),
    requestedSnapshots,
  };
  for (const s of sessions) {
    const measured = Math.max(0, s.sent - s.firstMeasured + 1);
    result.sent += measured;
    const session = s.session;
    if (!session) continue;
    result.scheduled += Math.max(0, s.lastCycle - s.measuredCycle + 1);
    result.closes.push(...session.closes);
    let held = [session.customer, ...session.agents].every((w) => w.readyState === WebSocket.OPEN);
    for (const received of session.received) {
      result.gaps += received.gaps;
      result.duplicates += received.duplicates;
      result.missing += Math.max(0, s.sent - (received.next - 1));
      if (received.gaps > 0 || received.duplicates > 0 || received.next !== s.sent + 1)
        held = false;
    }
    if (held) result.held += 1;
  }
  reply(result);
}

let total = 0;
process.on('message', (message: ParentMessage) => {
  if (message.type === 'setup') {
    total = message.total;
    void setup(message);
  } else if (message.type === 'go') {
    void run(message, total);
  } else {
    for (const s of sessions) {
      for (const socket of [s.session?.customer, ...(s.session?.agents ?? [])]) socket?.terminate();
    }
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
