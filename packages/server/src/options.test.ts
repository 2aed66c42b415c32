import { describe, expect, it } from 'vitest';
import { SightlineError } from '@sightline/protocol';
import { DEFAULTS, optionsFromEnv, resolveOptions } from './options.js';

const KEY = 'my-app';
const SECRET = 'a-secret-of-at-least-thirty-two-chars!';
const GOOD = { SIGHTLINE_SDK_KEY: KEY, SIGHTLINE_SDK_SECRET: SECRET };

function configError(run: () => unknown): SightlineError {
  let error: unknown;
  try {
    run();
  } catch (thrown) {
    error = thrown;
  }
  expect(error).toBeInstanceOf(SightlineError);
  expect((error as SightlineError).errorName).toBe('CONFIG_INVALID');
  return error as SightlineError;
}

describe('optionsFromEnv', () => {
  it('reads every variable', () => {
    const options = optionsFromEnv({
      ...GOOD,
      SIGHTLINE_HOST: '0.0.0.0',
      SIGHTLINE_PORT: '0',
      SIGHTLINE_PUBLIC_URL: 'https://cobrowse.example.com/',
      SIGHTLINE_DATA_DIR: '/var/lib/sightline',
      SIGHTLINE_ALLOWED_ORIGINS: 'https://shop.example.com, https://www.example.com/',
      SIGHTLINE_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8 ,fd00::/8',
      SIGHTLINE_RECORDING_KEY: Buffer.alloc(32, 1).toString('base64'),
      SIGHTLINE_DEMO: 'TRUE',
      SIGHTLINE_LOG_LEVEL: 'info',
    });
    expect(options).toEqual({
      host: '0.0.0.0',
      port: 0,
      publicUrl: 'https://cobrowse.example.com',
      dataDir: '/var/lib/sightline',
      sdkKey: KEY,
      sdkSecret: SECRET,
      allowedOrigins: ['https://shop.example.com', 'https://www.example.com'],
      trustProxy: ['127.0.0.1', '10.0.0.0/8', 'fd00::/8'],
      recordingKey: Buffer.alloc(32, 1),
      demo: true,
      logger: { level: 'info' },
    });
  });

  it('treats empty variables as unset and accepts a hex recording key and *', () => {
    const options = optionsFromEnv({
      ...GOOD,
      SIGHTLINE_HOST: '',
      SIGHTLINE_ALLOWED_ORIGINS: '*',
      SIGHTLINE_RECORDING_KEY: 'ab'.repeat(32),
      SIGHTLINE_DEMO: '0',
    });
    expect(options.host).toBeUndefined();
    expect(options.allowedOrigins).toBe('*');
    expect(options.recordingKey).toEqual(Buffer.alloc(32, 0xab));
    expect(options.demo).toBe(false);
  });

  it("reads the default app's view consent policy, ask unless set", () => {
    expect(resolveOptions({ demo: true }).viewConsent).toBe('ask');
    expect(optionsFromEnv({ ...GOOD, SIGHTLINE_VIEW_CONSENT: 'pre_approved' })).toMatchObject({
      viewConsent: 'pre_approved',
    });
    expect(
      configError(() => optionsFromEnv({ ...GOOD, SIGHTLINE_VIEW_CONSENT: 'yes' })).message,
    ).toContain('SIGHTLINE_VIEW_CONSENT: must be ask or pre_approved');
  });

  it('reads the invite page and the invitation lifetime, 15 min unless set', () => {
    expect(resolveOptions({ demo: true }).inviteTtlSeconds).toBe(900);
    expect(
      optionsFromEnv({
        ...GOOD,
        SIGHTLINE_INVITE_URL: 'https://shop.example.com/help?from=support',
        SIGHTLINE_INVITE_TTL_SECONDS: '300',
      }),
    ).toMatchObject({
      inviteUrl: 'https://shop.example.com/help?from=support',
      inviteTtlSeconds: 300,
    });
    expect(optionsFromEnv({ ...GOOD, SIGHTLINE_INVITE_URL: '/demo/' }).inviteUrl).toBe('/demo/');
  });

  it.each([
    ['SIGHTLINE_INVITE_TTL_SECONDS', '0', 'must be at least 1 second'],
    ['SIGHTLINE_INVITE_TTL_SECONDS', '15m', 'must be a whole number of seconds'],
    ['SIGHTLINE_INVITE_TTL_SECONDS', '86401', 'at most 86400'],
    ['SIGHTLINE_INVITE_URL', 'shop.example.com/help', 'must be an http(s) URL'],
    ['SIGHTLINE_INVITE_URL', 'javascript:alert(1)', 'must be an http(s) URL'],
    ['SIGHTLINE_INVITE_URL', '//evil.example/x', 'must be an http(s) URL'],
    ['SIGHTLINE_INVITE_URL', '/help?sightline_invite=x', 'without a sightline_invite parameter'],
  ])('refuses %s=%s', (name, value, message) => {
    const error = configError(() => optionsFromEnv({ ...GOOD, [name]: value }));
    expect(error.message).toContain(`${name}: `);
    expect(error.message).toContain(message);
  });

  it('lets demo mode run without an SDK key and secret', () => {
    expect(optionsFromEnv({ SIGHTLINE_DEMO: '1' })).toEqual({ demo: true });
  });

  it.each([
    ['SIGHTLINE_PORT', { SIGHTLINE_PORT: 'eighty' }],
    ['SIGHTLINE_PORT', { SIGHTLINE_PORT: '70000' }],
    ['SIGHTLINE_PUBLIC_URL', { SIGHTLINE_PUBLIC_URL: 'cobrowse.example.com' }],
    ['SIGHTLINE_PUBLIC_URL', { SIGHTLINE_PUBLIC_URL: 'https://example.com/sightline' }],
    ['SIGHTLINE_SDK_SECRET', { SIGHTLINE_SDK_SECRET: 'too-short' }],
    ['SIGHTLINE_SDK_KEY', { SIGHTLINE_SDK_KEY: 'has a space' }],
    ['SIGHTLINE_ALLOWED_ORIGINS', { SIGHTLINE_ALLOWED_ORIGINS: 'https://shop.example.com/cart' }],
    ['SIGHTLINE_ALLOWED_ORIGINS', { SIGHTLINE_ALLOWED_ORIGINS: '*, https://a.example' }],
    ['SIGHTLINE_TRUST_PROXY', { SIGHTLINE_TRUST_PROXY: 'nginx.internal' }],
    ['SIGHTLINE_TRUST_PROXY', { SIGHTLINE_TRUST_PROXY: '10.0.0.0/33' }],
    ['SIGHTLINE_RECORDING_KEY', { SIGHTLINE_RECORDING_KEY: 'c2hvcnQ=' }],
    ['SIGHTLINE_DEMO', { SIGHTLINE_DEMO: 'yes' }],
    ['SIGHTLINE_LOG_LEVEL', { SIGHTLINE_LOG_LEVEL: 'loud' }],
    ['SIGHTLINE_VIEW_CONSENT', { SIGHTLINE_VIEW_CONSENT: 'always' }],
  ])('names %s when it is wrong', (variable, env) => {
    const error = configError(() => optionsFromEnv({ ...GOOD, ...env }));
    expect(error.message).toContain(`${variable}:`);
  });

  it('reads a PostgreSQL URL and pool size, and refuses anything else', () => {
    expect(
      optionsFromEnv({
        ...GOOD,
        SIGHTLINE_DATABASE_URL: 'postgresql://sightline:pw@db:5432/sightline',
        SIGHTLINE_DATABASE_POOL_SIZE: '20',
      }),
    ).toMatchObject({
      databaseUrl: 'postgresql://sightline:pw@db:5432/sightline',
      databasePoolSize: 20,
    });
    const url = configError(() =>
      optionsFromEnv({ ...GOOD, SIGHTLINE_DATABASE_URL: 'mysql://sightline:pw@db/sightline' }),
    );
    expect(url.message).toMatch(/SIGHTLINE_DATABASE_URL: must be a postgres:\/\/ or postgresql:/);
    // The message never repeats the URL, which may hold a password.
    expect(url.message).not.toContain('pw');
    for (const size of ['0', 'ten', '5000']) {
      const error = configError(() =>
        optionsFromEnv({ ...GOOD, SIGHTLINE_DATABASE_POOL_SIZE: size }),
      );
      expect(error.message).toMatch(/SIGHTLINE_DATABASE_POOL_SIZE: must be/);
    }
  });

  it('reads a Redis URL, and refuses anything else without repeating it', () => {
    for (const url of ['redis://:pw@cache:6379/0', 'rediss://cache:6380']) {
      expect(optionsFromEnv({ ...GOOD, SIGHTLINE_REDIS_URL: url })).toMatchObject({
        redisUrl: url,
      });
    }
    const error = configError(() =>
      optionsFromEnv({ ...GOOD, SIGHTLINE_REDIS_URL: 'memcached://:pw@cache:11211' }),
    );
    expect(error.message).toMatch(/SIGHTLINE_REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(error.message).not.toContain('pw');
  });

  it('requires the SDK key and secret together', () => {
    expect(configError(() => optionsFromEnv({ SIGHTLINE_SDK_KEY: KEY })).message).toContain(
      'SIGHTLINE_SDK_SECRET: must be set together with SIGHTLINE_SDK_KEY',
    );
    expect(configError(() => optionsFromEnv({ SIGHTLINE_SDK_SECRET: SECRET })).message).toContain(
      'SIGHTLINE_SDK_KEY: must be set together with SIGHTLINE_SDK_SECRET',
    );
  });

  it('requires an SDK key and secret outside demo mode', () => {
    const error = configError(() => optionsFromEnv({}));
    expect(error.message).toContain('SIGHTLINE_SDK_KEY: required, with SIGHTLINE_SDK_SECRET');
    expect(error.message).toContain('SIGHTLINE_DEMO');
  });

  it('reports every problem at once', () => {
    const error = configError(() =>
      optionsFromEnv({
        ...GOOD,
        SIGHTLINE_PORT: 'x',
        SIGHTLINE_DEMO: 'maybe',
        SIGHTLINE_REDIS_URL: 'localhost:6379',
      }),
    );
    expect(error.message).toContain('SIGHTLINE_PORT:');
    expect(error.message).toContain('SIGHTLINE_DEMO:');
    expect(error.message).toContain('SIGHTLINE_REDIS_URL:');
  });
});

describe('resolveOptions', () => {
  it('applies the defaults once and gives each node an id', () => {
    const resolved = resolveOptions({ sdkKey: KEY, sdkSecret: SECRET, port: undefined });
    expect(resolved).toMatchObject({ ...DEFAULTS, sdkKey: KEY, sdkSecret: SECRET });
    expect(resolved.nodeId).toMatch(/^node-/);
    expect(resolveOptions({ demo: true }).nodeId).not.toBe(resolved.nodeId);
  });

  it('times out idleness after 30 min and an unanswered consent question after 2 min', () => {
    const resolved = resolveOptions({ demo: true });
    expect(resolved.idleTimeoutMs).toBe(30 * 60_000);
    expect(resolved.consentTimeoutMs).toBe(2 * 60_000);
    expect(
      resolveOptions({ demo: true, idleTimeoutMs: 1_000, consentTimeoutMs: 2_000 }),
    ).toMatchObject({ idleTimeoutMs: 1_000, consentTimeoutMs: 2_000 });
    expect(configError(() => resolveOptions({ demo: true, idleTimeoutMs: 0 })).message).toContain(
      'idleTimeoutMs:',
    );
    expect(
      configError(() => resolveOptions({ demo: true, consentTimeoutMs: -1 })).message,
    ).toContain('consentTimeoutMs:');
  });

  it('extends a session by 15 min at a time, 75 min in all, and may turn extending off', () => {
    const resolved = resolveOptions({ demo: true });
    expect(resolved.sessionMaxDurationMs).toBe(45 * 60_000);
    expect(resolved.sessionExtensionMs).toBe(15 * 60_000);
    expect(resolved.sessionMaxExtensionMs).toBe(75 * 60_000);
    expect(resolveOptions({ demo: true, sessionMaxExtensionMs: 0 }).sessionMaxExtensionMs).toBe(0);
    expect(
      configError(() => resolveOptions({ demo: true, sessionExtensionMs: 0 })).message,
    ).toContain('sessionExtensionMs:');
    expect(
      configError(() => resolveOptions({ demo: true, sessionMaxExtensionMs: -1 })).message,
    ).toContain('sessionMaxExtensionMs:');
  });

  it('names the option that is wrong', () => {
    expect(configError(() => resolveOptions({ demo: true, maxAgents: 0 })).message).toContain(
      'maxAgents:',
    );
    expect(
      configError(() => resolveOptions({ demo: true, consoleTokenTtlSeconds: 49 * 3600 })).message,
    ).toContain('consoleTokenTtlSeconds: must be at most 48 hours');
    expect(
      configError(() => resolveOptions({ demo: true, recordingKey: new Uint8Array(16) })).message,
    ).toContain('recordingKey: must be 32 bytes');
    expect(configError(() => resolveOptions({})).message).toContain('sdkKey: required');
  });
});
