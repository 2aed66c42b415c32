/**
 * @module
 * Internal: the PostgreSQL store's `session_control` table (migration 6, ADR 0012). A change is a
 * compare-and-set on the revision, written with its audit entries in one transaction. It first
 * takes a share lock on the session's row and checks that the session has not ended: a node
 * ending the session waits for the change to commit, or the change waits for the end and then
 * finds the session ended, so no control moves in an ended session. The revision itself is the
 * `WHERE` of the update (or the primary key of the first insert), which PostgreSQL re-checks on
 * the newest row after waiting for a concurrent writer: of concurrent changes from one revision,
 * on any nodes, exactly one applies.
 */
import type { Pool } from 'pg';
import type { ControlMode, ControlSettings } from '@sightline/protocol';
import type { ControlChange, ControlRecord } from '../../../core/ports.js';
import { appendAudit } from './rows.js';
import { inTransaction } from './transaction.js';

interface ControlRow {
  session_id: string;
  revision: number;
  mode: ControlMode;
  controller_user_id: string | null;
  controller_user_name: string | null;
  grant_until: number | null;
  pending_id: string | null;
  pending_mode: ControlMode | null;
  pending_user_id: string | null;
  pending_user_name: string | null;
  pending_waiting_for: 'manager' | 'customer' | null;
  pending_since: number | null;
  pending_handover: boolean | null;
  settings: ControlSettings | null;
  updated_at: number;
}

const toRecord = (row: ControlRow): ControlRecord => ({
  sessionId: row.session_id,
  revision: row.revision,
  mode: row.mode,
  controller:
    row.controller_user_id === null
      ? null
      : { userId: row.controller_user_id, userName: row.controller_user_name ?? '' },
  grantUntil: row.grant_until,
  pending:
    row.pending_id === null
      ? null
      : {
          id: row.pending_id,
          mode: row.pending_mode ?? 'view_only',
          agent: { userId: row.pending_user_id ?? '', userName: row.pending_user_name ?? '' },
          waitingFor: row.pending_waiting_for ?? 'customer',
          since: row.pending_since ?? 0,
          handover: row.pending_handover === true,
        },
  settings: row.settings,
  updatedAt: row.updated_at,
});

/** `$1`…`$15` of the insert and the update, in column order; `$16` is the expected revision. */
const toParams = (change: ControlChange) => {
  const { next } = change;
  return [
    next.sessionId,
    change.expectedRevision + 1,
    next.mode,
    next.controller?.userId ?? null,
    next.controller?.userName ?? null,
    next.grantUntil,
    next.pending?.id ?? null,
    next.pending?.mode ?? null,
    next.pending?.agent.userId ?? null,
    next.pending?.agent.userName ?? null,
    next.pending?.waitingFor ?? null,
    next.pending?.since ?? null,
    next.pending?.handover ?? null,
    next.settings === null ? null : JSON.stringify(next.settings),
    next.updatedAt,
  ];
};

const INSERT = `INSERT INTO session_control
    (session_id, revision, mode, controller_user_id, controller_user_name, grant_until,
     pending_id, pending_mode, pending_user_id, pending_user_name, pending_waiting_for,
     pending_since, pending_handover, settings, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
  ON CONFLICT (session_id) DO NOTHING
  RETURNING *`;

const UPDATE = `UPDATE session_control SET
    revision = $2, mode = $3, controller_user_id = $4, controller_user_name = $5,
    grant_until = $6, pending_id = $7, pending_mode = $8, pending_user_id = $9,
    pending_user_name = $10, pending_waiting_for = $11, pending_since = $12,
    pending_handover = $13, settings = $14, updated_at = $15
  WHERE session_id = $1 AND revision = $16
  RETURNING *`;

/** The `session_control` table of one PostgreSQL database. */
export class PostgresControl {
  constructor(private readonly pool: Pool) {}

  /** The session's record, if it has one. */
  async get(sessionId: string): Promise<ControlRecord | undefined> {
    const { rows } = await this.pool.query<ControlRow>(
      'SELECT * FROM session_control WHERE session_id = $1',
      [sessionId],
    );
    return rows[0] && toRecord(rows[0]);
  }

  /** Applies a compare-and-set with its audit entries, or nothing. */
  async update(change: ControlChange): Promise<ControlRecord | undefined> {
    return inTransaction(this.pool, async (client) => {
      const session = await client.query<{ state: string }>(
        'SELECT state FROM sessions WHERE id = $1 FOR SHARE',
        [change.next.sessionId],
      );
      if (session.rows[0] === undefined || session.rows[0].state === 'ended') return undefined;
      const params = toParams(change);
      const { rows } =
        change.expectedRevision === 0
          ? await client.query<ControlRow>(INSERT, params)
          : await client.query<ControlRow>(UPDATE, [...params, change.expectedRevision]);
      const row = rows[0];
      if (!row) return undefined;
      for (const entry of change.audit) await appendAudit(client, entry);
      return toRecord(row);
    });
  }

  /** The app's live records waiting for a manager, oldest wait first. */
  async approvals(appId: string): Promise<ControlRecord[]> {
    const { rows } = await this.pool.query<ControlRow>(
      `SELECT c.* FROM session_control c
       JOIN sessions s ON s.id = c.session_id
       WHERE s.app_id = $1 AND s.state <> 'ended' AND c.pending_waiting_for = 'manager'
       ORDER BY c.pending_since, c.session_id`,
      [appId],
    );
    return rows.map(toRecord);
  }
}
