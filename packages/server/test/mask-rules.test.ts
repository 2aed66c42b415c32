/**
 * Server-managed mask rules (issue 4) on a real server: who may manage them (console managers and
 * admins of the app, signed in), validation and limits, the app's security log, and the customer
 * SDK's read with its resume token.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  MASK_RULES_MAX_PER_APP,
  type CustomerMaskRulesResponse,
  type MaskRule,
  type MaskRuleListResponse,
} from '@sightline/protocol';
import { hashPassword } from '../src/core/passwords.js';
import type { AgentRole } from '../src/index.js';
import { startSession } from './support/flows.js';
import { injector } from './support/inject.js';
import { startServer, type TestServer } from './support/server.js';
import { agentToken, claims, customerToken, sign } from './support/tokens.js';

const PASSWORD = 'correct horse battery staple';
let t: TestServer;
const { call, expectError } = injector(() => t.server.app);
/** A signed-in console token per role. */
const tokens = {} as Record<AgentRole, string>;

async function seedUser(username: string, role: AgentRole, appId = 'default'): Promise<void> {
  await t.server.store.saveUser({
    id: `user-${username}`,
    appId,
    username,
    displayName: `${role} ${username}`,
    role,
    passwordHash: await hashPassword(PASSWORD),
    createdAt: 0,
  });
}

async function login(username: string): Promise<string> {
  const response = await call({
    url: '/api/console/login',
    body: { username, password: PASSWORD },
  });
  expect(response.status).toBe(200);
  return response.body.token as string;
}

const RULE = { urlPattern: '/account/**', maskSelectors: ['#name'], maskUrlParams: ['token'] };

async function create(body: object = RULE, token = tokens.manager) {
  return call({ url: '/api/mask-rules', body, token });
}

async function rulesOf(token = tokens.admin): Promise<MaskRule[]> {
  const response = await call({ method: 'GET', url: '/api/mask-rules', token });
  expect(response.status).toBe(200);
  return (response.body as MaskRuleListResponse).rules;
}

async function clear(): Promise<void> {
  for (const rule of await rulesOf()) {
    const response = await t.server.app.inject({
      method: 'DELETE',
      url: `/api/mask-rules/${rule.id}`,
      headers: { authorization: `Bearer ${tokens.admin}` },
    });
    expect(response.statusCode).toBe(200);
  }
}

beforeAll(async () => {
  t = await startServer();
  await t.server.store.saveApp({
    id: 'other',
    name: 'Other app',
    sdkKey: 'other-key',
    sdkSecret: 'other-secret-0123456789abcdefghijklmnop',
    createdAt: 0,
    viewConsent: 'ask',
  });
  for (const role of ['agent', 'senior_agent', 'manager', 'admin'] as const) {
    await seedUser(role, role);
    tokens[role] = await login(role);
  }
  await seedUser('elsewhere', 'admin', 'other');
});

afterAll(() => t.close());

beforeEach(clear);

describe('managing mask rules', () => {
  it('lets a manager create, list, update and delete, each change in the security log', async () => {
    const created = await create();
    expect(created.status).toBe(201);
    const rule = created.body as MaskRule;
    expect(rule).toMatchObject({ ...RULE, blockSelectors: [] });
    expect(rule.id).toMatch(/^mr_/);
    expect(await rulesOf()).toEqual([rule]);

    const update = {
      urlPattern: '/**',
      blockSelectors: ['img.avatar'],
      detectors: { email: true },
      description: 'avatars',
    };
    const updated = await t.server.app.inject({
      method: 'PUT',
      url: `/api/mask-rules/${rule.id}`,
      payload: update,
      headers: { authorization: `Bearer ${tokens.admin}` },
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({
      id: rule.id,
      ...update,
      maskSelectors: [],
      maskUrlParams: [],
      createdAt: rule.createdAt,
    });

    const deleted = await t.server.app.inject({
      method: 'DELETE',
      url: `/api/mask-rules/${rule.id}`,
      headers: { authorization: `Bearer ${tokens.manager}` },
    });
    expect(deleted.json()).toEqual({ id: rule.id, deleted: true });
    expect(await rulesOf()).toEqual([]);

    const log = (await t.server.store.listAppAudit('default')).filter((entry) =>
      entry.action.startsWith('mask_rule.'),
    );
    expect(log.slice(-3)).toMatchObject([
      {
        actor: 'agent:manager',
        action: 'mask_rule.created',
        reason: `rule=${rule.id} urlPattern=/account/**`,
      },
      {
        actor: 'agent:admin',
        action: 'mask_rule.updated',
        reason: `rule=${rule.id} urlPattern=/**`,
      },
      { actor: 'agent:manager', action: 'mask_rule.deleted', reason: `rule=${rule.id}` },
    ]);
  });

  it('refuses agents and senior agents (4005), customers and bad tokens (2001)', async () => {
    await expectError({ url: '/api/mask-rules', body: RULE, token: tokens.agent }, 403, 4005);
    await expectError(
      { method: 'GET', url: '/api/mask-rules', token: tokens.senior_agent },
      403,
      4005,
    );
    // An integrator's agent JWT whose user is no console user of the app.
    await expectError({ url: '/api/mask-rules', body: RULE, token: await agentToken() }, 403, 4005);
    await expectError(
      { url: '/api/mask-rules', body: RULE, token: await customerToken({ user_id: 'admin' }) },
      401,
      2001,
    );
    await expectError({ url: '/api/mask-rules', body: RULE }, 401, 2001);
    expect(await rulesOf()).toEqual([]);
  });

  it("refuses an admin of another app, and never shows or changes this app's rules to them", async () => {
    const rule = (await create()).body as MaskRule;
    // A token of the other app naming this app's admin is still the other app's token.
    const foreign = await agentToken({
      app_key: 'other-key',
      user_id: 'admin',
    });
    const signed = await sign(claims(2, { app_key: 'other-key', user_id: 'elsewhere' }), {
      secret: 'other-secret-0123456789abcdefghijklmnop',
    });
    await expectError({ method: 'GET', url: '/api/mask-rules', token: foreign }, 401, 2001);
    const theirs = await call({ method: 'GET', url: '/api/mask-rules', token: signed });
    expect(theirs.body).toEqual({ rules: [] });
    const removed = await t.server.app.inject({
      method: 'DELETE',
      url: `/api/mask-rules/${rule.id}`,
      headers: { authorization: `Bearer ${signed}` },
    });
    expect(removed.statusCode).toBe(404);
    expect(removed.json().error.code).toBe(4009);
    expect(await rulesOf()).toEqual([rule]);
  });

  it("refuses to mint a token in a console user's name through POST /api/token (4005)", async () => {
    for (const userId of ['manager', 'admin', 'agent']) {
      await expectError(
        { url: '/api/token', body: { role: 2, userId }, token: tokens.agent },
        403,
        4005,
      );
    }
    const minted = await call({
      url: '/api/token',
      body: { role: 2, userId: 'someone' },
      token: tokens.agent,
    });
    expect(minted.status).toBe(200);
    await expectError(
      { method: 'GET', url: '/api/mask-rules', token: minted.body.token as string },
      403,
      4005,
    );
  });

  it.each([
    ['no list entry', { urlPattern: '/**' }],
    ['a pattern that is not a path', { urlPattern: 'https://shop/**', maskSelectors: ['p'] }],
    ['a selector with a brace', { urlPattern: '/**', maskSelectors: ['p{}'] }],
    ['an unknown field', { ...RULE, unmaskSelectors: ['#card'] }],
  ])('refuses %s with 4001', async (_label, body) => {
    await expectError({ url: '/api/mask-rules', body, token: tokens.manager }, 400, 4001);
  });

  it('answers 4009 for an unknown or malformed rule id', async () => {
    for (const id of ['mr_0000000000000000', 'nonsense']) {
      const response = await t.server.app.inject({
        method: 'PUT',
        url: `/api/mask-rules/${id}`,
        payload: RULE,
        headers: { authorization: `Bearer ${tokens.manager}` },
      });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe(4009);
    }
  });

  it(`holds at most ${MASK_RULES_MAX_PER_APP} rules per app (4010)`, async () => {
    for (let i = 0; i < MASK_RULES_MAX_PER_APP; i += 1) {
      expect((await create({ urlPattern: `/p${i}`, maskSelectors: ['p'] })).status).toBe(201);
    }
    await expectError({ url: '/api/mask-rules', body: RULE, token: tokens.admin }, 409, 4010);
    expect(await rulesOf()).toHaveLength(MASK_RULES_MAX_PER_APP);
  });
});

describe("the customer SDK's read", () => {
  it('gives the session its app rules (what to match and apply, nothing else)', async () => {
    const rule = (await create({ ...RULE, description: 'internal note' })).body as MaskRule;
    const session = await startSession(t);
    const response = await call({
      method: 'GET',
      url: '/api/customer/mask-rules',
      token: session.resumeToken,
    });
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body as CustomerMaskRulesResponse).toEqual({
      rules: [
        {
          urlPattern: rule.urlPattern,
          maskSelectors: rule.maskSelectors,
          blockSelectors: [],
          maskUrlParams: rule.maskUrlParams,
          detectors: {},
        },
      ],
    });
  });

  it('answers a page on an allowed origin across origins (CORS preflight and read)', async () => {
    const shop = await startServer({ allowedOrigins: ['https://shop.example'] }, { listen: false });
    try {
      const preflight = await shop.server.app.inject({
        method: 'OPTIONS',
        url: '/api/customer/mask-rules',
        headers: {
          origin: 'https://shop.example',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example');
      expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/authorization/i);
      const refused = await shop.server.app.inject({
        method: 'GET',
        url: '/api/customer/mask-rules',
        headers: { origin: 'https://evil.example', authorization: 'Bearer x' },
      });
      expect(refused.json().error.code).toBe(3007);
    } finally {
      await shop.close();
    }
  });

  it('refuses SDK JWTs, other origins and ended sessions', async () => {
    await expectError(
      { method: 'GET', url: '/api/customer/mask-rules', token: await customerToken() },
      401,
      2001,
    );
    const session = await startSession(t);
    await expectError(
      {
        method: 'GET',
        url: '/api/customer/mask-rules',
        token: session.resumeToken,
        headers: { origin: 'https://evil.example' },
      },
      403,
      3007,
    );
    await t.server.store.transitionSession({
      sessionId: session.sessionId,
      from: 'waiting',
      to: 'ended',
      at: Date.now(),
      endReason: 'revoked',
      actor: 'system',
      action: 'test',
    });
    await expectError(
      { method: 'GET', url: '/api/customer/mask-rules', token: session.resumeToken },
      410,
      4004,
    );
  });
});
