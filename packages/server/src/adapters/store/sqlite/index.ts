/**
 * @module
 * The embedded `SessionStore`: better-sqlite3 in WAL mode, one file in the data directory (or
 * `:memory:`). Synchronous underneath, async at the port like every adapter. Passes
 * `test/contracts/session-store.contract.ts`.
 *
 * An SQLite file is only ever used by one server process, so on open every participant still
 * counted as connected is a leftover from a previous run (a crash, a kill) and is marked left.
 */
import Database from 'better-sqlite3';
import type { EndReason, SessionState } from '@sightline/protocol';
import type {
  Admission,
  AdmissionResult,
  AgentRole,
  AppAuditEntry,
  AppRecord,
  AuditEntry,
  ControlChange,
  ControlRecord,
  DeadlineChange,
  InviteRecord,
  InviteRedemption,
  MaskRuleRecord,
  ParticipantRecord,
  ParticipantRelease,
  SessionQuery,
  SessionRecord,
  SessionStore,
  StateChange,
  UserRecord,
} from '../../../core/ports.js';
import { SqliteControl } from './control.js';
import { SqliteInvites } from './invites.js';
import { SqliteMaskRules } from './mask-rules.js';
import { migrate } from './migrations.js';
import { SqliteParticipants } from './participants.js';

interface SessionRow {
  id: string;
  app_id: string;
  pin: string;
  state: SessionState;
  end_reason: EndReason | null;
  byop: number;
  customer_user_id: string;
  customer_user_name: string;
  created_at: number;
  updated_at: number;
  ended_at: number | null;
  expires_at: number;
}

interface AuditRow {
  session_id: string;
  at: number;
  actor: string;
  action: string;
  from_state: SessionState | null;
  to_state: SessionState | null;
  reason: string | null;
}

const toSession = (row: SessionRow): SessionRecord => ({
  id: row.id,
  appId: row.app_id,
  pin: row.pin,
  state: row.state,
  endReason: row.end_reason ?? undefined,
  byop: row.byop === 1,
  customerUserId: row.customer_user_id,
  customerUserName: row.customer_user_name,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  endedAt: row.ended_at ?? undefined,
  expiresAt: row.expires_at,
});

interface AppAuditRow {
  app_id: string;
  at: number;
  actor: string;
  action: string;
  reason: string | null;
}

const toAppAudit = (row: AppAuditRow): AppAuditEntry => ({
  appId: row.app_id,
  at: row.at,
  actor: row.actor,
  action: row.action,
  reason: row.reason ?? undefined,
});

interface AppRow extends Omit<AppRecord, 'inviteUrl'> {
  inviteUrl: string | null;
}

const toApp = ({ inviteUrl, ...app }: AppRow): AppRecord =>
  inviteUrl === null ? app : { ...app, inviteUrl };

const toAudit = (row: AuditRow): AuditEntry => ({
  sessionId: row.session_id,
  at: row.at,
  actor: row.actor,
  action: row.action,
  fromState: row.from_state ?? undefined,
  toState: row.to_state ?? undefined,
  reason: row.reason ?? undefined,
});

const APP_COLUMNS = `id, name, sdk_key AS sdkKey, sdk_secret AS sdkSecret, created_at AS createdAt,
  view_consent AS viewConsent, invite_url AS inviteUrl`;
const USER_COLUMNS = `id, app_id AS appId, username, display_name AS displayName, role,
  password_hash AS passwordHash, created_at AS createdAt`;

/** Options of {@link SqliteSessionStore}. */
export interface SqliteStoreOptions {
  /** A file path, or `:memory:` for a store that lives as long as the process. */
  filename: string;
  /** Time for the stale-connection sweep on open. @default Date.now */
  now?: () => number;
}

/** The SQLite session store. */
export class SqliteSessionStore implements SessionStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly participants: SqliteParticipants;
  private readonly invites: SqliteInvites;
  private readonly maskRules: SqliteMaskRules;
  private readonly control: SqliteControl;

  constructor(options: SqliteStoreOptions) {
    this.db = new Database(options.filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM participant_sockets').run();
      this.db
        .prepare(
          'UPDATE participants SET connections = 0, left_at = COALESCE(left_at, ?) WHERE connections > 0',
        )
        .run((options.now ?? Date.now)());
    })();
    this.statements = this.prepare();
    this.participants = new SqliteParticipants(this.db);
    this.invites = new SqliteInvites(this.db);
    this.maskRules = new SqliteMaskRules(this.db, (entry) => this.appendAppAuditSync(entry));
    this.control = new SqliteControl(this.db, (entry) => this.appendAuditSync(entry));
  }

  private prepare() {
    const db = this.db;
    return {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      putMeta: db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)'),
      saveApp: db.prepare(`INSERT INTO apps
          (id, name, sdk_key, sdk_secret, created_at, view_consent, invite_url)
        VALUES (@id, @name, @sdkKey, @sdkSecret, @createdAt, @viewConsent, @inviteUrl)
        ON CONFLICT (id) DO UPDATE SET
          name = excluded.name, sdk_key = excluded.sdk_key, sdk_secret = excluded.sdk_secret,
          view_consent = excluded.view_consent, invite_url = excluded.invite_url`),
      appById: db.prepare<[string], AppRow>(`SELECT ${APP_COLUMNS} FROM apps WHERE id = ?`),
      appByKey: db.prepare<[string], AppRow>(`SELECT ${APP_COLUMNS} FROM apps WHERE sdk_key = ?`),
      saveUser: db.prepare(`INSERT INTO users
          (id, app_id, username, display_name, role, password_hash, created_at)
        VALUES (@id, @appId, @username, @displayName, @role, @passwordHash, @createdAt)
        ON CONFLICT (id) DO UPDATE SET
          app_id = excluded.app_id, username = excluded.username,
          display_name = excluded.display_name, role = excluded.role,
          password_hash = excluded.password_hash`),
      userByName: db.prepare<[string], UserRecord & { role: AgentRole }>(
        `SELECT ${USER_COLUMNS} FROM users WHERE username = ?`,
      ),
      insertSession: db.prepare(`INSERT INTO sessions
          (id, app_id, pin, state, end_reason, byop, customer_user_id, customer_user_name,
           created_at, updated_at, ended_at, expires_at)
        VALUES (@id, @appId, @pin, @state, @endReason, @byop, @customerUserId, @customerUserName,
           @createdAt, @updatedAt, @endedAt, @expiresAt)`),
      session: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
      livePin: db.prepare<[string, string], SessionRow>(
        "SELECT * FROM sessions WHERE app_id = ? AND pin = ? AND state <> 'ended'",
      ),
      transition: db.prepare(`UPDATE sessions SET
          state = @to, updated_at = @at,
          end_reason = CASE WHEN @to = 'ended' THEN @endReason ELSE end_reason END,
          ended_at = CASE WHEN @to = 'ended' THEN @at ELSE ended_at END
        WHERE id = @sessionId AND state = @from`),
      extend: db.prepare(`UPDATE sessions SET expires_at = @to
        WHERE id = @sessionId AND expires_at = @from AND state <> 'ended'`),
      appendAudit: db.prepare(`INSERT INTO audit_log
          (session_id, at, actor, action, from_state, to_state, reason)
        VALUES (@sessionId, @at, @actor, @action, @fromState, @toState, @reason)`),
      audit: db.prepare<[string], AuditRow>(
        'SELECT * FROM audit_log WHERE session_id = ? ORDER BY id',
      ),
      appendAppAudit: db.prepare(`INSERT INTO app_audit_log (app_id, at, actor, action, reason)
        VALUES (@appId, @at, @actor, @action, @reason)`),
      appAudit: db.prepare<[string], AppAuditRow>(
        'SELECT * FROM app_audit_log WHERE app_id = ? ORDER BY id',
      ),
    };
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async getMeta(key: string): Promise<string | undefined> {
    return this.statements.getMeta.get(key)?.value;
  }

  async putMetaIfAbsent(key: string, value: string): Promise<string> {
    this.statements.putMeta.run(key, value);
    return this.statements.getMeta.get(key)?.value ?? value;
  }

  async saveApp(app: AppRecord): Promise<void> {
    this.statements.saveApp.run({ ...app, inviteUrl: app.inviteUrl ?? null });
  }

  async getAppById(id: string): Promise<AppRecord | undefined> {
    const row = this.statements.appById.get(id);
    return row && toApp(row);
  }

  async getAppByKey(sdkKey: string): Promise<AppRecord | undefined> {
    const row = this.statements.appByKey.get(sdkKey);
    return row && toApp(row);
  }

  async saveUser(user: UserRecord): Promise<void> {
    this.statements.saveUser.run(user);
  }

  async getUserByUsername(username: string): Promise<UserRecord | undefined> {
    return this.statements.userByName.get(username);
  }

  async insertSession(session: SessionRecord, audit: AuditEntry): Promise<'created' | 'pin_taken'> {
    try {
      this.db.transaction(() => {
        this.statements.insertSession.run({
          ...session,
          endReason: session.endReason ?? null,
          endedAt: session.endedAt ?? null,
          byop: session.byop ? 1 : 0,
        });
        this.appendAuditSync(audit);
      })();
      return 'created';
    } catch (error) {
      if (isLivePinConflict(error)) return 'pin_taken';
      throw error;
    }
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const row = this.statements.session.get(id);
    return row && toSession(row);
  }

  async findLiveSessionByPin(appId: string, pin: string): Promise<SessionRecord | undefined> {
    const row = this.statements.livePin.get(appId, pin);
    return row && toSession(row);
  }

  async transitionSession(change: StateChange): Promise<SessionRecord | undefined> {
    return this.db.transaction(() => {
      const result = this.statements.transition.run({
        sessionId: change.sessionId,
        from: change.from,
        to: change.to,
        at: change.at,
        endReason: change.endReason ?? 'error',
      });
      if (result.changes === 0) return undefined;
      this.appendAuditSync({
        sessionId: change.sessionId,
        at: change.at,
        actor: change.actor,
        action: change.action,
        fromState: change.from,
        toState: change.to,
        reason: change.reason,
      });
      const row = this.statements.session.get(change.sessionId);
      return row && toSession(row);
    })();
  }

  async extendSession(change: DeadlineChange): Promise<SessionRecord | undefined> {
    return this.db.transaction(() => {
      const { sessionId, from, to } = change;
      if (this.statements.extend.run({ sessionId, from, to }).changes === 0) return undefined;
      this.appendAuditSync({
        sessionId,
        at: change.at,
        actor: change.actor,
        action: change.action,
        reason: change.reason,
      });
      const row = this.statements.session.get(sessionId);
      return row && toSession(row);
    })();
  }

  async listSessions(query: SessionQuery): Promise<SessionRecord[]> {
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: query.limit };
    if (query.appId !== undefined) {
      where.push('app_id = @appId');
      params.appId = query.appId;
    }
    if (query.status === 'live') where.push("state <> 'ended'");
    if (query.status === 'ended') where.push("state = 'ended'");
    if (query.after) {
      where.push('(created_at < @createdAt OR (created_at = @createdAt AND id < @id))');
      params.createdAt = query.after.createdAt;
      params.id = query.after.id;
    }
    const sql = `SELECT * FROM sessions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at DESC, id DESC LIMIT @limit`;
    return this.db
      .prepare<Record<string, string | number>, SessionRow>(sql)
      .all(params)
      .map(toSession);
  }

  async insertInvite(invite: InviteRecord): Promise<void> {
    this.invites.insert(invite);
  }

  async redeemInvite(redemption: {
    sessionId: string;
    openerId: string;
    at: number;
  }): Promise<InviteRedemption> {
    return this.invites.redeem(redemption);
  }

  async listMaskRules(appId: string): Promise<MaskRuleRecord[]> {
    return this.maskRules.list(appId);
  }

  async insertMaskRule(
    rule: MaskRuleRecord,
    audit: AppAuditEntry,
    maxPerApp: number,
  ): Promise<'created' | 'limit_reached'> {
    return this.maskRules.insert(rule, audit, maxPerApp);
  }

  async updateMaskRule(
    rule: MaskRuleRecord,
    audit: AppAuditEntry,
  ): Promise<MaskRuleRecord | undefined> {
    return this.maskRules.update(rule, audit);
  }

  async deleteMaskRule(key: { appId: string; id: string }, audit: AppAuditEntry): Promise<boolean> {
    return this.maskRules.delete(key, audit);
  }

  async admitParticipant(admission: Admission): Promise<AdmissionResult> {
    return this.participants.admit(admission);
  }

  async releaseParticipant(release: ParticipantRelease): Promise<{ last: boolean }> {
    return this.participants.release(release);
  }

  async releaseNode(release: { nodeId: string; at: number }): Promise<ParticipantRecord[]> {
    return this.participants.releaseNode(release.nodeId, release.at);
  }

  async listSocketNodes(): Promise<string[]> {
    return this.participants.socketNodes();
  }

  async listParticipants(sessionIds: readonly string[]): Promise<ParticipantRecord[]> {
    return this.participants.list(sessionIds);
  }

  async getControl(sessionId: string): Promise<ControlRecord | undefined> {
    return this.control.get(sessionId);
  }

  async updateControl(change: ControlChange): Promise<ControlRecord | undefined> {
    return this.control.update(change);
  }

  async listControlApprovals(appId: string): Promise<ControlRecord[]> {
    return this.control.approvals(appId);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.appendAuditSync(entry);
  }

  async listAudit(sessionId: string): Promise<AuditEntry[]> {
    return this.statements.audit.all(sessionId).map(toAudit);
  }

  async appendAppAudit(entry: AppAuditEntry): Promise<void> {
    this.appendAppAuditSync(entry);
  }

  async listAppAudit(appId: string): Promise<AppAuditEntry[]> {
    return this.statements.appAudit.all(appId).map(toAppAudit);
  }

  private appendAppAuditSync(entry: AppAuditEntry): void {
    this.statements.appendAppAudit.run({ ...entry, reason: entry.reason ?? null });
  }

  private appendAuditSync(entry: AuditEntry): void {
    this.statements.appendAudit.run({
      sessionId: entry.sessionId,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      fromState: entry.fromState ?? null,
      toState: entry.toState ?? null,
      reason: entry.reason ?? null,
    });
  }
}

/** Whether `error` is the live-PIN unique index refusing an insert. */
function isLivePinConflict(error: unknown): boolean {
  return (
    error instanceof Database.SqliteError &&
    error.code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    error.message.includes('sessions.pin')
  );
}
