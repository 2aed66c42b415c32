/**
 * The WebSocket gateway's gatekeeping, over real sockets: the hello deadline, hello-first, the
 * protocol major, credentials, frame validation and size limits, admission limits, origins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_BINARY_FRAME_BYTES,
  MAX_INVALID_FRAMES,
  MAX_TEXT_FRAME_BYTES,
  PROTOCOL_VERSION,
} from '@sightline/protocol';
import { connectAgent, connectCustomer, joinToken, post, startSession } from './support/flows.js';
import { startServer, type TestServer } from './support/server.js';
import { TestSocket, payload } from './support/socket.js';
import { agentToken } from './support/tokens.js';

let t: TestServer;

beforeAll(async () => {
  t = await startServer({ helloDeadlineMs: 150, maxAgents: 2 }, { quietConsent: true });
});

afterAll(async () => {
  await t.close();
});

async function expectRefused(socket: TestSocket, name: string, closeCode: number): Promise<void> {
  const error = await socket.expect('session.error');
  expect(error.name).toBe(name);
  expect((await socket.closed).code).toBe(closeCode);
}

describe('handshake', () => {
  it('closes a silent socket with 4408 after the hello deadline', async () => {
    const socket = await TestSocket.open(t.wsUrl);
    await expectRefused(socket, 'HANDSHAKE_TIMEOUT', 4408);
  });

  it('closes with 4401 when the first frame is not session.hello', async () => {
    const text = await TestSocket.open(t.wsUrl);
    text.sendJson({ type: 'session.end' });
    await expectRefused(text, 'HANDSHAKE_REQUIRED', 4401);

    const binary = await TestSocket.open(t.wsUrl);
    binary.sendBatch({ tabId: 't', seq: 1, full: true }, payload('x'));
    await expectRefused(binary, 'HANDSHAKE_REQUIRED', 4401);

    const garbage = await TestSocket.open(t.wsUrl);
    garbage.sendRaw('hello?');
    await expectRefused(garbage, 'HANDSHAKE_REQUIRED', 4401);
  });

  it('closes with 4426 on another protocol major, even with fields it does not know', async () => {
    const socket = await TestSocket.open(t.wsUrl);
    socket.sendJson({ type: 'session.hello', protocolVersion: '2.0', joinToken: 'x', future: 1 });
    await expectRefused(socket, 'PROTOCOL_VERSION_UNSUPPORTED', 4426);
  });

  it('accepts another minor version of its own major', async () => {
    const session = await startSession(t);
    const socket = await TestSocket.open(t.wsUrl);
    socket.sendJson({
      type: 'session.hello',
      protocolVersion: '1.9',
      resumeToken: session.resumeToken,
      tabId: 'tab-1',
    });
    await socket.expect('session.welcome');
    socket.close();
  });

  it('closes an unauthenticated socket with 4401', async () => {
    const bogus = await TestSocket.hello(t.wsUrl, { joinToken: 'not-a-token' });
    await expectRefused(bogus, 'TOKEN_INVALID', 4401);

    // An SDK JWT is never a socket credential (ADR 0002).
    const sdkJwt = await TestSocket.hello(t.wsUrl, { joinToken: await agentToken() });
    await expectRefused(sdkJwt, 'TOKEN_INVALID', 4401);

    // A resume token is not a join token.
    const session = await startSession(t);
    const swapped = await TestSocket.hello(t.wsUrl, { joinToken: session.resumeToken });
    await expectRefused(swapped, 'TOKEN_INVALID', 4401);
  });

  it('requires a tab id from customers', async () => {
    const session = await startSession(t);
    const socket = await TestSocket.open(t.wsUrl);
    socket.sendJson({
      type: 'session.hello',
      protocolVersion: PROTOCOL_VERSION,
      resumeToken: session.resumeToken,
    });
    await expectRefused(socket, 'PROTOCOL_INVALID_MESSAGE', 4400);
  });

  it('refuses a session that has ended with 4999', async () => {
    const session = await startSession(t);
    const token = await joinToken(t, session.pin);
    const revoked = await post(
      t.url,
      '/api/session/revoke',
      { sessionId: session.sessionId },
      await agentToken(),
    );
    expect(revoked.status).toBe(200);
    const socket = await TestSocket.hello(t.wsUrl, { joinToken: token });
    await expectRefused(socket, 'SESSION_ENDED', 4999);
  });
});

describe('frames after the welcome', () => {
  it('answers each malformed frame with an error and closes with 4400 after too many', async () => {
    const session = await startSession(t);
    const { socket } = await connectCustomer(t, session);
    for (let i = 1; i < MAX_INVALID_FRAMES; i += 1) {
      socket.sendRaw(i % 2 ? '{"type":"session.nope"}' : 'not json');
      expect((await socket.expect('session.error')).name).toBe('PROTOCOL_INVALID_MESSAGE');
    }
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    socket.sendBatch({ tabId: 'bad tab!', seq: 1 }, payload('x'));
    await expectRefused(socket, 'PROTOCOL_INVALID_MESSAGE', 4400);
  });

  it('closes with 4413 on a text frame over the limit', async () => {
    const session = await startSession(t);
    const { socket } = await connectCustomer(t, session);
    socket.sendRaw(`"${'x'.repeat(MAX_TEXT_FRAME_BYTES)}"`);
    await expectRefused(socket, 'FRAME_TOO_LARGE', 4413);
  });

  it('lets ws refuse a binary frame over the limit with 1009', async () => {
    const session = await startSession(t);
    const { socket } = await connectCustomer(t, session);
    socket.sendBatch({ tabId: 'tab-1', seq: 1 }, new Uint8Array(MAX_BINARY_FRAME_BYTES));
    expect((await socket.closed).code).toBe(1009);
  });

  it('does not let an agent send dom.batch', async () => {
    const session = await startSession(t);
    const agent = await connectAgent(t, session.pin);
    agent.sendBatch({ tabId: 'tab-1', seq: 1, full: true }, payload('x'));
    expect((await agent.expect('session.error')).name).toBe('MESSAGE_NOT_ALLOWED');
    agent.sendJson({ type: 'session.hello', protocolVersion: PROTOCOL_VERSION, joinToken: 'x' });
    expect((await agent.expect('session.error')).name).toBe('PROTOCOL_INVALID_MESSAGE');
    expect(agent.ws.readyState).toBe(agent.ws.OPEN);
    agent.close();
  });

  it('does not let a customer send batches for another tab than its hello', async () => {
    const session = await startSession(t);
    const { socket } = await connectCustomer(t, session, 'tab-a');
    socket.sendBatch({ tabId: 'tab-b', seq: 1, full: true }, payload('x'));
    expect((await socket.expect('session.error')).name).toBe('MESSAGE_NOT_ALLOWED');
    socket.close();
  });
});

describe('admission', () => {
  it('refuses the customer joining as an agent too with 1015 (4409)', async () => {
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session);
    const sameUser = await TestSocket.hello(t.wsUrl, {
      joinToken: await joinToken(t, session.pin, 'customer-1'),
    });
    await expectRefused(sameUser, 'SESSION_DUPLICATE_USER', 4409);
    customer.close();
  });

  it('refuses agents past the limit over HTTP (1013) and at the socket (4409)', async () => {
    const session = await startSession(t);
    const early = await joinToken(t, session.pin, 'agent-c');
    const a = await connectAgent(t, session.pin, 'agent-a');
    const b = await connectAgent(t, session.pin, 'agent-b');
    const refused = await post<{ error: { code: number } }>(
      t.url,
      '/api/agent/connect',
      { pin: session.pin },
      await agentToken({ user_id: 'agent-d' }),
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe(1013);
    const late = await TestSocket.hello(t.wsUrl, { joinToken: early });
    await expectRefused(late, 'SESSION_AGENT_COUNT_LIMIT', 4409);
    a.close();
    b.close();
  });

  it('lets the customer open a socket per tab', async () => {
    const session = await startSession(t);
    const one = await connectCustomer(t, session, 'tab-1');
    const two = await connectCustomer(t, session, 'tab-2');
    one.socket.close();
    two.socket.close();
  });
});

describe('origins', () => {
  it('upgrades only allowed origins, the server’s own, and non-browser clients', async () => {
    const guarded = await startServer({ allowedOrigins: ['https://shop.example'] });
    try {
      await expect(TestSocket.open(guarded.wsUrl, 'https://evil.example')).rejects.toThrow(/403/);
      for (const origin of ['https://shop.example', guarded.url, undefined]) {
        const socket = await TestSocket.open(guarded.wsUrl, origin);
        socket.close();
        await socket.closed;
      }
    } finally {
      await guarded.close();
    }
  });

  it('answers other upgrade paths with 404', async () => {
    await expect(TestSocket.open(t.wsUrl.replace(/\/ws$/, '/other'))).rejects.toThrow(/404/);
  });
});
