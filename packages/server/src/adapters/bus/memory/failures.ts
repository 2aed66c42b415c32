/**
 * @module
 * Failure windows for in-process nodes: one map on the hub, so every node of a test counts the
 * same failures. Keys are bounded: past `MAX_KEYS`, the keys that failed least recently are
 * forgotten first, so a flood of one-off addresses cannot grow the map without end.
 */
import type { FailureWindows } from '../../../core/ports.js';

/** Keys kept at most. */
const MAX_KEYS = 100_000;

/** The failures of every key, on a hub. */
export class FailureBoard {
  /** Failure times per key, oldest first; map order is least recently failed first. */
  readonly times = new Map<string, number[]>();
}

/** One node's view of a {@link FailureBoard}. */
export class MemoryFailures implements FailureWindows {
  constructor(
    private readonly board: FailureBoard,
    private readonly assertOpen: () => void,
  ) {}

  async read(key: string, now: number, windowMs: number): Promise<number[]> {
    this.assertOpen();
    return this.recent(key, now, windowMs);
  }

  async record(key: string, now: number, windowMs: number, keep: number): Promise<number[]> {
    this.assertOpen();
    const times = [...this.recent(key, now, windowMs), now].slice(-keep);
    // Re-inserted: the key moves to the end of the map's order.
    this.board.times.delete(key);
    this.board.times.set(key, times);
    while (this.board.times.size > MAX_KEYS) {
      const stalest = this.board.times.keys().next().value;
      if (stalest === undefined) break;
      this.board.times.delete(stalest);
    }
    return [...times];
  }

  /** The key's failures inside the window; expired ones are dropped on the way. */
  private recent(key: string, now: number, windowMs: number): number[] {
    const times = this.board.times.get(key);
    if (!times) return [];
    const kept = times.filter((at) => at > now - windowMs);
    if (kept.length === 0) this.board.times.delete(key);
    else this.board.times.set(key, kept);
    return [...kept];
  }
}
