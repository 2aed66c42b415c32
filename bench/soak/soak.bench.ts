/**
 * Soak: one session with continuous mutations for a long time (10 minutes by default), the real
 * server in its own process (built, demo mode), the demo shop as the customer and the console as
 * the agent in real Chromium. Every interval it samples the server's RSS and both pages' JS heaps
 * (after a forced GC, so the figures are live memory, not garbage), and at the end prints start,
 * end and the growth over the second half: memory must level off, not grow without bound.
 *
 *   npm run build && node --import tsx bench/soak/soak.bench.ts
 *   SOAK_MINUTES=2 SOAK_SAMPLE_SECONDS=10 node --import tsx bench/soak/soak.bench.ts
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { launchChromium } from '../../e2e/support/browser.js';
import { freePort, rssMiB, startNode } from '../support/process.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const SAMPLE_MS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 30) * 1000;
/** Mutations per second in the customer page: list churn, text edits, attribute flips, typing. */
const MUTATIONS_PER_SECOND = Number(process.env.SOAK_RATE ?? 20);

/** Live JS heap of a page in MiB, measured after a full GC through the DevTools protocol. */
async function heapMiB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return usedSize / 1024 / 1024;
}

/**
 * The server's live JS heap in MiB, after a full GC, through Node's inspector (the same DevTools
 * protocol calls as for the pages). RSS alone cannot tell garbage not yet collected from a leak.
 */
async function serverHeapMiB(inspectorPort: number): Promise<number> {
  const targets = (await (
    await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)
  ).json()) as Array<{
    webSocketDebuggerUrl: string;
  }>;
  const endpoint = targets[0]?.webSocketDebuggerUrl;
  if (!endpoint) throw new Error('no inspector target');
  const socket = new WebSocket(endpoint);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let id = 0;
  const call = (method: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      id += 1;
      const mine = id;
      const onMessage = (data: Buffer) => {
        const reply = JSON.parse(data.toString()) as {
          id?: number;
          result?: Record<string, unknown>;
        };
        if (reply.id !== mine) return;
        socket.off('message', onMessage);
        resolve(reply.result ?? {});
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id: mine, method }));
    });
  await call('HeapProfiler.collectGarbage');
  const { usedSize } = (await call('Runtime.getHeapUsage')) as { usedSize: number };
  socket.close();
  return usedSize / 1024 / 1024;
}

const port = await freePort();
const inspectorPort = await freePort();
const url = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'sightline-soak-'));
// The inspector also prints an address on stderr: match the HTTP port exactly.
const server = await startNode(
  [`--inspect=127.0.0.1:${inspectorPort}`, 'packages/server/dist/cli/main.js', '--demo'],
  {
    cwd: ROOT,
    env: { SIGHTLINE_PORT: String(port), SIGHTLINE_DATA_DIR: dataDir },
    ready: new RegExp(`127\\.0\\.0\\.1:${port}\\b`),
  },
);
const credentials = JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')) as {
  username: string;
  password: string;
};

/**
 * The customer presses "Get help" and the agent joins with the PIN. Playwright's own waits, not
 * vitest's: this runs outside the test runner.
 */
async function startSession(): Promise<{ customer: Page; agent: Page }> {
  const customer = await (await browser.newContext()).newPage();
  await customer.goto(`${url}/demo/`);
  await customer.click('#get-help');
  await customer.waitForFunction(() =>
    /\d{3} ?\d{3}/.test(document.querySelector('#sightline-pin')?.textContent ?? ''),
  );
  const pin = ((await customer.textContent('#sightline-pin')) ?? '').replace(/\D/g, '');
  const agent = await (await browser.newContext()).newPage();
  await agent.goto(`${url}/console/`);
  await agent.fill('#login-username', credentials.username);
  await agent.fill('#login-password', credentials.password);
  await agent.click('#login-submit');
  await agent.fill('#pin-input', pin);
  await agent.press('#pin-input', 'Enter');
  // The customer allows the agent from the keyboard: the prompt lives in a closed shadow root
  // that takes the focus (Deny first), so Tab then Enter presses Allow.
  await customer.waitForFunction(() => document.activeElement?.localName === 'sightline-ui');
  await customer.keyboard.press('Tab');
  await customer.keyboard.press('Enter');
  await agent.waitForFunction(
    () => document.querySelector('[data-testid="connection-status"]')?.textContent === 'live',
  );
  return { customer, agent };
}

/** How many items the mirrored soak list holds, read from the console page. */
async function mirroredItems(agent: Page): Promise<number | undefined> {
  return agent.evaluate(() => {
    const frame = document.querySelector<HTMLIFrameElement>('#mirror iframe');
    return frame?.contentDocument?.querySelector('#soak-list')?.childElementCount;
  });
}

const browser = await launchChromium();
try {
  const { customer, agent } = await startSession();

  // The churn runs inside the customer page, so the driver's own pace does not matter.
  await customer.evaluate((rate) => {
    const list = document.createElement('ul');
    list.id = 'soak-list';
    document.body.appendChild(list);
    const name = document.querySelector<HTMLInputElement>('#name');
    let tick = 0;
    setInterval(() => {
      tick += 1;
      const item = document.createElement('li');
      item.textContent = `Order ${tick}: ${'item '.repeat(tick % 7)}`;
      item.className = tick % 2 ? 'odd' : 'even';
      list.appendChild(item);
      if (list.children.length > 50) list.firstElementChild?.remove();
      document.title = `Shop (${tick})`;
      if (name) {
        name.value = `Customer ${tick % 1000}`;
        name.dispatchEvent(new Event('input', { bubbles: true }));
      }
    }, 1000 / rate);
  }, MUTATIONS_PER_SECOND);

  const samples: Array<{
    t: number;
    server: number;
    serverHeap: number;
    agent: number;
    customer: number;
  }> = [];
  const started = Date.now();
  const end = started + MINUTES * 60_000;
  while (Date.now() < end) {
    samples.push({
      t: (Date.now() - started) / 1000,
      server: rssMiB(server.pid ?? 0),
      serverHeap: await serverHeapMiB(inspectorPort),
      agent: await heapMiB(agent),
      customer: await heapMiB(customer),
    });
    const last = samples.at(-1);
    if (last) {
      console.log(
        `t=${last.t.toFixed(0)}s server RSS ${last.server.toFixed(1)} MiB, server heap ${last.serverHeap.toFixed(1)} MiB, agent heap ${last.agent.toFixed(1)} MiB, customer heap ${last.customer.toFixed(1)} MiB`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
  }
  // The mirror still follows at the end: the last mutation reached it.
  const mirrored = await mirroredItems(agent);
  const half = samples.slice(Math.floor(samples.length / 2));
  const first = samples[0];
  const midpoint = half[0];
  const last = samples.at(-1);
  if (!first || !midpoint || !last) throw new Error('no samples');
  const row = (label: string, key: 'server' | 'serverHeap' | 'agent' | 'customer') =>
    `| ${label} | ${first[key].toFixed(1)} | ${midpoint[key].toFixed(1)} | ${last[key].toFixed(1)} | ${(last[key] - midpoint[key]).toFixed(1)} |`;
  console.log(
    `\nsoak: ${MINUTES} min at ${MUTATIONS_PER_SECOND} mutations/s, ${samples.length} samples; mirror list holds ${mirrored} items\n`,
  );
  console.log('| MiB | start | half-way | end | growth over 2nd half |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(row('server RSS', 'server'));
  console.log(row('server JS heap', 'serverHeap'));
  console.log(row('agent page JS heap', 'agent'));
  console.log(row('customer page JS heap', 'customer'));
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
