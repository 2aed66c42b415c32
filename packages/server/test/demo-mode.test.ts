/**
 * Demo mode seeding: the default app's key and secret are generated once and kept, the demo
 * agent's password is kept in demo-credentials.json (0600), and both survive restarts.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SightlineError } from '@sightline/protocol';
import { createServer } from '../src/index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'sightline-demo-'));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('demo mode', () => {
  it('generates the SDK secret once, and keeps the key and the agent password', async () => {
    const first = await createServer({ demo: true, dataDir, logger: false, port: 0 });
    const agent = first.demo?.agent;
    expect(agent).toEqual({ username: 'agent', password: expect.any(String) });
    expect(first.demo?.generatedSdkSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.sdkKey).toMatch(/^sl_/);
    await first.close();

    const file = join(dataDir, 'demo-credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(agent);

    const second = await createServer({ demo: true, dataDir, logger: false, port: 0 });
    expect(second.demo?.generatedSdkSecret).toBeUndefined();
    expect(second.sdkKey).toBe(first.sdkKey);
    expect(second.demo?.agent).toEqual(agent);
    expect(second.demo?.agents.map((a) => a.username)).toEqual(['agent', 'agent2']);
    const userIds: string[] = [];
    for (const credentials of second.demo?.agents ?? []) {
      const login = await second.app.inject({
        method: 'POST',
        url: '/api/console/login',
        payload: credentials,
      });
      expect(login.statusCode, credentials.username).toBe(200);
      userIds.push(login.json<{ user: { userId: string } }>().user.userId);
    }
    // Two different people, so both can be in one session as two agents.
    expect(new Set(userIds).size).toBe(2);
    await second.close();
  });

  it('uses a configured key and secret instead of generating them', async () => {
    const server = await createServer({
      demo: true,
      dataDir: ':memory:',
      logger: false,
      sdkKey: 'configured',
      sdkSecret: 'configured-secret-0123456789abcdefghij',
    });
    expect(server.sdkKey).toBe('configured');
    expect(server.demo?.generatedSdkSecret).toBeUndefined();
    await server.close();
  });

  it('refuses to start outside demo mode without an SDK key and secret', async () => {
    const error = await createServer({ dataDir: ':memory:' }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(SightlineError);
    expect((error as SightlineError).errorName).toBe('CONFIG_INVALID');
    expect((error as SightlineError).message).toContain('sdkKey');
  });
});
