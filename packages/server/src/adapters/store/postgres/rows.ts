/**
 * @module
 * Internal: the PostgreSQL store's rows as node-postgres returns them, their mapping to the
 * port's records, and the two audit appends every transaction shares.
 */
import type { EndReason, Role, SessionState } from '@sightline/protocol';
import type {
  AppAuditEntry,
  AppRecord,
  AuditEntry,
  ParticipantRecord,
  SessionRecord,
  UserRecord,
  ViewConsentPolicy,
} from '../../../core/ports.js';
import type { Queryable } from './transaction.js';

/** A `sessions` row. */
export interface SessionRow {
  id: string;
  app_id: string;
  pin: string;
  state: SessionState;
  end_reason: EndReason | null;
  byop: boolean;
  customer_user_id: string;
  customer_user_name: string;
  created_at: number;
  updated_at: number;
  ended_at: number | null;
  expires_at: number;
}

/** A session as the port has it. */
export const toSession = (row: SessionRow): SessionRecord => ({
  id: row.id,
  appId: row.app_id,
  pin: row.pin,
  state: row.state,
  endReason: row.end_reason ?? undefined,
  byop: row.byop,
  customerUserId: row.customer_user_id,
  customerUserName: row.customer_user_name,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  endedAt: row.ended_at ?? undefined,
  expiresAt: row.expires_at,
});

/** An `apps` row. */
export interface AppRow {
  id: string;
  name: string;
  sdk_key: string;
  sdk_secret: string;
  created_at: number;
  view_consent: ViewConsentPolicy;
  invite_url: string | null;
}

/** An app as the port has it (no `inviteUrl` key when it has none). */
export const toApp = (row: AppRow): AppRecord => ({
  id: row.id,
  name: row.name,
  sdkKey: row.sdk_key,
  sdkSecret: row.sdk_secret,
  createdAt: row.created_at,
  viewConsent: row.view_consent,
  ...(row.invite_url === null ? {} : { inviteUrl: row.invite_url }),
});

/** A `users` row. */
export interface UserRow {
  id: string;
  app_id: string;
  username: string;
  display_name: string;
  role: UserRecord['role'];
  password_hash: string;
  created_at: number;
}

/** A console user as the port has it. */
export const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  appId: row.app_id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  passwordHash: row.password_hash,
  createdAt: row.created_at,
});

/** A `participants` row. */
export interface ParticipantRow {
  session_id: string;
  role: Role;
  user_id: string;
  user_name: string;
  connections: number;
  joined_at: number;
  left_at: number | null;
}

/** A participant as the port has it. */
export const toParticipant = (row: ParticipantRow): ParticipantRecord => ({
  sessionId: row.session_id,
  role: row.role,
  userId: row.user_id,
  userName: row.user_name,
  connections: row.connections,
  joinedAt: row.joined_at,
  leftAt: row.left_at ?? undefined,
});

/** An `audit_log` row. */
export interface AuditRow {
  session_id: string;
  at: number;
  actor: string;
  action: string;
  from_state: SessionState | null;
  to_state: SessionState | null;
  reason: string | null;
}

/** An audit entry as the port has it. */
export const toAudit = (row: AuditRow): AuditEntry => ({
  sessionId: row.session_id,
  at: row.at,
  actor: row.actor,
  action: row.action,
  fromState: row.from_state ?? undefined,
  toState: row.to_state ?? undefined,
  reason: row.reason ?? undefined,
});

/** An `app_audit_log` row. */
export interface AppAuditRow {
  app_id: string;
  at: number;
  actor: string;
  action: string;
  reason: string | null;
}

/** A security-log entry as the port has it. */
export const toAppAudit = (row: AppAuditRow): AppAuditEntry => ({
  appId: row.app_id,
  at: row.at,
  actor: row.actor,
  action: row.action,
  reason: row.reason ?? undefined,
});

/** Appends a session audit entry, inside the caller's transaction when `q` is its client. */
export async function appendAudit(q: Queryable, entry: AuditEntry): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (session_id, at, actor, action, from_state, to_state, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      entry.sessionId,
      entry.at,
      entry.actor,
      entry.action,
      entry.fromState ?? null,
      entry.toState ?? null,
      entry.reason ?? null,
    ],
  );
}

/** Appends a security-log entry, inside the caller's transaction when `q` is its client. */
export async function appendAppAudit(q: Queryable, entry: AppAuditEntry): Promise<void> {
  await q.query(
    'INSERT INTO app_audit_log (app_id, at, actor, action, reason) VALUES ($1, $2, $3, $4, $5)',
    [entry.appId, entry.at, entry.actor, entry.action, entry.reason ?? null],
  );
}
