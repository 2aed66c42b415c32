/**
 * @module
 * The steps most socket tests start with: a customer starts a session over HTTP and connects;
 * agents exchange the PIN for join tokens and connect.
 */
import { expect } from 'vitest';
import type { AgentConnectResponse, StartSessionResponse } from '@sightline/protocol';
import type { TestServer } from './server.js';
import type { ServerToClient } from '@sightline/protocol';
import { TestSocket } from './socket.js';
import { agentToken, customerToken, type Claims } from './tokens.js';

/** POSTs JSON with a bearer token; returns status and parsed body. */
export async function post<T = unknown>(
  url: string,
  path: string,
  body: unknown,
  bearer?: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Starts a session as a customer. */
export async function startSession(
  t: TestServer,
  claims: Claims = {},
  body: object = {},
): Promise<StartSessionResponse> {
  const response = await post<StartSessionResponse>(
    t.url,
    '/api/customer/start',
    body,
    await customerToken(claims),
  );
  expect(response.status).toBe(200);
  return response.body;
}

/** Exchanges a PIN for a join token as agent `userId`. */
export async function joinToken(t: TestServer, pin: string, userId = 'agent-1'): Promise<string> {
  const response = await post<AgentConnectResponse>(
    t.url,
    '/api/agent/connect',
    { pin },
    await agentToken({ user_id: userId, user_name: `Agent ${userId}` }),
  );
  expect(response.status).toBe(200);
  return response.body.joinToken;
}

/** Consent frames and the `pending_consent` state, for tests of something else. */
export function isConsentNoise(message: ServerToClient): boolean {
  return (
    message.type.startsWith('consent.') ||
    (message.type === 'session.state' && message.state === 'pending_consent')
  );
}

/** A customer socket, past its welcome. */
export async function connectCustomer(
  t: TestServer,
  session: StartSessionResponse,
  tabId = 'tab-1',
): Promise<{ socket: TestSocket; lastAckedSeq: Record<string, number> }> {
  const socket = await TestSocket.hello(t.wsUrl, { resumeToken: session.resumeToken, tabId });
  if (t.quietConsent) socket.ignore = isConsentNoise;
  const welcome = await socket.expect('session.welcome');
  expect(welcome.role).toBe('customer');
  return { socket, lastAckedSeq: welcome.lastAckedSeq ?? {} };
}

/** An agent socket, past its welcome (checkout frames, if any, follow). */
export async function connectAgent(
  t: TestServer,
  pin: string,
  userId = 'agent-1',
): Promise<TestSocket> {
  const socket = await TestSocket.hello(t.wsUrl, { joinToken: await joinToken(t, pin, userId) });
  if (t.quietConsent) socket.ignore = isConsentNoise;
  const welcome = await socket.expect('session.welcome');
  expect(welcome.role).toBe('agent');
  return socket;
}
