/**
 * @module
 * What the load bench's parent and its worker processes say to each other over IPC: set up these
 * sessions, go at this time, here are the results.
 */
import type { Target } from './sessions.js';

/** Parent → worker: set up `sessions` (global indices out of `total`) against `target`. */
export interface SetupMessage {
  type: 'setup';
  target: Target;
  sessions: number[];
  total: number;
  /** Keeps user ids of different runs apart. */
  run: string;
  /** Sessions set up at once by this worker. */
  concurrency: number;
}

/** Worker → parent: the sessions are set up (or some failed). */
export interface ReadyMessage {
  type: 'ready';
  established: number;
  /** The first few set-up errors. */
  errors: string[];
}

/**
 * Parent → worker: start sending at `startAt` (epoch ms). Session `i` of `total` sends its first
 * batch (the full snapshot) at `startAt + rampMs * i / total`, then one every 100 ms until
 * `startAt + warmupMs + measureMs`; batches scheduled from `startAt + warmupMs` are measured.
 * Agents then get `drainMs` to receive the rest.
 */
export interface GoMessage {
  type: 'go';
  startAt: number;
  rampMs: number;
  warmupMs: number;
  measureMs: number;
  drainMs: number;
}

/** Worker → parent: what happened. */
export interface ResultMessage {
  type: 'result';
  /** Latency of every measured delivery (one per agent per batch), ms. */
  latencies: Float64Array;
  /** The same for the larger batches alone (16–64 KB). */
  large: Float64Array;
  /** Sessions asked for, and those whose three sockets stayed open and whose agents got every batch once, in order. */
  sessions: number;
  held: number;
  /** Batches sent in the measured window, and the number the schedule asked for. */
  sent: number;
  scheduled: number;
  /** Deliveries that skipped a batch, and duplicates, over all agents. */
  gaps: number;
  duplicates: number;
  /** Batches an agent never received by the end of the drain, over all agents. */
  missing: number;
  /** Close codes of sockets that closed during the run. */
  closes: number[];
  /** How late the generator sent, against its schedule: p99, ms. */
  sendLagP99: number;
  /** The worker's own event-loop delay while sending: p99, ms (receipts wait on it too). */
  loopDelayP99: number;
  /** Full snapshots sent because the server asked (`checkout_tail`). */
  requestedSnapshots: number;
}

/** Anything the worker sends. */
export type WorkerMessage = ReadyMessage | ResultMessage;

/** Anything the parent sends. */
export type ParentMessage = SetupMessage | GoMessage | { type: 'close' };
