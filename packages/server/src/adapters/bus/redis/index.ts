/**
 * @module
 * The Redis `Bus`, for nodes in separate processes (`SIGHTLINE_REDIS_URL`). Each session has a
 * pub/sub channel; each node holds two connections: one for commands and publishing, one
 * subscriber multiplexing every session the node has sockets in. Checkouts, tabs and presence
 * live in Redis under the session's keys (`./keys.ts`), changed only by the Lua scripts of
 * `./scripts.ts`, with the memory bus's rules. Passes `test/contracts/bus.contract.ts` with three
 * nodes in one process.
 *
 * Redis pub/sub delivers at most once: a message published while a node's subscriber is
 * reconnecting is lost to it. Batches survive that (checkouts and resends by seq); the other
 * messages are as lost as they would be with that node's sockets reconnecting.
 */
import { CHECKOUT_MAX_BYTES } from '@sightline/protocol';
import { Redis } from 'ioredis';
import type {
  AppendResult,
  Bus,
  BusMessage,
  Checkout,
  Logger,
  StoredBatch,
  TabList,
  TabRecord,
  Unsubscribe,
} from '../../../core/ports.js';
import { PRESENCE_TTL_MS } from '../presence.js';
import { decodeMessage, decodeStored, encodeMessage, encodeNodeId, encodeStored } from './codec.js';
import { nodesKey, SessionKeys } from './keys.js';
import { RedisFailures } from './failures.js';
import { RedisPresence } from './presence.js';
import { defineScripts, type ScriptedRedis } from './scripts.js';

/** Options of {@link RedisBus}. */
export interface RedisBusOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` for TLS. */
  url: string;
  /** This node's id: 1 to 255 bytes, no newline, unique among live nodes. */
  nodeId: string;
  /** Bound on one tab's checkout. @default CHECKOUT_MAX_BYTES (32 MiB) */
  checkoutMaxBytes?: number;
  /**
   * A session's keys expire this long after their last write, so an abandoned session's data
   * goes away even if no node drops it. Keep it above the longest a session can live.
   * @default 3 h
   */
  sessionTtlMs?: number;
  /** How long a node's presence outlives its last heartbeat. @default PRESENCE_TTL_MS (15 s) */
  presenceTtlMs?: number;
  /** Put before every key and channel name, to share a Redis. @default 'sightline:' */
  keyPrefix?: string;
  /** {@link RedisBus.connect} gives up after this long without Redis. @default 10 s */
  connectTimeoutMs?: number;
  /** Where background failures go (heartbeats, connection errors, a throwing handler). */
  logger?: Logger;
}

/** Default of {@link RedisBusOptions.sessionTtlMs}. */
export const REDIS_SESSION_TTL_MS = 3 * 60 * 60_000;

interface Channel {
  handlers: Set<(message: BusMessage) => void>;
  /** Settles when the SUBSCRIBE is acknowledged: from then on nothing published is missed. */
  live: Promise<unknown>;
}

/** One node's Redis bus. */
export class RedisBus implements Bus {
  readonly nodeId: string;
  readonly presence: RedisPresence;
  readonly failures: RedisFailures;
  private readonly redis: ScriptedRedis;
  private readonly subscriber: Redis;
  private readonly nodeBytes: Buffer;
  private readonly channels = new Map<string, Channel>();
  private readonly prefix: string;
  private readonly maxBytes: number;
  private readonly ttlMs: number;
  private readonly logger?: Logger;
  private closing?: Promise<void>;

  /** Connects (lazily) and starts the heartbeat; prefer {@link RedisBus.connect}. */
  constructor(options: RedisBusOptions) {
    this.nodeId = options.nodeId;
    this.nodeBytes = encodeNodeId(options.nodeId);
    this.prefix = options.keyPrefix ?? 'sightline:';
    this.maxBytes = options.checkoutMaxBytes ?? CHECKOUT_MAX_BYTES;
    this.ttlMs = options.sessionTtlMs ?? REDIS_SESSION_TTL_MS;
    this.logger = options.logger;
    this.redis = defineScripts(
      new Redis(options.url, { connectionName: `sightline:${this.nodeId}` }),
    );
    this.subscriber = this.redis.duplicate({ connectionName: `sightline-sub:${this.nodeId}` });
    for (const connection of [this.redis, this.subscriber]) {
      connection.on('error', (error: unknown) => {
        this.logger?.warn({ err: error, nodeId: this.nodeId }, 'redis connection error');
      });
    }
    this.subscriber.on('messageBuffer', (channel: Buffer, data: Buffer) =>
      this.receive(channel, data),
    );
    this.presence = new RedisPresence({
      redis: this.redis,
      nodeId: this.nodeId,
      prefix: this.prefix,
      nodesKey: nodesKey(this.prefix),
      ttlMs: options.presenceTtlMs ?? PRESENCE_TTL_MS,
      sessionTtlMs: this.ttlMs,
      logger: this.logger,
      assertOpen: () => this.assertOpen(),
    });
    this.failures = new RedisFailures(this.redis, this.prefix, this.nodeId, () =>
      this.assertOpen(),
    );
  }

  /**
   * A bus whose connections are up and whose first heartbeat is in, so the node counts as alive
   * before it admits anyone. Rejects (and closes) if Redis is not reached within
   * `connectTimeoutMs`: a node does not start without its bus.
   */
  static async connect(options: RedisBusOptions): Promise<RedisBus> {
    const bus = new RedisBus(options);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis at ${redactedUrl(options.url)} did not answer`)),
        options.connectTimeoutMs ?? 10_000,
      );
    });
    try {
      await Promise.race([
        Promise.all([bus.presence.started, ready(bus.redis), ready(bus.subscriber)]),
        timeout,
      ]);
      return bus;
    } catch (error) {
      await bus.close();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async publish(sessionId: string, message: BusMessage): Promise<void> {
    this.assertOpen();
    const channel = new SessionKeys(this.prefix, sessionId).channel;
    await this.redis.publish(channel, encodeMessage(this.nodeBytes, message));
  }

  async subscribe(sessionId: string, handler: (message: BusMessage) => void): Promise<Unsubscribe> {
    this.assertOpen();
    const name = new SessionKeys(this.prefix, sessionId).channel;
    let channel = this.channels.get(name);
    if (!channel) {
      // One SUBSCRIBE per session per node, however many sockets. Commands on one connection run
      // in order, so an UNSUBSCRIBE still in flight for this channel is undone by this SUBSCRIBE.
      const fresh: Channel = { handlers: new Set(), live: this.subscriber.subscribe(name) };
      fresh.live.catch(() => {
        if (this.channels.get(name) === fresh) this.channels.delete(name);
      });
      this.channels.set(name, fresh);
      channel = fresh;
    }
    const own = channel;
    own.handlers.add(handler);
    await own.live;
    return async () => {
      if (!own.handlers.delete(handler) || own.handlers.size > 0) return;
      if (this.channels.get(name) !== own) return;
      this.channels.delete(name);
      if (!this.closing) await this.subscriber.unsubscribe(name);
    };
  }

  async appendBatch(sessionId: string, batch: StoredBatch): Promise<AppendResult> {
    this.assertOpen();
    const keys = new SessionKeys(this.prefix, sessionId);
    const reply = await this.redis.slAppend(
      keys.seqs,
      keys.order,
      keys.meta(batch.tabId),
      keys.frames(batch.tabId),
      keys.received,
      batch.tabId,
      batch.seq,
      batch.full ? 1 : 0,
      batch.frame.byteLength,
      encodeStored(batch),
      this.maxBytes,
      this.ttlMs,
      batch.receivedAt,
    );
    if (reply[0] === 0) return { status: 'duplicate', lastSeq: Number(reply[1]) };
    return {
      status: 'appended',
      tailBytes: Number(reply[1]),
      tailBatches: Number(reply[2]),
      truncated: reply[3] === 1,
    };
  }

  async readCheckout(sessionId: string, tabId: string): Promise<Checkout> {
    this.assertOpen();
    const keys = new SessionKeys(this.prefix, sessionId);
    const [lastSeq, encoded] = await this.redis.slReadCheckoutBuffer(
      keys.seqs,
      keys.frames(tabId),
      tabId,
    );
    const batches = encoded.map((data) => decodeStored(tabId, data));
    // A full batch empties the list before it is pushed: only the first can be one.
    const full = batches[0]?.full ? batches.shift() : undefined;
    return { ...(full ? { full } : {}), tail: batches, lastSeq: Number(lastSeq) };
  }

  async listTabs(sessionId: string): Promise<string[]> {
    this.assertOpen();
    return this.redis.lrange(new SessionKeys(this.prefix, sessionId).order, 0, -1);
  }

  async lastSeqs(sessionId: string): Promise<Record<string, number>> {
    this.assertOpen();
    const seqs = await this.redis.hgetall(new SessionKeys(this.prefix, sessionId).seqs);
    return Object.fromEntries(Object.entries(seqs).map(([tabId, seq]) => [tabId, Number(seq)]));
  }

  async dropSession(sessionId: string): Promise<void> {
    this.assertOpen();
    const keys = new SessionKeys(this.prefix, sessionId);
    await this.redis.slDrop(
      keys.seqs,
      keys.order,
      keys.tabs,
      keys.tabOrder,
      keys.presence,
      keys.received,
      keys.base,
    );
  }

  async lastReceivedAt(sessionId: string): Promise<number | undefined> {
    this.assertOpen();
    const value = await this.redis.get(new SessionKeys(this.prefix, sessionId).received);
    return value === null ? undefined : Number(value);
  }

  async updateTab(
    sessionId: string,
    update: { tabId: string; state: TabRecord['state']; at: number },
  ): Promise<TabList> {
    this.assertOpen();
    const keys = new SessionKeys(this.prefix, sessionId);
    return toTabList(
      await this.redis.slUpdateTab(
        keys.tabs,
        keys.tabOrder,
        update.tabId,
        update.state,
        update.at,
        this.ttlMs,
      ),
    );
  }

  async readTabs(sessionId: string): Promise<TabList> {
    this.assertOpen();
    const keys = new SessionKeys(this.prefix, sessionId);
    return toTabList(await this.redis.slReadTabs(keys.tabs, keys.tabOrder));
  }

  /**
   * Both connections are up and answer PING (the subscriber's even in subscriber mode). A
   * connection that is down fails at once: a PING would wait in ioredis's offline queue.
   */
  async ping(): Promise<void> {
    this.assertOpen();
    await Promise.all(
      [this.redis, this.subscriber].map(async (connection) => {
        if (connection.status !== 'ready') throw new Error(`Redis is ${connection.status}`);
        await connection.ping();
      }),
    );
  }

  async close(): Promise<void> {
    this.closing ??= (async () => {
      this.presence.stop();
      this.channels.clear();
      await Promise.all([this.redis, this.subscriber].map(quit));
    })();
    return this.closing;
  }

  private receive(channel: Buffer, data: Buffer): void {
    const handlers = this.channels.get(channel.toString())?.handlers;
    if (!handlers) return;
    // Echoes are dropped here, by the node id every message carries.
    const message = decodeMessage(this.nodeBytes, data);
    if (!message) return;
    for (const handler of [...handlers]) {
      try {
        handler(message);
      } catch (error) {
        // Thrown into ioredis, it would break the connection's parser for every session.
        this.logger?.error({ err: error, nodeId: this.nodeId }, 'bus handler failed');
      }
    }
  }

  private assertOpen(): void {
    if (this.closing) throw new Error(`RedisBus ${this.nodeId} is closed`);
  }
}

/** Resolves once `connection` is ready. */
function ready(connection: Redis): Promise<void> {
  if (connection.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => connection.once('ready', () => resolve()));
}

/** The URL without its password, for messages. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured URL';
  }
}

/** Quits politely when connected; otherwise stops reconnecting at once. */
async function quit(connection: Redis): Promise<void> {
  if (connection.status === 'ready') {
    await connection.quit().catch(() => connection.disconnect());
  } else {
    connection.disconnect();
  }
}

/** Decodes the tab scripts' `{revision, tabId, 'state|openedAt|since', …}`. */
function toTabList(reply: (string | number)[]): TabList {
  const tabs: TabRecord[] = [];
  for (let i = 1; i + 1 < reply.length; i += 2) {
    const [state, openedAt, since] = String(reply[i + 1]).split('|');
    tabs.push({
      tabId: String(reply[i]),
      state: state as TabRecord['state'],
      openedAt: Number(openedAt),
      since: Number(since),
    });
  }
  return { revision: Number(reply[0]), tabs };
}
