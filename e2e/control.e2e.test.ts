/**
 * Issue 5, control modes and remote assist end to end, in real Chromium with the demo shop, the
 * console and the real server: view only does nothing (the console sends nothing, and a command
 * forced through a raw socket is refused and audited); the agent asks for control, the customer
 * allows it and each action, and the agent's clicks and typing in the mirror reach the shop (its
 * cart, and React's state behind the gift note); masked and deny-listed targets are refused in
 * words and audited; Stop control ends it at once. Full control: `control-full.e2e.test.ts`.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  ADD_BACKPACK,
  auditOf,
  cartCounts,
  commandsSent,
  controlled,
  expectMode,
  expectRefusal,
  settle,
  watched,
} from './support/control-flows.js';
import {
  agentAsksToJoin,
  clickAccessible,
  clickInMirror,
  customerAllows,
  customerScrollsTo,
  dialogs,
  expectStatus,
  rawAgentSocket,
  readMirror,
  waitForDialog,
} from './support/flows.js';
import { useStack } from './support/stack.js';

const stack = useStack();

const often = { timeout: 10_000, interval: 50 };

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
    const w = await watched(stack);
    await expectMode(w.agent, 'View only');
    // Interact chosen again now the page shows, so the input layer looks at the mode afresh.
    await w.agent.click('[data-testid="tool-pen"]');
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
    expect(await auditOf(stack, w.sessionId, 'control_refused')).toEqual([
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
  it('the customer allows control and the click: "Add to cart" in the mirror fills the cart, also from a second window', async () => {
    const w = await watched(stack);
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
    expect(await auditOf(stack, w.sessionId, 'control_action')).toEqual([
      {
        actor: expect.stringMatching(/^agent:/),
        action: 'control_action',
        reason: expect.stringMatching(/ kind:click node:\d+$/),
      },
    ]);

    // The agent opens the session in a second window, which takes it over: still in control,
    // its mirror's clicks act as soon as the page shows in it.
    const second = await agentAsksToJoin(stack.browser, stack.server, w.pin);
    await expectStatus(second, 'live');
    await expectMode(second, 'Control');
    await clickInMirror(second, ADD_BACKPACK);
    await waitForDialog(w.customer, 'Demo Agent wants to click “Add to cart”');
    await clickAccessible(w.customer, 'button', 'Allow');
    await vi.waitFor(
      async () => expect(await w.customer.textContent('#cart-count')).toBe('2'),
      often,
    );
    await Promise.all([
      w.customer.context().close(),
      w.agent.context().close(),
      second.context().close(),
    ]);
  });
});

describe('typing', () => {
  it("into the shop's React-controlled gift note updates React's state: the preview follows", async () => {
    const w = await watched(stack);
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
    const done = await auditOf(stack, w.sessionId, 'control_action');
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
    const w = await watched(stack);
    await controlled(w);
    await customerScrollsTo(w.customer, '#email');
    await clickInMirror(w.agent, '#email');
    await expectRefusal(w.agent, 'That element is masked on the customer’s page.');
    await customerScrollsTo(w.customer, '#place-order');
    await clickInMirror(w.agent, '#place-order');
    await expectRefusal(w.agent, 'The customer’s page does not let agents act on that element.');
    expect(await dialogs(w.customer)).toEqual([]);
    expect(await w.customer.textContent('#order-status')).toBe('');
    expect(await w.customer.evaluate(() => document.activeElement?.id)).not.toBe('email');
    expect(
      (await auditOf(stack, w.sessionId, 'control_refused')).map((entry) => entry.reason),
    ).toEqual([
      // A click on a text field puts the cursor in it: a focus.
      expect.stringMatching(/ kind:focus node:\d+ refusal:masked$/),
      expect.stringMatching(/ kind:click node:\d+ refusal:denied_selector$/),
    ]);
    await Promise.all([w.customer.context().close(), w.agent.context().close()]);
  });
});

describe('Stop control', () => {
  it("in the customer's banner ends control at once; the mirror's clicks do nothing again", async () => {
    const w = await watched(stack);
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
