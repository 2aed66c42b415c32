/**
 * @module
 * `app.inject()` helpers for the HTTP tests: one call shape, and an assertion on error bodies.
 */
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';

/** One request. */
export interface Call {
  method?: 'GET' | 'POST';
  url: string;
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

/** Request helpers bound to `app()` (a getter, so it can be assigned in `beforeAll`). */
export function injector(app: () => FastifyInstance) {
  async function call({ method = 'POST', url, body, token, headers = {} }: Call) {
    const response = await app().inject({
      method,
      url,
      payload: body === undefined ? undefined : (body as object),
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    return { status: response.statusCode, body: response.json(), headers: response.headers };
  }

  async function expectError(request: Call, status: number, code: number, message?: RegExp) {
    const response = await call(request);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    if (message) expect(response.body.error.message).toMatch(message);
    return response;
  }

  return { call, expectError };
}
