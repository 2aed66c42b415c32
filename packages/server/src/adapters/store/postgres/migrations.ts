/**
 * @module
 * The PostgreSQL schema: the same numbered versions as SQLite (`../schema-versions.ts`), in
 * PostgreSQL's SQL. Milliseconds are `BIGINT`, flags `BOOLEAN`, lists and objects `JSONB`; ids
 * that order lists compare bytewise (`COLLATE "C"`), as SQLite's do, whatever the database's
 * locale. `schema_migrations` records each version applied.
 *
 * Several nodes may start at once against one database: {@link migrate} holds a transaction-level
 * advisory lock while it reads what is applied and applies the rest, all in one transaction
 * (PostgreSQL's DDL is transactional), so exactly one node migrates and the others then find
 * nothing to do. Never edit a released migration: add one.
 */
import type { Pool } from 'pg';
import { migrationsOf, type Migration, type SchemaVersion } from '../schema-versions.js';
import { inTransaction } from './transaction.js';

/** PostgreSQL's SQL for each schema version (see `SCHEMA_VERSIONS` for what each adds). */
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
      created_at BIGINT NOT NULL
    );

    CREATE TABLE users (
      id            TEXT PRIMARY KEY,
      app_id        TEXT NOT NULL REFERENCES apps (id),
      username      TEXT NOT NULL UNIQUE,
      display_name  TEXT NOT NULL,
      role          TEXT NOT NULL CHECK (role IN ('agent', 'senior_agent', 'manager', 'admin')),
      password_hash TEXT NOT NULL,
      created_at    BIGINT NOT NULL
    );

    CREATE TABLE sessions (
      id                 TEXT COLLATE "C" PRIMARY KEY,
      app_id             TEXT NOT NULL REFERENCES apps (id),
      pin                TEXT NOT NULL,
      state              TEXT NOT NULL CHECK (state IN
                           ('created', 'waiting', 'pending_consent', 'active', 'reconnecting', 'ended')),
      end_reason         TEXT,
      byop               BOOLEAN NOT NULL,
      customer_user_id   TEXT NOT NULL,
      customer_user_name TEXT NOT NULL,
      created_at         BIGINT NOT NULL,
      updated_at         BIGINT NOT NULL,
      ended_at           BIGINT,
      expires_at         BIGINT NOT NULL,
      CHECK ((state = 'ended') = (end_reason IS NOT NULL))
    );
    -- A PIN names one live session of its app; ended sessions free it. The database enforces
    -- this, so two nodes (or two requests) can never hand out the same PIN.
    CREATE UNIQUE INDEX sessions_live_pin ON sessions (app_id, pin) WHERE state <> 'ended';
    CREATE INDEX sessions_by_app_created ON sessions (app_id, created_at DESC, id DESC);
    CREATE INDEX sessions_by_created ON sessions (created_at DESC, id DESC);

    CREATE TABLE participants (
      session_id  TEXT COLLATE "C" NOT NULL REFERENCES sessions (id),
      role        TEXT NOT NULL CHECK (role IN ('customer', 'agent')),
      user_id     TEXT NOT NULL,
      user_name   TEXT NOT NULL,
      connections INTEGER NOT NULL CHECK (connections >= 0),
      joined_at   BIGINT NOT NULL,
      left_at     BIGINT,
      -- Insertion order (SQLite's rowid): the tiebreak of join order.
      seq         BIGINT GENERATED ALWAYS AS IDENTITY,
      PRIMARY KEY (session_id, role, user_id)
    );

    CREATE TABLE audit_log (
      id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      session_id TEXT NOT NULL,
      at         BIGINT NOT NULL,
      actor      TEXT NOT NULL,
      action     TEXT NOT NULL,
      from_state TEXT,
      to_state   TEXT,
      reason     TEXT
    );
    CREATE INDEX audit_log_by_session ON audit_log (session_id, id);
    CREATE FUNCTION refuse_append_only_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END
    $$;
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
  `,
  2: `
    CREATE TABLE app_audit_log (
      id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      app_id TEXT NOT NULL REFERENCES apps (id),
      at     BIGINT NOT NULL,
      actor  TEXT NOT NULL,
      action TEXT NOT NULL,
      reason TEXT
    );
    CREATE INDEX app_audit_log_by_app ON app_audit_log (app_id, id);
    CREATE TRIGGER app_audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON app_audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
  `,
  3: `
    ALTER TABLE apps ADD COLUMN view_consent TEXT NOT NULL DEFAULT 'ask'
      CHECK (view_consent IN ('ask', 'pre_approved'));
  `,
  4: `
    ALTER TABLE apps ADD COLUMN invite_url TEXT;

    CREATE TABLE invites (
      session_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES sessions (id),
      app_id      TEXT NOT NULL REFERENCES apps (id),
      created_by  TEXT NOT NULL,
      ticket_ref  TEXT,
      created_at  BIGINT NOT NULL,
      expires_at  BIGINT NOT NULL,
      redeemed_at BIGINT,
      redeemed_by TEXT,
      CHECK ((redeemed_at IS NULL) = (redeemed_by IS NULL))
    );
  `,
  5: `
    CREATE TABLE mask_rules (
      id              TEXT COLLATE "C" PRIMARY KEY,
      app_id          TEXT NOT NULL REFERENCES apps (id),
      url_pattern     TEXT NOT NULL,
      -- Arrays of strings, in the order the manager gave them.
      mask_selectors  JSONB NOT NULL,
      block_selectors JSONB NOT NULL,
      mask_url_params JSONB NOT NULL,
      -- The detectors switched on, such as {"email": true}.
      detectors       JSONB NOT NULL,
      description     TEXT,
      created_at      BIGINT NOT NULL,
      updated_at      BIGINT NOT NULL
    );
    CREATE INDEX mask_rules_by_app ON mask_rules (app_id, created_at, id);
  `,
  6: `
    CREATE TABLE session_control (
      session_id           TEXT COLLATE "C" PRIMARY KEY REFERENCES sessions (id),
      revision             INTEGER NOT NULL CHECK (revision >= 1),
      mode                 TEXT NOT NULL CHECK (mode IN
                             ('view_only', 'guided', 'controlled', 'full_control')),
      controller_user_id   TEXT,
      controller_user_name TEXT,
      grant_until          BIGINT,
      pending_id           TEXT,
      pending_mode         TEXT CHECK (pending_mode IN
                             ('view_only', 'guided', 'controlled', 'full_control')),
      pending_user_id      TEXT,
      pending_user_name    TEXT,
      pending_waiting_for  TEXT CHECK (pending_waiting_for IN ('manager', 'customer')),
      pending_since        BIGINT,
      pending_handover     BOOLEAN,
      -- The page's ControlSettings, once its SDK sent them.
      settings             JSONB,
      updated_at           BIGINT NOT NULL,
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
      session_id  TEXT COLLATE "C" NOT NULL,
      role        TEXT NOT NULL,
      user_id     TEXT NOT NULL,
      node_id     TEXT COLLATE "C" NOT NULL,
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

/** The advisory lock key that serialises migrations across nodes (any constant will do). */
const MIGRATION_LOCK = "hashtext('sightline.schema_migrations')";

/**
 * Applies every migration the database has not recorded, holding the migration lock; returns the
 * versions it applied (none when another node got there first).
 */
export async function migrate(pool: Pool): Promise<number[]> {
  return inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM schema_migrations',
    );
    const applied = new Set(rows.map((row) => row.version));
    const done: number[] = [];
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      done.push(migration.version);
    }
    return done;
  });
}

/** The versions the database records as applied, in order. */
export async function appliedVersions(pool: Pool): Promise<number[]> {
  const { rows } = await pool.query<{ version: number }>(
    'SELECT version FROM schema_migrations ORDER BY version',
  );
  return rows.map((row) => row.version);
}
