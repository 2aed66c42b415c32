/**
 * Issue 3, "maximum duration, which the agent can extend if the customer consents", in real
 * Chromium: near the end both sides see the time left; the agent presses Extend in the console,
 * the customer allows in the SDK's own prompt from the keyboard, and both see the new deadline.
 * A Deny is told to the agent in words, and the deadline stays.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import {
  accessibilityTree,
  accessibleNames,
  agentAsksToJoin,
  customerAllows,
  customerAsksForHelp,
  customerDenies,
  expectStatus,
  waitForPrompt,
} from './support/flows.js';
import { useStack } from './support/stack.js';

const MINUTE = 60_000;
const PROMPT = 'Demo Agent (Support) asks to continue this session for 15 more minutes';

// A 5-minute session: within the last 10 minutes from the start, so the time left shows at once.
const stack = useStack({ sessionMaxDurationMs: 5 * MINUTE, sessionExtensionMs: 15 * MINUTE });

const often = { timeout: 10_000, interval: 50 };

/** An agent watching the customer's page, both pages open. */
async function watchedSession(): Promise<{ customer: Page; agent: Page }> {
  const { page: customer, pin } = await customerAsksForHelp(stack.browser, stack.server);
  const agent = await agentAsksToJoin(stack.browser, stack.server, pin);
  await customerAllows(customer);
  await expectStatus(agent, 'live');
  return { customer, agent };
}

/** What the banner's timer says, or null when it is hidden (read as assistive technology does). */
async function bannerTimeLeft(customer: Page): Promise<string | null> {
  const names = await accessibleNames(customer);
  return names.find((name) => /(min|minute) left$/.test(name)) ?? null;
}

/** What the console's timer says, or null when it is not shown (without waiting for it). */
async function agentTimeLeft(agent: Page): Promise<string | null> {
  const timer = await agent.$('[data-testid="session-deadline"] [role="timer"]');
  return timer ? timer.textContent() : null;
}

describe('extending a session', () => {
  it('asks the customer from the console and moves the deadline on Allow', async () => {
    const { customer, agent } = await watchedSession();
    await vi.waitFor(async () => expect(await agentTimeLeft(agent)).toMatch(/^5 min left$/), often);
    await vi.waitFor(async () => expect(await bannerTimeLeft(customer)).toBe('5 min left'), often);

    expect(await agent.textContent('#extend-session')).toBe('Extend 15 min');
    await agent.click('#extend-session');
    await waitForPrompt(customer);
    const dialog = (await accessibilityTree(customer)).find((n) => n.role?.value === 'dialog');
    expect(dialog?.name?.value).toBe(PROMPT);
    await vi.waitFor(
      async () => expect(await agent.textContent('#extend-session')).toBe('Asking the customer…'),
      often,
    );
    expect(await agent.isDisabled('#extend-session')).toBe(true);

    // From the keyboard: focus starts on Deny; Tab moves to Allow.
    await customerAllows(customer);
    await vi.waitFor(
      async () =>
        expect(await agent.textContent('#extension-note')).toBe(
          'The customer allowed 15 more minutes.',
        ),
      often,
    );
    // 20 minutes left: no longer near the end on either side.
    await vi.waitFor(async () => expect(await agentTimeLeft(agent)).toBeNull(), often);
    await vi.waitFor(async () => expect(await bannerTimeLeft(customer)).toBeNull(), often);
    expect(await agent.isVisible('#extend-session')).toBe(false);
    await expectStatus(agent, 'live');
    await Promise.all([customer.context().close(), agent.context().close()]);
  });

  it('tells the agent in words when the customer denies, and the deadline stays', async () => {
    const { customer, agent } = await watchedSession();
    await vi.waitFor(
      async () => expect(await agent.isEnabled('#extend-session')).toBe(true),
      often,
    );
    await agent.click('#extend-session');
    await customerDenies(customer);
    await vi.waitFor(
      async () =>
        expect(await agent.textContent('#extension-note')).toBe(
          'The customer declined to extend the session. It ends at the planned time.',
        ),
      often,
    );
    expect(await agentTimeLeft(agent)).toMatch(/min left$/);
    expect(await bannerTimeLeft(customer)).toMatch(/min left$/);
    // Asking again is allowed: the button is back.
    expect(await agent.isEnabled('#extend-session')).toBe(true);
    await expectStatus(agent, 'live');
    await Promise.all([customer.context().close(), agent.context().close()]);
  });
});
