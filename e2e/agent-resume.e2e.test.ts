/**
 * Issue 3, "agent drops", in real Chromium: the console's own socket is killed while the customer
 * types, the console says it is reconnecting, then live, and the mirror ends with every keystroke
 * in order without ever going blank: the same replay frame shows the page throughout (sampled in
 * the console page every few milliseconds), because the agent resumes instead of rebuilding.
 *
 * The console's sockets run through a route standing in for the network. A dead network is both
 * ends closing; a half-open one is the page's end closing while the server's end stays open, so
 * the reconnect races its own stale socket, takes it over (1015 to the stale one) and is sent
 * only the batches it lacks.
 */
import { describe, expect, it } from 'vitest';
import type { Page, WebSocketRoute } from 'playwright-core';
import { decodeBinaryFrame } from '@sightline/protocol';
import {
  agentJoins,
  customerAsksForHelp,
  expectMirroredName,
  expectStatus,
} from './support/flows.js';
import { useStack } from './support/stack.js';

const stack = useStack();

/** One console socket through the route, with every frame each way. */
interface RoutedSocket {
  page: WebSocketRoute;
  server: WebSocketRoute;
  /** Text frames the console sent, parsed. */
  sent: Record<string, unknown>[];
  /** Frames the server sent: text parsed, `dom.batch` as its header. */
  received: { text?: Record<string, unknown>; batch?: { seq: number; full: boolean } }[];
  /** The page's end was cut: what the server sends now goes nowhere. */
  cut: boolean;
  /** How many of `received` reached the console before the cut. */
  delivered: number;
}

/** The highest batch seq among the first `count` frames received. */
function lastSeqOf(socket: RoutedSocket | undefined, count = socket?.received.length): number {
  const seqs = socket?.received.slice(0, count).flatMap((f) => f.batch?.seq ?? []) ?? [];
  return Math.max(0, ...seqs);
}

/** Routes the console's sockets through a "network" the test can take down. */
function consoleNetwork(page: Page) {
  const sockets: RoutedSocket[] = [];
  let down = false;
  const ready = page.routeWebSocket(/\/ws/, (ws) => {
    if (down) {
      void ws.close({ code: 1001, reason: 'offline' });
      return;
    }
    const server = ws.connectToServer();
    const routed: RoutedSocket = {
      page: ws,
      server,
      sent: [],
      received: [],
      cut: false,
      delivered: 0,
    };
    sockets.push(routed);
    ws.onMessage((message) => {
      if (typeof message === 'string') routed.sent.push(JSON.parse(message) as never);
      if (!routed.cut) server.send(message);
    });
    server.onMessage((message) => {
      if (typeof message === 'string') {
        routed.received.push({ text: JSON.parse(message) as Record<string, unknown> });
      } else {
        const header = decodeBinaryFrame(new Uint8Array(message))?.header as
          { seq: number; full: boolean } | undefined;
        if (header) routed.received.push({ batch: { seq: header.seq, full: header.full } });
      }
      if (routed.cut) return;
      ws.send(message);
      routed.delivered = routed.received.length;
    });
    // Each end's close is forwarded only while the "network" is up.
    ws.onClose((code, reason) => {
      if (!routed.cut) void server.close({ code, reason });
    });
    server.onClose((code, reason) => {
      if (!routed.cut) void ws.close({ code, reason });
    });
  });
  return {
    ready,
    sockets,
    /** Takes the network down: the console's socket drops; the server's end too unless `halfOpen`. */
    async cut({ halfOpen = false } = {}) {
      down = true;
      const current = sockets.at(-1);
      if (!current) throw new Error('no console socket yet');
      current.cut = true;
      if (!halfOpen) await current.server.close();
      await current.page.close({ code: 1001, reason: 'offline' });
    },
    restore() {
      down = false;
    },
  };
}

/**
 * Samples the mirror in the console page every 4 ms, from now on: whether the replay frame is the
 * one shown now (marked here) and shows the page, and every value of `#name` it shows.
 */
async function sampleMirror(agent: Page): Promise<void> {
  await agent.evaluate(() => {
    const frame = document.querySelector('#mirror iframe') as
      (HTMLIFrameElement & { e2eMark?: boolean }) | null;
    if (!frame) throw new Error('no mirror frame');
    frame.e2eMark = true;
    const state = { samples: 0, blank: 0, otherFrame: 0, names: [] as string[] };
    (window as unknown as { e2eMirror: typeof state }).e2eMirror = state;
    setInterval(() => {
      state.samples += 1;
      const now = document.querySelector('#mirror iframe') as typeof frame;
      if (now !== frame || !now.e2eMark) state.otherFrame += 1;
      const name = now?.contentDocument?.querySelector<HTMLInputElement>('#name');
      if (!name) {
        state.blank += 1;
        return;
      }
      if (name.value !== state.names.at(-1)) state.names.push(name.value);
    }, 4);
  });
}

async function mirrorSamples(agent: Page) {
  return agent.evaluate(
    () =>
      (
        window as unknown as {
          e2eMirror: { samples: number; blank: number; otherFrame: number; names: string[] };
        }
      ).e2eMirror,
  );
}

/** The customer's page and a console watching it, with its sockets routed; `before ` typed. */
async function watchedPage() {
  const { page: customer } = await customerAsksForHelp(stack.browser, stack.server);
  let network: ReturnType<typeof consoleNetwork> | undefined;
  const agent = await agentJoins(
    stack.browser,
    stack.server,
    await pinOf(customer),
    customer,
    stack.server.agent,
    (page) => {
      network = consoleNetwork(page);
    },
  );
  if (!network) throw new Error('the console page was not routed');
  await network.ready;
  await customer.fill('#name', '');
  await customer.type('#name', 'before ');
  await expectMirroredName(agent, 'before ', 5_000);
  await sampleMirror(agent);
  return { customer, agent, network };
}

async function pinOf(customer: Page): Promise<string> {
  return ((await customer.textContent('#sightline-pin')) ?? '').replace(/\D/g, '');
}

/** Every value the mirror showed was a prefix of the next, and the last is `full`. */
function expectKeystrokesInOrder(names: string[], full: string): void {
  expect(names.at(-1)).toBe(full);
  for (const [index, value] of names.entries()) {
    expect(full.startsWith(value), `mirror showed "${value}"`).toBe(true);
    if (index > 0) expect(value.length).toBeGreaterThanOrEqual(names[index - 1]!.length);
  }
}

describe('the agent’s socket drops', () => {
  it('reconnects and resumes: every keystroke, in order, and the mirror never goes blank', async () => {
    const { customer, agent, network } = await watchedPage();
    const full = 'before while away 123';

    await network.cut();
    await expectStatus(agent, 'reconnecting');
    await customer.type('#name', 'while away 123', { delay: 20 });
    network.restore();

    await expectStatus(agent, 'live');
    await expectMirroredName(agent, full);
    const samples = await mirrorSamples(agent);
    expect(samples.samples).toBeGreaterThan(50);
    expect(samples.blank).toBe(0);
    expect(samples.otherFrame).toBe(0);
    expectKeystrokesInOrder(samples.names, full);

    // The rejoin said what the mirror held, and the server resumed the tab.
    const [before, after] = network.sockets;
    const lastSeq = lastSeqOf(before, before?.delivered);
    expect(lastSeq).toBeGreaterThan(0);
    const hello = after?.sent[0] as { resumeFrom?: Record<string, number> } | undefined;
    const [tabId] = Object.keys(hello?.resumeFrom ?? {});
    expect(hello?.resumeFrom).toEqual({ [tabId!]: lastSeq });
    const welcome = after?.received[0]?.text as { type?: string; resumed?: string[] } | undefined;
    expect(welcome).toMatchObject({ type: 'session.welcome', resumed: [tabId] });
  });

  it('takes over its stale socket and is sent only the batches it missed', async () => {
    const { customer, agent, network } = await watchedPage();
    const full = 'before half open';

    await network.cut({ halfOpen: true });
    await expectStatus(agent, 'reconnecting');
    // The server still counts the agent as watching: the customer keeps sending the page.
    await customer.type('#name', 'half open', { delay: 20 });
    network.restore();

    await expectStatus(agent, 'live');
    await expectMirroredName(agent, full);
    const samples = await mirrorSamples(agent);
    expect(samples.blank).toBe(0);
    expect(samples.otherFrame).toBe(0);
    expectKeystrokesInOrder(samples.names, full);

    const [stale, after] = network.sockets;
    // The stale socket was told it was taken over, and closed.
    const staleTexts = stale?.received.flatMap((f) => (f.text ? [f.text] : [])) ?? [];
    expect(staleTexts.at(-1)).toMatchObject({ type: 'session.error', code: 1015 });
    // The console had seq `seen` when its end was cut: the new socket resumes right after it, with
    // the keystrokes typed meanwhile and no full snapshot, each seq once.
    const seen = lastSeqOf(stale, stale?.delivered);
    const hello = after?.sent[0] as { resumeFrom?: Record<string, number> } | undefined;
    expect(Object.values(hello?.resumeFrom ?? {})).toEqual([seen]);
    const welcome = after?.received[0]?.text as { resumed?: string[] } | undefined;
    expect(welcome?.resumed).toEqual(Object.keys(hello?.resumeFrom ?? {}));
    const batches = after?.received.flatMap((f) => (f.batch ? [f.batch] : [])) ?? [];
    expect(lastSeqOf(stale)).toBeGreaterThan(seen);
    expect(batches.map((b) => b.seq)).toEqual(batches.map((_, i) => seen + 1 + i));
    expect(batches.every((b) => !b.full)).toBe(true);
  });
});
