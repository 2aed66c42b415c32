/**
 * @module
 * Internal: the SQLite store's `session_control` table (migration 6, ADR 0012). A change is a
 * compare-and-set on the revision, written with its audit entries in one transaction; the session
 * must exist and not have ended, checked inside the same statement. The SQL is plain enough for
 * PostgreSQL as it is (`INSERT … SELECT … WHERE … ON CONFLICT DO NOTHING`, a partial index).
 */
import type Database from 'better-sqlite3';
import type { ControlMode, ControlSettings } from '@sightline/protocol';
import type { AuditEntry, ControlChange, ControlRecord } from '../../../core/ports.js';

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
  pending_handover: number | null;
  settings: string | null;
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
          handover: row.pending_handover === 1,
        },
  settings: row.settings === null ? null : (JSON.parse(row.settings) as ControlSettings),
  updatedAt: row.updated_at,
});

const toParams = (change: ControlChange) => {
  const { next } = change;
  return {
    sessionId: next.sessionId,
    expected: change.expectedRevision,
    revision: change.expectedRevision + 1,
    mode: next.mode,
    controllerUserId: next.controller?.userId ?? null,
    controllerUserName: next.controller?.userName ?? null,
    grantUntil: next.grantUntil,
    pendingId: next.pending?.id ?? null,
    pendingMode: next.pending?.mode ?? null,
    pendingUserId: next.pending?.agent.userId ?? null,
    pendingUserName: next.pending?.agent.userName ?? null,
    pendingWaitingFor: next.pending?.waitingFor ?? null,
    pendingSince: next.pending?.since ?? null,
    pendingHandover: next.pending === null ? null : next.pending.handover ? 1 : 0,
    settings: next.settings === null ? null : JSON.stringify(next.settings),
    updatedAt: next.updatedAt,
  };
};

const LIVE = "EXISTS (SELECT 1 FROM sessions WHERE id = @sessionId AND state <> 'ended')";

/** The `session_control` table of one SQLite database. */
export class SqliteControl {
  private readonly statements;

  /** @param appendAudit - writes a session audit entry (inside the caller's transaction). */
  constructor(
    private readonly db: Database.Database,
    private readonly appendAudit: (entry: AuditEntry) => void,
  ) {
    this.statements = {
      get: db.prepare<[string], ControlRow>('SELECT * FROM session_control WHERE session_id = ?'),
      insert: db.prepare(`INSERT INTO session_control
          (session_id, revision, mode, controller_user_id, controller_user_name, grant_until,
           pending_id, pending_mode, pending_user_id, pending_user_name, pending_waiting_for,
           pending_since, pending_handover, settings, updated_at)
        SELECT @sessionId, @revision, @mode, @controllerUserId, @controllerUserName, @grantUntil,
           @pendingId, @pendingMode, @pendingUserId, @pendingUserName, @pendingWaitingFor,
           @pendingSince, @pendingHandover, @settings, @updatedAt
        WHERE ${LIVE}
        ON CONFLICT (session_id) DO NOTHING`),
      update: db.prepare(`UPDATE session_control SET
          revision = @revision, mode = @mode,
          controller_user_id = @controllerUserId, controller_user_name = @controllerUserName,
          grant_until = @grantUntil, pending_id = @pendingId, pending_mode = @pendingMode,
          pending_user_id = @pendingUserId, pending_user_name = @pendingUserName,
          pending_waiting_for = @pendingWaitingFor, pending_since = @pendingSince,
          pending_handover = @pendingHandover, settings = @settings, updated_at = @updatedAt
        WHERE session_id = @sessionId AND revision = @expected AND ${LIVE}`),
      approvals: db.prepare<[string], ControlRow>(`SELECT c.* FROM session_control c
        JOIN sessions s ON s.id = c.session_id
        WHERE s.app_id = ? AND s.state <> 'ended' AND c.pending_waiting_for = 'manager'
        ORDER BY c.pending_since, c.session_id`),
    };
  }

  /** The session's record, if it has one. */
  get(sessionId: string): ControlRecord | undefined {
    const row = this.statements.get.get(sessionId);
    return row && toRecord(row);
  }

  /** Applies a compare-and-set with its audit entries, or nothing. */
  update(change: ControlChange): ControlRecord | undefined {
    return this.db.transaction(() => {
      const params = toParams(change);
      const statement = change.expectedRevision === 0 ? 'insert' : 'update';
      if (this.statements[statement].run(params).changes === 0) return undefined;
      for (const entry of change.audit) this.appendAudit(entry);
      return this.get(params.sessionId);
    })();
  }

  /** The app's live records waiting for a manager, oldest wait first. */
  approvals(appId: string): ControlRecord[] {
    return this.statements.approvals.all(appId).map(toRecord);
  }
}
