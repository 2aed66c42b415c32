/**
 * @module
 * The start of every control e2e test (issue 5): the demo shop watched by the demo agent in the
 * console, control asked for and allowed, and what the tests read back: the mode the console
 * shows, its refusals in words, the cart on both sides, the commands the console sent, the audit.
 */
import { expect, vi } from 'vitest';
import type { Page } from 'playwright-core';
import {
  agentAsksToJoin,
  customerAllows,
  customerAsksForHelp,
  expectStatus,
  readMirror,
  waitForDialog,
} from './flows.js';
import { captureSentFrames, type SentFrame } from './frames.js';
import type { Stack } from './stack.js';

const often = { timeout: 10_000, interval: 50 };

/** The shop's "Add to cart" button of its first product, the backpack. */
export const ADD_BACKPACK = '[data-testid="add-to-cart-backpack"]';

/** A customer on the shop watched by the demo agent, with every frame the console sends. */
export interface Watched {
  customer: Page;
  agent: Page;
  pin: string;
  sessionId: string;
  agentSent: SentFrame[];
}

/** The customer asks for help and allows the demo agent, whose mirror shows the shop. */
export async function watched(stack: Stack): Promise<Watched> {
  const { page: customer, pin } = await customerAsksForHelp(stack.browser, stack.server);
  let agentSent: SentFrame[] = [];
  const agent = await agentAsksToJoin(stack.browser, stack.server, pin, undefined, (page) => {
    agentSent = captureSentFrames(page);
  });
  await customerAllows(customer);
  await expectStatus(agent, 'live');
  await vi.waitFor(
    async () =>
      expect(await readMirror(agent, (doc) => doc.querySelector('#cart-count') !== null)).toBe(
        true,
      ),
    often,
  );
  const session = await stack.server.store.findLiveSessionByPin('default', pin);
  if (!session) throw new Error(`no live session with PIN ${pin}`);
  return { customer, agent, pin, sessionId: session.id, agentSent };
}

/** The agent asks for `controlled` in the console and the customer allows it in the SDK's prompt. */
export async function controlled(w: Watched): Promise<void> {
  await w.agent.click('[data-testid="mode-controlled"]');
  await waitForDialog(
    w.customer,
    'Demo Agent (Support) asks to control this page: click and type for you',
  );
  await customerAllows(w.customer);
  await expectMode(w.agent, 'Control');
  expect(await w.agent.textContent('[data-testid="controller-name"]')).toBe(
    'Controlled by Demo Agent (you)',
  );
  await w.agent.click('[data-testid="tool-interact"]');
}

/** Waits until the console's toolbar says the mode is `label`. */
export async function expectMode(agent: Page, label: string): Promise<void> {
  await vi.waitFor(
    async () => expect(await agent.textContent('[data-testid="control-mode"]')).toBe(label),
    often,
  );
}

/** The shop's cart count, on the customer's page and in the agent's mirror. */
export async function cartCounts(
  w: Watched,
): Promise<{ page: string | null; mirror: string | undefined }> {
  return {
    page: await w.customer.textContent('#cart-count'),
    mirror: await readMirror(w.agent, (doc) => doc.querySelector('#cart-count')?.textContent ?? ''),
  };
}

/** The `control.command` frames the console sent. */
export function commandsSent(w: Watched): unknown[] {
  return w.agentSent
    .filter((frame) => typeof frame.raw === 'string')
    .map((frame) => JSON.parse(frame.raw as string) as { type: string })
    .filter((message) => message.type === 'control.command');
}

/** The session's audit entries whose action starts with `prefix`, from the server's store. */
export async function auditOf(stack: Stack, sessionId: string, prefix: string) {
  return (await stack.server.store.listAudit(sessionId))
    .filter((entry) => entry.action.startsWith(prefix))
    .map(({ actor, action, reason }) => ({ actor, action, reason }));
}

/** Gives a wrongly sent command time to land: long enough for a round trip and a render. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 750));

/** Waits until the console's refusal banner says `text`. */
export async function expectRefusal(agent: Page, text: string): Promise<void> {
  await vi.waitFor(
    async () => expect(await agent.textContent('[data-testid="control-refusal"]')).toContain(text),
    often,
  );
}
