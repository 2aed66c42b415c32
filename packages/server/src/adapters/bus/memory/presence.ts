/**
 * @module
 * Presence for in-process nodes: the entries and the nodes' heartbeats live in a shared
 * {@link PresenceBoard} (part of the memory hub), each node's {@link MemoryPresence} writes its
 * own entries and keeps its own heartbeat beating on its clock. Same rules as the Redis bus: an
 * entry is listed while its node's heartbeat is fresh.
 */
import type { Clock, Presence, PresenceEntry, Timer } from '../../../core/ports.js';
import { byAge } from '../presence.js';

/** What in-process nodes share about presence. */
export class PresenceBoard {
  /** Per session: its entries by socket id. */
  readonly sessions = new Map<string, Map<string, PresenceEntry>>();
  /** Per node: when its heartbeat lapses (ms since the epoch, on the beating node's clock). */
  readonly heartbeats = new Map<string, number>();

  constructor(readonly ttlMs: number) {}
}

/** One node's presence on a {@link PresenceBoard}. */
export class MemoryPresence implements Presence {
  private timer?: Timer;

  constructor(
    private readonly board: PresenceBoard,
    private readonly nodeId: string,
    private readonly clock: Clock,
    private readonly assertOpen: () => void,
  ) {
    this.beat();
  }

  async enter(sessionId: string, entry: Omit<PresenceEntry, 'nodeId'>): Promise<void> {
    this.assertOpen();
    let entries = this.board.sessions.get(sessionId);
    if (!entries) {
      entries = new Map();
      this.board.sessions.set(sessionId, entries);
    }
    entries.set(entry.socketId, { ...entry, nodeId: this.nodeId });
  }

  async leave(sessionId: string, socketId: string): Promise<void> {
    this.assertOpen();
    const entries = this.board.sessions.get(sessionId);
    entries?.delete(socketId);
    if (entries?.size === 0) this.board.sessions.delete(sessionId);
  }

  async list(sessionId: string): Promise<PresenceEntry[]> {
    this.assertOpen();
    const now = this.clock.now();
    return [...(this.board.sessions.get(sessionId)?.values() ?? [])]
      .filter((entry) => (this.board.heartbeats.get(entry.nodeId) ?? 0) > now)
      .map((entry) => ({ ...entry }))
      .sort(byAge);
  }

  async nodes(): Promise<string[]> {
    this.assertOpen();
    const now = this.clock.now();
    return [...this.board.heartbeats]
      .filter(([, lapses]) => lapses > now)
      .map(([nodeId]) => nodeId)
      .sort();
  }

  /** Forgets the session's entries. */
  drop(sessionId: string): void {
    this.board.sessions.delete(sessionId);
  }

  /**
   * Stops beating. The heartbeat is left to lapse, as a dead node's would: its entries drop out
   * after the TTL, not at once.
   */
  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Marks this node alive for a TTL, and beats again after a third of it. */
  private beat(): void {
    this.board.heartbeats.set(this.nodeId, this.clock.now() + this.board.ttlMs);
    this.timer = this.clock.setTimer(Math.max(1, Math.floor(this.board.ttlMs / 3)), () =>
      this.beat(),
    );
  }
}
