/**
 * @module
 * The PostgreSQL `SessionStore` (node-postgres, one `Pool` per node), for several nodes sharing
 * one database. Passes `test/contracts/session-store.contract.ts`, like SQLite.
 *
 * Every compare-and-set is a conditional `UPDATE` (PostgreSQL re-checks its `WHERE` on the newest
 * row once a concurrent writer commits), or a read under a row lock, inside a transaction with its
 * audit entries. Uniqueness that matters across nodes (SDK keys, usernames, a live session's PIN,
 * one invitation per session) is a unique index, and a lost race is the unique violation.
 *
 * Unlike SQLite, opening the store does not mark still-connected participants as left: other
 * nodes sharing the database hold those sockets.
 */
import pg from 'pg';
import type { Pool } from 'pg';
import type {
  Admission,
  AdmissionResult,
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
import { PostgresControl } from './control.js';
import { PostgresInvites } from './invites.js';
import { PostgresMaskRules } from './mask-rules.js';
import { migrate } from './migrations.js';
import { PostgresParticipants } from './participants.js';
import {
  appendAppAudit,
  appendAudit,
  toApp,
  toAppAudit,
  toAudit,
  toSession,
  toUser,
  type AppAuditRow,
  type AppRow,
  type AuditRow,
  type SessionRow,
  type UserRow,
} from './rows.js';
import { inTransaction, isUniqueViolation, STORE_TYPES } from './transaction.js';

/** Options of {@link PostgresSessionStore.open}. */
export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` (libpq URL parameters such as `sslmode` work). */
  connectionString: string;
  /** Most connections this node opens. @default 10 */
  poolSize?: number;
  /** Longest wait for a connection, in ms, before a query (and `/health`) fails. @default 5000 */
  connectionTimeoutMs?: number;
  /**
   * Told about an error on an idle pooled connection (the database restarted, the network broke).
   * The pool drops that connection and opens another when needed. @default ignore
   */
  onError?: (error: Error) => void;
}

/** The PostgreSQL session store. Open it with {@link PostgresSessionStore.open}. */
export class PostgresSessionStore implements SessionStore {
  private readonly invites: PostgresInvites;
  private readonly maskRules: PostgresMaskRules;
  private readonly control: PostgresControl;
  private readonly participants: PostgresParticipants;
  private closed: Promise<void> | undefined;

  private constructor(private readonly pool: Pool) {
    this.invites = new PostgresInvites(pool);
    this.maskRules = new PostgresMaskRules(pool);
    this.control = new PostgresControl(pool);
    this.participants = new PostgresParticipants(pool);
  }

  /** Connects, applies any missing migrations (one node at a time), and returns the store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresSessionStore> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
      application_name: 'sightline',
      types: STORE_TYPES,
    });
    // Without a listener, an idle connection's error would be thrown out of the event emitter.
    pool.on('error', (error) => options.onError?.(error));
    try {
      await migrate(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresSessionStore(pool);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    this.closed ??= this.pool.end();
    return this.closed;
  }

  async getMeta(key: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ value: string }>(
      'SELECT value FROM meta WHERE key = $1',
      [key],
    );
    return rows[0]?.value;
  }

  async putMetaIfAbsent(key: string, value: string): Promise<string> {
    await this.pool.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      key,
      value,
    ]);
    return (await this.getMeta(key)) ?? value;
  }

  async saveApp(app: AppRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO apps (id, name, sdk_key, sdk_secret, created_at, view_consent, invite_url)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET
         name = excluded.name, sdk_key = excluded.sdk_key, sdk_secret = excluded.sdk_secret,
         view_consent = excluded.view_consent, invite_url = excluded.invite_url`,
      [
        app.id,
        app.name,
        app.sdkKey,
        app.sdkSecret,
        app.createdAt,
        app.viewConsent,
        app.inviteUrl ?? null,
      ],
    );
  }

  async getAppById(id: string): Promise<AppRecord | undefined> {
    const { rows } = await this.pool.query<AppRow>('SELECT * FROM apps WHERE id = $1', [id]);
    return rows[0] && toApp(rows[0]);
  }

  async getAppByKey(sdkKey: string): Promise<AppRecord | undefined> {
    const { rows } = await this.pool.query<AppRow>('SELECT * FROM apps WHERE sdk_key = $1', [
      sdkKey,
    ]);
    return rows[0] && toApp(rows[0]);
  }

  async saveUser(user: UserRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO users (id, app_id, username, display_name, role, password_hash, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET
         app_id = excluded.app_id, username = excluded.username,
         display_name = excluded.display_name, role = excluded.role,
         password_hash = excluded.password_hash`,
      [
        user.id,
        user.appId,
        user.username,
        user.displayName,
        user.role,
        user.passwordHash,
        user.createdAt,
      ],
    );
  }

  async getUserByUsername(username: string): Promise<UserRecord | undefined> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE username = $1', [
      username,
    ]);
    return rows[0] && toUser(rows[0]);
  }

  async insertSession(session: SessionRecord, audit: AuditEntry): Promise<'created' | 'pin_taken'> {
    try {
      await inTransaction(this.pool, async (client) => {
        await client.query(
          `INSERT INTO sessions
             (id, app_id, pin, state, end_reason, byop, customer_user_id, customer_user_name,
              created_at, updated_at, ended_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            session.id,
            session.appId,
            session.pin,
            session.state,
            session.endReason ?? null,
            session.byop,
            session.customerUserId,
            session.customerUserName,
            session.createdAt,
            session.updatedAt,
            session.endedAt ?? null,
            session.expiresAt,
          ],
        );
        await appendAudit(client, audit);
      });
      return 'created';
    } catch (error) {
      // A concurrent insert of the same PIN waits for the first to commit, then fails here.
      if (isUniqueViolation(error, 'sessions_live_pin')) return 'pin_taken';
      throw error;
    }
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const { rows } = await this.pool.query<SessionRow>('SELECT * FROM sessions WHERE id = $1', [
      id,
    ]);
    return rows[0] && toSession(rows[0]);
  }

  async findLiveSessionByPin(appId: string, pin: string): Promise<SessionRecord | undefined> {
    const { rows } = await this.pool.query<SessionRow>(
      "SELECT * FROM sessions WHERE app_id = $1 AND pin = $2 AND state <> 'ended'",
      [appId, pin],
    );
    return rows[0] && toSession(rows[0]);
  }

  async transitionSession(change: StateChange): Promise<SessionRecord | undefined> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<SessionRow>(
        `UPDATE sessions SET
           state = $3, updated_at = $4,
           end_reason = CASE WHEN $3 = 'ended' THEN $5 ELSE end_reason END,
           ended_at = CASE WHEN $3 = 'ended' THEN $4 ELSE ended_at END
         WHERE id = $1 AND state = $2
         RETURNING *`,
        [change.sessionId, change.from, change.to, change.at, change.endReason ?? 'error'],
      );
      const row = rows[0];
      if (!row) return undefined;
      await appendAudit(client, {
        sessionId: change.sessionId,
        at: change.at,
        actor: change.actor,
        action: change.action,
        fromState: change.from,
        toState: change.to,
        reason: change.reason,
      });
      return toSession(row);
    });
  }

  async extendSession(change: DeadlineChange): Promise<SessionRecord | undefined> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<SessionRow>(
        `UPDATE sessions SET expires_at = $3
         WHERE id = $1 AND expires_at = $2 AND state <> 'ended'
         RETURNING *`,
        [change.sessionId, change.from, change.to],
      );
      const row = rows[0];
      if (!row) return undefined;
      await appendAudit(client, {
        sessionId: change.sessionId,
        at: change.at,
        actor: change.actor,
        action: change.action,
        reason: change.reason,
      });
      return toSession(row);
    });
  }

  async listSessions(query: SessionQuery): Promise<SessionRecord[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const param = (value: string | number): string => `$${params.push(value)}`;
    if (query.appId !== undefined) where.push(`app_id = ${param(query.appId)}`);
    if (query.status === 'live') where.push("state <> 'ended'");
    if (query.status === 'ended') where.push("state = 'ended'");
    if (query.after) {
      // A row comparison: (created_at, id) < (after), which the descending indexes serve.
      where.push(`(created_at, id) < (${param(query.after.createdAt)}, ${param(query.after.id)})`);
    }
    const sql = `SELECT * FROM sessions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at DESC, id DESC LIMIT ${param(query.limit)}`;
    const { rows } = await this.pool.query<SessionRow>(sql, params);
    return rows.map(toSession);
  }

  async insertInvite(invite: InviteRecord): Promise<void> {
    await this.invites.insert(invite);
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
    await appendAudit(this.pool, entry);
  }

  async listAudit(sessionId: string): Promise<AuditEntry[]> {
    const { rows } = await this.pool.query<AuditRow>(
      'SELECT * FROM audit_log WHERE session_id = $1 ORDER BY id',
      [sessionId],
    );
    return rows.map(toAudit);
  }

  async appendAppAudit(entry: AppAuditEntry): Promise<void> {
    await appendAppAudit(this.pool, entry);
  }

  async listAppAudit(appId: string): Promise<AppAuditEntry[]> {
    const { rows } = await this.pool.query<AppAuditRow>(
      'SELECT * FROM app_audit_log WHERE app_id = $1 ORDER BY id',
      [appId],
    );
    return rows.map(toAppAudit);
  }
}
