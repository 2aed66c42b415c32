/**
 * @module
 * Internal: the PostgreSQL store's participants, and their sockets per node (migration 7). An
 * admission locks its session's row first (`FOR NO KEY UPDATE`), so admissions to one session,
 * from any node, run one after another: each counts the connected participants after the previous
 * one committed, and the per-role limit holds across nodes. A release takes one socket off its
 * node's row (a conditional `UPDATE` or `DELETE`, which PostgreSQL re-checks on the newest row),
 * and only then off the participant's total, so a socket is never released twice: not by two
 * closes, and not by a close after its node was released whole (`releaseNode` deletes the node's
 * rows first and releases exactly what it deleted).
 */
import type { Pool } from 'pg';
import type { Role } from '@sightline/protocol';
import type {
  Admission,
  AdmissionResult,
  ParticipantRecord,
  ParticipantRelease,
} from '../../../core/ports.js';
import { toParticipant, type ParticipantRow } from './rows.js';
import { inTransaction, type Queryable } from './transaction.js';

const ADD_SOCKET = `INSERT INTO participant_sockets
    (session_id, role, user_id, node_id, connections) VALUES ($1, $2, $3, $4, 1)
  ON CONFLICT (session_id, role, user_id, node_id) DO UPDATE SET
    connections = participant_sockets.connections + 1`;

/** Takes `count` sockets off the participant's total; the row if it has none left. */
async function releaseSockets(
  client: Queryable,
  key: { sessionId: string; role: Role; userId: string },
  count: number,
  at: number,
): Promise<ParticipantRow | undefined> {
  const { rows } = await client.query<ParticipantRow>(
    `UPDATE participants SET
       connections = GREATEST(connections - $1, 0),
       left_at = CASE WHEN connections <= $1 THEN $2 ELSE left_at END
     WHERE session_id = $3 AND role = $4 AND user_id = $5 AND connections > 0
     RETURNING *`,
    [count, at, key.sessionId, key.role, key.userId],
  );
  return rows[0];
}

/** The `participants` table of one PostgreSQL database. */
export class PostgresParticipants {
  constructor(private readonly pool: Pool) {}

  /** See `SessionStore.admitParticipant`. */
  async admit(admission: Admission): Promise<AdmissionResult> {
    return inTransaction(this.pool, async (client): Promise<AdmissionResult> => {
      const { sessionId, role, userId, nodeId } = admission;
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
        await client.query(ADD_SOCKET, [sessionId, role, userId, nodeId]);
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
      await client.query(ADD_SOCKET, [sessionId, role, userId, nodeId]);
      return { status: 'admitted', first: true };
    });
  }

  /** See `SessionStore.releaseParticipant`. */
  async release(release: ParticipantRelease): Promise<{ last: boolean }> {
    return inTransaction(this.pool, async (client) => {
      const key = [release.sessionId, release.role, release.userId, release.nodeId];
      const fewer = await client.query(
        `UPDATE participant_sockets SET connections = connections - 1
         WHERE session_id = $1 AND role = $2 AND user_id = $3 AND node_id = $4
           AND connections > 1`,
        key,
      );
      if (fewer.rowCount === 0) {
        const gone = await client.query(
          `DELETE FROM participant_sockets
           WHERE session_id = $1 AND role = $2 AND user_id = $3 AND node_id = $4`,
          key,
        );
        if (gone.rowCount === 0) return { last: false };
      }
      const row = await releaseSockets(client, release, 1, release.at);
      return { last: row?.connections === 0 };
    });
  }

  /** See `SessionStore.releaseNode`. */
  async releaseNode(nodeId: string, at: number): Promise<ParticipantRecord[]> {
    return inTransaction(this.pool, async (client) => {
      const { rows: sockets } = await client.query<{
        session_id: string;
        role: Role;
        user_id: string;
        connections: number;
      }>(
        `DELETE FROM participant_sockets WHERE node_id = $1
         RETURNING session_id, role, user_id, connections`,
        [nodeId],
      );
      const left: ParticipantRecord[] = [];
      for (const socket of sockets) {
        const key = { sessionId: socket.session_id, role: socket.role, userId: socket.user_id };
        const row = await releaseSockets(client, key, socket.connections, at);
        if (row?.connections === 0) left.push(toParticipant(row));
      }
      return left;
    });
  }

  /** See `SessionStore.listSocketNodes`. */
  async socketNodes(): Promise<string[]> {
    const { rows } = await this.pool.query<{ node_id: string }>(
      'SELECT DISTINCT node_id FROM participant_sockets ORDER BY node_id',
    );
    return rows.map((row) => row.node_id);
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
