/**
 * @module
 * Internal: the PostgreSQL store's participants. An admission locks its session's row first
 * (`FOR NO KEY UPDATE`), so admissions to one session, from any node, run one after another: each
 * counts the connected participants after the previous one committed, and the per-role limit
 * holds across nodes. A release is one conditional `UPDATE`, which PostgreSQL re-checks on the
 * newest row, so concurrent releases never take the count below zero.
 */
import type { Pool } from 'pg';
import type { Role } from '@sightline/protocol';
import type { Admission, AdmissionResult, ParticipantRecord } from '../../../core/ports.js';
import { toParticipant, type ParticipantRow } from './rows.js';
import { inTransaction } from './transaction.js';

/** The `participants` table of one PostgreSQL database. */
export class PostgresParticipants {
  constructor(private readonly pool: Pool) {}

  /** See `SessionStore.admitParticipant`. */
  async admit(admission: Admission): Promise<AdmissionResult> {
    return inTransaction(this.pool, async (client): Promise<AdmissionResult> => {
      const { sessionId, role, userId } = admission;
      await client.query('SELECT 1 FROM sessions WHERE id = $1 FOR NO KEY UPDATE', [sessionId]);
      const { rows: connected } = await client.query<ParticipantRow>(
        'SELECT * FROM participants WHERE session_id = $1 AND connections > 0',
        [sessionId],
      );
      const sameUser = connected.filter((row) => row.user_id === userId);
      if (sameUser.some((row) => row.role !== role)) return { status: 'duplicate' };
      if (sameUser.length > 0) {
        if (!admission.allowSharedUser) return { status: 'duplicate' };
        await client.query(
          `UPDATE participants SET connections = connections + 1
           WHERE session_id = $1 AND role = $2 AND user_id = $3`,
          [sessionId, role, userId],
        );
        return { status: 'admitted', first: false };
      }
      const ofRole = connected.filter((row) => row.role === role).length;
      if (ofRole >= admission.maxOfRole) return { status: 'full' };
      await client.query(
        `INSERT INTO participants
           (session_id, role, user_id, user_name, connections, joined_at, left_at)
         VALUES ($1, $2, $3, $4, 1, $5, NULL)
         ON CONFLICT (session_id, role, user_id) DO UPDATE SET
           connections = 1, user_name = excluded.user_name, left_at = NULL`,
        [sessionId, role, userId, admission.userName, admission.at],
      );
      return { status: 'admitted', first: true };
    });
  }

  /** See `SessionStore.releaseParticipant`. */
  async release(release: {
    sessionId: string;
    role: Role;
    userId: string;
    at: number;
  }): Promise<{ last: boolean }> {
    const { rows } = await this.pool.query<{ connections: number }>(
      `UPDATE participants SET
         connections = connections - 1,
         left_at = CASE WHEN connections = 1 THEN $1 ELSE left_at END
       WHERE session_id = $2 AND role = $3 AND user_id = $4 AND connections > 0
       RETURNING connections`,
      [release.at, release.sessionId, release.role, release.userId],
    );
    return { last: rows[0]?.connections === 0 };
  }

  /** See `SessionStore.listParticipants`. */
  async list(sessionIds: readonly string[]): Promise<ParticipantRecord[]> {
    if (sessionIds.length === 0) return [];
    const { rows } = await this.pool.query<ParticipantRow>(
      `SELECT * FROM participants WHERE session_id = ANY ($1::text[]) ORDER BY joined_at, seq`,
      [sessionIds],
    );
    return rows.map(toParticipant);
  }
}
