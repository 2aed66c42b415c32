/**
 * @module
 * Internal: the SQLite store's participants and their sockets per node (migrations 1 and 7).
 * `participants.connections` is the participant's sockets on every node; `participant_sockets`
 * splits it by node, so a dead node's sockets can be released in one step. Each change of both is
 * one transaction, and better-sqlite3 runs transactions one at a time.
 */
import type Database from 'better-sqlite3';
import type { Role } from '@sightline/protocol';
import type {
  Admission,
  AdmissionResult,
  ParticipantRecord,
  ParticipantRelease,
} from '../../../core/ports.js';

interface ParticipantRow {
  session_id: string;
  role: Role;
  user_id: string;
  user_name: string;
  connections: number;
  joined_at: number;
  left_at: number | null;
}

interface SocketRow {
  session_id: string;
  role: Role;
  user_id: string;
  connections: number;
}

const toParticipant = (row: ParticipantRow): ParticipantRecord => ({
  sessionId: row.session_id,
  role: row.role,
  userId: row.user_id,
  userName: row.user_name,
  connections: row.connections,
  joinedAt: row.joined_at,
  leftAt: row.left_at ?? undefined,
});

/** The participants of one SQLite database. */
export class SqliteParticipants {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      connected: db.prepare<[string], ParticipantRow>(
        'SELECT * FROM participants WHERE session_id = ? AND connections > 0',
      ),
      addConnection: db.prepare(`UPDATE participants SET connections = connections + 1
        WHERE session_id = ? AND role = ? AND user_id = ?`),
      upsertParticipant: db.prepare(`INSERT INTO participants
          (session_id, role, user_id, user_name, connections, joined_at, left_at)
        VALUES (@sessionId, @role, @userId, @userName, 1, @at, NULL)
        ON CONFLICT (session_id, role, user_id) DO UPDATE SET
          connections = 1, user_name = excluded.user_name, left_at = NULL`),
      addSocket: db.prepare(`INSERT INTO participant_sockets
          (session_id, role, user_id, node_id, connections) VALUES (?, ?, ?, ?, 1)
        ON CONFLICT (session_id, role, user_id, node_id) DO UPDATE SET
          connections = connections + 1`),
      releaseSocket: db.prepare<[string, string, string, string], { connections: number }>(`
        UPDATE participant_sockets SET connections = connections - 1
        WHERE session_id = ? AND role = ? AND user_id = ? AND node_id = ? AND connections > 1
        RETURNING connections`),
      dropSocket: db.prepare(`DELETE FROM participant_sockets
        WHERE session_id = ? AND role = ? AND user_id = ? AND node_id = ?`),
      release: db.prepare<[number, number, number, string, string, string], ParticipantRow>(`
        UPDATE participants SET
          connections = connections - ?,
          left_at = CASE WHEN connections = ? THEN ? ELSE left_at END
        WHERE session_id = ? AND role = ? AND user_id = ? AND connections > 0
        RETURNING *`),
      nodeSockets: db.prepare<[string], SocketRow>(
        'SELECT session_id, role, user_id, connections FROM participant_sockets WHERE node_id = ?',
      ),
      dropNode: db.prepare('DELETE FROM participant_sockets WHERE node_id = ?'),
      socketNodes: db.prepare<[], { node_id: string }>(
        'SELECT DISTINCT node_id FROM participant_sockets ORDER BY node_id',
      ),
      list: db.prepare<[string], ParticipantRow>(`SELECT * FROM participants
        WHERE session_id IN (SELECT value FROM json_each(?)) ORDER BY joined_at, rowid`),
    };
  }

  /** See `SessionStore.admitParticipant`. */
  admit(admission: Admission): AdmissionResult {
    return this.db.transaction((): AdmissionResult => {
      const { sessionId, role, userId, nodeId } = admission;
      const connected = this.statements.connected.all(sessionId);
      const sameUser = connected.filter((row) => row.user_id === userId);
      if (sameUser.some((row) => row.role !== role)) return { status: 'duplicate' };
      if (sameUser.length > 0) {
        if (!admission.allowSharedUser) return { status: 'duplicate' };
        this.statements.addConnection.run(sessionId, role, userId);
        this.statements.addSocket.run(sessionId, role, userId, nodeId);
        return { status: 'admitted', first: false };
      }
      const ofRole = connected.filter((row) => row.role === role).length;
      if (ofRole >= admission.maxOfRole) return { status: 'full' };
      this.statements.upsertParticipant.run({
        sessionId,
        role,
        userId,
        userName: admission.userName,
        at: admission.at,
      });
      this.statements.addSocket.run(sessionId, role, userId, nodeId);
      return { status: 'admitted', first: true };
    })();
  }

  /** See `SessionStore.releaseParticipant`. */
  release(release: ParticipantRelease): { last: boolean } {
    return this.db.transaction((): { last: boolean } => {
      const key = [release.sessionId, release.role, release.userId, release.nodeId] as const;
      // The node's count of this participant: one less, or the row gone with its last socket.
      if (!this.statements.releaseSocket.get(...key)) {
        if (this.statements.dropSocket.run(...key).changes === 0) return { last: false };
      }
      const row = this.statements.release.get(
        1,
        1,
        release.at,
        release.sessionId,
        release.role,
        release.userId,
      );
      return { last: row?.connections === 0 };
    })();
  }

  /** See `SessionStore.releaseNode`. */
  releaseNode(nodeId: string, at: number): ParticipantRecord[] {
    return this.db.transaction((): ParticipantRecord[] => {
      const sockets = this.statements.nodeSockets.all(nodeId);
      this.statements.dropNode.run(nodeId);
      const left: ParticipantRecord[] = [];
      for (const socket of sockets) {
        const row = this.statements.release.get(
          socket.connections,
          socket.connections,
          at,
          socket.session_id,
          socket.role,
          socket.user_id,
        );
        if (row?.connections === 0) left.push(toParticipant(row));
      }
      return left;
    })();
  }

  /** See `SessionStore.listSocketNodes`. */
  socketNodes(): string[] {
    return this.statements.socketNodes.all().map((row) => row.node_id);
  }

  /** See `SessionStore.listParticipants`. */
  list(sessionIds: readonly string[]): ParticipantRecord[] {
    if (sessionIds.length === 0) return [];
    return this.statements.list.all(JSON.stringify(sessionIds)).map(toParticipant);
  }
}
