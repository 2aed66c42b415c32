/**
 * Issue 4, server-managed rules, end to end: a manager adds a mask rule through the API, and the
 * demo shop, which masks only `#email` itself (`custom_input`), no longer sends the customer's
 * name or the catalogue title: not in any frame the customer page sends, and not in the agent's
 * mirror, which shows asterisks in their place. The rule reaches the page before its first
 * snapshot, so not even the first full snapshot carries them.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import type { MaskRule } from '@sightline/protocol';
import { searchableTexts } from './support/frames.js';
import {
  agentAsksToJoin,
  agentJoins,
  customerAllows,
  customerAsksForHelp,
  expectStatus,
  readMirror,
} from './support/flows.js';
import { useStack } from './support/stack.js';

const stack = useStack();
let token: string;

beforeAll(async () => {
  token = await managerToken();
});

beforeEach(async () => {
  await clearRules(token);
});

const NAME = 'Ada Lovelace';
const TITLE = 'Gear for the long way round';
/** Shown openly on the same page: proves the capture itself works. */
const PRODUCT = 'Trail Backpack 28L';

/** Seeds a console manager (the demo seeds agents only) and signs in as them. */
async function managerToken(): Promise<string> {
  const { server } = stack;
  const agent = await server.store.getUserByUsername(server.agent.username);
  if (!agent) throw new Error('demo agent missing');
  await server.store.saveUser({
    ...agent,
    id: 'user-manager',
    username: 'manager',
    displayName: 'Morgan Manager',
    role: 'manager',
  });
  const response = await fetch(`${server.url}/api/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'manager', password: server.agent.password }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

/** Deletes every rule of the demo app, so each test starts from none. */
async function clearRules(token: string): Promise<void> {
  const { server } = stack;
  const listed = await fetch(`${server.url}/api/mask-rules`, {
    headers: { authorization: `Bearer ${token}` },
  });
  for (const rule of ((await listed.json()) as { rules: MaskRule[] }).rules) {
    await fetch(`${server.url}/api/mask-rules/${rule.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
  }
}

/** Waits until the mirror's text passes `check`, and returns it. */
async function mirrorTextWhen(agent: Page, check: (text: string) => void): Promise<string> {
  return vi.waitFor(
    async () => {
      const text = (await readMirror(agent, (doc) => doc.body.textContent ?? '')) ?? '';
      check(text);
      return text;
    },
    { timeout: 10_000, interval: 50 },
  );
}

async function addRule(token: string, body: object): Promise<MaskRule> {
  const response = await fetch(`${stack.server.url}/api/mask-rules`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as MaskRule;
}

describe('server-managed mask rules', () => {
  it('a rule added through the API masks a field and a text the page did not configure', async () => {
    const { browser, server } = stack;
    await addRule(token, {
      urlPattern: '/demo/**',
      maskSelectors: ['#name', '#catalogue-title'],
    });
    const { page: customer, pin, sent } = await customerAsksForHelp(browser, server);
    // Typed before anyone watches: the first snapshot carries the value.
    await customer.fill('#name', NAME);
    const agent = await agentJoins(browser, server, pin, customer);
    try {
      await customer.type('#name', ' Byron');
      const typed = `${NAME} Byron`;
      const mirrored = await vi.waitFor(
        async () => {
          const seen = await readMirror(agent, (doc) => ({
            name: (doc.querySelector('#name') as HTMLInputElement | null)?.value,
            title: doc.querySelector('#catalogue-title')?.textContent,
            product: doc.body.textContent?.includes('Trail Backpack 28L'),
          }));
          expect(seen?.name).toHaveLength(typed.length);
          return seen;
        },
        { timeout: 10_000, interval: 50 },
      );
      expect(mirrored?.name).toMatch(/^\*+$/);
      expect(mirrored?.title).toMatch(/^[\s*]+$/);
      expect(mirrored?.product).toBe(true);

      const texts = searchableTexts(sent);
      expect(sent.some((frame) => frame.inflated !== undefined)).toBe(true);
      expect(texts.some((text) => text.includes(PRODUCT))).toBe(true);
      for (const secret of [NAME, 'Byron', 'Lovelace', TITLE]) {
        expect(
          texts.filter((text) => text.includes(secret)),
          `"${secret}" left the page`,
        ).toEqual([]);
      }
    } finally {
      await agent.context().close();
      await customer.context().close();
    }
  });

  it('fails closed: without the rules, the page is blocked, every text masked', async () => {
    const { browser, server } = stack;
    await addRule(token, { urlPattern: '/demo/**', maskSelectors: ['#name'] });
    const {
      page: customer,
      pin,
      sent,
    } = await customerAsksForHelp(browser, server, (page) => {
      void page.route('**/api/customer/mask-rules', (route) => route.abort('failed'));
    });
    await customer.fill('#name', NAME);
    const agent = await agentJoins(browser, server, pin, customer);
    try {
      // The mirror shows the page as one empty box of the customer's body size.
      await vi.waitFor(
        async () => {
          const body = await readMirror(agent, (doc) => ({
            children: doc.body.children.length,
            text: doc.body.textContent ?? '',
            height: doc.body.getBoundingClientRect().height,
          }));
          expect(body).toMatchObject({ children: 0, text: '' });
          expect(body?.height).toBeGreaterThan(100);
        },
        { timeout: 10_000, interval: 50 },
      );
      const texts = searchableTexts(sent);
      expect(sent.some((frame) => frame.inflated !== undefined)).toBe(true);
      for (const secret of [NAME, TITLE, PRODUCT]) {
        expect(texts.filter((text) => text.includes(secret))).toEqual([]);
      }
    } finally {
      await agent.context().close();
      await customer.context().close();
    }
  });

  it("a single-page app's route change to pages with more rules restarts capture under them", async () => {
    const { browser, server } = stack;
    await addRule(token, { urlPattern: '/demo/account/**', maskSelectors: ['.price'] });
    const { page: customer, pin, sent } = await customerAsksForHelp(browser, server);
    const agent = await agentJoins(browser, server, pin, customer);
    try {
      // On /demo/ the rule does not apply: prices are shown.
      await mirrorTextWhen(agent, (text) => expect(text).toContain('$89.00'));
      const secretPrice = '$4,242.42';
      await customer.evaluate((price) => {
        history.pushState({}, '', '/demo/account/');
        const p = document.createElement('p');
        p.className = 'price';
        p.id = 'account-price';
        p.textContent = price;
        document.querySelector('h1')?.after(p);
      }, secretPrice);
      await vi.waitFor(
        async () => {
          const shown = await readMirror(
            agent,
            // By class: inside a masked element the id is masked too.
            (doc) => doc.querySelector('p.price')?.textContent,
          );
          expect(shown).toMatch(/^\*[*,.]*$/);
        },
        { timeout: 10_000, interval: 50 },
      );
      const mirrored = await mirrorTextWhen(agent, (text) => expect(text).not.toContain('$89.00'));
      expect(mirrored).toContain(PRODUCT);
      expect(searchableTexts(sent).filter((text) => text.includes(secretPrice))).toEqual([]);
    } finally {
      await agent.context().close();
      await customer.context().close();
    }
  });

  it('holds capture until the rules are in, even when the customer allows first', async () => {
    const { browser, server } = stack;
    await addRule(token, { urlPattern: '/demo/**', maskSelectors: ['#name'] });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let snapshotAsked = false;
    const {
      page: customer,
      pin,
      sent,
    } = await customerAsksForHelp(browser, server, (page) => {
      void page.route('**/api/customer/mask-rules', async (route) => {
        await held;
        await route.continue();
      });
      page.on('websocket', (socket) =>
        socket.on('framereceived', ({ payload }) => {
          if (typeof payload === 'string' && payload.includes('"dom.snapshot_request"')) {
            snapshotAsked = true;
          }
        }),
      );
    });
    await customer.fill('#name', NAME);
    const agent = await agentAsksToJoin(browser, server, pin);
    try {
      await customerAllows(customer);
      await vi.waitFor(() => expect(snapshotAsked).toBe(true), { timeout: 10_000, interval: 20 });
      // Asked for the page, the SDK still waits for the rules: nothing of the page went out.
      expect(sent.filter((frame) => frame.inflated !== undefined)).toEqual([]);
      release();
      await expectStatus(agent, 'live');
      await mirrorTextWhen(agent, (text) => expect(text).toContain(PRODUCT));
      const name = await readMirror(
        agent,
        (doc) => (doc.querySelector('#name') as HTMLInputElement | null)?.value,
      );
      expect(name).toMatch(/^\*+$/);
      expect(searchableTexts(sent).filter((text) => text.includes(NAME))).toEqual([]);
    } finally {
      release();
      await agent.context().close();
      await customer.context().close();
    }
  });
});
