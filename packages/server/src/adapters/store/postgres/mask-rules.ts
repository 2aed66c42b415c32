/**
 * @module
 * Internal: the PostgreSQL store's mask rules table (migration 5). Each change and its
 * security-log entry are one transaction. An insert first locks its app's row, so concurrent
 * inserts for one app, on any nodes, count the rules one after another and cannot pass the limit
 * together (`FOR NO KEY UPDATE`: sessions and users being inserted for the app are not held up).
 */
import type { Pool } from 'pg';
import type { AppAuditEntry, MaskRuleRecord } from '../../../core/ports.js';
import { appendAppAudit } from './rows.js';
import { inTransaction } from './transaction.js';

interface MaskRuleRow {
  id: string;
  app_id: string;
  url_pattern: string;
  mask_selectors: string[];
  block_selectors: string[];
  mask_url_params: string[];
  detectors: MaskRuleRecord['detectors'];
  description: string | null;
  created_at: number;
  updated_at: number;
}

const toRule = (row: MaskRuleRow): MaskRuleRecord => ({
  id: row.id,
  appId: row.app_id,
  urlPattern: row.url_pattern,
  maskSelectors: row.mask_selectors,
  blockSelectors: row.block_selectors,
  maskUrlParams: row.mask_url_params,
  detectors: row.detectors,
  ...(row.description === null ? {} : { description: row.description }),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * `$1`…`$9` of the insert and the update. JSONB values go as JSON text: node-postgres would send
 * a JS array as a PostgreSQL array.
 */
const toParams = (rule: MaskRuleRecord) => [
  rule.id,
  rule.appId,
  rule.urlPattern,
  JSON.stringify(rule.maskSelectors),
  JSON.stringify(rule.blockSelectors),
  JSON.stringify(rule.maskUrlParams),
  JSON.stringify(rule.detectors),
  rule.description ?? null,
  rule.updatedAt,
];

/** The `mask_rules` table of one PostgreSQL database. */
export class PostgresMaskRules {
  constructor(private readonly pool: Pool) {}

  /** See `SessionStore.listMaskRules`. */
  async list(appId: string): Promise<MaskRuleRecord[]> {
    const { rows } = await this.pool.query<MaskRuleRow>(
      'SELECT * FROM mask_rules WHERE app_id = $1 ORDER BY created_at, id',
      [appId],
    );
    return rows.map(toRule);
  }

  /** See `SessionStore.insertMaskRule`. */
  async insert(
    rule: MaskRuleRecord,
    audit: AppAuditEntry,
    maxPerApp: number,
  ): Promise<'created' | 'limit_reached'> {
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT 1 FROM apps WHERE id = $1 FOR NO KEY UPDATE', [rule.appId]);
      const { rows } = await client.query<{ n: number }>(
        'SELECT COUNT(*) AS n FROM mask_rules WHERE app_id = $1',
        [rule.appId],
      );
      if ((rows[0]?.n ?? 0) >= maxPerApp) return 'limit_reached';
      await client.query(
        `INSERT INTO mask_rules
           (id, app_id, url_pattern, mask_selectors, block_selectors, mask_url_params, detectors,
            description, updated_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [...toParams(rule), rule.createdAt],
      );
      await appendAppAudit(client, audit);
      return 'created';
    });
  }

  /** See `SessionStore.updateMaskRule`. */
  async update(rule: MaskRuleRecord, audit: AppAuditEntry): Promise<MaskRuleRecord | undefined> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<MaskRuleRow>(
        `UPDATE mask_rules SET
           url_pattern = $3, mask_selectors = $4, block_selectors = $5, mask_url_params = $6,
           detectors = $7, description = $8, updated_at = $9
         WHERE id = $1 AND app_id = $2
         RETURNING *`,
        toParams(rule),
      );
      const row = rows[0];
      if (!row) return undefined;
      await appendAppAudit(client, audit);
      return toRule(row);
    });
  }

  /** See `SessionStore.deleteMaskRule`. */
  async delete(key: { appId: string; id: string }, audit: AppAuditEntry): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query(
        'DELETE FROM mask_rules WHERE id = $1 AND app_id = $2',
        [key.id, key.appId],
      );
      if (rowCount === 0) return false;
      await appendAppAudit(client, audit);
      return true;
    });
  }
}
