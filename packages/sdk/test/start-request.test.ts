import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '@sightline/client';
import { requestStart } from '../src/session/start-request.js';
import { FakeSightlineServer } from './fake-server.js';

let server: FakeSightlineServer;

beforeEach(async () => {
  server = await FakeSightlineServer.start();
});

afterEach(async () => {
  await server.close();
});

function request(serverUrl = server.url) {
  return requestStart({
    serverUrl,
    sdkToken: 'jwt',
    fetch: globalThis.fetch,
    clock: systemClock,
    signal: new AbortController().signal,
    retryDelayMs: 1,
  });
}

describe('requestStart', () => {
  it('returns the validated session', async () => {
    const result = await request();
    expect(result).toMatchObject({
      ok: true,
      session: { pin: '123456', resumeToken: 'resume-token-1' },
    });
  });

  it('sends no Referer and no cookies: nothing of the page before consent', async () => {
    const seen: RequestInit[] = [];
    const result = await requestStart({
      serverUrl: server.url,
      sdkToken: 'jwt',
      fetch: (input, init) => {
        if (init) seen.push(init);
        return globalThis.fetch(input, init);
      },
      clock: systemClock,
      signal: new AbortController().signal,
      retryDelayMs: 1,
    });
    expect(result.ok).toBe(true);
    expect(seen).toEqual([
      expect.objectContaining({ referrerPolicy: 'no-referrer', credentials: 'omit' }),
    ]);
  });

  it('refuses a 200 whose body is not a session (1001)', async () => {
    server.answerStart = () => ({ status: 200, body: { pin: 123 } });
    expect(await request()).toMatchObject({ ok: false, error: { code: 1001 } });
  });

  it('reports a failing network as 1016 after its retries', async () => {
    const url = server.url;
    await server.close();
    expect(await request(url)).toMatchObject({ ok: false, error: { code: 1016 } });
    server = await FakeSightlineServer.start();
  });
});
