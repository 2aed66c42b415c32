/**
 * @module
 * SDK JWTs for tests, signed the way an integrator's token server signs them, plus deliberately
 * broken ones.
 */
import { SignJWT } from 'jose';

/** The default app of test servers. */
export const SDK_KEY = 'test-app-key';
export const SDK_SECRET = 'test-secret-0123456789abcdefghijklmnopqrstuv';

/** Zoom's claims. */
export interface Claims {
  app_key?: unknown;
  role_type?: unknown;
  iat?: unknown;
  exp?: unknown;
  user_id?: unknown;
  user_name?: unknown;
  enable_byop?: unknown;
  [extra: string]: unknown;
}

/** Valid claims for `role` at `nowSeconds`, with `overrides` (an `undefined` value removes a claim). */
export function claims(
  role: 1 | 2,
  overrides: Claims = {},
  nowSeconds = Math.floor(Date.now() / 1000),
): Claims {
  const base: Claims = {
    app_key: SDK_KEY,
    role_type: role,
    iat: nowSeconds,
    exp: nowSeconds + 3600,
    user_id: role === 1 ? 'customer-1' : 'agent-1',
    user_name: role === 1 ? 'Casey Customer' : 'Alex Agent',
  };
  const merged: Claims = { ...base, ...overrides };
  for (const key of Object.keys(overrides)) if (overrides[key] === undefined) delete merged[key];
  return merged;
}

/** Signs `payload` with HS256 (or `alg`) and `secret`, without any claim processing by jose. */
export async function sign(
  payload: Claims,
  options: { secret?: string; alg?: 'HS256' | 'HS384' | 'HS512' } = {},
): Promise<string> {
  return new SignJWT(payload as Record<string, unknown>)
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(options.secret ?? SDK_SECRET));
}

/** A customer (role 1) token. */
export function customerToken(overrides: Claims = {}): Promise<string> {
  return sign(claims(1, overrides));
}

/** An agent (role 2) token. */
export function agentToken(overrides: Claims = {}): Promise<string> {
  return sign(claims(2, overrides));
}

/** An unsigned `alg: none` token. */
export function unsignedToken(payload: Claims): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}
