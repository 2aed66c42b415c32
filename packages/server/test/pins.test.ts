/**
 * PIN uniqueness among live sessions, enforced by the store even when the generator repeats
 * itself: the Ids port is injected to force collisions.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Ids } from '../src/index.js';
import { startServer, type TestServer } from './support/server.js';
import { agentToken, customerToken } from './support/tokens.js';

let t: TestServer | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Ids whose PINs come from `pins`, repeating the last one forever. */
function scriptedIds(pins: string[]): Ids & { asked: number } {
  let n = 0;
  return {
    asked: 0,
    sessionId() {
      n += 1;
      return `scripted-session-${n}`;
    },
    pin() {
      this.asked += 1;
      return pins.length > 1 ? (pins.shift() as string) : (pins[0] as string);
    },
  };
}

async function start(server: TestServer) {
  const response = await server.server.app.inject({
    method: 'POST',
    url: '/api/customer/start',
    headers: { authorization: `Bearer ${await customerToken()}` },
    payload: {},
  });
  return { status: response.statusCode, body: response.json() };
}

describe('generated PINs', () => {
  it('skips PINs held by live sessions when the generator repeats', async () => {
    const ids = scriptedIds(['111111', '111111', '111111', '222222']);
    t = await startServer({ ids }, { listen: false });
    expect((await start(t)).body.pin).toBe('111111');
    expect((await start(t)).body.pin).toBe('222222');
    expect(ids.asked).toBe(4);
  });

  it('reuses a PIN once its session has ended', async () => {
    t = await startServer({ ids: scriptedIds(['333333']) }, { listen: false });
    const first = await start(t);
    expect((await start(t)).status).toBe(500);
    await t.server.app.inject({
      method: 'POST',
      url: '/api/session/revoke',
      headers: { authorization: `Bearer ${await agentToken()}` },
      payload: { sessionId: first.body.sessionId },
    });
    const again = await start(t);
    expect(again.status).toBe(200);
    expect(again.body.pin).toBe('333333');
  });

  it('gives up with 1001 rather than loop when every PIN it is given is taken', async () => {
    const ids = scriptedIds(['444444']);
    t = await startServer({ ids }, { listen: false });
    await start(t);
    const failed = await start(t);
    expect(failed.status).toBe(500);
    expect(failed.body.error.code).toBe(1001);
    expect(ids.asked).toBe(1 + 20);
  });
});
