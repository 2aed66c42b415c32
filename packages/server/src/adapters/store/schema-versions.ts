/**
 * @module
 * The schema's versions, in one place for every store adapter. Each SQL dialect
 * (`sqlite/migrations.ts`, `postgres/migrations.ts`) gives its own SQL for exactly these
 * versions, keyed by number: a version added here and missing from either adapter, or an extra
 * one in an adapter, is a type error, so the two schemas cannot drift apart. Never edit a
 * released version: add one.
 */

/** Every schema version, in order: its number and what it adds. */
export const SCHEMA_VERSIONS = [
  { version: 1, name: 'apps, users, sessions, participants, audit log, meta' },
  { version: 2, name: 'app audit log (security events that belong to no session)' },
  { version: 3, name: 'apps.view_consent (ask, or pre_approved by the page)' },
  { version: 4, name: "invitations (an agent's one-time link to a session) and apps.invite_url" },
  { version: 5, name: 'mask rules (server-managed masking per app and URL pattern)' },
  {
    version: 6,
    name: "session control (ADR 0012): each session's mode, controller, grant, pending step, page settings",
  },
  {
    version: 7,
    name: "participants' sockets per node, so a dead node's are released together",
  },
] as const;

/** The number of a schema version. */
export type SchemaVersion = (typeof SCHEMA_VERSIONS)[number]['version'];

/** One schema step in one dialect. */
export interface Migration {
  version: SchemaVersion;
  name: string;
  sql: string;
}

/** The dialect's migrations, in order, from its SQL for each version. */
export function migrationsOf(sql: Readonly<Record<SchemaVersion, string>>): readonly Migration[] {
  return SCHEMA_VERSIONS.map(({ version, name }) => ({ version, name, sql: sql[version] }));
}
