// Issue 3, "maximum duration, which the agent can extend if the customer consents", from the
// agent's side against a real server: the agent's connection, wired to the deadline view as the
// SDK wires it, hears the deadline at its welcome, its own question, the customer's answer and
// the moved deadline, on its own clock even when the server's clock is off.
import { systemClock, type WebSocketConstructor } from '@sightline/client';
import type { ServerToClient } from '@sightline/protocol';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { ManualClock } from '../../server/test/support/clock.js';
import { connectCustomer, joinToken, startSession } from '../../server/test/support/flows.js';
import { startServer, type TestServer } from '../../server/test/support/server.js';
import type { TestSocket } from '../../server/test/support/socket.js';
import type { AgentEventMap } from '../src/events.js';
import { DeadlineView } from '../src/session/deadline.js';
import { agentConnection } from '../src/transport/connection.js';

const MINUTE = 60_000;
let t: TestServer;

beforeEach(async () => {
  // The server's clock runs ten minutes behind the agent's.
  t = await startServer({
    clock: new ManualClock(Date.now() - 10 * MINUTE),
    viewConsent: 'pre_approved',
    sessionMaxDurationMs: 45 * MINUTE,
    sessionExtensionMs: 15 * MINUTE,
  });
});

afterEach(async () => {
  await t.close();
});

async function until<T extends ServerToClient['type']>(socket: TestSocket, type: T) {
  for (;;) {
    const frame = await socket.next();
    if (frame.kind === 'text' && frame.message.type === type) {
      return frame.message as Extract<ServerToClient, { type: T }>;
    }
  }
}

it('follows the deadline, its own question and the customer’s answers', async () => {
  const session = await startSession(t);
  const { socket: customer } = await connectCustomer(t, session);
  const seen = {
    deadline_changed: [] as AgentEventMap['deadline_changed'][],
    extension_requested: [] as AgentEventMap['extension_requested'][],
    extension_decided: [] as AgentEventMap['extension_decided'][],
  };
  const view = new DeadlineView(systemClock, {
    deadline: (change) => seen.deadline_changed.push(change),
    requested: (question) => seen.extension_requested.push(question),
    decided: (outcome) => seen.extension_decided.push(outcome),
  });
  let allowed = false;
  const connection = agentConnection(
    {
      url: t.wsUrl,
      getJoinToken: () => joinToken(t, session.pin, 'agent-1'),
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      clock: systemClock,
      random: () => 0,
      reconnect: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 1, welcomeTimeoutMs: 2_000 },
    },
    {
      welcome: (welcome) => welcome.deadline && view.update(welcome.deadline),
      message(message) {
        if (message.type === 'consent.allowed') allowed = true;
        if (message.type === 'session.deadline') view.update(message);
        if (message.type === 'session.extension') view.extension(message);
      },
      batch() {},
      error() {},
      reconnecting() {},
      closed() {},
    },
  );
  connection.open();
  await vi.waitFor(() => expect(allowed).toBe(true));
  const first = seen.deadline_changed[0];
  expect(first).toMatchObject({ extensionMs: 15 * MINUTE, extended: false });
  // 45 min left, on the agent's own clock: the server's being behind does not count.
  expect(Math.abs((first?.remainingMs ?? 0) - 45 * MINUTE)).toBeLessThan(5_000);

  connection.send({ type: 'session.extend' });
  const request = await until(customer, 'consent.request');
  customer.sendJson({ type: 'consent.response', requestId: request.requestId, decision: 'allow' });
  await vi.waitFor(() => expect(seen.deadline_changed).toHaveLength(2));
  expect(seen.extension_requested).toEqual([
    {
      requestId: request.requestId,
      agent: { userId: 'agent-1', userName: 'Agent agent-1', role: 'agent' },
      extensionMs: 15 * MINUTE,
    },
  ]);
  expect(seen.extension_decided[0]).toMatchObject({ outcome: 'allowed' });
  const [before, after] = seen.deadline_changed;
  expect(after).toMatchObject({ extended: true });
  expect((after?.endsAt ?? 0) - (before?.endsAt ?? 0)).toBeGreaterThan(14 * MINUTE);
  expect(view.state?.pendingRequestId).toBeUndefined();

  connection.send({ type: 'session.extend' });
  const again = await until(customer, 'consent.request');
  await vi.waitFor(() => expect(view.state?.pendingRequestId).toBe(again.requestId));
  customer.sendJson({ type: 'consent.response', requestId: again.requestId, decision: 'deny' });
  await vi.waitFor(() => expect(seen.extension_decided).toHaveLength(2));
  expect(seen.extension_decided[1]).toEqual({
    requestId: again.requestId,
    agent: { userId: 'agent-1', userName: 'Agent agent-1', role: 'agent' },
    outcome: 'denied',
    code: 3016,
    errorMsg: 'The customer declined to extend the session.',
  });
  expect(seen.deadline_changed).toHaveLength(2);
  connection.close();
});
