/**
 * Issue 3: PIN guessing is rate-limited per agent and per address. Too many wrong PINs get 429
 * RATE_LIMITED with `Retry-After`, even for a right PIN, and reaching a limit is audited once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StartSessionResponse } from '@sightline/protocol';
import { ManualClock } from './support/clock.js';
import { startServer, type TestServer } from './support/server.js';
import { agentToken, customerToken } from './support/tokens.js';

const WINDOW_MS = 60_000;
let t: TestServer;
let clock: ManualClock;
let pin: string;

beforeEach(async () => {
  clock = new ManualClock(Date.now());
  t = await startServer(
    { clock, pinGuessesPerAgent: 3, pinGuessesPerAddress: 5, pinGuessWindowMs: WINDOW_MS },
    { listen: false },
  );
  const started = await t.server.app.inject({
    method: 'POST',
    url: '/api/customer/start',
    headers: { authorization: `Bearer ${await customerToken()}` },
    payload: {},
  });
  pin = started.json<StartSessionResponse>().pin;
});

afterEach(async () => {
  await t.close();
});

async function tryPin(
  guess: string,
  agent = 'agent-1',
  address = '203.0.113.7',
  forwardedFor?: string,
) {
  const response = await t.server.app.inject({
    method: 'POST',
    url: '/api/agent/connect',
    remoteAddress: address,
    headers: {
      authorization: `Bearer ${await agentToken({ user_id: agent })}`,
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    payload: { pin: guess },
  });
  return {
    status: response.statusCode,
    name: response.json<{ error?: { name: string } }>().error?.name,
    retryAfter: response.headers['retry-after'],
  };
}

const wrongPin = (i: number) => String(100_000 + i).replace(pin, '999999');

describe('wrong-PIN limits', () => {
  it('refuses an agent past its limit with 429 and Retry-After, even with the right PIN', async () => {
    for (let i = 0; i < 3; i += 1) {
      expect(await tryPin(wrongPin(i))).toMatchObject({
        status: 404,
        name: 'SESSION_JOIN_PIN_NOT_FOUND',
      });
    }
    const limited = await tryPin(pin);
    expect(limited).toMatchObject({ status: 429, name: 'RATE_LIMITED' });
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(WINDOW_MS / 1000);

    // Another agent from another address is not affected.
    expect((await tryPin(pin, 'agent-2', '198.51.100.2')).status).toBe(200);
  });

  it('lets the agent in again once the window has passed', async () => {
    for (let i = 0; i < 3; i += 1) await tryPin(wrongPin(i));
    expect((await tryPin(pin)).status).toBe(429);
    clock.advance(WINDOW_MS - 1_000);
    expect((await tryPin(pin)).status).toBe(429);
    clock.advance(1_001);
    expect((await tryPin(pin)).status).toBe(200);
  });

  it('limits one address across agents', async () => {
    for (let i = 0; i < 5; i += 1) {
      expect((await tryPin(wrongPin(i), `agent-${i}`)).status).toBe(404);
    }
    expect(await tryPin(pin, 'agent-fresh')).toMatchObject({ status: 429, name: 'RATE_LIMITED' });
    expect((await tryPin(pin, 'agent-fresh', '198.51.100.9')).status).toBe(200);
  });

  it('audits reaching a limit once, with who and from where, not every refusal after', async () => {
    for (let i = 0; i < 3; i += 1) await tryPin(wrongPin(i));
    for (let i = 0; i < 4; i += 1) expect((await tryPin(wrongPin(i))).status).toBe(429);
    const app = (await t.server.store.listAppAudit('default')).filter(
      (entry) => entry.action === 'pin.guess_limit_reached',
    );
    expect(app).toEqual([
      expect.objectContaining({
        actor: 'agent:agent-1',
        reason: expect.stringMatching(/^agent limit: 3 wrong PINs in 60 s from 203\.0\.113\.7$/),
      }),
    ]);
  });

  it('does not count right PINs', async () => {
    for (let i = 0; i < 6; i += 1) expect((await tryPin(pin)).status).toBe(200);
  });
});

describe('wrong-PIN limits behind a load balancer', () => {
  const BALANCER = '10.0.0.2';

  it('believes X-Forwarded-For only from a trusted proxy, so one address is one client', async () => {
    // Untrusted (the default): the header is the client's to forge, so it is ignored, and every
    // request through the balancer counts against the balancer's own address.
    for (let i = 0; i < 5; i += 1) {
      expect((await tryPin(wrongPin(i), `agent-${i}`, BALANCER, `198.51.100.${i}`)).status).toBe(
        404,
      );
    }
    expect((await tryPin(pin, 'agent-fresh', BALANCER, '198.51.100.99')).status).toBe(429);
    await t.close();

    t = await startServer(
      {
        clock,
        pinGuessesPerAgent: 3,
        pinGuessesPerAddress: 5,
        pinGuessWindowMs: WINDOW_MS,
        trustProxy: ['10.0.0.0/8'],
      },
      { listen: false },
    );
    const started = await t.server.app.inject({
      method: 'POST',
      url: '/api/customer/start',
      headers: { authorization: `Bearer ${await customerToken()}` },
      payload: {},
    });
    pin = started.json<StartSessionResponse>().pin;
    // Trusted: each forwarded client has its own count, and a guesser is still limited.
    for (let i = 0; i < 5; i += 1) {
      expect((await tryPin(wrongPin(i), `agent-${i}`, BALANCER, '203.0.113.50')).status).toBe(404);
    }
    expect((await tryPin(pin, 'agent-x', BALANCER, '203.0.113.50')).status).toBe(429);
    expect((await tryPin(pin, 'agent-y', BALANCER, '198.51.100.7')).status).toBe(200);
    // A forged hop in front of the real client changes nothing: the balancer appended the real one.
    expect((await tryPin(pin, 'agent-z', BALANCER, '198.51.100.1, 203.0.113.50')).status).toBe(429);
  });
});
