/**
 * Issue 5, control modes and remote assist end to end, in real Chromium with the demo shop, the
 * console and the real server: view only does nothing (the console sends nothing, and a command
 * forced through a raw socket is refused and audited); the agent asks for control, the customer
 * allows it and each action, and the agent's clicks and typing in the mirror reach the shop (its
 * cart, and React's state behind the gift note); masked and deny-listed targets are refused in
 * words and audited; Stop control ends it at once. Full control is `control.full.e2e.test.ts`.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import {
  clickAccessible,
  clickInMirror,
  customerAllows,
  customerAsksForHelp,
  expectStatus,
  agentAsksToJoin,
  rawAgentSocket,
  readMirror,
  waitForDialog,
} from './support/flows.js';
import { captureSentFrames, type SentFrame } from './support/frames.js';
import { useStack } from './support/stack.js';

const stack = useStack();

const often = { timeout: 10_000, interval: 50 };
const ADD_BACKPACK = '[data-testid="add-to-cart-backpack"]';

/** A customer on the shop watched by the demo agent, with every frame the console sends. */
interface Watched {
  customer: Page;
  agent: Page;
  pin: string;
  sessionId: string;
  agentSent: SentFrame[];
}

async function watched(): Promise<Watched> {
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
async function controlled(w: Watched): Promise<void> {
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

async function expectMode(agent: Page, label: string): Promise<void> {
  await vi.waitFor(
    async () => expect(await agent.textContent('[data-testid="control-mode"]')).toBe(label),
    often,
  );
}

/** The shop's cart count, on the customer's page and in the agent's mirror. */
async function cartCounts(
  w: Watched,
): Promise<{ page: string | null; mirror: string | undefined }> {
  return {
    page: await w.customer.textContent('#cart-count'),
    mirror: await readMirror(w.agent, (doc) => doc.querySelector('#cart-count')?.textContent ?? ''),
  };
}

/** The `control.command` frames the console sent. */
function commandsSent(w: Watched): unknown[] {
  return w.agentSent
    .filter((frame) => typeof frame.raw === 'string')
    .map((frame) => JSON.parse(frame.raw as string) as { type: string })
    .filter((message) => message.type === 'control.command');
}

/** The session's audit entries whose action starts with `prefix`. */
async function audit(sessionId: string, prefix: string) {
  return (await stack.server.store.listAudit(sessionId))
    .filter((entry) => entry.action.startsWith(prefix))
    .map(({ actor, action, reason }) => ({ actor, action, reason }));
}

/** Gives a wrongly sent command time to land: long enough for a round trip and a render. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 750));

/** The rrweb id of the first node of a full snapshot whose attribute `name` is `value`. */
function nodeIdIn(events: unknown[], name: string, value: string): number | undefined {
  type SnapNode = { id: number; attributes?: Record<string, unknown>; childNodes?: SnapNode[] };
  const find = (node: SnapNode): number | undefined => {
    if (node.attributes?.[name] === value) return node.id;
    for (const child of node.childNodes ?? []) {
      const found = find(child);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  for (const event of events as { type: number; data: { node?: SnapNode } }[]) {
    if (event.type !== 2 || !event.data.node) continue;
    const found = find(event.data.node);
    if (found !== undefined) return found;
  }
  return undefined;
}

describe('view only', () => {
  it('a click on the mirror does nothing; a command forced through a raw socket is refused and audited', async () => {
    const w = await watched();
    await expectMode(w.agent, 'View only');
    await w.agent.click('[data-testid="tool-interact"]');
    await clickInMirror(w.agent, ADD_BACKPACK);
    await settle();
    expect(commandsSent(w)).toEqual([]);
    expect(await cartCounts(w)).toEqual({ page: '0', mirror: '0' });

    // A second agent, allowed to see the page, writes the frame by hand on its own socket.
    const raw = await rawAgentSocket(stack.browser, stack.server, w.pin);
    await customerAllows(w.customer);
    const [tabId, nodeId] = await vi.waitFor(async () => {
      const tabs = (await raw.texts()).findLast((m) => m.type === 'customer.tabs') as
        { tabs: { tabId: string }[] } | undefined;
      const id = nodeIdIn(await raw.events(), 'data-testid', 'add-to-cart-backpack');
      expect(tabs?.tabs[0]?.tabId).toBeDefined();
      expect(id).toBeDefined();
      return [tabs?.tabs[0]?.tabId ?? '', id ?? 0] as const;
    }, often);
    await raw.send({
      type: 'control.command',
      commandId: 'forced-1',
      tabId,
      action: { kind: 'click', nodeId },
    });
    const result = await vi.waitFor(async () => {
      const found = (await raw.texts()).find((m) => m.type === 'control.result');
      expect(found).toBeDefined();
      return found;
    }, often);
    expect(result).toMatchObject({
      commandId: 'forced-1',
      tabId,
      agent: { userName: 'Second Agent', role: 'agent' },
      outcome: 'refused',
      code: 3018,
    });
    expect(result).not.toHaveProperty('refusal'); // the server's refusal, not the page's
    expect(await audit(w.sessionId, 'control_refused')).toEqual([
      {
        actor: expect.stringMatching(/^agent:/),
        action: 'control_refused',
        reason: expect.stringMatching(
          new RegExp(`command:forced-1 tab:${tabId} kind:click node:${nodeId} why:mode$`),
        ),
      },
    ]);
    await settle();
    expect(await cartCounts(w)).toEqual({ page: '0', mirror: '0' });
    await Promise.all([w.customer.context().close(), w.agent.context().close()]);
  });
});

describe('controlled', () => {
  it('the customer allows control and the click: "Add to cart" in the mirror fills the cart', async () => {
    const w = await watched();
    await controlled(w);
    await clickInMirror(w.agent, ADD_BACKPACK);
    await waitForDialog(w.customer, 'Demo Agent wants to click “Add to cart”');
    expect(await cartCounts(w)).toEqual({ page: '0', mirror: '0' });
    await clickAccessible(w.customer, 'button', 'Allow');
    await vi.waitFor(
      async () => expect(await cartCounts(w)).toEqual({ page: '1', mirror: '1' }),
      often,
    );
    expect(await w.customer.textContent('#cart-items')).toContain('1 × Trail Backpack 28L');
    expect(await audit(w.sessionId, 'control_action')).toEqual([
      {
        actor: expect.stringMatching(/^agent:/),
        action: 'control_action',
        reason: expect.stringMatching(/ kind:click node:\d+$/),
      },
    ]);
    await Promise.all([w.customer.context().close(), w.agent.context().close()]);
  });
});
