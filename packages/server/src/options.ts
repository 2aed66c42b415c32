/**
 * @module
 * The server's options: one {@link ServerOptions} interface, one {@link DEFAULTS} object, one
 * {@link resolveOptions} that merges and validates them, and {@link optionsFromEnv} for the
 * `SIGHTLINE_*` environment. Bad configuration is refused at start with `CONFIG_INVALID` and a
 * message naming the option (or the environment variable) that is wrong.
 */
import { isIP } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { FastifyServerOptions } from 'fastify';
import { z } from 'zod';
import {
  CHECKOUT_MAX_BYTES,
  CHECKOUT_TAIL_REFRESH_BATCHES,
  CHECKOUT_TAIL_REFRESH_BYTES,
  DEFAULT_INVITE_TTL_SECONDS,
  DEFAULT_MAX_AGENTS,
  DEFAULT_MAX_CUSTOMERS,
  HELLO_DEADLINE_MS,
  INVITE_QUERY_PARAMETER,
  JOIN_TOKEN_TTL_SECONDS,
  JWT_MAX_LIFETIME_SECONDS,
  SightlineError,
} from '@sightline/protocol';
import type { Bus, Clock, Ids, SessionStore, ViewConsentPolicy } from './core/ports.js';

/** Where the browser assets are, when not found through their packages (`http/static-assets.ts`). */
export interface AssetPaths {
  /** The customer SDK's IIFE bundle. @default `@sightline/sdk`'s `dist/iife/sightline.js` */
  sdkBundle?: string;
  /** The built console. @default `@sightline/console`'s `dist/` */
  consoleDir?: string;
  /** The demo shop. @default `@sightline/demo-site`'s `public/` */
  demoSiteDir?: string;
}

/** Everything `createServer` can be told. Pass a partial; the rest comes from {@link DEFAULTS}. */
export interface ServerOptions {
  /** Interface to listen on (`SIGHTLINE_HOST`). @default '127.0.0.1' */
  host: string;
  /** Port to listen on; 0 picks a free one (`SIGHTLINE_PORT`). @default 8080 */
  port: number;
  /**
   * The origin browsers and SDKs reach the server at, without a path (`SIGHTLINE_PUBLIC_URL`).
   * @default `http://<host>:<bound port>`, known once listening
   */
  publicUrl?: string;
  /**
   * Where the SQLite file (`sightline.db`) and demo credentials live (`SIGHTLINE_DATA_DIR`).
   * `:memory:` keeps everything in memory, for tests.
   * @default './data'
   */
  dataDir: string;
  /**
   * The default app's SDK key (`SIGHTLINE_SDK_KEY`). Required unless `demo`.
   * @default none; generated once and kept in the store in demo mode
   */
  sdkKey?: string;
  /**
   * The default app's SDK secret, at least 32 characters (`SIGHTLINE_SDK_SECRET`).
   * @default none; generated once and kept in the store in demo mode
   */
  sdkSecret?: string;
  /**
   * PostgreSQL URL (`SIGHTLINE_DATABASE_URL`), such as `postgres://sightline:…@db:5432/sightline`.
   * Set, the node keeps its state there (migrating the schema on start, one node at a time), so
   * several nodes can share it; `dataDir` then holds only the demo credentials.
   * @default unset (SQLite in `dataDir`)
   */
  databaseUrl?: string;
  /**
   * Most PostgreSQL connections this node opens (`SIGHTLINE_DATABASE_POOL_SIZE`). Mind the
   * server's `max_connections` across all nodes. @default 10
   */
  databasePoolSize: number;
  /**
   * Redis URL (`SIGHTLINE_REDIS_URL`), such as `redis://:…@cache:6379/0` (`rediss://` for TLS).
   * Set, each session's traffic crosses nodes on a Redis channel and its checkouts, tabs and
   * presence live in Redis, so several nodes can serve one session; the node does not start
   * without it. @default unset (an in-memory bus: one node)
   */
  redisUrl?: string;
  /**
   * Origins whose pages may open customer sockets and call `/api/customer/start`
   * (`SIGHTLINE_ALLOWED_ORIGINS`), or `'*'`. Same-origin pages are always allowed.
   * @default the origin of `publicUrl`
   */
  allowedOrigins?: readonly string[] | '*';
  /**
   * The proxies (load balancers) in front of the nodes, by address or CIDR
   * (`SIGHTLINE_TRUST_PROXY`, comma-separated). A request from one of them is taken to come from
   * the last address its `X-Forwarded-For` names that is not itself a trusted proxy, so PIN
   * guessing is counted per real client rather than per balancer. Nothing else is trusted.
   * @default none: the socket's address is the client's
   */
  trustProxy?: readonly string[];
  /**
   * The bearer token `GET /metrics` requires, at least 32 characters (`SIGHTLINE_METRICS_TOKEN`).
   * Set, a scraper anywhere sends `Authorization: Bearer <token>` (compared in constant time).
   * Unset, `/metrics` answers only requests made straight from this machine's loopback address
   * that no proxy forwarded (no `Forwarded`, `X-Forwarded-For` or `X-Real-IP` header), so a
   * reverse proxy on the same machine cannot expose it by accident. The metrics carry no session
   * id, user or address either way; they still describe the service's load, which is not public.
   * @default unset: loopback only
   */
  metricsToken?: string;
  /** 32-byte key for recordings at rest (`SIGHTLINE_RECORDING_KEY`). Unused until recordings. @default unset */
  recordingKey?: Uint8Array;
  /** Serve the demo shop and seed demo credentials (`SIGHTLINE_DEMO`). @default false */
  demo: boolean;
  /**
   * The default app's consent policy for viewing (`SIGHTLINE_VIEW_CONSENT`): `ask` shows the
   * customer a prompt for each agent; `pre_approved` skips it, for pages that collected consent
   * themselves (the banner still shows). Control and recording are always asked.
   * @default 'ask'
   */
  viewConsent: ViewConsentPolicy;
  /**
   * The default app's invite page (`SIGHTLINE_INVITE_URL`): where an agent's invitation link
   * sends the customer. A page of the app's site that loads the SDK, as an absolute http(s) URL
   * (`https://shop.example.com/help`), or a path on `publicUrl` (`/demo/`). Without it, agents
   * cannot make invitations (4008).
   * @default '/demo/' (the demo shop) in demo mode; unset otherwise
   */
  inviteUrl?: string;
  /**
   * How long an invitation link works, in s (`SIGHTLINE_INVITE_TTL_SECONDS`), at most 24 h. The
   * session the agent waits in ends (`timeout_waiting`) if nobody opens the link by then, and its
   * `timeout_max` counts from the link's expiry.
   * @default DEFAULT_INVITE_TTL_SECONDS (900: 15 min)
   */
  inviteTtlSeconds: number;
  /** Time a socket has to send `session.hello`, in ms. @default HELLO_DEADLINE_MS (5 s) */
  helloDeadlineMs: number;
  /** Agents per session. @default DEFAULT_MAX_AGENTS (5) */
  maxAgents: number;
  /** Customers per session. @default DEFAULT_MAX_CUSTOMERS (1) */
  maxCustomers: number;
  /**
   * Longest a session lasts (`timeout_max`), in ms, unless an agent extends it with the
   * customer's consent (`sessionExtensionMs`). @default 2_700_000 (45 min)
   */
  sessionMaxDurationMs: number;
  /**
   * What one extension adds to a session's deadline, in ms. An agent the customer allowed to see
   * the page asks (`session.extend`); the customer is always asked, whatever `viewConsent` says.
   * @default 900_000 (15 min)
   */
  sessionExtensionMs: number;
  /**
   * The most all of a session's extensions may add together, in ms; 0 turns extending off. The
   * last extension is cut short to fit. The customer's resume token lasts this much past the
   * first deadline, so a page reloaded in extra time still resumes.
   * @default 4_500_000 (75 min: with the defaults, a session lasts at most 2 h)
   */
  sessionMaxExtensionMs: number;
  /** Longest a session waits for its first agent (`timeout_waiting`), in ms. @default 180_000 (3 min) */
  waitingTimeoutMs: number;
  /** How long a dropped customer may take to come back (`timeout_reconnect`), in ms. @default 120_000 (2 min) */
  reconnectWindowMs: number;
  /**
   * How long an `active` session may go without customer activity before it ends
   * (`timeout_idle`), in ms. Activity is a new customer `dom.batch` (the page changed, or the
   * customer typed, scrolled or moved); agent frames and resent duplicates do not count, so a
   * watching agent alone cannot keep a session alive. `reconnecting` has its own, shorter window.
   * Counted per node: the node that made the session active times it with the batches it
   * received. @default 1_800_000 (30 min)
   */
  idleTimeoutMs: number;
  /**
   * How long a consent question may stay unanswered, in ms. On expiry it is withdrawn without
   * blame: the agent gets `session.error CONSENT_TIMEOUT` and is closed (4403), which closes the
   * customer's prompt, and a session nobody else is asking about goes back to `waiting`.
   * @default 120_000 (2 min)
   */
  consentTimeoutMs: number;
  /** Lifetime of a join token, in s. @default JOIN_TOKEN_TTL_SECONDS (120) */
  joinTokenTtlSeconds: number;
  /** Lifetime of a console sign-in token, in s (at most 48 h). @default 28_800 (8 h) */
  consoleTokenTtlSeconds: number;
  /** An agent socket with more bytes than this queued is closed with 4503. @default 16 MiB */
  agentMaxBufferedBytes: number;
  /** Wrong PINs one agent may enter per `pinGuessWindowMs` before 429. @default 10 */
  pinGuessesPerAgent: number;
  /** Wrong PINs one client address may enter per `pinGuessWindowMs` before 429. @default 30 */
  pinGuessesPerAddress: number;
  /** The sliding window for wrong-PIN limits, in ms. @default 600_000 (10 min) */
  pinGuessWindowMs: number;
  /** Checkout tail size that triggers a `checkout_tail` snapshot request. @default CHECKOUT_TAIL_REFRESH_BYTES */
  checkoutTailRefreshBytes: number;
  /** Checkout tail length that triggers a `checkout_tail` snapshot request. @default CHECKOUT_TAIL_REFRESH_BATCHES */
  checkoutTailRefreshBatches: number;
  /** Bound on one tab's checkout (the built-in memory and Redis buses). @default CHECKOUT_MAX_BYTES */
  checkoutMaxBytes: number;
  /**
   * How often a node looks for dead nodes (their bus heartbeat lapsed) whose sockets the store
   * still counts, and releases them (ADR 0013). @default 5000
   */
  nodeSweepIntervalMs: number;
  /** Fastify's logger: `false`, `true` or pino options (`SIGHTLINE_LOG_LEVEL` sets the level). @default false */
  logger: FastifyServerOptions['logger'];
  /** A store to use instead of SQLite in `dataDir`. The server closes it on `close()`. @default SQLite */
  store?: SessionStore;
  /** A bus to use instead of the one `redisUrl` names. The server closes it on `close()`. @default Redis with `redisUrl`, else a memory bus */
  bus?: Bus;
  /** @default the system clock */
  clock?: Clock;
  /** @default random session ids and PINs from node:crypto */
  ids?: Ids;
  /** This node's id on the bus. @default a random id */
  nodeId?: string;
  /** Asset folder overrides. @default {} */
  assets: AssetPaths;
}

/** {@link ServerOptions} after {@link resolveOptions}: defaults applied, validated. */
export type ResolvedOptions = ServerOptions & { nodeId: string };

/** Every default, in one place. */
export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8080,
  dataDir: './data',
  databasePoolSize: 10,
  demo: false,
  viewConsent: 'ask',
  inviteTtlSeconds: DEFAULT_INVITE_TTL_SECONDS,
  helloDeadlineMs: HELLO_DEADLINE_MS,
  maxAgents: DEFAULT_MAX_AGENTS,
  maxCustomers: DEFAULT_MAX_CUSTOMERS,
  sessionMaxDurationMs: 45 * 60_000,
  sessionExtensionMs: 15 * 60_000,
  sessionMaxExtensionMs: 75 * 60_000,
  waitingTimeoutMs: 3 * 60_000,
  reconnectWindowMs: 2 * 60_000,
  idleTimeoutMs: 30 * 60_000,
  consentTimeoutMs: 2 * 60_000,
  joinTokenTtlSeconds: JOIN_TOKEN_TTL_SECONDS,
  consoleTokenTtlSeconds: 8 * 60 * 60,
  agentMaxBufferedBytes: 16 * 1024 * 1024,
  pinGuessesPerAgent: 10,
  pinGuessesPerAddress: 30,
  pinGuessWindowMs: 10 * 60_000,
  checkoutTailRefreshBytes: CHECKOUT_TAIL_REFRESH_BYTES,
  checkoutTailRefreshBatches: CHECKOUT_TAIL_REFRESH_BATCHES,
  checkoutMaxBytes: CHECKOUT_MAX_BYTES,
  nodeSweepIntervalMs: 5_000,
  logger: false,
  assets: {},
} as const satisfies Partial<ServerOptions>;

/** The environment variable behind each option that has one. */
export const ENV_NAMES = {
  host: 'SIGHTLINE_HOST',
  port: 'SIGHTLINE_PORT',
  publicUrl: 'SIGHTLINE_PUBLIC_URL',
  dataDir: 'SIGHTLINE_DATA_DIR',
  sdkKey: 'SIGHTLINE_SDK_KEY',
  sdkSecret: 'SIGHTLINE_SDK_SECRET',
  databaseUrl: 'SIGHTLINE_DATABASE_URL',
  databasePoolSize: 'SIGHTLINE_DATABASE_POOL_SIZE',
  redisUrl: 'SIGHTLINE_REDIS_URL',
  allowedOrigins: 'SIGHTLINE_ALLOWED_ORIGINS',
  trustProxy: 'SIGHTLINE_TRUST_PROXY',
  metricsToken: 'SIGHTLINE_METRICS_TOKEN',
  recordingKey: 'SIGHTLINE_RECORDING_KEY',
  demo: 'SIGHTLINE_DEMO',
  viewConsent: 'SIGHTLINE_VIEW_CONSENT',
  inviteUrl: 'SIGHTLINE_INVITE_URL',
  inviteTtlSeconds: 'SIGHTLINE_INVITE_TTL_SECONDS',
  logger: 'SIGHTLINE_LOG_LEVEL',
} as const satisfies Partial<Record<keyof ServerOptions, string>>;

type Namer = (option: string) => string;

/** `scheme://host[:port]`, exactly as `URL#origin` writes it. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

/** An IPv4 or IPv6 address, alone or with a prefix length (`10.0.0.0/8`, `fd00::/8`). */
function isAddressOrCidr(value: string): boolean {
  const [address = '', prefix, extra] = value.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

const positive = z.number().int().positive();

/** A `postgres://` or `postgresql://` URL. */
function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'postgres:' || url.protocol === 'postgresql:';
  } catch {
    return false;
  }
}

/** An absolute http(s) URL, or a path on the public URL, that has no invitation in it yet. */
function isInvitePage(value: string): boolean {
  try {
    const url = new URL(value, 'http://public.invalid');
    const absolute = /^https?:\/\//i.test(value);
    return (
      (absolute || value.startsWith('/')) &&
      !value.startsWith('//') &&
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      !url.searchParams.has(INVITE_QUERY_PARAMETER)
    );
  } catch {
    return false;
  }
}

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'redis:' || url.protocol === 'rediss:';
  } catch {
    return false;
  }
}

function schemaFor(name: Namer) {
  return z
    .object({
      host: z.string().min(1, 'must not be empty'),
      port: z.number().int().min(0).max(65_535, 'must be a port number, 0 to 65535'),
      publicUrl: z
        .string()
        .refine(
          isOrigin,
          'must be an http(s) origin such as https://cobrowse.example.com, without a path',
        )
        .optional(),
      dataDir: z.string().min(1, 'must not be empty'),
      sdkKey: z
        .string()
        .min(1)
        .max(256)
        .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
        .optional(),
      sdkSecret: z.string().min(32, 'must be at least 32 characters').optional(),
      databaseUrl: z
        .string()
        .refine(isPostgresUrl, 'must be a postgres:// or postgresql:// URL')
        .optional(),
      databasePoolSize: z
        .number()
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .max(1000, 'must be at most 1000'),
      redisUrl: z.string().refine(isRedisUrl, 'must be a redis:// or rediss:// URL').optional(),
      trustProxy: z
        .array(z.string().refine(isAddressOrCidr, 'each entry must be an IP address or a CIDR'))
        .optional(),
      metricsToken: z
        .string()
        .min(32, 'must be at least 32 characters')
        .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
        .optional(),
      allowedOrigins: z
        .union([
          z.literal('*'),
          z.array(
            z
              .string()
              .refine(
                isOrigin,
                'each entry must be an origin such as https://shop.example.com (no path, no trailing slash)',
              ),
          ),
        ])
        .optional(),
      recordingKey: z
        .instanceof(Uint8Array)
        .refine((key) => key.length === 32, 'must be 32 bytes')
        .optional(),
      demo: z.boolean(),
      viewConsent: z.enum(['ask', 'pre_approved'], { error: 'must be ask or pre_approved' }),
      inviteUrl: z
        .string()
        .max(2000, 'must be at most 2000 characters')
        .refine(
          isInvitePage,
          `must be an http(s) URL such as https://shop.example.com/help, or a path such as /demo/, without a ${INVITE_QUERY_PARAMETER} parameter`,
        )
        .optional(),
      inviteTtlSeconds: z
        .number()
        .int('must be a whole number of seconds')
        .min(1, 'must be at least 1 second')
        .max(24 * 60 * 60, 'must be at most 86400 (24 hours)'),
      helloDeadlineMs: positive,
      maxAgents: positive,
      maxCustomers: positive,
      sessionMaxDurationMs: positive,
      sessionExtensionMs: positive,
      sessionMaxExtensionMs: z.number().int().min(0, 'must be 0 (no extensions) or more'),
      waitingTimeoutMs: positive,
      reconnectWindowMs: positive,
      idleTimeoutMs: positive,
      consentTimeoutMs: positive,
      joinTokenTtlSeconds: positive,
      consoleTokenTtlSeconds: positive.max(JWT_MAX_LIFETIME_SECONDS, 'must be at most 48 hours'),
      agentMaxBufferedBytes: positive,
      pinGuessesPerAgent: positive,
      pinGuessesPerAddress: positive,
      pinGuessWindowMs: positive,
      checkoutTailRefreshBytes: positive,
      checkoutTailRefreshBatches: positive,
      checkoutMaxBytes: positive,
      nodeSweepIntervalMs: positive,
    })
    .superRefine((options, ctx) => {
      const hasKey = options.sdkKey !== undefined;
      const hasSecret = options.sdkSecret !== undefined;
      if (hasKey !== hasSecret) {
        ctx.addIssue({
          code: 'custom',
          path: [hasKey ? 'sdkSecret' : 'sdkKey'],
          message: `must be set together with ${name(hasKey ? 'sdkKey' : 'sdkSecret')}`,
        });
      } else if (!hasKey && !options.demo) {
        ctx.addIssue({
          code: 'custom',
          path: ['sdkKey'],
          message: `required, with ${name('sdkSecret')}, unless ${name('demo')} is on`,
        });
      }
    });
}

/** What is wrong with `options`, each problem naming its option with `name`. */
function problemsOf(options: object, name: Namer): string[] {
  const result = schemaFor(name).safeParse(options);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const option = String(issue.path[0] ?? 'options');
    return `${name(option)}: ${issue.message}`;
  });
}

function refuse(problems: readonly string[]): void {
  if (problems.length > 0) throw new SightlineError('CONFIG_INVALID', problems.join('; '));
}

/** Merges `options` over {@link DEFAULTS} and validates the result, once, at start. */
export function resolveOptions(options: Partial<ServerOptions> = {}): ResolvedOptions {
  const defined = stripUndefined(options);
  const resolved: ResolvedOptions = {
    ...DEFAULTS,
    ...defined,
    assets: { ...DEFAULTS.assets, ...defined.assets },
    nodeId: defined.nodeId ?? `node-${randomBytes(6).toString('base64url')}`,
  };
  refuse(problemsOf(resolved, (option) => option));
  return resolved;
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function parseKey(raw: string): Uint8Array | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(raw)) return Buffer.from(raw, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(raw))
    return Buffer.from(raw, raw.includes('=') || /[+/]/.test(raw) ? 'base64' : 'base64url');
  return undefined;
}

/**
 * Reads the `SIGHTLINE_*` environment into options, validating it as {@link resolveOptions} will.
 * Empty variables count as unset. Errors name the variable: `SIGHTLINE_PORT: must be …`.
 */
export function optionsFromEnv(env: Env): Partial<ServerOptions> {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const problems: string[] = [];
  const options: Partial<ServerOptions> = {};

  options.host = read(ENV_NAMES.host);
  const port = read(ENV_NAMES.port);
  if (port !== undefined) {
    if (/^\d{1,5}$/.test(port)) options.port = Number(port);
    else problems.push(`${ENV_NAMES.port}: must be a port number, 0 to 65535`);
  }
  options.publicUrl = read(ENV_NAMES.publicUrl)?.replace(/\/+$/, '');
  options.dataDir = read(ENV_NAMES.dataDir);
  options.sdkKey = read(ENV_NAMES.sdkKey);
  options.sdkSecret = read(ENV_NAMES.sdkSecret);
  options.databaseUrl = read(ENV_NAMES.databaseUrl);
  const poolSize = read(ENV_NAMES.databasePoolSize);
  if (poolSize !== undefined) {
    if (/^\d{1,4}$/.test(poolSize)) options.databasePoolSize = Number(poolSize);
    else problems.push(`${ENV_NAMES.databasePoolSize}: must be a whole number`);
  }
  options.redisUrl = read(ENV_NAMES.redisUrl);
  const origins = read(ENV_NAMES.allowedOrigins);
  if (origins !== undefined) {
    const list = origins
      .split(',')
      .map((origin) => origin.trim().replace(/\/+$/, ''))
      .filter(Boolean);
    if (list.includes('*') && list.length > 1) {
      problems.push(`${ENV_NAMES.allowedOrigins}: '*' cannot be combined with other origins`);
    } else {
      options.allowedOrigins = list[0] === '*' ? '*' : list;
    }
  }
  options.trustProxy = read(ENV_NAMES.trustProxy)
    ?.split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  options.metricsToken = read(ENV_NAMES.metricsToken);
  const recordingKey = read(ENV_NAMES.recordingKey);
  if (recordingKey !== undefined) {
    options.recordingKey = parseKey(recordingKey);
    if (!options.recordingKey) {
      problems.push(
        `${ENV_NAMES.recordingKey}: must be 32 bytes as base64 or hex (try: openssl rand -base64 32)`,
      );
    }
  }
  const demo = read(ENV_NAMES.demo)?.toLowerCase();
  if (demo !== undefined) {
    if (['true', '1', 'false', '0'].includes(demo)) options.demo = demo === 'true' || demo === '1';
    else problems.push(`${ENV_NAMES.demo}: must be true, false, 1 or 0`);
  }
  const viewConsent = read(ENV_NAMES.viewConsent);
  if (viewConsent !== undefined) options.viewConsent = viewConsent as ViewConsentPolicy;
  options.inviteUrl = read(ENV_NAMES.inviteUrl);
  const inviteTtl = read(ENV_NAMES.inviteTtlSeconds);
  if (inviteTtl !== undefined) {
    if (/^\d{1,9}$/.test(inviteTtl)) options.inviteTtlSeconds = Number(inviteTtl);
    else problems.push(`${ENV_NAMES.inviteTtlSeconds}: must be a whole number of seconds`);
  }
  const level = read(ENV_NAMES.logger);
  if (level !== undefined) {
    if ((LOG_LEVELS as readonly string[]).includes(level)) options.logger = { level };
    else problems.push(`${ENV_NAMES.logger}: must be one of ${LOG_LEVELS.join(', ')}`);
  }

  const names: Record<string, string> = ENV_NAMES;
  const parsed = stripUndefined(options);
  problems.push(...problemsOf({ ...DEFAULTS, ...parsed }, (option) => names[option] ?? option));
  refuse(problems);
  return parsed;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
