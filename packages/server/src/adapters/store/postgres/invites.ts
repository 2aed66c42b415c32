/**
 * @module
 * Internal: the PostgreSQL store's invitations table (migration 4). A redemption locks the
 * invitation's row (`FOR UPDATE`) before reading it, so of concurrent openers on any nodes one
 * redeems and the others, once it committed, read it as used.
 */
import type { Pool } from 'pg';
import type { InviteRecord, InviteRedemption } from '../../../core/ports.js';
import { inTransaction } from './transaction.js';

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

/** The `invites` table of one PostgreSQL database. */
export class PostgresInvites {
  constructor(private readonly pool: Pool) {}

  /** See `SessionStore.insertInvite`. */
  async insert(invite: InviteRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO invites (session_id, app_id, created_by, ticket_ref, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        invite.sessionId,
        invite.appId,
        invite.createdBy,
        invite.ticketRef ?? null,
        invite.createdAt,
        invite.expiresAt,
      ],
    );
  }

  /** See `SessionStore.redeemInvite`. */
  async redeem(redemption: {
    sessionId: string;
    openerId: string;
    at: number;
  }): Promise<InviteRedemption> {
    return inTransaction(this.pool, async (client): Promise<InviteRedemption> => {
      const { sessionId, openerId, at } = redemption;
      const { rows } = await client.query<InviteRow>(
        'SELECT * FROM invites WHERE session_id = $1 FOR UPDATE',
        [sessionId],
      );
      const before = rows[0];
      if (!before) return { status: 'unknown' };
      const mine = before.redeemed_by === openerId;
      if (before.redeemed_by !== null && !mine) return { status: 'used' };
      if (!mine && before.expires_at <= at) return { status: 'expired' };
      if (mine) return { status: 'redeemed', invite: toInvite(before), repeat: true };
      const updated = await client.query<InviteRow>(
        `UPDATE invites SET redeemed_at = $2, redeemed_by = $3 WHERE session_id = $1 RETURNING *`,
        [sessionId, at, openerId],
      );
      const after = updated.rows[0] ?? before;
      return { status: 'redeemed', invite: toInvite(after), repeat: false };
    });
  }
}
