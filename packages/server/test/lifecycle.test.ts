/**
 * Timed transitions through the Clock port, with a real server, real sockets and a manual clock:
 * timeout_max at expiresAt, timeout_waiting, timeout_reconnect, and re-arming after a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectAgent, connectCustomer, startSession } from './support/flows.js';
import { ManualClock } from './support/clock.js';
import { startServer, type TestServer } from './support/server.js';

const MINUTE = 60_000;
let servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serverWith(clock: ManualClock, extra = {}): Promise<TestServer> {
  const t = await startServer(
    {
      clock,
      sessionMaxDurationMs: 10 * MINUTE,
      waitingTimeoutMs: 3 * MINUTE,
      reconnectWindowMs: 2 * MINUTE,
      ...extra,
    },
    { quietConsent: true },
  );
  servers.push(t);
  return t;
}

async function stateOf(t: TestServer, sessionId: string) {
  return (await t.server.store.getSession(sessionId))?.state;
}

describe('timed transitions', () => {
  it('ends a session at expiresAt with timeout_max, telling every socket', async () => {
    const clock = new ManualClock(Date.now());
    const t = await serverWith(clock);
    const session = await startSession(t);
    expect(Date.parse(session.expiresAt)).toBe(clock.now() + 10 * MINUTE);
    const { socket: customer } = await connectCustomer(t, session);
    const agent = await connectAgent(t, session.pin);
    clock.advance(10 * MINUTE - 1);
    expect(await stateOf(t, session.sessionId)).toBe('active');
    clock.advance(1);
    expect(await customer.closed).toMatchObject({ code: 4999 });
    expect(await agent.closed).toMatchObject({ code: 4999 });
    const stored = await t.server.store.getSession(session.sessionId);
    expect(stored).toMatchObject({ state: 'ended', endReason: 'timeout_max' });
    expect((await t.server.store.listAudit(session.sessionId)).at(-1)).toMatchObject({
      actor: 'system',
      fromState: 'active',
      toState: 'ended',
      reason: 'timeout_max',
    });
  });

  it('ends a session no agent joined with timeout_waiting', async () => {
    const clock = new ManualClock(Date.now());
    const t = await serverWith(clock);
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session);
    clock.advance(3 * MINUTE);
    expect(await customer.closed).toMatchObject({ code: 4999 });
    expect(await t.server.store.getSession(session.sessionId)).toMatchObject({
      endReason: 'timeout_waiting',
    });
  });

  it('stops the waiting timer once an agent joins', async () => {
    const clock = new ManualClock(Date.now());
    const t = await serverWith(clock);
    const session = await startSession(t);
    await connectCustomer(t, session);
    await connectAgent(t, session.pin);
    clock.advance(3 * MINUTE + 1);
    expect(await stateOf(t, session.sessionId)).toBe('active');
  });

  it('ends with timeout_reconnect when the customer does not come back in time', async () => {
    const clock = new ManualClock(Date.now());
    const t = await serverWith(clock);
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session);
    const agent = await connectAgent(t, session.pin);
    customer.close();
    await vi.waitFor(async () => expect(await stateOf(t, session.sessionId)).toBe('reconnecting'));
    clock.advance(2 * MINUTE);
    expect(await agent.closed).toMatchObject({ code: 4999 });
    expect(await t.server.store.getSession(session.sessionId)).toMatchObject({
      endReason: 'timeout_reconnect',
    });
  });

  it('re-arms the timers of live sessions after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sightline-restart-'));
    try {
      const clock = new ManualClock(Date.now());
      const first = await startServer({ clock, dataDir, sessionMaxDurationMs: 10 * MINUTE });
      const session = await startSession(first);
      await first.close();

      const second = await serverWith(clock, { dataDir });
      expect(clock.pending).toBeGreaterThan(0);
      clock.advance(10 * MINUTE);
      await vi.waitFor(async () =>
        expect(await second.server.store.getSession(session.sessionId)).toMatchObject({
          state: 'ended',
        }),
      );
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      servers = [];
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('leaves no timer behind once a session ends', async () => {
    const clock = new ManualClock(Date.now());
    const t = await serverWith(clock);
    const session = await startSession(t);
    const { socket: customer } = await connectCustomer(t, session);
    customer.sendJson({ type: 'session.end' });
    await customer.closed;
    await vi.waitFor(async () => expect(await stateOf(t, session.sessionId)).toBe('ended'));
    expect(clock.pending).toBe(0);
  });
});
