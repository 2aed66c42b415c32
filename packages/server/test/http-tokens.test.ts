/**
 * The token, login and health endpoints, unknown routes and headers, in process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { ConsoleLoginResponse } from '@sightline/protocol';
import { injector } from './support/inject.js';
import { startServer, type TestServer } from './support/server.js';
import { agentToken, customerToken } from './support/tokens.js';

let t: TestServer;
let app: FastifyInstance;

beforeAll(async () => {
  t = await startServer({}, { listen: false });
  app = t.server.app;
});

afterAll(async () => {
  await t.close();
});

const { call, expectError } = injector(() => app);

describe('POST /api/token outside demo mode', () => {
  it('needs an agent bearer', async () => {
    await expectError({ url: '/api/token', body: { role: 1 } }, 401, 2001);
    await expectError(
      { url: '/api/token', body: { role: 1 }, token: await customerToken() },
      401,
      2001,
    );
    const response = await call({
      url: '/api/token',
      body: { role: 1 },
      token: await agentToken(),
    });
    expect(response.status).toBe(200);
    expect(response.body.token).toEqual(expect.any(String));
  });
});

describe('demo mode: POST /api/token and POST /api/console/login', () => {
  let demo: TestServer;
  beforeAll(async () => {
    demo = await startServer(
      { demo: true, sdkKey: undefined, sdkSecret: undefined },
      { listen: false },
    );
  });
  afterAll(async () => {
    await demo.close();
  });

  const demoCall = async (url: string, body: unknown, token?: string) => {
    const response = await demo.server.app.inject({
      method: 'POST',
      url,
      payload: body as object,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.statusCode, body: response.json() };
  };

  it('issues tokens, as Zoom’s sample does, that the API accepts', async () => {
    const customer = await demoCall('/api/token', { role: '1', userName: 'Pat' });
    expect(customer.status).toBe(200);
    const started = await demoCall('/api/customer/start', {}, customer.body.token);
    expect(started.status).toBe(200);
    const agent = await demoCall('/api/token', { role: 2, userId: 'a1', expirationSeconds: 1800 });
    const joined = await demoCall(
      '/api/agent/connect',
      { pin: started.body.pin },
      agent.body.token,
    );
    expect(joined.status).toBe(200);
  });

  it('answers invalid requests with our error and Zoom’s errors list', async () => {
    const response = await demoCall('/api/token', { role: 5, expirationSeconds: 60 });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe(4001);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { property: 'role', reason: expect.any(String) },
        { property: 'expirationSeconds', reason: expect.any(String) },
      ]),
    );
  });

  it('signs the demo agent in, and refuses a wrong password or user alike (4006)', async () => {
    const agent = demo.server.demo?.agent;
    expect(agent?.username).toBe('agent');
    const login = await demoCall('/api/console/login', agent);
    expect(login.status).toBe(200);
    const body = login.body as ConsoleLoginResponse;
    expect(body.user).toEqual({ userId: 'agent', userName: 'Demo Agent', role: 'agent' });
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
    const started = await demoCall(
      '/api/customer/start',
      {},
      (await demoCall('/api/token', { role: 1 })).body.token,
    );
    const joined = await demoCall('/api/agent/connect', { pin: started.body.pin }, body.token);
    expect(joined.status).toBe(200);

    for (const credentials of [
      { username: 'agent', password: 'wrong' },
      { username: 'nobody', password: agent?.password },
    ]) {
      const refused = await demoCall('/api/console/login', credentials);
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe(4006);
    }
    const invalid = await demoCall('/api/console/login', { username: 'agent' });
    expect(invalid.status).toBe(400);
  });

  it('redirects / to the demo shop', async () => {
    const response = await demo.server.app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/demo/');
  });
});

describe('health, unknown routes and headers', () => {
  it('reports the store and the bus', async () => {
    const response = await call({ method: 'GET', url: '/health' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      version: '0.1.0',
      uptimeSeconds: expect.any(Number),
      checks: { store: 'ok', bus: 'ok' },
      dependencies: {
        store: { status: 'ok', latencyMs: expect.any(Number) },
        bus: { status: 'ok', latencyMs: expect.any(Number) },
      },
    });
  });

  it('reports degraded (503) when a port fails', async () => {
    const broken = await startServer({}, { listen: false });
    await broken.server.bus.close();
    const response = await broken.server.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      status: 'degraded',
      checks: { store: 'ok', bus: 'failing' },
      dependencies: { store: { status: 'ok' }, bus: { status: 'failing', error: 'unavailable' } },
    });
    await broken.close();
  });

  it('answers unknown routes with 4002 and sends security headers everywhere', async () => {
    const response = await expectError({ method: 'GET', url: '/api/nope?token=secret' }, 404, 4002);
    expect(response.body.error.message).not.toContain('secret');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    const root = await call({ method: 'GET', url: '/' });
    expect(root.status).toBe(404);
  });

  it('answers /favicon.ico with 204', async () => {
    const response = await app.inject({ method: 'GET', url: '/favicon.ico' });
    expect(response.statusCode).toBe(204);
  });
});
