/**
 * Issue 5: the customer SDK on the demo shop against the real server, with a raw agent socket on
 * the other side (the console's part is the e2e control flows'): a step up asked in the SDK's
 * prompt, commands relayed to the tab and answered with their results, refusals with their
 * reasons, Stop in the banner, and the annotations on the tab sent with the snapshot a late agent
 * starts from.
 */
import { inflateSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { Page } from 'playwright-core';
import { PROTOCOL_VERSION, decodeBinaryFrame } from '@sightline/protocol';
import {
  accessibleNames,
  clickAccessible,
  customerAllows,
  customerAsksForHelp,
  waitForPrompt,
} from './support/flows.js';
import type { SentFrame } from './support/frames.js';
import { useStack } from './support/stack.js';

const stack = useStack();
const often = { timeout: 10_000, interval: 50 };

type Message = { type: string; [key: string]: unknown };

/** An agent on a raw socket: every text frame it gets, and the page's elements by test id. */
class RawAgent {
  readonly messages: Message[] = [];
  /** rrweb node ids by `id` and `data-testid` attribute, from the snapshots received. */
  readonly ids = new Map<string, number>();
  #commands = 0;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer, binary: boolean) => {
      if (!binary) {
        this.messages.push(JSON.parse(data.toString()) as Message);
        return;
      }
      const decoded = decodeBinaryFrame(new Uint8Array(data));
      if (!decoded) return;
      const events = JSON.parse(inflateSync(decoded.payload).toString('utf8')) as unknown[];
      for (const event of events) this.#index(event);
    });
  }

  /** Joins the session with `pin` as a demo agent named `userName`. */
  static async join(url: string, pin: string, userId: string, userName: string) {
    const post = async (path: string, body: object, bearer?: string) => {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as Record<string, string>;
    };
    const { token } = await post('/api/token', { role: 2, userId, userName });
    const { joinToken } = await post('/api/agent/connect', { pin }, token);
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, { origin: url });
    const agent = new RawAgent(socket);
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(
      JSON.stringify({ type: 'session.hello', protocolVersion: PROTOCOL_VERSION, joinToken }),
    );
    await agent.next('session.welcome');
    return agent;
  }

  send(frame: object): void {
    this.socket.send(JSON.stringify(frame));
  }

  /** Waits for a frame of `type` matching `where`, at or after `from`, and returns it. */
  async next(
    type: string,
    where: (m: Message) => boolean = () => true,
    from = 0,
  ): Promise<Message> {
    return vi.waitFor(() => {
      const found = this.messages.slice(from).find((m) => m.type === type && where(m));
      expect(found, `a ${type}`).toBeDefined();
      return found as Message;
    }, often);
  }

  /** Sends a command for the customer's tab and waits for its result. */
  async command(tabId: string, action: object): Promise<Message> {
    this.#commands += 1;
    const commandId = `cmd-${this.#commands}`;
    this.send({ type: 'control.command', commandId, tabId, action });
    return this.next('control.result', (m) => m.commandId === commandId);
  }

  /** The node id of the element whose `id` or `data-testid` is `name`, once a snapshot had it. */
  async id(name: string): Promise<number> {
    return vi.waitFor(() => {
      const id = this.ids.get(name);
      expect(id, name).toBeDefined();
      return id as number;
    }, often);
  }

  close(): void {
    this.socket.close();
  }

  #index(node: unknown): void {
    if (typeof node !== 'object' || node === null) return;
    const { id, attributes } = node as { id?: unknown; attributes?: Record<string, unknown> };
    if (typeof id === 'number' && attributes) {
      for (const key of ['id', 'data-testid']) {
        const value = attributes[key];
        if (typeof value === 'string') this.ids.set(value, id);
      }
    }
    for (const value of Object.values(node)) {
      if (typeof value === 'object') this.#index(value);
    }
  }
}

function sentTexts(sent: SentFrame[]): Message[] {
  return sent
    .filter((frame) => typeof frame.raw === 'string')
    .map((frame) => JSON.parse(frame.raw as string) as Message);
}

async function tabIdOf(customer: Page): Promise<string> {
  return customer.evaluate(
    () =>
      (
        window as unknown as { sightlineSession: { getSessionInfo(): { tabId: string } } }
      ).sightlineSession.getSessionInfo().tabId,
  );
}

async function says(customer: Page, words: string): Promise<void> {
  await vi.waitFor(
    async () => expect((await accessibleNames(customer)).some((n) => n.includes(words))).toBe(true),
    often,
  );
}

describe('remote assist from the customer SDK to a real server', () => {
  it('asks for control, relays commands with consent, refuses what may not be done, and stops', async () => {
    const { page: customer, pin, sent } = await customerAsksForHelp(stack.browser, stack.server);
    const jane = await RawAgent.join(stack.server.url, pin, 'agent-jane', 'Jane Doe');
    await customerAllows(customer);
    const tabId = await tabIdOf(customer);
    // The page told the server what it allows, after the welcome.
    expect(sentTexts(sent).find((m) => m.type === 'control.settings')).toMatchObject({
      settings: { remoteAssist: { enable: true }, allowAgentAnnotation: true },
    });

    jane.send({ type: 'control.request', mode: 'controlled' });
    await waitForPrompt(customer);
    await says(customer, 'Jane Doe (Support) asks to control this page: click and type for you');
    await customerAllows(customer);
    await jane.next('control.state', (m) => m.mode === 'controlled');
    await says(customer, 'Jane Doe is controlling this page, asking before each action');

    // Each action asked: Allow.
    const add = await jane.id('add-to-cart-backpack');
    const clicking = jane.command(tabId, { kind: 'click', nodeId: add });
    await says(customer, 'Jane Doe wants to click “Add to cart”');
    await customer.keyboard.press('Tab');
    await customer.keyboard.press('Tab');
    await customer.keyboard.press('Enter');
    expect(await clicking).toMatchObject({ outcome: 'done' });
    expect(await customer.textContent('#cart-count')).toBe('1');

    // "Allow for 2 minutes", then the React gift note follows unasked typing.
    const note = await jane.id('gift-note-input');
    const typing = jane.command(tabId, { kind: 'type', nodeId: note, text: 'Happy trails' });
    await says(customer, 'Jane Doe wants to type 12 characters into “Gift note (optional)”');
    await customer.keyboard.press('Tab');
    await customer.keyboard.press('Enter');
    expect(await typing).toMatchObject({ outcome: 'done' });
    expect(await customer.textContent('#gift-note-preview')).toBe(
      'Your card will read: “Happy trails”',
    );
    await jane.next('control.state', (m) => typeof m.grantUntil === 'number');
    const again = await jane.command(tabId, { kind: 'click', nodeId: add });
    expect(again).toMatchObject({ outcome: 'done' });
    expect(await customer.textContent('#cart-count')).toBe('2');

    // Refused in the customer's browser, with the reason, even inside the window.
    const place = await jane.command(tabId, {
      kind: 'click',
      nodeId: await jane.id('place-order'),
    });
    expect(place).toMatchObject({ outcome: 'refused', refusal: 'denied_selector' });
    const email = await jane.command(tabId, {
      kind: 'type',
      nodeId: await jane.id('email'),
      text: 'x',
    });
    expect(email).toMatchObject({ outcome: 'refused', refusal: 'masked' });
    expect(await customer.inputValue('#email')).toBe('');

    // Stop in the banner: control ends at once, and the next command never reaches the page.
    const before = jane.messages.length;
    await clickAccessible(customer, 'button', 'Stop control');
    await jane.next('control.state', (m) => m.mode === 'view_only', before);
    const late = await jane.command(tabId, { kind: 'click', nodeId: add });
    expect(late).toMatchObject({ outcome: 'refused' });
    expect(await customer.textContent('#cart-count')).toBe('2');
    jane.close();
    await customer.context().close();
  });

  it("sends the tab's annotations with the snapshot a late agent starts from", async () => {
    const { page: customer, pin, sent } = await customerAsksForHelp(stack.browser, stack.server);
    const jane = await RawAgent.join(stack.server.url, pin, 'agent-jane', 'Jane Doe');
    await customerAllows(customer);
    const tabId = await tabIdOf(customer);
    jane.send({ type: 'control.request', mode: 'guided' });
    await waitForPrompt(customer);
    await says(customer, 'Jane Doe (Support) asks to point and draw on this page');
    await customerAllows(customer);
    await jane.next('control.state', (m) => m.mode === 'guided');
    const annotation = {
      id: 'rect-1',
      tool: 'rectangle',
      tabId,
      nodeId: await jane.id('place-order'),
      points: [
        { x: -0.1, y: -0.2 },
        { x: 1.1, y: 1.2 },
      ],
      color: '#e5484d',
      width: 3,
    };
    jane.send({ type: 'annotation.draw', annotation });

    const sam = await RawAgent.join(stack.server.url, pin, 'agent-sam', 'Sam Lee');
    await customerAllows(customer);
    const sync = await sam.next('annotation.sync');
    expect(sync).toMatchObject({
      tabId,
      annotations: [{ annotation, author: { userId: 'agent-jane', userName: 'Jane Doe' } }],
    });
    // The customer's own frames, as Chromium reports them (a little after they leave): the sync
    // for Jane's join had nothing, the one for Sam's has the rectangle.
    await vi.waitFor(() => {
      const syncs = sentTexts(sent).filter((m) => m.type === 'annotation.sync');
      expect(syncs.map((m) => (m.annotations as unknown[]).length)).toEqual([0, 1]);
    }, often);

    // The customer draws too (allowCustomerAnnotation): Draw in the banner, a stroke over the
    // checkout button, and the agents get it with the customer as its author.
    await customer.locator('#place-order').scrollIntoViewIfNeeded();
    await clickAccessible(customer, 'button', 'Draw');
    await says(customer, 'Stop drawing');
    const box = await customer.locator('#place-order').boundingBox();
    if (!box) throw new Error('no Place order button on screen');
    await customer.mouse.move(box.x + 5, box.y + 5);
    await customer.mouse.down();
    await customer.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    await customer.mouse.move(box.x + box.width - 5, box.y + box.height - 5, { steps: 5 });
    await customer.mouse.up();
    const drawn = await sam.next('annotation.drawn', (m) => m.annotation !== undefined);
    expect(drawn).toMatchObject({
      annotation: { tool: 'pen', tabId },
      author: { role: 'customer' },
    });
    // Meanwhile the page got none of the pointer: its button was not pressed.
    expect(await customer.textContent('#order-status')).toBe('');
    await clickAccessible(customer, 'button', 'Stop drawing');
    await says(customer, 'Draw');
    jane.close();
    sam.close();
    await customer.context().close();
  });
});
