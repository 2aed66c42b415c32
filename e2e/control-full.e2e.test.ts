/**
 * Issue 5, "`full_control` also needs a user with the `manager` role, or above, to approve in
 * the console", end to end in real Chromium: the demo agent asks from the console and waits for
 * a manager; a manager's Deny in the console's approvals list is 3021 in words for the agent and
 * the customer is never asked; a manager's approval over HTTP brings the customer's question, and
 * with the customer's yes the agent's clicks act without a question each.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import {
  ADD_BACKPACK,
  auditOf,
  cartCounts,
  expectMode,
  expectRefusal,
  watched,
} from './support/control-flows.js';
import { clickInMirror, customerAllows, dialogs, waitForDialog } from './support/flows.js';
import { useStack } from './support/stack.js';

const stack = useStack();

const often = { timeout: 10_000, interval: 50 };

describe('full control', () => {
  it("is refused without a manager's approval; with it, the customer is asked", async () => {
    const w = await watched(stack);
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
    expect(await auditOf(stack, w.sessionId, 'control_changed')).toHaveLength(1);
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
