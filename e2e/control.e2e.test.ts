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
  customerScrollsTo,
  customerAllows,
  customerAsksForHelp,
  dialogs,
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
    // The agent's pointer resting on the button after the click asks nothing more.
    await settle();
    expect(await dialogs(w.customer)).toEqual([]);
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

async function expectRefusal(agent: Page, text: string): Promise<void> {
  await vi.waitFor(
    async () => expect(await agent.textContent('[data-testid="control-refusal"]')).toContain(text),
    often,
  );
}

describe('typing', () => {
  it("into the shop's React-controlled gift note updates React's state: the preview follows", async () => {
    const w = await watched();
    await controlled(w);
    await customerScrollsTo(w.customer, '#gift-note-input');
    await clickInMirror(w.agent, '#gift-note-input');
    await waitForDialog(w.customer, /^Demo Agent wants to put the cursor in “Gift note/);
    await clickAccessible(w.customer, 'button', 'Allow for 2 minutes');
    await w.agent.keyboard.type('Happy trails');
    const preview = 'Your card will read: “Happy trails”';
    await vi.waitFor(
      async () => expect(await w.customer.textContent('#gift-note-preview')).toBe(preview),
      often,
    );
    expect(await w.customer.textContent('#gift-note-count')).toBe('12/120');
    expect(await w.customer.inputValue('#gift-note-input')).toBe('Happy trails');
    await vi.waitFor(
      async () =>
        expect(
          await readMirror(w.agent, (doc) => doc.querySelector('#gift-note-preview')?.textContent),
        ).toBe(preview),
      often,
    );
    // The audit names the action and counts what was typed, never the text.
    const done = await audit(w.sessionId, 'control_action');
    expect(done.map((entry) => entry.reason)).toEqual([
      expect.stringMatching(/ kind:focus node:\d+$/),
      expect.stringMatching(/ kind:type node:\d+ text_length:12 replace:(true|false)$/),
    ]);
    expect(JSON.stringify(await stack.server.store.listAudit(w.sessionId))).not.toContain('Happy');
    await Promise.all([w.customer.context().close(), w.agent.context().close()]);
  });
});

describe('refused targets', () => {
  it('a masked field and a deny-listed button: refused before asking, in words, and audited', async () => {
    const w = await watched();
    await controlled(w);
    await customerScrollsTo(w.customer, '#place-order');
    await clickInMirror(w.agent, '#email');
    await expectRefusal(w.agent, 'That element is masked on the customer’s page.');
    await clickInMirror(w.agent, '#place-order');
    await expectRefusal(w.agent, 'The customer’s page does not let agents act on that element.');
    expect(await dialogs(w.customer)).toEqual([]);
    expect(await w.customer.textContent('#order-status')).toBe('');
    expect(await w.customer.evaluate(() => document.activeElement?.id)).not.toBe('email');
    expect((await audit(w.sessionId, 'control_refused')).map((entry) => entry.reason)).toEqual([
      // A click on a text field puts the cursor in it: a focus.
      expect.stringMatching(/ kind:focus node:\d+ refusal:masked$/),
      expect.stringMatching(/ kind:click node:\d+ refusal:denied_selector$/),
    ]);
    await Promise.all([w.customer.context().close(), w.agent.context().close()]);
  });
});

describe('Stop control', () => {
  it("in the customer's banner ends control at once; the mirror's clicks do nothing again", async () => {
    const w = await watched();
    await controlled(w);
    // An action waits for the customer when they stop: it never happens.
    await clickInMirror(w.agent, ADD_BACKPACK);
    await waitForDialog(w.customer, 'Demo Agent wants to click “Add to cart”');
    const stoppedAt = Date.now();
    await clickAccessible(w.customer, 'button', 'Stop control');
    await expectMode(w.agent, 'View only');
    expect(Date.now() - stoppedAt).toBeLessThan(2_000);
    expect(await w.agent.$('[data-testid="controller-name"]')).toBeNull();
    await vi.waitFor(async () => expect(await dialogs(w.customer)).toEqual([]), often);
    const sent = commandsSent(w).length;
    await clickInMirror(w.agent, ADD_BACKPACK);
    await settle();
    expect(commandsSent(w)).toHaveLength(sent);
    expect(await cartCounts(w)).toEqual({ page: '0', mirror: '0' });
    expect(await dialogs(w.customer)).toEqual([]);
    await Promise.all([w.customer.context().close(), w.agent.context().close()]);
  });
});

describe('full control', () => {
  it("is refused without a manager's approval; with it, the customer is asked", async () => {
    const w = await watched();
    await w.agent.click('[data-testid="mode-full_control"]');
    await vi.waitFor(
      async () =>
        expect(await w.agent.textContent('[data-testid="control-pending"]')).toBe(
          'Full control for Demo Agent: Waiting for a manager…',
        ),
      often,
    );
    // A manager denies in the console's list.
    const manager = await managerConsole();
    await manager.waitForSelector('[data-testid="control-approval"]');
    expect(await manager.textContent('[data-testid="control-approval"]')).toContain(
      'Demo Agent asks for full control of Demo Customer’s page',
    );
    await manager.click('[data-testid="approval-deny"]');
    await expectRefusal(w.agent, "Full control needs a manager's approval");
    await vi.waitFor(
      async () => expect(await w.agent.$('[data-testid="control-pending"]')).toBeNull(),
      often,
    );
    await expectMode(w.agent, 'View only');
    expect(await dialogs(w.customer)).toEqual([]);

    // Asked again, a manager approves over HTTP: now the customer is asked, and allows.
    await w.agent.click('[data-testid="mode-full_control"]');
    const token = await managerToken();
    const id = await vi.waitFor(async () => {
      const listed = await api<{ approvals: { id: string; sessionId: string }[] }>(
        'GET',
        '/api/agent/control-approvals',
        token,
      );
      const found = listed.approvals.find((a) => a.sessionId === w.sessionId);
      expect(found).toBeDefined();
      return found?.id ?? '';
    }, often);
    await api('POST', `/api/agent/control-approvals/${id}`, token, { decision: 'approve' });
    await waitForDialog(
      w.customer,
      'Demo Agent (Support) asks for full control of this page: click and type for you without asking you each time',
    );
    await customerAllows(w.customer);
    await expectMode(w.agent, 'Full control');
    // No question for each action now.
    await clickInMirror(w.agent, ADD_BACKPACK);
    await vi.waitFor(
      async () => expect(await cartCounts(w)).toEqual({ page: '1', mirror: '1' }),
      often,
    );
    expect(await audit(w.sessionId, 'control_changed')).toHaveLength(1);
    await Promise.all([
      w.customer.context().close(),
      w.agent.context().close(),
      manager.context().close(),
    ]);
  });
});

/** Seeds a console manager once (the demo seeds agents only), with the demo password. */
async function seedManager(): Promise<{ username: string; password: string }> {
  const { server } = stack;
  if (!(await server.store.getUserByUsername('manager'))) {
    const agent = await server.store.getUserByUsername(server.agent.username);
    if (!agent) throw new Error('demo agent missing');
    await server.store.saveUser({
      ...agent,
      id: 'user-manager',
      username: 'manager',
      displayName: 'Morgan Manager',
      role: 'manager',
    });
  }
  return { username: 'manager', password: server.agent.password };
}

/** The manager signed in to the console, on its desk. */
async function managerConsole(): Promise<Page> {
  const who = await seedManager();
  const page = await (await stack.browser.newContext()).newPage();
  await page.goto(`${stack.server.url}/console/`);
  await page.fill('#login-username', who.username);
  await page.fill('#login-password', who.password);
  await page.click('#login-submit');
  return page;
}

/** The manager's console token, over HTTP. */
async function managerToken(): Promise<string> {
  const who = await seedManager();
  return (await api<{ token: string }>('POST', '/api/console/login', undefined, who)).token;
}

/** One JSON call to the server, which must answer 200. */
async function api<T = unknown>(method: string, path: string, token?: string, body?: object) {
  const response = await fetch(`${stack.server.url}${path}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  expect(response.status, `${method} ${path}`).toBe(200);
  return (await response.json()) as T;
}
