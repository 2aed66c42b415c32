/**
 * Issue 3, surviving drops and refreshes, in real Chromium: a reload of the customer's tab rejoins
 * the same session (same PIN, no new question for an agent already allowed) and the agent sees
 * the new page; a network outage loses none of what the customer typed meanwhile.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Page, WebSocketRoute } from 'playwright-core';
import type { SentFrame } from './support/frames.js';
import {
  accessibleNames,
  agentJoins,
  customerAsksForHelp,
  expectMirroredName,
  expectStatus,
  mirroredName,
} from './support/flows.js';
import { useStack } from './support/stack.js';

const stack = useStack();

async function sessionIdOf(customer: Page): Promise<string | null | undefined> {
  return customer.evaluate(
    () =>
      (
        window as unknown as {
          sightlineSession?: { getSessionInfo(): { sessionId: string | null } };
        }
      ).sightlineSession?.getSessionInfo().sessionId,
  );
}

/** The seq of every DOM batch the customer's page sent, in order (resends included). */
function batchSeqs(sent: readonly SentFrame[]): number[] {
  return sent.flatMap((frame) => {
    const seq = (frame.header as { seq?: number } | undefined)?.seq;
    return typeof frame.raw !== 'string' && typeof seq === 'number' ? [seq] : [];
  });
}

/** Every text frame an agent's page received on any WebSocket. Call before it connects. */
function captureReceivedTexts(page: Page): string[] {
  const texts: string[] = [];
  page.on('websocket', (socket) => {
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string') texts.push(payload);
    });
  });
  return texts;
}

describe('surviving drops and refreshes', () => {
  it('a reload of the tab rejoins the same session and the agent sees the new page', async () => {
    const { page: customer, pin, sent } = await customerAsksForHelp(stack.browser, stack.server);
    const agent = await agentJoins(stack.browser, stack.server, pin, customer);
    const sessionId = await sessionIdOf(customer);
    expect(sessionId).toBeTruthy();

    await customer.type('#name', 'Ada');
    await expectMirroredName(agent, 'Ada', 5_000);

    const sentBeforeReload = sent.length;
    await customer.reload();
    await vi.waitFor(
      async () => {
        expect(((await customer.textContent('#sightline-pin')) ?? '').replace(/\D/g, '')).toBe(pin);
        expect(await customer.textContent('#sightline-status')).toMatch(/is viewing/);
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(await sessionIdOf(customer)).toBe(sessionId);

    // The reloaded page starts empty: what the agent sees now can only come from the new page.
    await customer.type('#name', 'Grace');
    await expectMirroredName(agent, 'Grace', 5_000);
    // The agent was allowed before the reload: no second question, and the page is live again.
    expect(await accessibleNames(customer)).not.toContain('Allow');
    await expectStatus(agent, 'live');

    // The reloaded page continued the tab's seq after what the server held: no gap, and it began
    // with a full snapshot.
    const before = batchSeqs(sent.slice(0, sentBeforeReload));
    const after = sent.slice(sentBeforeReload).filter((frame) => typeof frame.raw !== 'string');
    expect(after[0]?.header).toMatchObject({ seq: Math.max(...before) + 1, full: true });
    const distinct = [...new Set(batchSeqs(sent))];
    expect(distinct).toEqual(distinct.map((_, index) => index + 1));
    const response = await fetch(`${stack.server.url}/api/session/list?status=live`, {
      headers: { authorization: `Bearer ${await agentToken()}` },
    });
    const { sessions } = (await response.json()) as { sessions: { sessionId: string }[] };
    expect(sessions.map((s) => s.sessionId)).toContain(sessionId);
    expect(sessions).toHaveLength(1);
  });

  it('a network outage loses no keystroke, and the agent sees the customer reconnecting', async () => {
    // Chromium keeps an open WebSocket open when the context goes offline (and so does the
    // DevTools network emulation): the customer's sockets run through a route, which the
    // "network" drops and refuses while it is down.
    let networkDown = false;
    const routed: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
    let routing: Promise<void> = Promise.resolve();
    const { page: customer, pin } = await customerAsksForHelp(
      stack.browser,
      stack.server,
      (page) => {
        routing = page.routeWebSocket(/\/ws/, (socket) => {
          if (networkDown) {
            void socket.close({ code: 1001, reason: 'offline' });
            return;
          }
          routed.push({ page: socket, server: socket.connectToServer() });
        });
      },
    );
    await routing;
    expect(routed).toHaveLength(1);
    let agentTexts: string[] = [];
    const agent = await agentJoins(
      stack.browser,
      stack.server,
      pin,
      customer,
      stack.server.agent,
      (page) => {
        agentTexts = captureReceivedTexts(page);
      },
    );
    await customer.fill('#name', '');
    await customer.type('#name', 'before ');
    await expectMirroredName(agent, 'before ', 5_000);

    const full = 'before while offline 123';
    const seen: string[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const value = await mirroredName(agent).catch(() => undefined);
        if (value !== undefined && value !== seen.at(-1)) seen.push(value);
      }
    })();
    try {
      networkDown = true;
      await customer.context().setOffline(true);
      // Both ends drop, as a dead network does. The server end is a page WebSocket underneath
      // Playwright's route, whose close() takes no 1001: it closes plainly.
      for (const { page, server: toServer } of routed) {
        await toServer.close();
        await page.close({ code: 1001, reason: 'offline' });
      }
      await vi.waitFor(
        async () =>
          expect(await customer.textContent('#sightline-status')).toMatch(/reconnecting/i),
        { timeout: 10_000, interval: 50 },
      );
      // The server saw the customer's socket go and told the agent.
      await vi.waitFor(
        () =>
          expect(agentTexts.filter((text) => text.includes('"state":"reconnecting"'))).toHaveLength(
            1,
          ),
        { timeout: 5_000, interval: 50 },
      );
      await expectStatus(agent, 'customer disconnected');
      await customer.type('#name', 'while offline 123');
      networkDown = false;
      await customer.context().setOffline(false);

      await expectMirroredName(agent, full, 20_000);
      await expectStatus(agent, 'live');
    } finally {
      polling = false;
      await poller;
    }
    // Every value the mirror showed was a prefix of the next: nothing went backwards or missing.
    for (const [index, value] of seen.entries()) {
      expect(full.startsWith(value), `mirror showed "${value}"`).toBe(true);
      if (index > 0) expect(value.length).toBeGreaterThanOrEqual(seen[index - 1]!.length);
    }
    // …and then the customer back: the session is active again.
    const dropped = agentTexts.findIndex((text) => text.includes('"state":"reconnecting"'));
    expect(agentTexts.slice(dropped).some((text) => text.includes('"state":"active"'))).toBe(true);
  });
});

async function agentToken(): Promise<string> {
  const response = await fetch(`${stack.server.url}/api/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(stack.server.agent),
  });
  return ((await response.json()) as { token: string }).token;
}
