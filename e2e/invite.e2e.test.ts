/**
 * Issue 3, agent-initiated sessions (seed 002's flow), in real Chromium: an agent invites a
 * customer from the console and waits in the session; the customer opens the link on the demo
 * shop, is asked for consent (nothing of the page is sent before Allow), and the agent sees the
 * page. The same link opened again says it was already used; a link opened too late says it
 * expired. Both in the SDK's own notice, in words.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { INVITE_QUERY_PARAMETER } from '@sightline/protocol';
import { captureSentFrames, type SentFrame } from './support/frames.js';
import {
  accessibilityTree,
  accessibleNames,
  customerAllows,
  expectMirroredName,
  expectStatus,
  readMirror,
  waitForPrompt,
} from './support/flows.js';
import { startServer, type TestServer } from './support/server.js';
import { useStack } from './support/stack.js';

const stack = useStack();

const isBatch = (frame: SentFrame) => typeof frame.raw !== 'string';

/** Signs in to the console in a fresh context as the demo's first agent. */
async function agentSignsIn(browser: Browser, server: TestServer): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/console/`);
  await page.fill('#login-username', server.agent.username);
  await page.fill('#login-password', server.agent.password);
  await page.click('#login-submit');
  await page.waitForSelector('#invite-create');
  return page;
}

/** The agent makes an invitation and waits in its session; returns the link the console shows. */
async function agentInvites(agent: Page, ticket?: string): Promise<string> {
  if (ticket !== undefined) await agent.fill('#invite-ticket', ticket);
  await agent.click('#invite-create');
  await expectStatus(agent, 'waiting for customer');
  return agent.inputValue('#invite-link');
}

/** A customer opens `link` in a fresh browser context, with every frame the page sends. */
async function customerOpens(
  browser: Browser,
  link: string,
): Promise<{ page: Page; sent: SentFrame[] }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  const sent = captureSentFrames(page);
  await page.goto(link);
  return { page, sent };
}

/** Waits until the SDK's notice says `title`, and returns its text. */
async function noticeSays(page: Page, title: string): Promise<string> {
  return vi.waitFor(
    async () => {
      const notice = (await accessibilityTree(page)).find((n) => n.role?.value === 'alertdialog');
      expect(notice?.name?.value).toBe(title);
      return (await accessibleNames(page)).join('\n');
    },
    { timeout: 10_000, interval: 50 },
  );
}

describe('an agent invites a customer by link', () => {
  it('asks the customer who opens it for consent, then shows the agent the page', async () => {
    const { browser, server } = stack;
    const agent = await agentSignsIn(browser, server);
    const link = await agentInvites(agent, 'ZD-48213');
    expect(link.startsWith(`${server.url}/demo/?${INVITE_QUERY_PARAMETER}=`)).toBe(true);
    expect(await agent.textContent('#invite-expiry')).toMatch(/^Expires in 1[45] min/);
    expect(await agent.textContent('[data-testid="invite"]')).toContain('ticket ZD-48213');
    await agent.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await agent.click('#invite-copy');
    await vi.waitFor(async () => expect(await agent.textContent('#invite-copy')).toBe('Copied'));
    expect(await agent.evaluate(() => navigator.clipboard.readText())).toBe(link);

    const { page: customer, sent } = await customerOpens(browser, link);
    // The invitation is out of the address bar at once: a reload or a copied address lacks it.
    await vi.waitFor(() => expect(customer.url()).toBe(`${server.url}/demo/`));
    await waitForPrompt(customer);
    await expectStatus(agent, 'waiting for consent');
    expect(await accessibleNames(customer)).toContain(
      'Demo Agent (Support) wants to see this page',
    );

    // Until Allow: the hello and the page's control settings, and neither names the page.
    const beforeAllow = sent.slice();
    expect(beforeAllow.filter(isBatch)).toEqual([]);
    const types = beforeAllow.map(
      (frame) => (JSON.parse(frame.raw as string) as { type: string }).type,
    );
    expect(types).toEqual(['session.hello', 'control.settings']);
    for (const frame of beforeAllow) expect(frame.raw).not.toMatch(/demo|http/i);

    await customerAllows(customer);
    await expectStatus(agent, 'live');
    const heading = await readMirror(agent, (doc) => doc.querySelector('h1')?.textContent);
    expect(heading).toBe(await customer.textContent('h1'));
    await customer.type('#name', 'Ada');
    await expectMirroredName(agent, 'Ada');

    // The same link, opened again (another browser): the customer is told, and nothing changes.
    const { page: second, sent: secondSent } = await customerOpens(browser, link);
    const words = await noticeSays(second, 'This link was already used');
    expect(words).toContain('Each link works once.');
    expect(await second.textContent('#sightline-status')).toMatch(/already used/);
    expect(secondSent).toEqual([]);
    await expectStatus(agent, 'live');
    // OK closes the notice and removes the SDK's UI from the page.
    await second.keyboard.press('Enter');
    await vi.waitFor(async () =>
      expect(await second.evaluate(() => document.querySelector('sightline-ui'))).toBeNull(),
    );
  });

  it('tells a customer who opens the link too late that it expired, and the agent why it ended', async () => {
    const server = await startServer({ inviteTtlSeconds: 2 });
    try {
      const agent = await agentSignsIn(stack.browser, server);
      const link = await agentInvites(agent);
      await expectStatus(agent, 'ended');
      expect(await agent.textContent('[data-testid="end-reason"]')).toBe(
        'The session expired before it started.',
      );
      const { page: customer, sent } = await customerOpens(stack.browser, link);
      const words = await noticeSays(customer, 'This link has expired');
      expect(words).toContain('Ask your support agent to send you a new one.');
      expect(sent).toEqual([]);
      expect(customer.url()).toBe(`${server.url}/demo/`);
    } finally {
      await server.close();
    }
  });
});
