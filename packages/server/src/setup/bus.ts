/**
 * @module
 * Which `Bus` a node opens: Redis when `redisUrl` is set (several nodes share it), otherwise a
 * memory bus of its own (one node).
 */
import { MemoryBus, MemoryBusHub } from '../adapters/bus/memory/index.js';
import { RedisBus } from '../adapters/bus/redis/index.js';
import type { Bus, Logger } from '../core/ports.js';
import type { ResolvedOptions } from '../options.js';

/** Margin of the Redis keys' TTL past the longest a session can live. */
const SESSION_TTL_MARGIN_MS = 60 * 60_000;

/**
 * Opens the bus the options name. A Redis bus is connected and its node's first heartbeat is in
 * before this resolves; it rejects if Redis does not answer. `logger` hears about connections
 * lost and heartbeats missed.
 */
export async function openBus(options: ResolvedOptions, logger: Logger): Promise<Bus> {
  if (options.redisUrl !== undefined) {
    return RedisBus.connect({
      url: options.redisUrl,
      nodeId: options.nodeId,
      checkoutMaxBytes: options.checkoutMaxBytes,
      // No session lives longer than its deadline with every extension, so keys written at any
      // point of its life outlive it; keys that outlive that are an abandoned session's.
      sessionTtlMs:
        options.sessionMaxDurationMs + options.sessionMaxExtensionMs + SESSION_TTL_MARGIN_MS,
      logger,
    });
  }
  return new MemoryBus({
    nodeId: options.nodeId,
    hub: new MemoryBusHub({ checkoutMaxBytes: options.checkoutMaxBytes }),
  });
}
