/**
 * @module
 * The start of every control test (issue 5): a real server whose app pre-approves viewing, a
 * customer on tab `tab-1` whose page has sent its control settings, and agents the customer
 * allowed, each socket keeping its `control.state` frames. Plus the waits the tests share.
 */
import { expect } from 'vitest';
import type {
  ControlMode,
  ControlSettings,
  ControlState,
  ServerToClient,
  StartSessionResponse,
} from '@sightline/protocol';
import { hashPassword } from '../../src/core/passwords.js';
import type { AgentRole, ServerOptions } from '../../src/index.js';
import { joinToken, startSession } from './flows.js';
import { startServer, type TestServer } from './server.js';
import { TestSocket } from './socket.js';

/** What the tests' page allows unless a test says otherwise: everything. */
export const ALL_ALLOWED: ControlSettings = {
  remoteAssist: {
    enable: true,
    enableCustomerConsent: true,
    types: ['scroll_page', 'click', 'hover', 'type', 'select', 'key', 'navigate'],
    requireStopConfirmation: false,
  },
  allowAgentAnnotation: true,
  allowCustomerAnnotation: true,
};

/** A text frame of `type`, skipping every other frame; `where` narrows which one. */
export async function until<T extends ServerToClient['type']>(
  socket: TestSocket,
  type: T,
  where: (message: Extract<ServerToClient, { type: T }>) => boolean = () => true,
): Promise<Extract<ServerToClient, { type: T }>> {
  for (;;) {
    const frame = await socket.next();
    if (frame.kind !== 'text' || frame.message.type !== type) continue;
    const message = frame.message as Extract<ServerToClient, { type: T }>;
    if (where(message)) return message;
  }
}

/** The next `control.state` in `mode` (and with `controller`, when given). */
export function stateIn(
  socket: TestSocket,
  mode: ControlMode,
  controller?: string | null,
): Promise<ControlState> {
  return until(
    socket,
    'control.state',
    (s) =>
      s.mode === mode &&
      (controller === undefined || (s.controller?.userId ?? null) === controller),
  );
}

/** A customer socket on `tabId`, past its welcome, keeping control frames from the first. */
export async function customerSocket(
  t: TestServer,
  session: StartSessionResponse,
  tabId = 'tab-1',
): Promise<TestSocket> {
  const socket = await TestSocket.hello(t.wsUrl, { resumeToken: session.resumeToken, tabId });
  socket.keepControlFrames = true;
  await socket.expect('session.welcome');
  return socket;
}

/** An agent socket, past its welcome, keeping control frames from the first. */
export async function agentSocket(t: TestServer, pin: string, userId: string): Promise<TestSocket> {
  const socket = await TestSocket.hello(t.wsUrl, { joinToken: await joinToken(t, pin, userId) });
  socket.keepControlFrames = true;
  await socket.expect('session.welcome');
  return socket;
}

/** An agent socket the customer allowed (viewing is pre-approved), past `consent.allowed`. */
export async function allowedAgent(
  t: TestServer,
  pin: string,
  userId: string,
): Promise<TestSocket> {
  const agent = await agentSocket(t, pin, userId);
  await until(agent, 'consent.allowed');
  return agent;
}

/** One session ready for control. */
export interface ControlSession {
  t: TestServer;
  session: StartSessionResponse;
  customer: TestSocket;
  ann: TestSocket;
  bob: TestSocket;
}

/**
 * A session with its customer on `tab-1`, whose page sent `settings`, and agents `ann` and `bob`
 * the customer allowed to see it, all past the state that carries the settings.
 */
export async function controlSession(
  options: Partial<ServerOptions> = {},
  settings: ControlSettings = ALL_ALLOWED,
): Promise<ControlSession> {
  const t = await startServer({ viewConsent: 'pre_approved', ...options });
  const session = await startSession(t);
  const customer = await customerSocket(t, session);
  // As the SDK does: its settings after the welcome, and which tab is in front.
  customer.sendJson({ type: 'control.settings', settings });
  customer.sendJson({ type: 'tab.activity', state: 'focused' });
  const withSettings = (s: ControlState) => JSON.stringify(s.settings) === JSON.stringify(settings);
  await until(customer, 'control.state', withSettings);
  const ann = await allowedAgent(t, session.pin, 'ann');
  await until(ann, 'control.state', withSettings);
  const bob = await allowedAgent(t, session.pin, 'bob');
  await until(bob, 'control.state', withSettings);
  return { t, session, customer, ann, bob };
}

/**
 * `agent` asks for `mode`; the customer is asked and answers `decision`. Returns the question.
 * Every socket sees the pending step first.
 */
export async function askAndAnswer(
  s: ControlSession,
  agent: TestSocket,
  mode: ControlMode,
  decision: 'allow' | 'deny' = 'allow',
) {
  agent.sendJson({ type: 'control.request', mode });
  const request = await until(s.customer, 'consent.request', (r) => r.kind === 'control');
  expect(request.mode).toBe(mode);
  s.customer.sendJson({ type: 'consent.response', requestId: request.requestId, decision });
  return request;
}

/** The session's audit entries whose action starts with one of `prefixes`. */
export async function auditOf(t: TestServer, sessionId: string, ...prefixes: string[]) {
  const audit = await t.server.store.listAudit(sessionId);
  return audit
    .filter((e) => prefixes.some((prefix) => e.action.startsWith(prefix)))
    .map(({ actor, action, reason }) => ({ actor, action, reason }));
}

/** A console user of the default app, signed in: returns the console token. */
export async function consoleUser(
  t: TestServer,
  username: string,
  role: AgentRole,
): Promise<string> {
  const password = 'correct horse battery staple';
  await t.server.store.saveUser({
    id: `user-${username}`,
    appId: 'default',
    username,
    displayName: `${role} ${username}`,
    role,
    passwordHash: await hashPassword(password),
    createdAt: 0,
  });
  const response = await fetch(`${t.url}/api/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}
