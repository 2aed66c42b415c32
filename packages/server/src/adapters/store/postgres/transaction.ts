/**
 * @module
 * Internal: the PostgreSQL store's pool settings and its one way of running a transaction.
 */
import pg from 'pg';
import type { CustomTypesConfig, Pool, PoolClient } from 'pg';

/** Something that runs queries: the pool, or one client inside a transaction. */
export type Queryable = Pick<Pool, 'query'> | Pick<PoolClient, 'query'>;

/**
 * Type parsers for the store's pool: `BIGINT` (milliseconds, counts) as a JS number rather than
 * node-postgres's default string. Every such value fits a double: times are milliseconds since
 * the epoch, counts are small.
 */
export const STORE_TYPES: CustomTypesConfig = {
  getTypeParser: (id, format) =>
    id === pg.types.builtins.INT8 && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(id, format),
};

/**
 * Runs `work` in a transaction on one pooled client (READ COMMITTED): committed if it returns,
 * rolled back if it throws. A client whose rollback failed is broken and is dropped from the pool
 * rather than handed to the next caller.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollback: unknown) => {
      broken = rollback instanceof Error ? rollback : new Error(String(rollback));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Whether `error` is PostgreSQL refusing a row for the unique constraint or index `name`. */
export function isUniqueViolation(error: unknown, name: string): boolean {
  return error instanceof pg.DatabaseError && error.code === '23505' && error.constraint === name;
}
