/**
 * Issue 3, consent first, in real Chromium: nothing of the page leaves the browser before the
 * customer presses Allow in the SDK's own prompt (checked on every frame the page sends), the
 * prompt and the banner are accessible and never captured, Stop ends the session on both sides,
 * and a Deny ends the join with words on the agent's side.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { searchableTexts, type SentFrame } from './support/frames.js';
import {
  accessibilityTree,
  accessibleNames,
  agentAsksToJoin,
  clickAccessible,
  customerAllows,
  customerAsksForHelp,
  customerDenies,
  expectMirroredName,
  expectStatus,
  readMirror,
  waitForPrompt,
} from './support/flows.js';
import { useStack } from './support/stack.js';

const PROMPT = 'Demo Agent (Support) wants to see this page';
const BANNER = 'Demo Agent is viewing this page';
/** Words of the SDK's own UI: none of them may be in anything the page sends. */
const UI_WORDS = ['wants to see this page', 'is viewing this page', 'Stop sharing', 'Deny'];

const stack = useStack();

const isBatch = (frame: SentFrame) => typeof frame.raw !== 'string';

async function customerStatus(customer: Page): Promise<string> {
  return (await customer.textContent('#sightline-status')) ?? '';
}

/** The page has none of the SDK's UI left: the shadow host is gone. */
async function uiRemoved(customer: Page): Promise<boolean> {
  return customer.evaluate(() => document.querySelector('sightline-ui') === null);
}

describe('consent first', () => {
  it('sends nothing of the page before Allow, then shares it under a banner with Stop', async () => {
    const { page: customer, pin, sent } = await customerAsksForHelp(stack.browser, stack.server);
    const agent = await agentAsksToJoin(stack.browser, stack.server, pin);
    await expectStatus(agent, 'waiting for consent');
    await waitForPrompt(customer);

    const dialog = (await accessibilityTree(customer)).find((n) => n.role?.value === 'dialog');
    expect(dialog?.name?.value).toBe(PROMPT);
    expect(await accessibleNames(customer)).toEqual(expect.arrayContaining(['Allow', 'Deny']));

    // Until Allow: the hello and the page's control settings (issue 5: what agents may do, which
    // the server needs before any step up), and neither names the page.
    const beforeAllow = sent.slice();
    expect(beforeAllow.filter(isBatch)).toEqual([]);
    const texts = beforeAllow.map((frame) => JSON.parse(frame.raw as string) as { type: string });
    expect(texts.map((message) => message.type)).toEqual(['session.hello', 'control.settings']);
    for (const frame of beforeAllow) expect(frame.raw).not.toMatch(/demo|http/i);

    await customerAllows(customer);
    await expectStatus(agent, 'live');
    const heading = await readMirror(agent, (doc) => doc.querySelector('h1')?.textContent);
    expect(heading).toBe(await customer.textContent('h1'));
    expect(sent.slice(beforeAllow.length).filter(isBatch).length).toBeGreaterThan(0);
    expect(sent.some((frame) => (frame.raw as string).includes?.('"decision":"allow"'))).toBe(true);

    await vi.waitFor(async () => expect(await accessibleNames(customer)).toContain(BANNER), {
      timeout: 5_000,
      interval: 50,
    });
    // The answered prompt let go of the focus: the page has it back.
    expect(await customer.evaluate(() => document.activeElement?.localName)).not.toBe(
      'sightline-ui',
    );

    // Page activity while the banner shows, then the words of the UI are searched everywhere.
    await customer.type('#name', 'Ada');
    await expectMirroredName(agent, 'Ada');
    const everything = searchableTexts(sent);
    for (const words of UI_WORDS) {
      expect(
        everything.filter((text) => text.includes(words)),
        `"${words}" was captured`,
      ).toEqual([]);
    }

    await clickAccessible(customer, 'button', 'Stop sharing this page');
    await vi.waitFor(async () => expect(await customerStatus(customer)).toMatch(/Sharing ended/), {
      timeout: 5_000,
      interval: 50,
    });
    await expectStatus(agent, 'ended');
    expect(await agent.textContent('[data-testid="end-reason"]')).toBe(
      'The customer ended the session.',
    );
    expect(await uiRemoved(customer)).toBe(true);
    await Promise.all([customer.context().close(), agent.context().close()]);
  });

  it('ends the join in words on Deny, and never sends a batch', async () => {
    const { page: customer, pin, sent } = await customerAsksForHelp(stack.browser, stack.server);
    const agent = await agentAsksToJoin(stack.browser, stack.server, pin);
    await expectStatus(agent, 'waiting for consent');
    await customerDenies(customer);

    await expectStatus(agent, 'ended');
    expect(await agent.textContent('[data-testid="end-reason"]')).toBe(
      'The customer declined to share their screen.',
    );
    expect(await agent.isVisible('#join-another')).toBe(true);
    await vi.waitFor(async () => expect(await customerStatus(customer)).toMatch(/Sharing ended/), {
      timeout: 5_000,
      interval: 50,
    });
    expect(sent.filter(isBatch)).toEqual([]);
    expect(sent.some((frame) => (frame.raw as string).includes?.('"decision":"deny"'))).toBe(true);
    expect(await uiRemoved(customer)).toBe(true);
    await Promise.all([customer.context().close(), agent.context().close()]);
  });
});
