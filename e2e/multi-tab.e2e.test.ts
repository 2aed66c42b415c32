/**
 * Issue 3, multi-tab, in real Chromium: with `multiTabSessionPersistence` (the demo shop turns it
 * on) a second tab of the site joins the same session with a stream of its own, and the agent's
 * mirror follows the tab the customer is using; when the customer leaves the site's tabs the
 * console says so. A tab that is not part of the session cannot start another one (1004), because
 * live tabs hold a Web Lock, released when the session ends.
 *
 * Headless Chromium keeps every page visible and focused (Playwright emulates focus, and there is
 * no window manager to switch tabs), so the tests play the browser's part in a tab switch: they
 * set `document.visibilityState` and fire `visibilitychange`, as Chrome does when a tab goes to the
 * background or comes back. Everything after that event is the real SDK, server and console.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { captureSentFrames } from './support/frames.js';
import {
  accessibilityTree,
  agentAsksToJoin,
  agentJoins,
  customerAllows,
  customerAsksForHelp,
  expectMirroredName,
  expectStatus,
  mirroredName,
} from './support/flows.js';
import { useStack } from './support/stack.js';

const stack = useStack();

/** What the browser tells a page when its tab goes to the background or comes back to the front. */
async function setTabVisible(page: Page, visible: boolean): Promise<void> {
  await page.evaluate((shown) => {
    const state = shown ? 'visible' : 'hidden';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => !shown });
    document.dispatchEvent(new Event('visibilitychange'));
  }, visible);
}

/** The customer brings `front` to the front: every other tab goes to the background first. */
async function switchTo(front: Page, others: Page[]): Promise<void> {
  for (const page of others) await setTabVisible(page, false);
  await setTabVisible(front, false);
  await setTabVisible(front, true);
}

type SessionInfo = { sessionId: string | null; pin: string | null; tabId: string };

async function infoOf(page: Page): Promise<SessionInfo | undefined> {
  return page.evaluate(() =>
    (
      window as unknown as { sightlineSession?: { getSessionInfo(): SessionInfo } }
    ).sightlineSession?.getSessionInfo(),
  );
}

/** Whether the SDK's consent prompt is open on the page (it is a dialog in a closed shadow root). */
async function promptOpen(page: Page): Promise<boolean> {
  return (await accessibilityTree(page)).some((node) => node.role?.value === 'dialog');
}

/** The console's tab strip: one entry per open tab, `*` marking the one in front. */
async function tabStrip(agent: Page): Promise<string[]> {
  return agent.$$eval('[data-testid="customer-tab"]', (tabs) =>
    tabs.map((tab) => (tab.textContent ?? '').replace(' (in front)', '*')),
  );
}

describe('multi-tab', () => {
  it('a second tab joins the session, and the agent follows the tab in front and sees focus lost', async () => {
    const { page: first, pin } = await customerAsksForHelp(stack.browser, stack.server);
    const agent = await agentJoins(stack.browser, stack.server, pin, first);
    await first.fill('#name', 'Typed in tab one');
    await expectMirroredName(agent, 'Typed in tab one');

    // The customer opens the shop in a new tab: it finds the session and joins it.
    const second = await first.context().newPage();
    const sentBySecond = captureSentFrames(second);
    await second.goto(`${stack.server.url}/demo/`);
    await vi.waitFor(async () => expect((await infoOf(second))?.sessionId).toBeTruthy(), {
      timeout: 10_000,
    });
    const [one, two] = [await infoOf(first), await infoOf(second)];
    expect(two?.sessionId).toBe(one?.sessionId);
    expect(two?.pin).toBe(one?.pin);
    expect(two?.tabId).not.toBe(one?.tabId);
    // No second consent question: the agent was allowed for the session.
    expect(sentBySecond.some((frame) => String(frame.raw).includes('consent.response'))).toBe(
      false,
    );

    // The newest tab is in front: the mirror follows it, and the console lists both tabs.
    await second.fill('#name', 'Typed in tab two');
    await expectMirroredName(agent, 'Typed in tab two');
    await vi.waitFor(async () => expect(await tabStrip(agent)).toEqual(['Tab 1', 'Tab 2*']));
    await expectStatus(agent, 'live');

    // A second agent asks while both tabs are open: both ask the customer, who answers in one.
    const secondAgent = await agentAsksToJoin(
      stack.browser,
      stack.server,
      pin,
      stack.server.secondAgent,
    );
    await vi.waitFor(
      async () => {
        expect(await promptOpen(first)).toBe(true);
        expect(await promptOpen(second)).toBe(true);
      },
      { timeout: 10_000, interval: 50 },
    );
    await customerAllows(second);
    await expectStatus(secondAgent, 'live');
    await vi.waitFor(async () => expect(await promptOpen(first)).toBe(false), { timeout: 10_000 });
    await secondAgent.context().close();

    // Back to the first tab: the mirror shows it again, as it is now.
    await first.fill('#name', 'Typed in tab one, later');
    await switchTo(first, [second]);
    await expectMirroredName(agent, 'Typed in tab one, later');
    await vi.waitFor(async () => expect(await tabStrip(agent)).toEqual(['Tab 1*', 'Tab 2']));

    // The customer leaves the site's tabs: the console says so and keeps the last page.
    await setTabVisible(first, false);
    await agent.waitForSelector('[data-testid="focus-lost"]', { timeout: 10_000 });
    expect(await mirroredName(agent)).toBe('Typed in tab one, later');
    await setTabVisible(first, true);
    await agent.waitForSelector('[data-testid="focus-lost"]', { state: 'detached' });

    // Closing the second tab leaves one tab, and the session goes on.
    await second.close();
    await vi.waitFor(async () => expect(await tabStrip(agent)).toEqual([]));
    await first.fill('#name', 'Still sharing');
    await expectMirroredName(agent, 'Still sharing');
    await expectStatus(agent, 'live');
    await first.context().close();
    await agent.context().close();
  });

  it('a tab already open when the session started joins it once the customer switches to it', async () => {
    const context = await stack.browser.newContext({ viewport: { width: 1100, height: 800 } });
    const earlier = await context.newPage();
    await earlier.goto(`${stack.server.url}/demo/`);
    await earlier.fill('#name', 'The earlier tab');
    await setTabVisible(earlier, false);
    const helped = await context.newPage();
    const sentByEarlier = captureSentFrames(earlier);
    await helped.goto(`${stack.server.url}/demo/`);
    await helped.click('#get-help');
    const pin = await vi.waitFor(
      async () => {
        const digits = ((await helped.textContent('#sightline-pin')) ?? '').replace(/\D/g, '');
        expect(digits).toMatch(/^\d{6}$/);
        return digits;
      },
      { timeout: 10_000, interval: 50 },
    );
    const agent = await agentJoins(stack.browser, stack.server, pin, helped);
    await helped.fill('#name', 'The tab that asked for help');
    await expectMirroredName(agent, 'The tab that asked for help');
    // In the background the earlier tab holds back: nothing of it has left the browser.
    expect(sentByEarlier).toEqual([]);

    await switchTo(earlier, [helped]);
    await expectMirroredName(agent, 'The earlier tab');
    await vi.waitFor(async () => expect(await tabStrip(agent)).toEqual(['Tab 1', 'Tab 2*']));
    await context.close();
    await agent.context().close();
  });

  it('refuses a second session in another tab of the site (1004) until the first one ends', async () => {
    const { page: customer, pin } = await customerAsksForHelp(stack.browser, stack.server);
    const agent = await agentJoins(stack.browser, stack.server, pin, customer);
    // A page of the same site that loads the SDK without multi-tab and starts its own session.
    const other = await customer.context().newPage();
    const url = `${stack.server.url}/fixture/other-help-page`;
    await other.route(url, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><title>Other</title><script src="/sdk/sightline.js"></script>',
      }),
    );
    await other.goto(url);
    const startHere = () =>
      other.evaluate(async () => {
        const response = await fetch('/api/token', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ role: 1, userName: 'Other Tab' }),
        });
        const { token } = (await response.json()) as { token: string };
        type Outcome = { success: boolean; error?: { code: number } };
        const sightline = (
          window as unknown as {
            Sightline: {
              init(
                settings: object,
                callback: (result: {
                  session: { start(o: { sdkToken: string }): Promise<Outcome>; end(): void };
                }) => void,
              ): void;
            };
          }
        ).Sightline;
        return new Promise<Outcome>((resolve) =>
          sightline.init({}, ({ session }) => {
            void session.start({ sdkToken: token }).then((outcome) => {
              session.end();
              resolve(outcome);
            });
          }),
        );
      });
    expect(await startHere()).toMatchObject({ success: false, error: { code: 1004 } });

    // The customer stops sharing: the lock is released and a new session may start here.
    await customer.click('#end-sharing');
    await expectStatus(agent, 'ended');
    await vi.waitFor(async () => expect(await startHere()).toEqual({ success: true }), {
      timeout: 10_000,
      interval: 200,
    });
    await customer.context().close();
    await agent.context().close();
  });
});
