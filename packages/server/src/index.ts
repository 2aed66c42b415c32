/**
 * @module
 * `@sightline/server`: the Sightline node. `createServer(options)` for embedding and tests, the
 * `sightline` CLI for running. The ports and the default adapters are exported so another store
 * or bus can be written against the same contract suites.
 */
export { createServer, type SightlineServer } from './server.js';
export {
  DEFAULTS,
  ENV_NAMES,
  optionsFromEnv,
  resolveOptions,
  type AssetPaths,
  type ResolvedOptions,
  type ServerOptions,
} from './options.js';
export type {
  Admission,
  AdmissionResult,
  AgentRole,
  AppRecord,
  AppendResult,
  AuditEntry,
  Bus,
  BusMessage,
  Checkout,
  Clock,
  ControlAgent,
  ControlChange,
  ControlRecord,
  Ids,
  InviteRecord,
  InviteRedemption,
  Logger,
  MaskRuleRecord,
  ParticipantRecord,
  PendingControl,
  Presence,
  PresenceEntry,
  SessionQuery,
  SessionRecord,
  SessionStore,
  SocketLike,
  StateChange,
  StoredBatch,
  Timer,
  Unsubscribe,
  UserRecord,
} from './core/ports.js';
export {
  MemoryBus,
  MemoryBusHub,
  type MemoryBusHubOptions,
  type MemoryBusOptions,
} from './adapters/bus/memory/index.js';
export {
  RedisBus,
  REDIS_SESSION_TTL_MS,
  type RedisBusOptions,
} from './adapters/bus/redis/index.js';
export { PRESENCE_TTL_MS } from './adapters/bus/presence.js';
export { SqliteSessionStore, type SqliteStoreOptions } from './adapters/store/sqlite/index.js';
export {
  PostgresSessionStore,
  type PostgresStoreOptions,
} from './adapters/store/postgres/index.js';
