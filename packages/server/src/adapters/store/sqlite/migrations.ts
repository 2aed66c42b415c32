/**
 * @module
 * The SQLite schema, as numbered migrations. The versions and their names are shared with every
 * store adapter (`../schema-versions.ts`); this file holds SQLite's SQL for each. `PRAGMA
 * user_version` records the last one applied; each runs once, in its own transaction. Never edit
 * a released migration: add one.
 */
import type { Database } from 'better-sqlite3';
import { migrationsOf, type Migration, type SchemaVersion } from '../schema-versions.js';

/** SQLite's SQL for each schema version (see `SCHEMA_VERSIONS` for what each adds). */
const SQL: Record<SchemaVersion, string> = {
  1: `
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE apps (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        sdk_key    TEXT NOT NULL UNIQUE,
        sdk_secret TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        app_id        TEXT NOT NULL REFERENCES apps(id),
        username      TEXT NOT NULL UNIQUE,
        display_name  TEXT NOT NULL,
        role          TEXT NOT NULL CHECK (role IN ('agent', 'senior_agent', 'manager', 'admin')),
        password_hash TEXT NOT NULL,
        created_at    INTEGER NOT NULL
      );

      CREATE TABLE sessions (
        id                 TEXT PRIMARY KEY,
        app_id             TEXT NOT NULL REFERENCES apps(id),
        pin                TEXT NOT NULL,
        state              TEXT NOT NULL CHECK (state IN
                             ('created', 'waiting', 'pending_consent', 'active', 'reconnecting', 'ended')),
        end_reason         TEXT,
        byop               INTEGER NOT NULL CHECK (byop IN (0, 1)),
        customer_user_id   TEXT NOT NULL,
        customer_user_name TEXT NOT NULL,
        created_at         INTEGER NOT NULL,
        updated_at         INTEGER NOT NULL,
        ended_at           INTEGER,
        expires_at         INTEGER NOT NULL,
        CHECK ((state = 'ended') = (end_reason IS NOT NULL))
      );
      -- A PIN names one live session of its app; ended sessions free it. The database enforces
      -- this, so two nodes (or two requests) can never hand out the same PIN.
      CREATE UNIQUE INDEX sessions_live_pin ON sessions (app_id, pin) WHERE state <> 'ended';
      CREATE INDEX sessions_by_app_created ON sessions (app_id, created_at DESC, id DESC);
      CREATE INDEX sessions_by_created ON sessions (created_at DESC, id DESC);

      CREATE TABLE participants (
        session_id  TEXT NOT NULL REFERENCES sessions(id),
        role        TEXT NOT NULL CHECK (role IN ('customer', 'agent')),
        user_id     TEXT NOT NULL,
        user_name   TEXT NOT NULL,
        connections INTEGER NOT NULL CHECK (connections >= 0),
        joined_at   INTEGER NOT NULL,
        left_at     INTEGER,
        PRIMARY KEY (session_id, role, user_id)
      );

      CREATE TABLE audit_log (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL,
        at         INTEGER NOT NULL,
        actor      TEXT NOT NULL,
        action     TEXT NOT NULL,
        from_state TEXT,
        to_state   TEXT,
        reason     TEXT
      );
      CREATE INDEX audit_log_by_session ON audit_log (session_id, id);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `,
  2: `
      CREATE TABLE app_audit_log (
        id     INTEGER PRIMARY KEY AUTOINCREMENT,
        app_id TEXT NOT NULL REFERENCES apps (id),
        at     INTEGER NOT NULL,
        actor  TEXT NOT NULL,
        action TEXT NOT NULL,
        reason TEXT
      );
      CREATE INDEX app_audit_log_by_app ON app_audit_log (app_id, id);
      CREATE TRIGGER app_audit_log_no_update BEFORE UPDATE ON app_audit_log
        BEGIN SELECT RAISE(ABORT, 'app_audit_log is append-only'); END;
      CREATE TRIGGER app_audit_log_no_delete BEFORE DELETE ON app_audit_log
        BEGIN SELECT RAISE(ABORT, 'app_audit_log is append-only'); END;
    `,
  3: `
      ALTER TABLE apps ADD COLUMN view_consent TEXT NOT NULL DEFAULT 'ask'
        CHECK (view_consent IN ('ask', 'pre_approved'));
    `,
  4: `
      ALTER TABLE apps ADD COLUMN invite_url TEXT;

      CREATE TABLE invites (
        session_id  TEXT PRIMARY KEY REFERENCES sessions (id),
        app_id      TEXT NOT NULL REFERENCES apps (id),
        created_by  TEXT NOT NULL,
        ticket_ref  TEXT,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        redeemed_at INTEGER,
        redeemed_by TEXT,
        CHECK ((redeemed_at IS NULL) = (redeemed_by IS NULL))
      );
    `,
  5: `
      CREATE TABLE mask_rules (
        id              TEXT PRIMARY KEY,
        app_id          TEXT NOT NULL REFERENCES apps (id),
        url_pattern     TEXT NOT NULL,
        -- JSON arrays of strings, in the order the manager gave them.
        mask_selectors  TEXT NOT NULL,
        block_selectors TEXT NOT NULL,
        mask_url_params TEXT NOT NULL,
        -- A JSON object of the detectors switched on, such as {"email":true}.
        detectors       TEXT NOT NULL,
        description     TEXT,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
      );
      CREATE INDEX mask_rules_by_app ON mask_rules (app_id, created_at, id);
    `,
  6: `
      CREATE TABLE session_control (
        session_id           TEXT PRIMARY KEY REFERENCES sessions (id),
        revision             INTEGER NOT NULL CHECK (revision >= 1),
        mode                 TEXT NOT NULL CHECK (mode IN
                               ('view_only', 'guided', 'controlled', 'full_control')),
        controller_user_id   TEXT,
        controller_user_name TEXT,
        grant_until          INTEGER,
        pending_id           TEXT,
        pending_mode         TEXT CHECK (pending_mode IN
                               ('view_only', 'guided', 'controlled', 'full_control')),
        pending_user_id      TEXT,
        pending_user_name    TEXT,
        pending_waiting_for  TEXT CHECK (pending_waiting_for IN ('manager', 'customer')),
        pending_since        INTEGER,
        pending_handover     INTEGER CHECK (pending_handover IN (0, 1)),
        -- The page's ControlSettings as JSON, once its SDK sent them.
        settings             TEXT,
        updated_at           INTEGER NOT NULL,
        CHECK ((controller_user_id IS NULL) = (controller_user_name IS NULL)),
        CHECK ((controller_user_id IS NULL) = (mode IN ('view_only', 'guided'))),
        CHECK (grant_until IS NULL OR mode = 'controlled'),
        CHECK ((pending_id IS NULL) = (pending_mode IS NULL)
          AND (pending_id IS NULL) = (pending_user_id IS NULL)
          AND (pending_id IS NULL) = (pending_user_name IS NULL)
          AND (pending_id IS NULL) = (pending_waiting_for IS NULL)
          AND (pending_id IS NULL) = (pending_since IS NULL)
          AND (pending_id IS NULL) = (pending_handover IS NULL))
      );
      -- Managers list their app's requests for full control: few rows ever wait.
      CREATE INDEX session_control_waiting ON session_control (pending_waiting_for, pending_since)
        WHERE pending_waiting_for IS NOT NULL;
    `,
  7: `
      CREATE TABLE participant_sockets (
        session_id  TEXT NOT NULL,
        role        TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        node_id     TEXT NOT NULL,
        connections INTEGER NOT NULL CHECK (connections > 0),
        PRIMARY KEY (session_id, role, user_id, node_id),
        FOREIGN KEY (session_id, role, user_id) REFERENCES participants (session_id, role, user_id)
      );
      CREATE INDEX participant_sockets_by_node ON participant_sockets (node_id);
      -- Sockets counted before had no node: none of them is open after an upgrade.
      UPDATE participants SET connections = 0, left_at = COALESCE(left_at, joined_at)
        WHERE connections > 0;
    `,
};

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = migrationsOf(SQL);

/** Applies every migration newer than the database's `user_version`. */
export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
