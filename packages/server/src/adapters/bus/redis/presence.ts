/**
 * @module
 * Presence on Redis. A session's entries are one hash (socket id → `nodeId\n<entry JSON>`, with
 * the session's TTL); the nodes' heartbeats are one sorted set scored by when each lapses, on
 * Redis's own clock, so nodes whose clocks disagree still agree on who is alive. A node beats
 * every third of the TTL from its own timer; listing keeps the entries of live nodes only, in one
 * script.
 */
import type { Logger, Presence, PresenceEntry } from '../../../core/ports.js';
import { byAge } from '../presence.js';
import { SessionKeys } from './keys.js';
import type { ScriptedRedis } from './scripts.js';

/** What {@link RedisPresence} needs from its bus. */
export interface RedisPresenceDeps {
  redis: ScriptedRedis;
  nodeId: string;
  prefix: string;
  nodesKey: string;
  ttlMs: number;
  sessionTtlMs: number;
  logger?: Logger;
  assertOpen(): void;
}

/** One node's presence on Redis. */
export class RedisPresence implements Presence {
  private timer?: NodeJS.Timeout;
  /** The first heartbeat: entries wait for it, so no node ever lists one of a node it thinks dead. */
  readonly started: Promise<void>;

  constructor(private readonly deps: RedisPresenceDeps) {
    this.started = this.beat();
    // Whoever awaits it sees the failure; nobody awaiting it is no crash.
    this.started.catch(() => undefined);
    this.timer = setInterval(
      () => {
        this.beat().catch((error: unknown) => {
          this.deps.logger?.warn({ err: error, nodeId: deps.nodeId }, 'bus heartbeat failed');
        });
      },
      Math.max(1, Math.floor(deps.ttlMs / 3)),
    );
    this.timer.unref();
  }

  async enter(sessionId: string, entry: Omit<PresenceEntry, 'nodeId'>): Promise<void> {
    this.deps.assertOpen();
    await this.started;
    const key = new SessionKeys(this.deps.prefix, sessionId).presence;
    const value: PresenceEntry = { ...entry, nodeId: this.deps.nodeId };
    const results = await this.deps.redis
      .multi()
      .hset(key, entry.socketId, `${this.deps.nodeId}\n${JSON.stringify(value)}`)
      .pexpire(key, this.deps.sessionTtlMs)
      .exec();
    const failed = results?.find(([error]) => error)?.[0];
    if (failed) throw failed;
  }

  async leave(sessionId: string, socketId: string): Promise<void> {
    this.deps.assertOpen();
    await this.deps.redis.hdel(new SessionKeys(this.deps.prefix, sessionId).presence, socketId);
  }

  async list(sessionId: string): Promise<PresenceEntry[]> {
    this.deps.assertOpen();
    const values = await this.deps.redis.slListPresence(
      new SessionKeys(this.deps.prefix, sessionId).presence,
      this.deps.nodesKey,
    );
    return values
      .map((value) => JSON.parse(value.slice(value.indexOf('\n') + 1)) as PresenceEntry)
      .sort(byAge);
  }

  async nodes(): Promise<string[]> {
    this.deps.assertOpen();
    return (await this.deps.redis.slLiveNodes(this.deps.nodesKey)).sort();
  }

  /** Stops beating; the heartbeat is left to lapse, as a dead node's would. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async beat(): Promise<void> {
    await this.deps.redis.slHeartbeat(this.deps.nodesKey, this.deps.nodeId, this.deps.ttlMs);
  }
}
