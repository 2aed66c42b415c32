/**
 * @module
 * The load both targets get: one customer socket sending a realistic batch mix, N agent sockets
 * receiving. Each payload starts with the send time, so latency is measured end to end on one
 * clock (this process) without the relay having to understand the payload.
 */
import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';

/** The mix: mostly small incremental batches, and now and then a full snapshot. */
export interface Mix {
  /** Batches per second the customer sends. */
  rate: number;
  /** Batches measured (after warm-up). */
  batches: number;
  /** Batches sent first and not measured. */
  warmup: number;
  /** Every `snapshotEvery`-th batch is a full snapshot of `snapshotBytes`. */
  snapshotEvery: number;
  snapshotBytes: number;
}

/** Latency samples, in ms, split by kind. */
export interface Samples {
  small: number[];
  snapshot: number[];
}

/** A payload of `size` bytes whose first 12 bytes are the send time and the batch number. */
export function payload(size: number, batch: number): Uint8Array {
  const bytes = new Uint8Array(Math.max(size, 12));
  for (let i = 12; i < bytes.length; i += 1) bytes[i] = (i * 31 + batch) & 0xff;
  const view = new DataView(bytes.buffer);
  view.setFloat64(0, performance.now());
  view.setUint32(8, batch);
  return bytes;
}

/** Small batch sizes between 120 B and 1 KB, skewed small, as typing and mutations produce. */
export function smallSize(batch: number): number {
  const r = ((batch * 2654435761) % 1000) / 1000;
  return Math.round(120 + 900 * r * r);
}

/**
 * Drives the mix through a relay. `send` wraps a payload in whatever the target expects;
 * `readPayload` finds the payload in what an agent receives.
 */
export async function runMix(options: {
  mix: Mix;
  agents: WebSocket[];
  send: (payload: Uint8Array, seq: number, full: boolean) => void;
  readPayload: (frame: Buffer) => Uint8Array | undefined;
}): Promise<Samples> {
  const { mix, agents, send, readPayload } = options;
  const total = mix.warmup + mix.batches;
  const samples: Samples = { small: [], snapshot: [] };
  let received = 0;
  const expected = total * agents.length;
  const done = new Promise<void>((resolve) => {
    for (const agent of agents) {
      agent.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary) return;
        const bytes = readPayload(data);
        if (!bytes || bytes.length < 12) return;
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const latency = performance.now() - view.getFloat64(0);
        const batch = view.getUint32(8);
        received += 1;
        if (batch >= mix.warmup) {
          (batch % mix.snapshotEvery === 0 ? samples.snapshot : samples.small).push(latency);
        }
        if (received === expected) resolve();
      });
    }
  });
  const interval = 1000 / mix.rate;
  const start = performance.now();
  for (let batch = 0; batch < total; batch += 1) {
    const full = batch % mix.snapshotEvery === 0;
    send(payload(full ? mix.snapshotBytes : smallSize(batch), batch), batch + 1, full);
    const next = start + (batch + 1) * interval;
    const wait = next - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`only ${received}/${expected} frames arrived`)), 30_000),
  );
  await Promise.race([done, timeout]);
  return samples;
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
