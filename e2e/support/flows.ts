/**
 * @module
 * The two people in every test: a customer on the demo shop who asks for help, and an agent in the
 * console who signs in and joins by PIN. Selectors are the ids the demo site and console document.
 */
import { expect, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from './server.js';

/** Opens the demo shop in a fresh context, presses "Get help" and returns the PIN it shows. */
export async function customerAsksForHelp(
  browser: Browser,
  server: TestServer,
  onPage?: (page: Page) => void,
): Promise<{ page: Page; pin: string }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  onPage?.(page);
  await page.goto(`${server.url}/demo/`);
  await page.click('#get-help');
  const pin = await vi.waitFor(
    async () => {
      const digits = ((await page.textContent('#sightline-pin')) ?? '').replace(/\D/g, '');
      expect(digits).toMatch(/^\d{6}$/);
      return digits;
    },
    { timeout: 10_000, interval: 50 },
  );
  return { page, pin };
}

/**
 * Signs in to the console in a fresh context as `who` (the demo's first agent unless given) and
 * joins the session with `pin`.
 */
export async function agentJoins(
  browser: Browser,
  server: TestServer,
  pin: string,
  who: { username: string; password: string } = server.agent,
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/console/`);
  await page.fill('#login-username', who.username);
  await page.fill('#login-password', who.password);
  await page.click('#login-submit');
  await page.fill('#pin-input', pin);
  await page.click('#pin-submit');
  await vi.waitFor(
    async () => {
      expect(await page.textContent('[data-testid="connection-status"]')).toBe('live');
    },
    { timeout: 10_000, interval: 50 },
  );
  return page;
}

/**
 * Reads from the mirror's rebuilt document. The replay iframe runs no scripts (ADR 0001), so this
 * reads its DOM from the console page, which may: the frame is same-origin.
 */
export async function readMirror<T>(
  agent: Page,
  read: (doc: Document) => T,
): Promise<T | undefined> {
  return agent.evaluate(`(() => {
    const frame = document.querySelector('#mirror iframe');
    const doc = frame && frame.contentDocument;
    if (!doc || !doc.body) return undefined;
    return (${read.toString()})(doc);
  })()`);
}
