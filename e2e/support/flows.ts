/**
 * @module
 * The two people in every test: a customer on the demo shop who asks for help, and an agent in the
 * console who signs in and joins by PIN. Selectors are the ids the demo site and console document.
 */
import { inflateSync } from 'node:zlib';
import { expect, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { PROTOCOL_VERSION, decodeBinaryFrame } from '@sightline/protocol';
import { captureSentFrames, type SentFrame } from './frames.js';
import type { TestServer } from './server.js';

/** What the flows need of a server: where browsers reach it (one node, or a balancer) and its demo agents. */
export type Site = Pick<TestServer, 'url' | 'agent' | 'secondAgent'>;

/**
 * Opens the demo shop in a fresh context, presses "Get help" and returns the PIN it shows, with
 * every WebSocket frame the page sends from the start (`sent` keeps filling). `onPage` sees the
 * page before it loads anything.
 */
export async function customerAsksForHelp(
  browser: Browser,
  server: Site,
  onPage?: (page: Page) => void,
): Promise<{ page: Page; pin: string; sent: SentFrame[] }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  const sent = captureSentFrames(page);
  onPage?.(page);
  await page.goto(`${server.url}/demo/`);
  await page.click('#get-help');
  const pin = await vi.waitFor(
    async () => {
      const digits = ((await page.textContent('#sightline-pin')) ?? '').replace(/\D/g, '');
      expect(digits).toMatch(/^\d{6}$/);
      return digits;
    },
    { timeout: 10_000, interval: 50 },
  );
  return { page, pin, sent };
}

/**
 * Signs in to the console in a fresh context as `who` (the demo's first agent unless given) and
 * asks to join the session with `pin`. The customer has not answered yet. `onPage` sees the page
 * before it loads anything.
 */
export async function agentAsksToJoin(
  browser: Browser,
  server: Site,
  pin: string,
  who: { username: string; password: string } = server.agent,
  onPage?: (page: Page) => void,
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  onPage?.(page);
  await page.goto(`${server.url}/console/`);
  await page.fill('#login-username', who.username);
  await page.fill('#login-password', who.password);
  await page.click('#login-submit');
  await page.fill('#pin-input', pin);
  await page.click('#pin-submit');
  return page;
}

/** Waits until the console's status pill says `label`. */
export async function expectStatus(agent: Page, label: string): Promise<void> {
  await vi.waitFor(
    async () => {
      expect(await agent.textContent('[data-testid="connection-status"]')).toBe(label);
    },
    { timeout: 10_000, interval: 50 },
  );
}

/**
 * An agent joins and the customer allows it: the console shows the live page. `who` is the
 * demo's first agent unless given.
 */
export async function agentJoins(
  browser: Browser,
  server: Site,
  pin: string,
  customer: Page,
  who: { username: string; password: string } = server.agent,
  onPage?: (page: Page) => void,
): Promise<Page> {
  const page = await agentAsksToJoin(browser, server, pin, who, onPage);
  await customerAllows(customer);
  await expectStatus(page, 'live');
  return page;
}

/**
 * Waits for the SDK's consent prompt to take the focus. The prompt lives in a closed shadow
 * root, which neither page scripts nor Playwright's selectors can enter: from outside, focus
 * inside it shows as the host element being the document's active element.
 */
export async function waitForPrompt(customer: Page): Promise<void> {
  await vi.waitFor(
    async () => {
      expect(await customer.evaluate(() => document.activeElement?.localName)).toBe('sightline-ui');
    },
    { timeout: 10_000, interval: 50 },
  );
}

/** The customer answers the consent prompt with Allow, from the keyboard (Deny has the focus). */
export async function customerAllows(customer: Page): Promise<void> {
  await waitForPrompt(customer);
  await customer.keyboard.press('Tab');
  await customer.keyboard.press('Enter');
}

/** The customer answers the consent prompt with Deny, by pressing Escape. */
export async function customerDenies(customer: Page): Promise<void> {
  await waitForPrompt(customer);
  await customer.keyboard.press('Escape');
}

/** One node of Chromium's accessibility tree, as much as the tests read. */
interface AxNode {
  role?: { value?: string };
  name?: { value?: string };
  backendDOMNodeId?: number;
}

/**
 * The accessibility tree of `page`, through the Chrome DevTools Protocol: the one view that
 * includes closed shadow roots, as assistive technology sees them.
 */
export async function accessibilityTree(page: Page): Promise<AxNode[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
    return nodes;
  } finally {
    await cdp.detach();
  }
}

/** Every accessible name on the page (text, headings, buttons, dialogs). */
export async function accessibleNames(page: Page): Promise<string[]> {
  return (await accessibilityTree(page))
    .map((node) => node.name?.value ?? '')
    .filter((name) => name !== '');
}

/** Clicks the element with this accessible role and name, with the mouse, wherever it lives. */
export async function clickAccessible(page: Page, role: string, name: string): Promise<void> {
  const node = (await accessibilityTree(page)).find(
    (n) => n.role?.value === role && n.name?.value === name,
  );
  if (node?.backendDOMNodeId === undefined) throw new Error(`no ${role} named "${name}"`);
  const cdp = await page.context().newCDPSession(page);
  try {
    const { model } = (await cdp.send('DOM.getBoxModel', {
      backendNodeId: node.backendDOMNodeId,
    })) as { model: { content: number[] } };
    const [x1 = 0, y1 = 0, , , x3 = 0, y3 = 0] = model.content;
    await page.mouse.click((x1 + x3) / 2, (y1 + y3) / 2);
  } finally {
    await cdp.detach();
  }
}

/**
 * Reads from the mirror's rebuilt document. The replay iframe runs no scripts (ADR 0001), so this
 * reads its DOM from the console page, which may: the frame is same-origin.
 */
export async function readMirror<T>(
  agent: Page,
  read: (doc: Document) => T,
): Promise<T | undefined> {
  return agent.evaluate(`(() => {
    const frame = document.querySelector('#mirror iframe');
    const doc = frame && frame.contentDocument;
    if (!doc || !doc.body) return undefined;
    return (${read.toString()})(doc);
  })()`);
}

/** The demo shop's `#name` field as the agent's mirror shows it. */
export async function mirroredName(agent: Page): Promise<string | undefined> {
  return readMirror(agent, (doc) => (doc.querySelector('#name') as HTMLInputElement | null)?.value);
}

/** Waits (10 s unless given) until the mirror's `#name` field reads `name`. */
export async function expectMirroredName(
  agent: Page,
  name: string,
  timeout = 10_000,
): Promise<void> {
  await vi.waitFor(async () => expect(await mirroredName(agent)).toBe(name), {
    timeout,
    interval: 50,
  });
}

/** A point on the console page, in CSS pixels of its viewport. */
export interface ViewportPoint {
  x: number;
  y: number;
}

/**
 * Where the centre of `selector` shows on the console page: its box in the mirror's rebuilt
 * document, through the replay frame's offset and fit scale. Undefined while the mirror does not
 * show it there (not in view, or covered).
 */
export async function mirrorPointOf(
  agent: Page,
  selector: string,
): Promise<ViewportPoint | undefined> {
  return agent.evaluate((wanted) => {
    const frame = document.querySelector<HTMLIFrameElement>('#mirror iframe');
    const element = frame?.contentDocument?.querySelector(wanted);
    if (!frame || !element) return undefined;
    const outer = frame.getBoundingClientRect();
    const scaleX = outer.width / frame.offsetWidth;
    const scaleY = outer.height / frame.offsetHeight;
    const box = element.getBoundingClientRect();
    const x = box.left + box.width / 2;
    const y = box.top + box.height / 2;
    // Outside the customer's viewport, or under something else (a sticky header), it is not
    // what shows there.
    const shown = frame.contentDocument?.elementFromPoint(x, y);
    if (!shown || !element.contains(shown)) return undefined;
    return {
      x: outer.left + (frame.clientLeft + x) * scaleX,
      y: outer.top + (frame.clientTop + y) * scaleY,
    };
  }, selector);
}

/**
 * The agent clicks `selector` in the mirror with the mouse, as a person would: wherever the mouse
 * lands on the console (the mirror's input layer when it acts, the page otherwise).
 */
export async function clickInMirror(agent: Page, selector: string): Promise<void> {
  // Where it stays put: the mirror may still be catching up with the customer's scroll.
  const point = await vi.waitFor(
    async () => {
      const found = await mirrorPointOf(agent, selector);
      expect(found, `${selector} in the mirror`).toBeDefined();
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await mirrorPointOf(agent, selector)).toEqual(found);
      return found as ViewportPoint;
    },
    { timeout: 10_000, interval: 50 },
  );
  await agent.mouse.click(point.x, point.y);
}

/** The names of the SDK's dialogs open on the customer's page (its closed shadow root too). */
export async function dialogs(customer: Page): Promise<string[]> {
  return (await accessibilityTree(customer))
    .filter((node) => node.role?.value === 'dialog' || node.role?.value === 'alertdialog')
    .map((node) => node.name?.value ?? '');
}

/** Waits for the SDK's dialog named `name` (a prompt in its closed shadow root) to show. */
export async function waitForDialog(customer: Page, name: string | RegExp): Promise<void> {
  await vi.waitFor(
    async () => {
      const open = await dialogs(customer);
      expect(
        open.some((title) => (typeof name === 'string' ? title === name : name.test(title))),
      ).toBe(true);
    },
    { timeout: 10_000, interval: 50 },
  );
}

/** Scrolls the customer's page until `selector` is in the middle of its viewport. */
export async function customerScrollsTo(customer: Page, selector: string): Promise<void> {
  await customer.evaluate(
    (s) => document.querySelector(s)?.scrollIntoView({ block: 'center' }),
    selector,
  );
}

/** A text frame as a raw socket received it. */
export type RawText = { type: string } & Record<string, unknown>;

/** An agent's own WebSocket to the server, with nothing of the agent SDK between. */
export interface RawAgentSocket {
  /** The session it joined, from `POST /api/agent/connect`. */
  sessionId: string;
  /** Sends `message` as one text frame, whatever it says. */
  send(message: object): Promise<void>;
  /** Every text frame received so far, oldest first. */
  texts(): Promise<RawText[]>;
  /** Every rrweb event received so far in `dom.batch` frames, oldest first. */
  events(): Promise<unknown[]>;
}

/**
 * Signs `who` in, exchanges `pin` for a join token (the agent's join flow, over HTTP) and opens a
 * bare WebSocket from a page of the server's own origin, saying hello with it. The customer has
 * to allow this agent like any other.
 */
export async function rawAgentSocket(
  browser: Browser,
  server: Site,
  pin: string,
  who: { username: string; password: string } = server.secondAgent,
): Promise<RawAgentSocket> {
  const post = async (path: string, body: object, token?: string) => {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
    expect(response.status, path).toBe(200);
    return (await response.json()) as Record<string, string>;
  };
  const { token } = await post('/api/console/login', who);
  const { sessionId = '', joinToken } = await post('/api/agent/connect', { pin }, token);
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url}/sdk/sightline.js`);
  const hello = { type: 'session.hello', protocolVersion: PROTOCOL_VERSION, joinToken };
  await page.evaluate(
    ([url, first]) =>
      new Promise<void>((resolve, reject) => {
        const raw = {
          texts: [] as unknown[],
          binaries: [] as number[][],
          socket: new WebSocket(url),
        };
        Object.assign(window, { raw });
        raw.socket.binaryType = 'arraybuffer';
        raw.socket.onmessage = ({ data }) => {
          if (typeof data === 'string') raw.texts.push(JSON.parse(data));
          else raw.binaries.push(Array.from(new Uint8Array(data as ArrayBuffer)));
        };
        raw.socket.onerror = () => reject(new Error('the raw socket failed'));
        raw.socket.onopen = () => {
          raw.socket.send(first);
          resolve();
        };
      }),
    [server.url.replace(/^http/, 'ws') + '/ws', JSON.stringify(hello)] as const,
  );
  // The socket lives in the page as `window.raw`; these read it with plain expressions.
  return {
    sessionId,
    async send(message) {
      const text = JSON.stringify(message);
      await page.evaluate(`window.raw.socket.send(${JSON.stringify(text)})`);
    },
    texts: () => page.evaluate('window.raw.texts') as Promise<RawText[]>,
    async events() {
      const binaries = (await page.evaluate('window.raw.binaries')) as number[][];
      return binaries.flatMap((bytes) => {
        const decoded = decodeBinaryFrame(new Uint8Array(bytes));
        if (!decoded) throw new Error('the server sent a malformed binary frame');
        return JSON.parse(inflateSync(decoded.payload).toString('utf8')) as unknown[];
      });
    },
  };
}
