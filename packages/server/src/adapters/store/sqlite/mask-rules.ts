/**
 * @module
 * Internal: the SQLite store's mask rules table (migration 5). Each change and its security-log
 * entry are one transaction; the per-app limit is counted inside it, so concurrent inserts cannot
 * pass it together (SQLite serialises writers).
 */
import type Database from 'better-sqlite3';
import type { AppAuditEntry, MaskRuleRecord } from '../../../core/ports.js';

interface MaskRuleRow {
  id: string;
  app_id: string;
  url_pattern: string;
  mask_selectors: string;
  block_selectors: string;
  mask_url_params: string;
  detectors: string;
  description: string | null;
  created_at: number;
  updated_at: number;
}

const toRule = (row: MaskRuleRow): MaskRuleRecord => ({
  id: row.id,
  appId: row.app_id,
  urlPattern: row.url_pattern,
  maskSelectors: JSON.parse(row.mask_selectors) as string[],
  blockSelectors: JSON.parse(row.block_selectors) as string[],
  maskUrlParams: JSON.parse(row.mask_url_params) as string[],
  detectors: JSON.parse(row.detectors) as MaskRuleRecord['detectors'],
  ...(row.description === null ? {} : { description: row.description }),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toParams = (rule: MaskRuleRecord) => ({
  id: rule.id,
  appId: rule.appId,
  urlPattern: rule.urlPattern,
  maskSelectors: JSON.stringify(rule.maskSelectors),
  blockSelectors: JSON.stringify(rule.blockSelectors),
  maskUrlParams: JSON.stringify(rule.maskUrlParams),
  detectors: JSON.stringify(rule.detectors),
  description: rule.description ?? null,
  createdAt: rule.createdAt,
  updatedAt: rule.updatedAt,
});

/** The `mask_rules` table of one SQLite database. */
export class SqliteMaskRules {
  private readonly statements;

  /** @param appendAppAudit - writes a security-log entry (inside the caller's transaction). */
  constructor(
    private readonly db: Database.Database,
    private readonly appendAppAudit: (entry: AppAuditEntry) => void,
  ) {
    this.statements = {
      list: db.prepare<[string], MaskRuleRow>(
        'SELECT * FROM mask_rules WHERE app_id = ? ORDER BY created_at, id',
      ),
      count: db.prepare<[string], { n: number }>(
        'SELECT COUNT(*) AS n FROM mask_rules WHERE app_id = ?',
      ),
      get: db.prepare<[string, string], MaskRuleRow>(
        'SELECT * FROM mask_rules WHERE id = ? AND app_id = ?',
      ),
      insert: db.prepare(`INSERT INTO mask_rules
          (id, app_id, url_pattern, mask_selectors, block_selectors, mask_url_params, detectors,
           description, created_at, updated_at)
        VALUES (@id, @appId, @urlPattern, @maskSelectors, @blockSelectors, @maskUrlParams,
           @detectors, @description, @createdAt, @updatedAt)`),
      update: db.prepare(`UPDATE mask_rules SET
          url_pattern = @urlPattern, mask_selectors = @maskSelectors,
          block_selectors = @blockSelectors, mask_url_params = @maskUrlParams,
          detectors = @detectors, description = @description, updated_at = @updatedAt
        WHERE id = @id AND app_id = @appId`),
      delete: db.prepare('DELETE FROM mask_rules WHERE id = ? AND app_id = ?'),
    };
  }

  /** See `SessionStore.listMaskRules`. */
  list(appId: string): MaskRuleRecord[] {
    return this.statements.list.all(appId).map(toRule);
  }

  /** See `SessionStore.insertMaskRule`. */
  insert(
    rule: MaskRuleRecord,
    audit: AppAuditEntry,
    maxPerApp: number,
  ): 'created' | 'limit_reached' {
    return this.db.transaction(() => {
      if ((this.statements.count.get(rule.appId)?.n ?? 0) >= maxPerApp) return 'limit_reached';
      this.statements.insert.run(toParams(rule));
      this.appendAppAudit(audit);
      return 'created';
    })();
  }

  /** See `SessionStore.updateMaskRule`. */
  update(rule: MaskRuleRecord, audit: AppAuditEntry): MaskRuleRecord | undefined {
    return this.db.transaction(() => {
      if (this.statements.update.run(toParams(rule)).changes === 0) return undefined;
      this.appendAppAudit(audit);
      const row = this.statements.get.get(rule.id, rule.appId);
      return row && toRule(row);
    })();
  }

  /** See `SessionStore.deleteMaskRule`. */
  delete(key: { appId: string; id: string }, audit: AppAuditEntry): boolean {
    return this.db.transaction(() => {
      if (this.statements.delete.run(key.id, key.appId).changes === 0) return false;
      this.appendAppAudit(audit);
      return true;
    })();
  }
}
