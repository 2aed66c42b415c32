/**
 * @module
 * Which `SessionStore` a node opens: PostgreSQL when `databaseUrl` is set (several nodes share it),
 * otherwise SQLite in the data directory (one node).
 */
import { join } from 'node:path';
import { PostgresSessionStore } from '../adapters/store/postgres/index.js';
import { SqliteSessionStore } from '../adapters/store/sqlite/index.js';
import type { Clock, Logger, SessionStore } from '../core/ports.js';
import type { ResolvedOptions } from '../options.js';

/**
 * Opens the store the options name (migrating it as needed). `logger` hears about PostgreSQL
 * connections lost while idle; the pool replaces them.
 */
export async function openStore(
  options: ResolvedOptions,
  clock: Clock,
  logger: Logger,
): Promise<SessionStore> {
  if (options.databaseUrl !== undefined) {
    return PostgresSessionStore.open({
      connectionString: options.databaseUrl,
      poolSize: options.databasePoolSize,
      onError: (error) => logger.warn({ err: error }, 'PostgreSQL connection lost while idle'),
    });
  }
  const inMemory = options.dataDir === ':memory:';
  return new SqliteSessionStore({
    filename: inMemory ? ':memory:' : join(options.dataDir, 'sightline.db'),
    now: () => clock.now(),
  });
}
