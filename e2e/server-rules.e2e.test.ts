/**
 * Issue 4, server-managed rules, end to end: a manager adds a mask rule through the API, and the
 * demo shop, which masks only `#email` itself (`custom_input`), no longer sends the customer's
 * name or the catalogue title: not in any frame the customer page sends, and not in the agent's
 * mirror, which shows asterisks in their place. The rule reaches the page before its first
 * snapshot, so not even the first full snapshot carries them.
 */
import { describe, expect, it, vi } from 'vitest';
import type { MaskRule } from '@sightline/protocol';
import { searchableTexts } from './support/frames.js';
import { agentJoins, customerAsksForHelp, readMirror } from './support/flows.js';
import { useStack } from './support/stack.js';

const stack = useStack();

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
    await addRule(await managerToken(), {
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
});
