/**
 * Issue 5: annotations in the agent's mirror land where they do on the customer's page, in real
 * Chromium, without a server. The customer page runs the SDK's recorder and overlay
 * (`overlay-page.ts`); the agent page runs the agent SDK's real mirror, scaled to fit a smaller
 * stage, with the annotation layer over it (`mirror-annotations-page.ts`). The test carries the
 * recorded events from one to the other as the server would relay them.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { build, type BuildOptions } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { Annotation } from '@sightline/protocol';
import { launchChromium } from './support/browser.js';
import type { Box } from '../packages/agent/test/browser/mirror-annotations-page.js';

const JANE = { userId: 'agent-jane', userName: 'Jane Doe', role: 'agent' } as const;

const PAGE = `<!doctype html><html><head><title>Shop</title><style>
  body { margin: 0; font: 16px/1.4 sans-serif; }
  main { max-width: 900px; margin: 0 auto; padding: 16px; }
  #spacer { height: 500px; }
  #checkout { display: block; margin-left: auto; width: 200px; height: 48px; }
  .tall { height: 3000px; }
</style></head><body>
<main><h1>Cart</h1><div id="spacer"></div><button id="checkout">Checkout</button>
<div class="tall"></div></main>
<script src="/overlay.js"></script>
</body></html>`;

let browser: Browser;
let overlayJs: string;
let mirrorJs: string;
let mirrorCss: string;

beforeAll(async () => {
  const root = new URL('../', import.meta.url).pathname;
  const common: BuildOptions & { write: false } = {
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@sightline/source'],
    define: { __SIGHTLINE_VERSION__: '"test"' },
    logLevel: 'warning',
  };
  const [launched, overlay, mirror] = await Promise.all([
    launchChromium(),
    build({ ...common, entryPoints: [`${root}packages/sdk/test/browser/overlay-page.ts`] }),
    build({
      ...common,
      entryPoints: [`${root}packages/agent/test/browser/mirror-annotations-page.ts`],
      // The mirror's stylesheets come out beside the script.
      outdir: `${root}node_modules/.cache/annotation-mirror`,
    }),
  ]);
  browser = launched;
  overlayJs = overlay.outputFiles?.[0]?.text ?? '';
  mirrorJs = mirror.outputFiles?.find((file) => file.path.endsWith('.js'))?.text ?? '';
  mirrorCss = mirror.outputFiles?.find((file) => file.path.endsWith('.css'))?.text ?? '';
});

afterAll(async () => {
  await browser?.close();
});

async function customerPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  await page.route('https://shop.test/**', (route) =>
    route.request().url().endsWith('/overlay.js')
      ? route.fulfill({ contentType: 'text/javascript', body: overlayJs })
      : route.fulfill({ contentType: 'text/html', body: PAGE }),
  );
  await page.goto('https://shop.test/cart');
  await page.evaluate(() => window.overlayHarness.start());
  return page;
}

async function agentPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  await page.route('https://console.test/**', (route) =>
    route.request().url().endsWith('/mirror.js')
      ? route.fulfill({ contentType: 'text/javascript', body: mirrorJs })
      : route.fulfill({
          contentType: 'text/html',
          body: `<!doctype html><html><head><style>${mirrorCss}</style></head><body style="margin:0"><script src="/mirror.js"></script></body></html>`,
        }),
  );
  await page.goto('https://console.test/');
  await page.evaluate(() => window.mirrorHarness.start(800, 500));
  return page;
}

/** Relays what the customer page recorded since the last call to the agent's mirror. */
function relay(customer: Page, agent: Page) {
  let sent = 0;
  return async (): Promise<void> => {
    const events = await customer.evaluate(() => window.overlayHarness.events);
    const fresh: unknown[] = events.slice(sent);
    if (fresh.length === 0) return;
    const full = sent === 0;
    sent = events.length;
    await agent.evaluate(([e, f]) => window.mirrorHarness.feed(e as never, f), [
      fresh,
      full,
    ] as const);
  };
}

/** `box` grown by fractions of its size, as the rectangle's anchored corners name it. */
function around(box: Box, fx: number, fy: number): Box {
  const w = box.right - box.left;
  const h = box.bottom - box.top;
  return {
    left: box.left - fx * w,
    top: box.top - fy * h,
    right: box.right + fx * w,
    bottom: box.bottom + fy * h,
  };
}

async function expectOnMirrored(agent: Page, annotationId: string, selector: string) {
  await vi.waitFor(
    async () => {
      const [shape, element] = await agent.evaluate(
        ([a, s]) => [window.mirrorHarness.shapeBox(a), window.mirrorHarness.elementBox(s)] as const,
        [annotationId, selector] as const,
      );
      expect(shape).not.toBeNull();
      const want = around(element, 0.1, 0.25);
      for (const side of ['left', 'top', 'right', 'bottom'] as const) {
        expect(Math.abs((shape as Box)[side] - want[side])).toBeLessThanOrEqual(1);
      }
    },
    { timeout: 3_000, interval: 25 },
  );
}

describe("annotations in the agent's mirror", () => {
  it('sit on the mirrored element, scaled, through the customer scrolling and both resizing', async () => {
    const [customer, agent] = await Promise.all([customerPage(), agentPage()]);
    const send = relay(customer, agent);
    await vi.waitFor(async () => {
      await send();
      expect(await agent.evaluate(() => window.mirrorHarness.has('#checkout'))).toBe(true);
    });
    const checkout = await customer.evaluate(() => window.overlayHarness.id('#checkout'));
    expect(await agent.evaluate(() => window.mirrorHarness.id('#checkout'))).toBe(checkout);
    const annotation = Annotation.parse({
      id: 'r1',
      tool: 'rectangle',
      tabId: 'tab-1',
      nodeId: checkout,
      points: [
        { x: -0.1, y: -0.25 },
        { x: 1.1, y: 1.25 },
      ],
      color: '#e5484d',
      width: 4,
    });
    await agent.evaluate((frame) => window.mirrorHarness.apply(frame), {
      type: 'annotation.drawn' as const,
      annotation,
      author: JANE,
    });
    await expectOnMirrored(agent, 'r1', '#checkout');
    // The mirror is smaller than the customer's viewport: the rectangle is scaled with it.
    const mirrored = await agent.evaluate(() => window.mirrorHarness.elementBox('#checkout'));
    expect(mirrored.right - mirrored.left).toBeLessThan(150);

    const before = mirrored.top;
    await customer.mouse.wheel(0, 400);
    await vi.waitFor(async () => {
      await send();
      const now = await agent.evaluate(() => window.mirrorHarness.elementBox('#checkout'));
      expect(now.top).toBeLessThan(before - 150);
    });
    await expectOnMirrored(agent, 'r1', '#checkout');

    await agent.evaluate(() => window.mirrorHarness.resize(500, 400));
    await expectOnMirrored(agent, 'r1', '#checkout');

    const left = (await agent.evaluate(() => window.mirrorHarness.elementBox('#checkout'))).left;
    await customer.setViewportSize({ width: 700, height: 600 });
    await vi.waitFor(async () => {
      await send();
      const now = await agent.evaluate(() => window.mirrorHarness.elementBox('#checkout'));
      expect(Math.abs(now.left - left)).toBeGreaterThan(10);
    });
    await expectOnMirrored(agent, 'r1', '#checkout');
    await Promise.all([customer.context().close(), agent.context().close()]);
  });

  it("turns the agent's drag on the mirror into an annotation the customer sees on the real element", async () => {
    const [customer, agent] = await Promise.all([customerPage(), agentPage()]);
    const send = relay(customer, agent);
    await vi.waitFor(async () => {
      await send();
      expect(await agent.evaluate(() => window.mirrorHarness.has('#checkout'))).toBe(true);
    });
    await agent.evaluate((author) => window.mirrorHarness.startSketch('rectangle', author), JANE);
    const button = await agent.evaluate(() => window.mirrorHarness.elementBox('#checkout'));
    await agent.mouse.move(button.left - 6, button.top - 5);
    await agent.mouse.down();
    await agent.mouse.move(button.right + 6, button.bottom + 5, { steps: 6 });
    await agent.mouse.up();
    const drawn = await agent.evaluate(() => window.mirrorHarness.drawn);
    expect(drawn).toHaveLength(1);
    const annotation = Annotation.parse(drawn[0]);
    expect(annotation.nodeId).toBe(
      await customer.evaluate(() => window.overlayHarness.id('#checkout')),
    );
    // Shown at once in the mirror, where it was drawn.
    await vi.waitFor(async () => {
      const shape = await agent.evaluate((a) => window.mirrorHarness.shapeBox(a), annotation.id);
      expect(shape).not.toBeNull();
      expect(Math.abs((shape as Box).left - (button.left - 6))).toBeLessThanOrEqual(1.5);
    });
    // The eraser on its outline removes it here and reports it; undo draws it back.
    await agent.evaluate((author) => window.mirrorHarness.startSketch('eraser', author), JANE);
    await agent.mouse.click(button.left - 6, (button.top + button.bottom) / 2);
    expect(await agent.evaluate(() => window.mirrorHarness.erased)).toEqual([annotation.id]);
    expect(await agent.evaluate((a) => window.mirrorHarness.shapeBox(a), annotation.id)).toBeNull();
    expect(await agent.evaluate((author) => window.mirrorHarness.undo(author), JANE)).toEqual([
      'annotation.draw',
    ]);
    await vi.waitFor(async () => {
      expect(
        await agent.evaluate((a) => window.mirrorHarness.shapeBox(a), annotation.id),
      ).not.toBeNull();
    });

    // The customer's overlay puts it around the real button, at the customer's scale.
    await customer.evaluate((frame) => window.overlayHarness.apply(frame), {
      type: 'annotation.drawn' as const,
      annotation,
      author: JANE,
    });
    await vi.waitFor(async () => {
      const [shape, real] = await customer.evaluate(
        (a) => [window.overlayHarness.shapeBox(a), window.overlayHarness.box('#checkout')] as const,
        annotation.id,
      );
      expect(shape).not.toBeNull();
      expect((shape as Box).left).toBeLessThan(real.left);
      expect((shape as Box).right).toBeGreaterThan(real.right);
      expect((shape as Box).top).toBeLessThan(real.top);
      expect((shape as Box).bottom).toBeGreaterThan(real.bottom);
      // About 6 mirror px around it, scaled up to the customer's page.
      expect(real.left - (shape as Box).left).toBeLessThan(15);
    });
    await Promise.all([customer.context().close(), agent.context().close()]);
  });
});
