/**
 * @module
 * What a fresh data directory needs before the first request: the default app (its SDK key and
 * secret from the options, or generated once in demo mode; its consent policy and invite page
 * from the options on every start) and, in demo mode, a console agent
 * whose password is kept in `<dataDir>/demo-credentials.json` (mode 0600) so every start can print it.
 *
 * Several nodes may start at once on one empty database. Whatever one of them generates (the
 * demo app's credentials, the demo agents' password) is proposed to the store with
 * `putMetaIfAbsent`, and every node goes on with the one the store kept; the demo agents have
 * fixed ids, so racing nodes update one row rather than insert two with one username.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword, verifyPassword } from '../core/passwords.js';
import type { AppRecord, SessionStore } from '../core/ports.js';
import type { ResolvedOptions } from '../options.js';

/** The id of the app every deployment has. */
export const DEFAULT_APP_ID = 'default';

/** The meta key of the generated demo app's SDK key and secret, which every node must share. */
const DEMO_APP_META = 'demo_app_credentials';

/** The meta key of the demo agents' password, which every node must print and accept. */
const DEMO_PASSWORD_META = 'demo_agent_password';

/** The demo shop's path on the server: the default app's invite page in demo mode. */
export const DEMO_INVITE_PATH = '/demo/';

/**
 * The demo console agents. Two, so a newcomer (and the e2e suite) can watch one session from two
 * consoles as two different people; they share the demo password.
 */
export const DEMO_AGENTS = [
  { username: 'agent', displayName: 'Demo Agent' },
  { username: 'agent2', displayName: 'Second Agent' },
] as const;

/** A seeded demo console agent's sign-in. */
export interface DemoCredentials {
  username: string;
  password: string;
}

/** What {@link bootstrap} set up. */
export interface Bootstrapped {
  app: AppRecord;
  /** The SDK secret, only on the start that generated it (so it is printed once). */
  generatedSdkSecret?: string;
  /** Demo mode only: the console agents to sign in as, the first being the main one. */
  demoAgents?: DemoCredentials[];
}

/** Creates or updates the default app and, in demo mode, the demo agents. */
export async function bootstrap(
  store: SessionStore,
  options: ResolvedOptions,
  now: number,
): Promise<Bootstrapped> {
  const existing = await store.getAppById(DEFAULT_APP_ID);
  const inviteUrl = options.inviteUrl ?? (options.demo ? DEMO_INVITE_PATH : undefined);
  const settings = { viewConsent: options.viewConsent, inviteUrl };
  const unchanged = (app: AppRecord): boolean =>
    app.viewConsent === settings.viewConsent && app.inviteUrl === settings.inviteUrl;
  let app: AppRecord;
  let generatedSdkSecret: string | undefined;
  if (options.sdkKey !== undefined && options.sdkSecret !== undefined) {
    app = {
      id: DEFAULT_APP_ID,
      name: existing?.name ?? 'Default app',
      sdkKey: options.sdkKey,
      sdkSecret: options.sdkSecret,
      createdAt: existing?.createdAt ?? now,
      ...settings,
    };
    if (
      existing?.sdkKey !== app.sdkKey ||
      existing.sdkSecret !== app.sdkSecret ||
      !unchanged(existing)
    ) {
      await store.saveApp(app);
    }
  } else if (existing) {
    app = existing;
    if (!unchanged(existing)) {
      app = { ...existing, ...settings };
      await store.saveApp(app);
    }
  } else {
    const proposed = {
      sdkKey: `sl_${randomBytes(12).toString('base64url')}`,
      sdkSecret: randomBytes(32).toString('base64url'),
    };
    const stored = await store.putMetaIfAbsent(DEMO_APP_META, JSON.stringify(proposed));
    const { sdkKey, sdkSecret } = JSON.parse(stored) as typeof proposed;
    // Printed once, by the node whose proposal the store kept.
    if (sdkSecret === proposed.sdkSecret) generatedSdkSecret = sdkSecret;
    app = { id: DEFAULT_APP_ID, name: 'Demo app', sdkKey, sdkSecret, createdAt: now, ...settings };
    await store.saveApp(app);
  }
  const demoAgents = options.demo ? await seedDemoAgents(store, options, app, now) : undefined;
  return { app, generatedSdkSecret, demoAgents };
}

async function seedDemoAgents(
  store: SessionStore,
  options: ResolvedOptions,
  app: AppRecord,
  now: number,
): Promise<DemoCredentials[]> {
  const file =
    options.dataDir === ':memory:' ? undefined : join(options.dataDir, 'demo-credentials.json');
  const saved = file ? readCredentials(file) : undefined;
  const password = await store.putMetaIfAbsent(
    DEMO_PASSWORD_META,
    saved ?? randomBytes(12).toString('base64url'),
  );
  for (const agent of DEMO_AGENTS) {
    const user = await store.getUserByUsername(agent.username);
    if (user && (await verifyPassword(password, user.passwordHash))) continue;
    await store.saveUser({
      id: user?.id ?? `user_demo_${agent.username}`,
      appId: app.id,
      username: agent.username,
      displayName: agent.displayName,
      role: 'agent',
      passwordHash: await hashPassword(password),
      createdAt: user?.createdAt ?? now,
    });
  }
  const [main] = DEMO_AGENTS;
  if (file && saved !== password) {
    writeFileSync(file, `${JSON.stringify({ username: main.username, password }, null, 2)}\n`, {
      mode: 0o600,
    });
  }
  return DEMO_AGENTS.map((agent) => ({ username: agent.username, password }));
}

function readCredentials(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof value === 'object' && value !== null && 'password' in value) {
      const password = (value as { password: unknown }).password;
      if (typeof password === 'string' && password.length > 0) return password;
    }
  } catch {
    // A corrupt file is replaced with fresh credentials.
  }
  return undefined;
}
