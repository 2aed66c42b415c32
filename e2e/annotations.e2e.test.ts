/**
 * Issue 5, annotations from the console to the customer, with the demo shop and the real server:
 * drawing waits for Guide mode and says so; the agent's rectangle around the shop's Checkout
 * button covers it on the customer's page, after the customer scrolls and after the window is
 * resized, and over the agent's mirror; a second agent sees it with its author's name; the
 * vanishing pen fades after about 4 s; Clear all clears it for everyone, and Undo brings it back.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import {
  dragOn,
  mirrorBoxOf,
  mirrorShapes,
  overlayShapes,
  pageBoxOf,
  surrounds,
  type Box,
  type DrawnShape,
} from './support/annotations.js';
import { expectMode, watched, type Watched } from './support/control-flows.js';
import {
  agentAsksToJoin,
  customerAllows,
  customerScrollsTo,
  expectStatus,
  waitForDialog,
} from './support/flows.js';
import { useStack } from './support/stack.js';

const stack = useStack();
const often = { timeout: 10_000, interval: 50 };
const CHECKOUT = '#go-to-checkout';

/** The agent asks for Guide in the console and the customer allows it in the SDK's prompt. */
async function guided(w: Watched): Promise<void> {
  await w.agent.click('[data-testid="mode-guided"]');
  await waitForDialog(w.customer, 'Demo Agent (Support) asks to point and draw on this page');
  await customerAllows(w.customer);
  await expectMode(w.agent, 'Guide');
}

/** Waits until the mirror shows `selector` where it stays put, and returns its console box. */
async function steadyMirrorBox(agent: Page, selector: string): Promise<Box> {
  return vi.waitFor(async () => {
    const found = await mirrorBoxOf(agent, selector);
    expect(found, `${selector} in the mirror`).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await mirrorBoxOf(agent, selector)).toEqual(found);
    return found as Box;
  }, often);
}

/** The agent drags a box `pad` px larger than the mirror's `selector` on every side. */
async function dragAround(agent: Page, selector: string, pad = 10): Promise<void> {
  const box = await steadyMirrorBox(agent, selector);
  await dragOn(
    agent,
    { x: box.left - pad, y: box.top - pad },
    { x: box.left + box.width + pad, y: box.top + box.height + pad },
  );
}

/** Waits until the customer's overlay shows exactly one annotation, and returns it. */
async function theOverlayShape(customer: Page): Promise<DrawnShape> {
  return vi.waitFor(async () => {
    const shapes = await overlayShapes(customer);
    expect(shapes).toHaveLength(1);
    return shapes[0] as DrawnShape;
  }, often);
}

/** Waits until the customer's overlay shape covers the page's `selector`. */
async function expectCoveredOnPage(customer: Page, selector: string, when: string): Promise<void> {
  await vi.waitFor(async () => {
    const [shape] = await overlayShapes(customer);
    const target = await pageBoxOf(customer, selector);
    expect(shape, `the overlay shows the rectangle ${when}`).toBeDefined();
    expect(surrounds((shape as DrawnShape).box, target), JSON.stringify({ shape, target })).toBe(
      true,
    );
  }, often);
}

/** Waits until a mirror's shape covers the mirror's `selector`. */
async function expectCoveredInMirror(
  agent: Page,
  selector: string,
  when: string,
): Promise<DrawnShape> {
  return vi.waitFor(async () => {
    const [shape] = await mirrorShapes(agent);
    const target = await mirrorBoxOf(agent, selector);
    expect(shape, `the mirror shows the rectangle ${when}`).toBeDefined();
    expect(target).toBeDefined();
    expect(
      surrounds((shape as DrawnShape).box, target as Box),
      JSON.stringify({ shape, target }),
    ).toBe(true);
    return shape as DrawnShape;
  }, often);
}

describe('annotations from the console', () => {
  it('waits for Guide, then the rectangle stays on Checkout for the customer and both agents', async () => {
    const w = await watched(stack);
    await w.customer.evaluate(() => window.scrollTo(0, 0));

    // A drawing tool in view_only draws nothing, and the toolbar says why.
    await w.agent.click('[data-testid="tool-rectangle"]');
    expect(await w.agent.textContent('[data-testid="drawing-unavailable"]')).toBe(
      'Drawing needs Guide mode: ask the customer with Guide (2).',
    );
    expect(await w.agent.locator('[data-testid="mirror-sketch"]').count()).toBe(0);

    await guided(w);
    expect(await w.agent.locator('[data-testid="drawing-unavailable"]').count()).toBe(0);
    await dragAround(w.agent, CHECKOUT);

    // On the customer's page, in the SDK's overlay: around the button, with the author's name.
    const drawn = await theOverlayShape(w.customer);
    expect(drawn.overlayText).toContain('Demo Agent');
    await expectCoveredOnPage(w.customer, CHECKOUT, 'as drawn');
    await expectCoveredInMirror(w.agent, CHECKOUT, 'as drawn');

    // The customer scrolls: the rectangle moves with the button, here and in the mirror.
    const before = await pageBoxOf(w.customer, CHECKOUT);
    await w.customer.evaluate(() => window.scrollBy(0, 120));
    expect((await pageBoxOf(w.customer, CHECKOUT)).top).toBeLessThan(before.top - 100);
    await expectCoveredOnPage(w.customer, CHECKOUT, 'after a scroll');
    await expectCoveredInMirror(w.agent, CHECKOUT, 'after a scroll');

    // The window narrows: the shop's layout stacks its columns, and the rectangle follows.
    await w.customer.setViewportSize({ width: 700, height: 800 });
    await customerScrollsTo(w.customer, CHECKOUT);
    const resized = await pageBoxOf(w.customer, CHECKOUT);
    expect(Math.abs(resized.left - before.left)).toBeGreaterThan(50);
    await expectCoveredOnPage(w.customer, CHECKOUT, 'after a resize');
    await expectCoveredInMirror(w.agent, CHECKOUT, 'after a resize');

    // A second agent, allowed later, sees the same rectangle with its author's name.
    const second = await agentAsksToJoin(
      stack.browser,
      stack.server,
      w.pin,
      stack.server.secondAgent,
    );
    await waitForDialog(w.customer, /Second Agent/);
    await customerAllows(w.customer);
    await expectStatus(second, 'live');
    const seen = await expectCoveredInMirror(second, CHECKOUT, 'for a second agent');
    expect(seen.id).toBe(drawn.id);
    expect(seen.overlayText).toContain('Demo Agent');

    // Clear all clears it for everyone; Undo brings it back for everyone.
    await w.agent.click('[data-testid="tool-clear"]');
    await vi.waitFor(async () => {
      expect(await overlayShapes(w.customer)).toEqual([]);
      expect(await mirrorShapes(second)).toEqual([]);
      expect(await mirrorShapes(w.agent)).toEqual([]);
    }, often);
    await w.agent.click('[data-testid="tool-undo"]');
    await expectCoveredOnPage(w.customer, CHECKOUT, 'after an undo');
    expect((await expectCoveredInMirror(second, CHECKOUT, 'after an undo')).id).toBe(drawn.id);
  });

  it('the vanishing pen fades after about 4 s, on the page and in the mirror', async () => {
    const w = await watched(stack);
    await guided(w);
    await w.agent.click('[data-testid="tool-vanishing_pen"]');
    const box = await steadyMirrorBox(w.agent, CHECKOUT);
    await dragOn(
      w.agent,
      { x: box.left, y: box.top + box.height / 2 },
      { x: box.left + box.width, y: box.top + box.height / 2 },
    );
    await theOverlayShape(w.customer);
    const drawnAt = Date.now();
    expect(await mirrorShapes(w.agent)).toHaveLength(1);

    // Still there a moment later, gone a few seconds on: it fades, nobody erases it.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await overlayShapes(w.customer)).toHaveLength(1);
    await vi.waitFor(
      async () => {
        expect(await overlayShapes(w.customer)).toEqual([]);
        expect(await mirrorShapes(w.agent)).toEqual([]);
      },
      { timeout: 8_000, interval: 100 },
    );
    expect(Date.now() - drawnAt).toBeGreaterThan(3_000);
  });
});
