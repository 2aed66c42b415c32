/**
 * The session endpoints' success and failure paths, in process with `app.inject()`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { SessionListResponse, StartSessionResponse } from '@sightline/protocol';
import { injector } from './support/inject.js';
import { startServer, type TestServer } from './support/server.js';
import { SDK_SECRET, agentToken, customerToken, sign, claims } from './support/tokens.js';

let t: TestServer;
let app: FastifyInstance;

beforeAll(async () => {
  t = await startServer({ allowedOrigins: ['https://shop.example'] }, { listen: false });
  app = t.server.app;
});

afterAll(async () => {
  await t.close();
});

const { call, expectError } = injector(() => app);

async function start(overrides = {}, body: object = {}): Promise<StartSessionResponse> {
  const response = await call({
    url: '/api/customer/start',
    body,
    token: await customerToken(overrides),
  });
  expect(response.status).toBe(200);
  return response.body as StartSessionResponse;
}

describe('POST /api/customer/start', () => {
  it('starts a waiting session with a 6-digit PIN and a resume token', async () => {
    const before = Date.now();
    const body = await start();
    expect(body).toEqual({
      sessionId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      pin: expect.stringMatching(/^\d{6}$/),
      status: 'waiting',
      expiresAt: expect.any(String),
      resumeToken: expect.any(String),
      // The default reconnection window, for the SDK to know how long a stored session lasts.
      reconnectWindowSeconds: 120,
    });
    const expiresAt = Date.parse(body.expiresAt);
    expect(expiresAt - before).toBeGreaterThanOrEqual(45 * 60_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(45 * 60_000);
    const audit = await t.server.store.listAudit(body.sessionId);
    expect(audit.map((e) => [e.action, e.toState])).toEqual([
      ['session.created', 'created'],
      ['issue_pin', 'waiting'],
    ]);
  });

  it('ignores a customPinCode without enable_byop', async () => {
    const body = await start({}, { customPinCode: 'MYPIN' });
    expect(body.pin).toMatch(/^\d{6}$/);
  });

  it('with enable_byop, requires (1009), checks (1008) and reserves (1010) the PIN', async () => {
    const byop = await customerToken({ enable_byop: 1 });
    await expectError({ url: '/api/customer/start', body: {}, token: byop }, 400, 1009);
    await expectError(
      { url: '/api/customer/start', body: { customPinCode: 'ab-12' }, token: byop },
      400,
      1008,
    );
    await expectError(
      { url: '/api/customer/start', body: { customPinCode: 'ABCDEFGHIJK' }, token: byop },
      400,
      1008,
    );
    const first = await start({ enable_byop: 1 }, { customPinCode: ' help42 ' });
    expect(first.pin).toBe('HELP42');
    await expectError(
      { url: '/api/customer/start', body: { customPinCode: 'help42' }, token: byop },
      409,
      1010,
    );
  });

  it('refuses a missing, invalid or wrong-role token with 2001', async () => {
    await expectError({ url: '/api/customer/start', body: {} }, 401, 2001, /Bearer/);
    await expectError(
      { url: '/api/customer/start', body: {}, token: await agentToken() },
      401,
      2001,
      /role_type 1/,
    );
    await expectError(
      {
        url: '/api/customer/start',
        body: {},
        token: await sign(claims(1), { secret: `${SDK_SECRET}-wrong` }),
      },
      401,
      2001,
      /signature/,
    );
  });

  it('refuses an invalid body with 4001, and takes an empty JSON body as none', async () => {
    const token = await customerToken();
    await expectError({ url: '/api/customer/start', body: { pin: '1' }, token }, 400, 4001);
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/customer/start',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe(4001);
    const empty = await app.inject({
      method: 'POST',
      url: '/api/customer/start',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: '',
    });
    expect(empty.statusCode).toBe(200);
  });

  it('accepts allowed and same-origin pages, with CORS, and refuses others with 3007', async () => {
    const token = await customerToken();
    const allowed = await call({
      url: '/api/customer/start',
      body: {},
      token,
      headers: { origin: 'https://shop.example' },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
    const same = await call({
      url: '/api/customer/start',
      body: {},
      token,
      headers: { origin: 'http://sightline.test', host: 'sightline.test' },
    });
    expect(same.status).toBe(200);
    await expectError(
      {
        url: '/api/customer/start',
        body: {},
        token,
        headers: { origin: 'https://evil.example' },
      },
      403,
      3007,
    );
  });

  it('answers a CORS preflight from an allowed origin', async () => {
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/api/customer/start',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://shop.example');
  });
});

describe('POST /api/agent/connect', () => {
  it('exchanges a PIN for a join token, normalising what the agent typed', async () => {
    const session = await start({ enable_byop: 1 }, { customPinCode: 'desk7' });
    const response = await call({
      url: '/api/agent/connect',
      body: { pin: ' desk7 ' },
      token: await agentToken(),
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ sessionId: session.sessionId, joinToken: expect.any(String) });
  });

  it('answers an unknown or ended PIN with 1006', async () => {
    const token = await agentToken();
    await expectError({ url: '/api/agent/connect', body: { pin: '000000' }, token }, 404, 1006);
    const session = await start();
    await call({ url: '/api/session/revoke', body: { sessionId: session.sessionId }, token });
    await expectError({ url: '/api/agent/connect', body: { pin: session.pin }, token }, 404, 1006);
  });

  it('refuses a customer token (2001) and a malformed PIN (4001)', async () => {
    const session = await start();
    await expectError(
      { url: '/api/agent/connect', body: { pin: session.pin }, token: await customerToken() },
      401,
      2001,
    );
    await expectError(
      { url: '/api/agent/connect', body: { pin: '12-34' }, token: await agentToken() },
      400,
      4001,
    );
  });
});

describe('POST /api/session/revoke', () => {
  it('ends a session with reason revoked, once', async () => {
    const session = await start();
    const token = await agentToken({ user_id: 'lead' });
    const response = await call({
      url: '/api/session/revoke',
      body: { sessionId: session.sessionId },
      token,
    });
    expect(response).toMatchObject({
      status: 200,
      body: { sessionId: session.sessionId, state: 'ended', endReason: 'revoked' },
    });
    expect((await t.server.store.listAudit(session.sessionId)).at(-1)).toMatchObject({
      actor: 'agent:lead',
      fromState: 'waiting',
      toState: 'ended',
    });
    await expectError(
      { url: '/api/session/revoke', body: { sessionId: session.sessionId }, token },
      410,
      4004,
    );
  });

  it('answers an unknown session, or another app’s, with 4003', async () => {
    const token = await agentToken();
    await expectError(
      { url: '/api/session/revoke', body: { sessionId: 'no-such-session' }, token },
      404,
      4003,
    );
    await t.server.store.saveApp({
      id: 'other',
      name: 'Other',
      sdkKey: 'other-key',
      sdkSecret: 'other-secret-0123456789abcdefghijklmnop',
      createdAt: 0,
      viewConsent: 'ask',
    });
    const session = await start();
    const otherAgent = await sign(claims(2, { app_key: 'other-key' }), {
      secret: 'other-secret-0123456789abcdefghijklmnop',
    });
    await expectError(
      { url: '/api/session/revoke', body: { sessionId: session.sessionId }, token: otherAgent },
      404,
      4003,
    );
  });

  it('refuses a customer token and a bad body', async () => {
    await expectError(
      {
        url: '/api/session/revoke',
        body: { sessionId: 'whatever-1' },
        token: await customerToken(),
      },
      401,
      2001,
    );
    await expectError(
      { url: '/api/session/revoke', body: {}, token: await agentToken() },
      400,
      4001,
    );
  });
});

describe('GET /api/session/list', () => {
  it('lists live and ended sessions, newest first, page by page', async () => {
    const fresh = await startServer({}, { listen: false });
    try {
      const token = await agentToken();
      const inject = async (query: string) => {
        const response = await fresh.server.app.inject({
          method: 'GET',
          url: `/api/session/list${query}`,
          headers: { authorization: `Bearer ${token}` },
        });
        return { status: response.statusCode, body: response.json() as SessionListResponse };
      };
      const started: StartSessionResponse[] = [];
      for (let i = 0; i < 3; i += 1) {
        const response = await fresh.server.app.inject({
          method: 'POST',
          url: '/api/customer/start',
          headers: { authorization: `Bearer ${await customerToken({ user_id: `c${i}` })}` },
          payload: {},
        });
        started.push(response.json());
      }
      await fresh.server.app.inject({
        method: 'POST',
        url: '/api/session/revoke',
        headers: { authorization: `Bearer ${token}` },
        payload: { sessionId: started[0]?.sessionId },
      });

      const live = await inject('');
      expect(live.status).toBe(200);
      expect(live.body.sessions.map((s) => s.sessionId).sort()).toEqual(
        [started[1]?.sessionId, started[2]?.sessionId].sort(),
      );
      expect(live.body.sessions[0]).toMatchObject({
        pin: expect.stringMatching(/^\d{6}$/),
        state: 'waiting',
        participants: [],
      });
      expect(live.body.nextCursor).toBeNull();

      const ended = await inject('?status=ended');
      expect(ended.body.sessions).toHaveLength(1);
      expect(ended.body.sessions[0]).toMatchObject({ state: 'ended', endReason: 'revoked' });
      expect(ended.body.sessions[0]?.pin).toBeUndefined();
      expect(ended.body.sessions[0]?.endedAt).toEqual(expect.any(String));

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: SessionListResponse } = await inject(
          `?status=all&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        seen.push(...page.body.sessions.map((s) => s.sessionId));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual(started.map((s) => s.sessionId).sort());
    } finally {
      await fresh.close();
    }
  });

  it('refuses bad queries (4001) and customer tokens (2001)', async () => {
    const token = await agentToken();
    for (const query of ['?status=maybe', '?limit=0', '?cursor=garbage', '?other=1']) {
      await expectError({ method: 'GET', url: `/api/session/list${query}`, token }, 400, 4001);
    }
    await expectError(
      { method: 'GET', url: '/api/session/list', token: await customerToken() },
      401,
      2001,
    );
  });
});
