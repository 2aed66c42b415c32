/**
 * Issue 5: the customer's annotation overlay in real Chromium, on a plain page, without a server
 * (the relay is covered by the server's tests and the full-stack annotation flows). The page runs
 * the SDK's real recorder, so elements have their rrweb ids and the test can read what would be
 * sent. Annotations arrive as relayed frames; the test measures the overlay's SVG against the
 * page's elements through the closed shadow root the harness keeps a handle on.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { Annotation, type AuthoredAnnotation } from '@sightline/protocol';
import { launchChromium } from './support/browser.js';
import type { Box } from '../packages/sdk/test/browser/overlay-page.js';

const ORIGIN = 'https://shop.test';
const JANE = { userId: 'agent-jane', userName: 'Jane Doe', role: 'agent' } as const;
const CUSTOMER = { userId: 'cust-1', userName: 'Cara Customer', role: 'customer' } as const;

const ITEMS = Array.from(
  { length: 20 },
  (_, i) => `<li class="item" id="item-${i}">Item ${i}</li>`,
);

const PAGE = `<!doctype html><html><head><title>Overlay</title><style>
  body { margin: 0; font: 16px/1.4 sans-serif; }
  header { height: 100px; background: #eef; }
  main { max-width: 900px; margin: 0 auto; padding: 16px; }
  #spacer { height: 500px; }
  #checkout { display: block; margin-left: auto; width: 200px; height: 48px; }
  #scroller { height: 120px; overflow: auto; border: 1px solid #999; }
  #scroller .inner { height: 600px; padding-top: 200px; }
  .tall { height: 3000px; }
</style></head><body>
<header>Shop</header>
<main>
  <div id="insert-here"></div>
  <ul id="items">${ITEMS.join('')}</ul>
  <div id="spacer"></div>
  <button id="checkout">Checkout</button>
  <output id="clicks">0</output>
  <div id="scroller"><div class="inner"><p id="deep">Deep item</p></div></div>
  <div class="tall"></div>
</main>
<script src="/overlay.js"></script>
<script>
  var clicks = 0;
  document.querySelector('#checkout').addEventListener('click', function () {
    document.querySelector('#clicks').textContent = String((clicks += 1));
  });
</script>
</body></html>`;

let browser: Browser;
let overlayJs: string;

beforeAll(async () => {
  const root = new URL('../', import.meta.url).pathname;
  const [launched, bundle] = await Promise.all([
    launchChromium(),
    build({
      entryPoints: [`${root}packages/sdk/test/browser/overlay-page.ts`],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      conditions: ['@sightline/source'],
      define: { __SIGHTLINE_VERSION__: '"test"' },
      logLevel: 'warning',
    }),
  ]);
  browser = launched;
  overlayJs = bundle.outputFiles[0]?.text ?? '';
});

afterAll(async () => {
  await browser?.close();
});

async function openPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/overlay.js') {
      return route.fulfill({ contentType: 'text/javascript', body: overlayJs });
    }
    return route.fulfill({ contentType: 'text/html', body: PAGE });
  });
  await page.goto(`${ORIGIN}/cart`);
  await page.evaluate(() => window.overlayHarness.start());
  // Everything that happens to the page from here on (the recorder's start, which adds and
  // removes a frame of its own, is done).
  await page.evaluate(() => {
    const changes: string[] = [];
    (window as unknown as { pageChanges: string[] }).pageChanges = changes;
    new MutationObserver((records) => {
      for (const record of records) {
        const own = [...record.addedNodes, ...record.removedNodes].every(
          (node) => (node as Element).localName === 'sightline-ui',
        );
        if (record.type === 'childList' && own) continue;
        changes.push(`${record.type} ${(record.target as Element).localName ?? '#text'}`);
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  return page;
}

async function id(page: Page, selector: string): Promise<number> {
  return page.evaluate((s) => window.overlayHarness.id(s), selector);
}

function drawn(item: AuthoredAnnotation) {
  return { type: 'annotation.drawn' as const, ...item };
}

async function annotate(page: Page, over: Partial<Annotation> & { nodeId: number }) {
  const annotation = Annotation.parse({
    id: 'r1',
    tool: 'rectangle',
    tabId: 'tab-1',
    points: [
      { x: -0.1, y: -0.25 },
      { x: 1.1, y: 1.25 },
    ],
    color: '#e5484d',
    width: 4,
    ...over,
  });
  await page.evaluate(
    (frame) => window.overlayHarness.apply(frame),
    drawn({ annotation, author: JANE }),
  );
  return annotation;
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

/** Waits until annotation `annotationId` is drawn where `expected(element box)` says. */
async function expectOn(page: Page, annotationId: string, selector: string, fx = 0.1, fy = 0.25) {
  await vi.waitFor(
    async () => {
      const [shape, element] = await page.evaluate(
        ([a, s]) => [window.overlayHarness.shapeBox(a), window.overlayHarness.box(s)] as const,
        [annotationId, selector] as const,
      );
      expect(shape).not.toBeNull();
      const want = around(element, fx, fy);
      for (const side of ['left', 'top', 'right', 'bottom'] as const) {
        expect(Math.abs((shape as Box)[side] - want[side])).toBeLessThanOrEqual(1);
      }
      // It covers the element.
      expect((shape as Box).left).toBeLessThan(element.left);
      expect((shape as Box).bottom).toBeGreaterThan(element.bottom);
    },
    { timeout: 2_000, interval: 20 },
  );
}

describe('the customer overlay', () => {
  it('keeps a rectangle drawn on an element on it through scrolling, resizing and reflow', async () => {
    const page = await openPage();
    const checkout = await id(page, '#checkout');
    await annotate(page, { nodeId: checkout });
    await expectOn(page, 'r1', '#checkout');

    const before = await page.evaluate(() => window.overlayHarness.box('#checkout'));
    await page.mouse.wheel(0, 400);
    await vi.waitFor(async () => {
      const moved = await page.evaluate(() => window.overlayHarness.box('#checkout'));
      expect(moved.top).toBeLessThan(before.top - 300);
    });
    await expectOn(page, 'r1', '#checkout');

    // Narrower than the page's column: the right-aligned button moves left.
    await page.setViewportSize({ width: 700, height: 600 });
    await vi.waitFor(async () => {
      const moved = await page.evaluate(() => window.overlayHarness.box('#checkout'));
      expect(moved.left).toBeLessThan(before.left - 100);
    });
    await expectOn(page, 'r1', '#checkout');

    await page.evaluate(() => {
      const block = document.createElement('div');
      block.style.height = '150px';
      document.querySelector('#insert-here')?.append(block);
    });
    await expectOn(page, 'r1', '#checkout');
    await page.context().close();
  });

  it('follows an element inside a scroller, and hides an annotation while its element is gone', async () => {
    const page = await openPage();
    await annotate(page, { id: 'deep', nodeId: await id(page, '#deep') });
    await page.evaluate(() => document.querySelector('#deep')?.scrollIntoView({ block: 'center' }));
    await expectOn(page, 'deep', '#deep');
    await page.evaluate(() => document.querySelector('#scroller')?.scrollBy(0, 60));
    await expectOn(page, 'deep', '#deep');

    await annotate(page, { nodeId: await id(page, '#checkout') });
    const checkout = await page.evaluateHandle(() => document.querySelector('#checkout'));
    await page.evaluate((button) => button?.remove(), checkout);
    await vi.waitFor(async () => {
      expect(await page.evaluate(() => window.overlayHarness.shapeBox('r1'))).toBeNull();
    });
    expect(
      await page.evaluate(() => window.overlayHarness.list().map((i) => i.annotation.id)),
    ).toEqual(['deep', 'r1']);
    await page.evaluate((button) => {
      if (button) document.querySelector('#spacer')?.after(button);
    }, checkout);
    await page.evaluate(() =>
      document.querySelector('#checkout')?.scrollIntoView({ block: 'center' }),
    );
    await expectOn(page, 'r1', '#checkout');
    await page.context().close();
  });
});

describe('what the overlay draws', () => {
  it('draws every tool with its author named, a spotlight darkening all but its region', async () => {
    const page = await openPage();
    const checkout = await id(page, '#checkout');
    const line = [
      { x: 0, y: 0.5 },
      { x: 0.5, y: 0.8 },
      { x: 1, y: 0.5 },
    ];
    await annotate(page, { id: 'pen', tool: 'pen', nodeId: checkout, points: line });
    await annotate(page, { id: 'ellipse', tool: 'ellipse', nodeId: checkout });
    await annotate(page, {
      id: 'arrow',
      tool: 'arrow',
      nodeId: checkout,
      points: line.slice(0, 2),
    });
    await annotate(page, {
      id: 'text',
      tool: 'text',
      nodeId: checkout,
      points: [{ x: 0, y: 1.5 }],
      text: 'Press here',
    });
    await annotate(page, { id: 'spot', tool: 'spotlight', nodeId: checkout });
    await page.evaluate(() =>
      document.querySelector('#checkout')?.scrollIntoView({ block: 'center' }),
    );
    await vi.waitFor(async () => {
      for (const each of ['pen', 'ellipse', 'arrow', 'text', 'spot']) {
        expect(await page.evaluate((a) => window.overlayHarness.shapeBox(a), each)).not.toBeNull();
      }
    });
    expect(await page.evaluate(() => window.overlayHarness.overlayText())).toContain('Press here');
    expect(await page.evaluate(() => window.overlayHarness.overlayText())).toContain('Jane Doe');
    const { shown, holes } = await page.evaluate(() => window.overlayHarness.dimming());
    expect(shown).toBe(true);
    const button = await page.evaluate(() => window.overlayHarness.box('#checkout'));
    expect(holes).toHaveLength(1);
    const want = around(button, 0.1, 0.25);
    expect(Math.abs(holes[0]!.left - want.left)).toBeLessThanOrEqual(1);
    expect(Math.abs(holes[0]!.bottom - want.bottom)).toBeLessThanOrEqual(1);

    await page.evaluate(
      (by) => window.overlayHarness.apply({ type: 'annotation.erased', ids: ['spot'], by }),
      JANE,
    );
    expect(await page.evaluate(() => window.overlayHarness.dimming().shown)).toBe(false);
    await page.context().close();
  });

  it('shows a cursor ring and a laser with their owner, until they leave or fade', async () => {
    const page = await openPage();
    const checkout = await id(page, '#checkout');
    const sam = { userId: 'agent-sam', userName: 'Sam Lee', role: 'agent' as const };
    const move = (kind: 'cursor' | 'laser', author: typeof JANE | typeof sam, at?: number) =>
      page.evaluate((frame) => window.overlayHarness.apply(frame), {
        type: 'pointer.moved' as const,
        kind,
        tabId: 'tab-1',
        author,
        ...(at === undefined ? {} : { nodeId: checkout, at: { x: at, y: 0.5 } }),
      });
    await move('cursor', JANE, 0.5);
    await move('laser', sam, 0.2);
    await move('laser', sam, 0.4);
    await vi.waitFor(async () => {
      const text = await page.evaluate(() => window.overlayHarness.overlayText());
      expect(text).toContain('Jane Doe');
      expect(text).toContain('Sam Lee');
    });
    await move('cursor', JANE);
    // The cursor left at once; the laser fades by itself shortly after its last move.
    await vi.waitFor(
      async () => {
        const text = await page.evaluate(() => window.overlayHarness.overlayText());
        expect(text).not.toContain('Jane Doe');
        expect(text).not.toContain('Sam Lee');
      },
      { timeout: 2_000, interval: 50 },
    );
    await page.context().close();
  });

  it('lets a vanishing-pen stroke fade and drops it after about 4 s', async () => {
    const page = await openPage();
    const started = Date.now();
    await annotate(page, { id: 'v1', tool: 'vanishing_pen', nodeId: await id(page, '#items') });
    await annotate(page, { id: 'kept', tool: 'pen', nodeId: await id(page, '#items') });
    await page.waitForTimeout(3_000);
    expect(await page.evaluate(() => window.overlayHarness.inDom('v1'))).toBe(true);
    await vi.waitFor(
      async () => {
        const ids = await page.evaluate(() =>
          window.overlayHarness.list().map((i) => i.annotation.id),
        );
        expect(ids).toEqual(['kept']);
        expect(await page.evaluate(() => window.overlayHarness.inDom('v1'))).toBe(false);
      },
      { timeout: 3_000, interval: 50 },
    );
    const gone = Date.now() - started;
    expect(gone).toBeGreaterThanOrEqual(3_900);
    // Polling and a busy two-core machine add to the upper bound, not to the lower.
    expect(gone).toBeLessThan(6_000);
    await page.context().close();
  });
});

describe('the overlay and the page', () => {
  it('is never captured, never changes the page, and lets clicks through', async () => {
    const page = await openPage();
    const bodyBefore = await page.evaluate(() => document.body.innerHTML);
    await annotate(page, { nodeId: await id(page, '#checkout') });
    await annotate(page, {
      id: 'label',
      tool: 'text',
      nodeId: await id(page, '#checkout'),
      points: [{ x: 0, y: 0 }],
      text: 'Secret note',
    });
    await page.evaluate(() =>
      document.querySelector('#checkout')?.scrollIntoView({ block: 'center' }),
    );
    await expectOn(page, 'r1', '#checkout');
    expect(await page.evaluate(() => document.body.innerHTML)).toBe(bodyBefore);
    expect(
      await page.evaluate(() => (window as unknown as { pageChanges: string[] }).pageChanges),
    ).toEqual([]);
    // Give the recorder a moment to emit what the drawing might have caused.
    await page.waitForTimeout(200);
    const events = await page.evaluate(() => window.overlayHarness.events);
    const sent = JSON.stringify(events);
    expect(sent).not.toContain('Jane Doe');
    expect(sent).not.toContain('Secret note');
    expect(sent).not.toContain('sl-annotations');
    // The host appears as the SDK's own empty placeholder, nothing in it, no style.
    const hosts: { id: number; childNodes?: unknown[]; attributes: Record<string, unknown> }[] = [];
    const walk = (node: { tagName?: string; childNodes?: unknown[]; id: number }) => {
      if (node.tagName === 'sightline-ui') hosts.push(node as never);
      node.childNodes?.forEach((child) => walk(child as never));
    };
    for (const event of events as { type: number; data: Record<string, unknown> }[]) {
      if (event.type === 2) walk((event.data as { node: never }).node);
      if (event.type === 3) {
        for (const add of (event.data as { adds?: { node: never }[] }).adds ?? []) walk(add.node);
      }
    }
    expect(hosts.length).toBeGreaterThan(0);
    for (const host of hosts) {
      expect(host.childNodes ?? []).toEqual([]);
      expect(Object.keys(host.attributes).sort()).not.toContain('style');
    }
    const hostIds = new Set(hosts.map((host) => host.id));
    for (const event of events as { type: number; data: { adds?: { parentId: number }[] } }[]) {
      for (const add of event.type === 3 ? (event.data.adds ?? []) : []) {
        expect(hostIds.has(add.parentId)).toBe(false);
      }
    }

    // Clicks go through the overlay to the page.
    await page.click('#checkout');
    expect(await page.textContent('#clicks')).toBe('1');
    await page.evaluate(() => window.overlayHarness.dispose());
    expect(await page.evaluate(() => document.querySelectorAll('sightline-ui').length)).toBe(0);
    await page.context().close();
  });

  it("turns the customer's own drag into an anchored annotation, and Escape gives the page back", async () => {
    const page = await openPage();
    await page.evaluate(() =>
      document.querySelector('#checkout')?.scrollIntoView({ block: 'center' }),
    );
    await page.evaluate(
      (author) => window.overlayHarness.startDrawing('rectangle', author),
      CUSTOMER,
    );
    const button = await page.evaluate(() => window.overlayHarness.box('#checkout'));
    await page.mouse.move(button.left - 12, button.top - 10);
    await page.mouse.down();
    await page.mouse.move(button.left + 40, button.top + 10, { steps: 4 });
    await page.mouse.move(button.right + 12, button.bottom + 10, { steps: 4 });
    await page.mouse.up();
    const sent = await page.evaluate(() => window.overlayHarness.sent);
    expect(sent).toHaveLength(1);
    const frame = sent[0]!;
    expect(frame.type).toBe('annotation.draw');
    if (frame.type !== 'annotation.draw') return;
    const annotation = Annotation.parse(frame.annotation);
    expect(annotation).toMatchObject({ tool: 'rectangle', tabId: 'tab-1', color: '#0b63ce' });
    expect(annotation.nodeId).toBe(await id(page, '#checkout'));
    // Shown to the customer at once, with their name.
    await vi.waitFor(async () => {
      expect(
        await page.evaluate((a) => window.overlayHarness.shapeBox(a), annotation.id),
      ).not.toBeNull();
    });
    expect(await page.evaluate(() => window.overlayHarness.overlayText())).toContain(
      'Cara Customer',
    );
    // The drawing surface took the pointer: the page saw no click.
    await page.mouse.click((button.left + button.right) / 2, (button.top + button.bottom) / 2);
    expect(await page.textContent('#clicks')).toBe('0');

    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => window.overlayHarness.ended)).toBe(1);
    await page.click('#checkout');
    expect(await page.textContent('#clicks')).toBe('1');
    await page.context().close();
  });

  it('lays out 20 annotations with one box read per anchor each frame', async () => {
    const page = await openPage();
    for (let i = 0; i < 20; i += 1) {
      await annotate(page, {
        id: `item-${i}`,
        tool: i % 2 ? 'rectangle' : 'pen',
        nodeId: await id(page, `#item-${i}`),
      });
    }
    const cost = await page.evaluate(() => window.overlayHarness.timeLayouts(300));
    // One read per anchor element, plus the layer's own container.
    expect(cost.boxReads).toBe(21);
    await page.context().close();
  });
});
