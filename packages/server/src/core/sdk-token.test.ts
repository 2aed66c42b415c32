import { describe, expect, it } from 'vitest';
import { SightlineError } from '@sightline/protocol';
import {
  SDK_KEY,
  SDK_SECRET,
  claims,
  sign,
  unsignedToken,
  type Claims,
} from '../../test/support/tokens.js';
import type { AppRecord } from './ports.js';
import { requireRole, signSdkToken, verifySdkToken } from './sdk-token.js';

const app: AppRecord = {
  id: 'default',
  name: 'Test',
  sdkKey: SDK_KEY,
  sdkSecret: SDK_SECRET,
  createdAt: 0,
  viewConsent: 'ask',
};
const NOW = 1_800_000_000;
const findApp = async (key: string) => (key === SDK_KEY ? app : undefined);
const verify = (token: string) => verifySdkToken(token, findApp, NOW * 1000);

async function rejection(token: string | Promise<string>): Promise<SightlineError> {
  const error = await verify(await token).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SightlineError);
  expect((error as SightlineError).code).toBe(2001);
  return error as SightlineError;
}

const at = (role: 1 | 2, overrides: Claims = {}) => claims(role, overrides, NOW);

describe('SDK JWT verification', () => {
  it('accepts a customer and an agent token with exactly the Zoom claims', async () => {
    const customer = await verify(await sign(at(1)));
    expect(customer.app).toBe(app);
    expect(customer.claims).toEqual(at(1));
    const agent = await verify(await sign(at(2, { enable_byop: 1 })));
    expect(agent.claims.role_type).toBe(2);
    expect(agent.claims.enable_byop).toBe(1);
  });

  it.each(['app_key', 'role_type', 'iat', 'exp', 'user_id', 'user_name'])(
    'rejects a token without %s',
    async (claim) => {
      const error = await rejection(sign(at(1, { [claim]: undefined })));
      expect(error.message).toContain(claim);
    },
  );

  it('rejects an unknown claim', async () => {
    const error = await rejection(sign(at(1, { user_identity: 'x' })));
    expect(error.message).toContain('user_identity');
  });

  it('rejects a string role_type, as Zoom does', async () => {
    const error = await rejection(sign(at(1, { role_type: '1' })));
    expect(error.message).toContain('role_type must be the number 1');
  });

  it('rejects a role_type other than 1 or 2', async () => {
    await rejection(sign(at(1, { role_type: 3 })));
  });

  it('rejects exp more than 48 hours after iat, and accepts exactly 48 hours', async () => {
    const error = await rejection(sign(at(1, { exp: NOW + 48 * 3600 + 1 })));
    expect(error.message).toContain('48 hours');
    await expect(verify(await sign(at(1, { exp: NOW + 48 * 3600 })))).resolves.toBeDefined();
  });

  it('rejects an expired token', async () => {
    const error = await rejection(sign(at(1, { iat: NOW - 7200, exp: NOW - 1 })));
    expect(error.message).toContain('expired');
  });

  it('rejects a token signed with another secret', async () => {
    const error = await rejection(sign(at(1), { secret: 'another-secret-0123456789abcdefghijkl' }));
    expect(error.message).toContain('signature');
  });

  it('rejects an app_key this server does not know', async () => {
    const error = await rejection(sign(at(1, { app_key: 'someone-else' })));
    expect(error.message).toContain('app_key');
  });

  it('rejects alg none', async () => {
    const error = await rejection(unsignedToken(at(1)));
    expect(error.message).toContain('HS256');
  });

  it.each(['HS384', 'HS512'] as const)('rejects %s, even with the right secret', async (alg) => {
    const error = await rejection(sign(at(1), { alg }));
    expect(error.message).toContain(alg);
  });

  it('rejects a user_name of 81 characters and accepts 80', async () => {
    const error = await rejection(sign(at(1, { user_name: 'x'.repeat(81) })));
    expect(error.message).toContain('user_name');
    await expect(verify(await sign(at(1, { user_name: 'x'.repeat(80) })))).resolves.toBeDefined();
  });

  it('rejects what is not a JWT', async () => {
    const error = await rejection('not.a.jwt');
    expect(error.message).toContain('not a JWT');
  });

  it('rejects a token whose exp is not after iat', async () => {
    await rejection(sign(at(1, { exp: NOW, iat: NOW })));
  });

  it('requires the role an endpoint needs', async () => {
    const customer = await verify(await sign(at(1)));
    expect(() => requireRole(customer, 2)).toThrow(/role_type 2/);
    expect(requireRole(customer, 1)).toBe(customer);
  });

  it('verifies the tokens it signs', async () => {
    const token = await signSdkToken(
      app,
      { role_type: 2, user_id: 'agent', user_name: 'Demo Agent' },
      { iat: NOW, exp: NOW + 60 },
    );
    const verified = await verify(token);
    expect(verified.claims).toMatchObject({ app_key: SDK_KEY, role_type: 2, user_id: 'agent' });
  });
});
