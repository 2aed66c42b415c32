/**
 * The public session object against a fake server speaking the real protocol (HTTP start, socket
 * hello/welcome, presence, end). Page capture itself needs a browser: the e2e suite covers it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { WebSocketConstructor } from '@sightline/client';
import { CloseCode, type SessionError } from '@sightline/protocol';
import type { CustomerEventMap } from '../src/events.js';
import { resolveSettings } from '../src/options.js';
import { CustomerSession } from '../src/session/customer-session.js';
import { FakeSightlineServer } from './fake-server.js';
import { ManualClock } from './manual-clock.js';

const AGENT = { userId: 'agent-7', userName: 'Demo Agent', role: 'agent' } as const;

let server: FakeSightlineServer;
const sessions: CustomerSession[] = [];

beforeEach(async () => {
  server = await FakeSightlineServer.start();
});

afterEach(async () => {
  for (const session of sessions.splice(0)) session.end();
  await server.close();
});

type Recorded = { [K in keyof CustomerEventMap]: [K, CustomerEventMap[K]] }[keyof CustomerEventMap];

function newSession() {
  const clock = new ManualClock();
  const session = new CustomerSession(resolveSettings({ serverUrl: server.url }, {}), {
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    clock,
    tabId: 'tab-session',
  });
  sessions.push(session);
  const events: Recorded[] = [];
  const names: (keyof CustomerEventMap)[] = [
    'pincode_updated',
    'session_started',
    'agent_joined',
    'agent_left',
    'session_reconnecting',
    'session_ended',
    'session_error',
  ];
  for (const name of names) {
    session.on(name, (payload) => events.push([name, payload] as Recorded));
  }
  return { session, events, clock };
}

async function started() {
  const setup = newSession();
  expect(await setup.session.start({ sdkToken: 'jwt-customer' })).toEqual({ success: true });
  await vi.waitFor(() => expect(server.hellos).toHaveLength(1));
  await vi.waitFor(() =>
    expect(setup.session.getSessionInfo().sessionStatus).toBe('session_waiting'),
  );
  return setup;
}

describe('CustomerSession', () => {
  it('starts: POSTs with the bearer token, emits the PIN, then connects with the resume token', async () => {
    const { session, events } = newSession();
    expect(session.getSessionInfo()).toEqual({
      sessionId: null,
      pin: null,
      sessionStatus: 'session_not_started',
      agents: [],
      tabId: 'tab-session',
    });
    const outcome = await session.start({ sdkToken: 'jwt-customer' });
    expect(outcome).toEqual({ success: true });
    expect(server.startRequests).toEqual([{ authorization: 'Bearer jwt-customer', body: {} }]);
    expect(events).toEqual([
      ['pincode_updated', { pincode: '123456' }],
      ['session_started', { sessionId: 'sess_0123456789' }],
    ]);
    await vi.waitFor(() => expect(server.hellos).toHaveLength(1));
    expect(server.hellos[0]).toMatchObject({ resumeToken: 'resume-token-1', tabId: 'tab-session' });
    expect(session.getSessionInfo()).toMatchObject({
      sessionId: 'sess_0123456789',
      pin: '123456',
      sessionStatus: 'session_waiting',
    });
  });

  it('sends a bring-your-own PIN and calls the Zoom-style start callback', async () => {
    const { session } = newSession();
    const callback = vi.fn();
    await session.start({ sdkToken: 'jwt', customPinCode: 'CASE42' }, callback);
    expect(server.startRequests[0]!.body).toEqual({ customPinCode: 'CASE42' });
    expect(callback).toHaveBeenCalledWith({ success: true });
  });

  it('reports agents joining and leaving, and ignores other customers', async () => {
    const { session, events } = await started();
    events.length = 0;
    server.send({ type: 'session.participant_joined', participant: AGENT });
    server.send({
      type: 'session.participant_joined',
      participant: { userId: 'c2', userName: 'Other', role: 'customer' },
    });
    await vi.waitFor(() =>
      expect(events).toEqual([['agent_joined', { userId: 'agent-7', userName: 'Demo Agent' }]]),
    );
    expect(session.getSessionInfo()).toMatchObject({
      sessionStatus: 'session_in_progress',
      agents: [{ userId: 'agent-7', userName: 'Demo Agent' }],
    });
    server.send({ type: 'session.participant_left', participant: AGENT });
    await vi.waitFor(() =>
      expect(events[1]).toEqual(['agent_left', { userId: 'agent-7', userName: 'Demo Agent' }]),
    );
    expect(session.getSessionInfo()).toMatchObject({
      sessionStatus: 'session_waiting',
      agents: [],
    });
  });

  it('after a reconnect, reconciles agents from the welcome', async () => {
    const { session, events, clock } = await started();
    server.send({ type: 'session.participant_joined', participant: AGENT });
    await vi.waitFor(() => expect(session.getSessionInfo().agents).toHaveLength(1));
    events.length = 0;
    const second = { userId: 'agent-8', userName: 'Second Agent', role: 'agent' } as const;
    server.agents = [second];
    server.latest.terminate();
    await vi.waitFor(() => expect(events[0]?.[0]).toBe('session_reconnecting'));
    expect(session.getSessionInfo().sessionStatus).toBe('session_reconnecting');
    clock.advance(1_000);
    await vi.waitFor(() => expect(server.hellos).toHaveLength(2));
    await vi.waitFor(() =>
      expect(events.slice(1)).toEqual([
        ['agent_left', { userId: 'agent-7', userName: 'Demo Agent' }],
        ['agent_joined', { userId: 'agent-8', userName: 'Second Agent' }],
      ]),
    );
    expect(session.getSessionInfo().sessionStatus).toBe('session_in_progress');
  });

  it('end(): tells the server, closes, emits session_ended once and leaves no timer behind', async () => {
    const { session, events, clock } = await started();
    events.length = 0;
    session.end();
    session.end();
    expect(events).toEqual([['session_ended', { reason: 'customer_ended' }]]);
    expect(session.getSessionInfo().sessionStatus).toBe('session_ended');
    // After the page's control settings, which follow every welcome.
    await vi.waitFor(() => expect(server.textFrames.at(-1)).toEqual({ type: 'session.end' }));
    expect(server.textFrames.map((frame) => (frame as { type: string }).type)).toEqual([
      'control.settings',
      'session.end',
    ]);
    await vi.waitFor(() => expect(server.latest.readyState).toBe(WebSocket.CLOSED));
    expect(clock.pendingTimers).toBe(0);

    const again = await session.start({ sdkToken: 'jwt' });
    expect(again).toMatchObject({ success: false, error: { code: 4004 } });
  });

  it('ends with the server’s reason on session.ended, without an error for the 4999 close', async () => {
    const { events } = await started();
    events.length = 0;
    server.send({ type: 'session.ended', reason: 'agent_ended' });
    server.latest.close(CloseCode.DO_NOT_RECONNECT, 'ended');
    await vi.waitFor(() => expect(events).toEqual([['session_ended', { reason: 'agent_ended' }]]));
  });

  it('reports the server’s HTTP error as session_error and may start again', async () => {
    server.answerStart = () => ({
      status: 401,
      body: {
        error: { code: 2001, name: 'TOKEN_INVALID', message: 'The token is invalid. Expired.' },
      },
    });
    const { session, events } = newSession();
    const outcome = await session.start({ sdkToken: 'old-jwt' });
    const error = { code: 2001, errorMsg: 'The token is invalid. Expired.' };
    expect(outcome).toEqual({ success: false, error });
    expect(events).toEqual([['session_error', error]]);
    expect(session.getSessionInfo().sessionStatus).toBe('session_not_started');

    server.answerStart = () => ({
      status: 502,
      body: '<html>Bad gateway</html>',
      contentType: 'text/html',
    });
    expect(await session.start({ sdkToken: 'jwt' })).toMatchObject({
      success: false,
      error: { code: 1001 },
    });
  });

  it('reports a socket refused by the server once, then ends with reason error', async () => {
    const { events } = await started();
    events.length = 0;
    const refusal: SessionError = {
      type: 'session.error',
      code: 2001,
      name: 'TOKEN_INVALID',
      message: 'The token is invalid. Resume token expired.',
    };
    server.send(refusal);
    server.latest.close(CloseCode.UNAUTHORIZED, 'token');
    await vi.waitFor(() =>
      expect(events).toEqual([
        ['session_error', { code: 2001, errorMsg: 'The token is invalid. Resume token expired.' }],
        ['session_ended', { reason: 'error' }],
      ]),
    );
  });

  it('refuses a second live session on the same page (1004) and a start without a token (2001)', async () => {
    await started();
    const second = newSession();
    expect(await second.session.start({ sdkToken: 'jwt' })).toMatchObject({
      success: false,
      error: { code: 1004 },
    });
    const third = newSession();
    expect(await third.session.start({} as { sdkToken: string })).toMatchObject({
      success: false,
      error: { code: 1004 },
    });
    sessions[0]!.end();
    expect(await third.session.start({} as { sdkToken: string })).toMatchObject({
      success: false,
      error: { code: 2001 },
    });
  });

  it('end() during the start request cancels it quietly', async () => {
    const { session, events } = newSession();
    const pending = session.start({ sdkToken: 'jwt' });
    session.end();
    expect((await pending).success).toBe(false);
    expect(events).toEqual([['session_ended', { reason: 'customer_ended' }]]);
    expect(server.hellos).toEqual([]);
  });
});

describe('CustomerSession after a reload of the tab', () => {
  /** The tab's sessionStorage, shared by the page before and after the reload. */
  function tabStorage() {
    const data = new Map<string, string>();
    return {
      data,
      getItem: (key: string) => data.get(key) ?? null,
      setItem: (key: string, value: string) => void data.set(key, value),
      removeItem: (key: string) => void data.delete(key),
    };
  }

  function pageOfTab(storage: ReturnType<typeof tabStorage>) {
    const session = new CustomerSession(resolveSettings({ serverUrl: server.url }, {}), {
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      clock: new ManualClock(),
      tabId: 'tab-reload',
      storage,
    });
    sessions.push(session);
    return session;
  }

  it('offers the stored session and join() reconnects with its resume token and tab, no new PIN', async () => {
    const storage = tabStorage();
    const before = pageOfTab(storage);
    expect(before.getSessionInfo().sessionStatus).toBe('session_not_started');
    await before.start({ sdkToken: 'jwt-customer' });
    await vi.waitFor(() => expect(server.hellos).toHaveLength(1));
    // The reload: the old page's scripts are gone, and the tab's storage stays. (Here the old
    // session must end to leave this module's one-live-session slot; its storage is put back.)
    const kept = new Map(storage.data);
    expect([...kept.keys()]).toEqual(['sightline.session']);
    before.end();
    expect(storage.data.size).toBe(0);
    for (const [key, value] of kept) storage.setItem(key, value);

    const after = pageOfTab(storage);
    expect(after.getSessionInfo()).toMatchObject({
      sessionId: 'sess_0123456789',
      pin: '123456',
      sessionStatus: 'session_recoverable',
    });
    const events: unknown[] = [];
    after.on('pincode_updated', (payload) => events.push(payload));
    after.on('session_started', (payload) => events.push(payload));
    const callback = vi.fn();
    expect(await after.join(callback)).toEqual({ success: true });
    expect(callback).toHaveBeenCalledWith({ success: true });
    expect(events).toEqual([{ pincode: '123456' }, { sessionId: 'sess_0123456789' }]);
    await vi.waitFor(() => expect(server.hellos).toHaveLength(2));
    expect(server.hellos[1]).toMatchObject({ resumeToken: 'resume-token-1', tabId: 'tab-reload' });
    expect(server.startRequests).toHaveLength(1);
    expect(await after.join()).toMatchObject({ success: false });

    after.end();
    expect(storage.data.size).toBe(0);
    expect(pageOfTab(storage).getSessionInfo().sessionStatus).toBe('session_not_started');
  });

  it('forgets an expired stored session, and join() without one fails', async () => {
    const storage = tabStorage();
    storage.setItem(
      'sightline.session',
      JSON.stringify({
        sessionId: 'sess_old',
        resumeToken: 'old',
        pin: '654321',
        expiresAt: new Date(1_000).toISOString(),
      }),
    );
    const session = pageOfTab(storage);
    expect(session.getSessionInfo()).toMatchObject({
      sessionId: null,
      sessionStatus: 'session_not_started',
    });
    expect(storage.data.size).toBe(0);
    const errors: unknown[] = [];
    session.on('session_error', (error) => errors.push(error));
    expect(await session.join()).toMatchObject({ success: false });
    expect(errors).toHaveLength(1);
    expect(server.hellos).toHaveLength(0);
  });
});

describe('CustomerSession and the session’s deadline', () => {
  it('reports the deadline on its own clock, then an extension, and keeps the stored session for it', async () => {
    const data = new Map<string, string>();
    const storage = {
      getItem: (key: string) => data.get(key) ?? null,
      setItem: (key: string, value: string) => void data.set(key, value),
      removeItem: (key: string) => void data.delete(key),
    };
    const clock = new ManualClock();
    const session = new CustomerSession(resolveSettings({ serverUrl: server.url }, {}), {
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      clock,
      tabId: 'tab-deadline',
      storage,
    });
    sessions.push(session);
    const deadlines: CustomerEventMap['deadline_changed'][] = [];
    const asked: CustomerEventMap['consent_requested'][] = [];
    session.on('deadline_changed', (change) => deadlines.push(change));
    session.on('consent_requested', (request) => asked.push(request));
    await session.start({ sdkToken: 'jwt-customer' });
    await vi.waitFor(() => expect(server.hellos).toHaveLength(1));

    // The server's clock is an hour ahead of this browser's: only the difference counts.
    const serverTime = clock.now() + 3_600_000;
    const deadline = { endsAt: serverTime + 40 * 60_000, serverTime, extensionMs: 900_000 };
    server.send({ type: 'session.deadline', ...deadline });
    await vi.waitFor(() => expect(deadlines).toHaveLength(1));
    expect(deadlines[0]).toEqual({
      endsAt: clock.now() + 40 * 60_000,
      remainingMs: 40 * 60_000,
      extended: false,
    });
    // The same deadline again (a welcome after a reconnect) is no change.
    server.send({ type: 'session.deadline', ...deadline });

    server.send({
      type: 'consent.request',
      requestId: 'cr_0123456789',
      kind: 'extend',
      agent: AGENT,
      extensionMs: 900_000,
    });
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    expect(asked[0]).toEqual({
      agent: { userId: 'agent-7', userName: 'Demo Agent' },
      kind: 'extend',
      extensionMs: 900_000,
    });

    server.send({ type: 'session.deadline', ...deadline, endsAt: deadline.endsAt + 900_000 });
    await vi.waitFor(() => expect(deadlines).toHaveLength(2));
    expect(deadlines[1]).toMatchObject({ endsAt: clock.now() + 55 * 60_000, extended: true });
    const stored = JSON.parse(data.get('sightline.session') ?? '{}') as { expiresAt?: string };
    expect(stored.expiresAt).toBe(new Date(clock.now() + 55 * 60_000).toISOString());
  });
});
