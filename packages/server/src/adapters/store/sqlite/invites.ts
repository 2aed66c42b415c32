/**
 * @module
 * Internal: the SQLite store's invitations table (migration 4). The single-use rule is one
 * conditional `UPDATE` inside a transaction, so concurrent openers cannot both win.
 */
import type Database from 'better-sqlite3';
import type { InviteRecord, InviteRedemption } from '../../../core/ports.js';

interface InviteRow {
  session_id: string;
  app_id: string;
  created_by: string;
  ticket_ref: string | null;
  created_at: number;
  expires_at: number;
  redeemed_at: number | null;
  redeemed_by: string | null;
}

const toInvite = (row: InviteRow): InviteRecord => ({
  sessionId: row.session_id,
  appId: row.app_id,
  createdBy: row.created_by,
  ticketRef: row.ticket_ref ?? undefined,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  redeemedAt: row.redeemed_at ?? undefined,
  redeemedBy: row.redeemed_by ?? undefined,
});

/** The `invites` table of one SQLite database. */
export class SqliteInvites {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      insert: db.prepare(`INSERT INTO invites
          (session_id, app_id, created_by, ticket_ref, created_at, expires_at)
        VALUES (@sessionId, @appId, @createdBy, @ticketRef, @createdAt, @expiresAt)`),
      get: db.prepare<[string], InviteRow>('SELECT * FROM invites WHERE session_id = ?'),
      // Only an unused, unexpired invitation, or one this opener already holds, is updated.
      redeem: db.prepare(`UPDATE invites SET
          redeemed_at = COALESCE(redeemed_at, @at), redeemed_by = @openerId
        WHERE session_id = @sessionId
          AND ((redeemed_by IS NULL AND expires_at > @at) OR redeemed_by = @openerId)`),
    };
  }

  /** See `SessionStore.insertInvite`. */
  insert(invite: InviteRecord): void {
    this.statements.insert.run({
      sessionId: invite.sessionId,
      appId: invite.appId,
      createdBy: invite.createdBy,
      ticketRef: invite.ticketRef ?? null,
      createdAt: invite.createdAt,
      expiresAt: invite.expiresAt,
    });
  }

  /** See `SessionStore.redeemInvite`. */
  redeem(redemption: { sessionId: string; openerId: string; at: number }): InviteRedemption {
    return this.db.transaction((): InviteRedemption => {
      const before = this.statements.get.get(redemption.sessionId);
      if (!before) return { status: 'unknown' };
      if (this.statements.redeem.run(redemption).changes === 1) {
        const after = this.statements.get.get(redemption.sessionId);
        if (after) {
          return {
            status: 'redeemed',
            invite: toInvite(after),
            repeat: before.redeemed_by !== null,
          };
        }
      }
      return { status: before.redeemed_by === null ? 'expired' : 'used' };
    })();
  }
}
