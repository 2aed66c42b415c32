/**
 * Issue 5: the customer SDK's control pipeline in real Chromium, driven with relayed commands
 * through its one way in (the session's control link), without a server: the server's part is
 * covered by the full-stack control flows. The page is served by route, with the SDK's real
 * recorder (rrweb ids), its real UI (prompts and banner in the closed shadow root, answered from
 * the keyboard and by accessible name) and the demo shop's React gift note, built with React from
 * npm. Time is a manual clock in the page.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser.js';
import { accessibleNames, clickAccessible } from './support/flows.js';

const ORIGIN = 'https://shop.test';
const JANE = { userId: 'agent-jane', userName: 'Jane Doe', role: 'agent' } as const;
const SAM = { userId: 'agent-sam', userName: 'Sam Lee', role: 'agent' } as const;

const PAGE = `<!doctype html><html><head><title>Remote assist</title><style>
  body { font: 16px/1.4 sans-serif; margin: 8px; }
  #scroller { height: 80px; overflow: auto; } #scroller div { height: 400px; }
  .tall { height: 2000px; }
</style></head><body>
<h1>Trail shop</h1>
<button id="add">Add to cart</button> <output id="count">0</output>
<button id="hover-me">Hover me</button> <output id="hovered"></output>
<button id="twice">Twice</button> <output id="doubled"></output>
<button id="pay">Pay <span data-sightline-mask>Jane Roe</span></button>
<form id="order">
  <label for="name">Full name</label> <input id="name">
  <input id="email" type="email"> <input id="password" type="password">
  <input id="card" autocomplete="cc-number">
  <div id="gift-note"></div>
  <label><input id="gift-wrap" type="checkbox"> Gift wrap</label>
  <label for="terms" id="terms-label">I agree</label> <input id="terms" type="checkbox" data-sightline-mask>
  <select id="size"><option>S</option><option>M</option><option>L</option></select>
  <button id="place-order" type="submit"><span id="place-label">Place order</span></button>
  <output id="submitted"></output>
</form>
<div data-sightline-mask><button id="secret">Reveal</button></div>
<div class="blocked" style="height: 20px">blocked</div>
<div id="scroller"><div>long</div></div>
<p id="plain">Just text</p>
<div class="tall"></div>
<script src="/harness.js"></script>
<script>
  var count = 0;
  document.querySelector('#add').addEventListener('click', function () {
    document.querySelector('#count').textContent = String((count += 1));
  });
  document.querySelector('#hover-me').addEventListener('mouseover', function () {
    document.querySelector('#hovered').textContent = 'hovered';
  });
  document.querySelector('#twice').addEventListener('dblclick', function () {
    document.querySelector('#doubled').textContent = 'doubled';
  });
  document.querySelector('#order').addEventListener('submit', function (event) {
    event.preventDefault();
    document.querySelector('#submitted').textContent = 'submitted';
  });
  document.querySelector('#size').addEventListener('change', function () {
    document.body.dataset.sizeChanged = 'yes';
  });
</script>
</body></html>`;

const SETTINGS = {
  piiMask: { maskType: 'custom_input', maskCssSelectors: '#email' },
  blockSelectors: '.blocked',
  remoteAssist: { enable: true, denySelectors: ['#place-order'] },
};

let browser: Browser;
let harnessJs: string;

beforeAll(async () => {
  const root = new URL('../', import.meta.url).pathname;
  const [launched, bundle] = await Promise.all([
    launchChromium(),
    build({
      entryPoints: [`${root}packages/sdk/test/browser/remote-assist-page.ts`],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      conditions: ['@sightline/source'],
      define: { 'process.env.NODE_ENV': '"production"', __SIGHTLINE_VERSION__: '"test"' },
      logLevel: 'warning',
    }),
  ]);
  browser = launched;
  harnessJs = bundle.outputFiles[0]?.text ?? '';
});

afterAll(async () => {
  await browser?.close();
});

/** Opens the page with the SDK's control parts started under `settings`. */
async function openPage(settings: object = SETTINGS): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/harness.js') {
      return route.fulfill({ contentType: 'text/javascript', body: harnessJs });
    }
    return route.fulfill({ contentType: 'text/html', body: PAGE });
  });
  await page.goto(`${ORIGIN}/checkout`);
  await page.waitForSelector('#gift-note-input');
  await page.evaluate((given) => window.harness.start(given as never), settings);
  return page;
}

type Sent = { type: string; [key: string]: unknown };

async function sent(page: Page): Promise<Sent[]> {
  return page.evaluate(() => window.harness.sent);
}

/** Waits for the result of command `commandId` and returns it. */
async function resultOf(page: Page, commandId: string): Promise<Sent> {
  return vi.waitFor(
    async () => {
      const result = (await sent(page)).find(
        (frame) => frame.type === 'control.result' && frame.commandId === commandId,
      );
      expect(result).toBeDefined();
      return result as Sent;
    },
    { timeout: 5_000, interval: 25 },
  );
}

async function command(page: Page, action: object, agent: object = JANE): Promise<string> {
  return page.evaluate(([a, who]) => window.harness.command(a as never, who as never), [
    action,
    agent,
  ] as const);
}

async function id(page: Page, selector: string): Promise<number> {
  return page.evaluate((s) => window.harness.id(s), selector);
}

async function setMode(page: Page, mode: string, controller: object | null = JANE): Promise<void> {
  await page.evaluate(
    ([m, c]) => window.harness.state({ mode: m as never, controller: c as never }),
    [mode, controller] as const,
  );
}

/** Waits until the SDK's UI shows a question whose heading contains `words`. */
async function promptSays(page: Page, words: string): Promise<void> {
  await vi.waitFor(
    async () =>
      expect((await accessibleNames(page)).some((name) => name.includes(words))).toBe(true),
    { timeout: 5_000, interval: 25 },
  );
}

async function noPrompt(page: Page): Promise<void> {
  expect((await accessibleNames(page)).filter((name) => name.includes('wants to'))).toEqual([]);
}

const text = (page: Page, selector: string) => page.textContent(selector);

describe('remote assist on the customer page (SDK)', () => {
  it("types into the shop's React-controlled gift note: React's state, and what it renders, follow", async () => {
    const page = await openPage();
    await setMode(page, 'full_control');
    const note = await id(page, '#gift-note-input');
    const typed = await command(page, {
      kind: 'type',
      nodeId: note,
      text: 'Happy birthday',
      replace: true,
    });
    expect(await resultOf(page, typed)).toMatchObject({ outcome: 'done' });
    await vi.waitFor(async () =>
      expect(await text(page, '#gift-note-preview')).toBe('Your card will read: “Happy birthday”'),
    );
    // At the caret, which typing left at the end.
    const more = await command(page, { kind: 'type', nodeId: note, text: ', Sam!' });
    expect(await resultOf(page, more)).toMatchObject({ outcome: 'done' });
    await vi.waitFor(async () =>
      expect(await text(page, '#gift-note-preview')).toBe(
        'Your card will read: “Happy birthday, Sam!”',
      ),
    );
    expect(await text(page, '#gift-note-count')).toBe('20/120');
    // React re-rendered from its state; the field still holds what was typed.
    expect(await page.inputValue('#gift-note-input')).toBe('Happy birthday, Sam!');
    await page.context().close();
  });

  it('in controlled mode asks before each action, naming it and its target; Allow, Deny and silence', async () => {
    const page = await openPage();
    await setMode(page, 'controlled');
    await vi.waitFor(async () =>
      expect(await accessibleNames(page)).toContain(
        'Jane Doe is controlling this page, asking before each action. Sam Lee is viewing',
      ),
    );
    const add = await id(page, '#add');

    const allowed = await command(page, { kind: 'click', nodeId: add });
    await promptSays(page, 'Jane Doe wants to click “Add to cart”');
    expect(await text(page, '#count')).toBe('0');
    await page.keyboard.press('Tab'); // Deny has the focus; then Allow for 2 minutes
    await page.keyboard.press('Tab'); // then Allow
    await page.keyboard.press('Enter');
    expect(await resultOf(page, allowed)).toEqual({
      type: 'control.result',
      commandId: allowed,
      tabId: 'tab-1',
      outcome: 'done',
    });
    expect(await text(page, '#count')).toBe('1');

    const denied = await command(page, { kind: 'click', nodeId: add });
    await promptSays(page, 'Jane Doe wants to click “Add to cart”');
    await page.keyboard.press('Escape');
    expect(await resultOf(page, denied)).toMatchObject({ outcome: 'declined' });

    const silent = await command(page, { kind: 'click', nodeId: add });
    await promptSays(page, 'Jane Doe wants to click “Add to cart”');
    await page.evaluate(() => window.harness.advance(30_000));
    expect(await resultOf(page, silent)).toMatchObject({ outcome: 'expired' });
    await noPrompt(page);
    expect(await text(page, '#count')).toBe('1');

    // The label never shows what masking hides: the masked name inside the button is left out.
    const pay = await command(page, { kind: 'click', nodeId: await id(page, '#pay') });
    await promptSays(page, 'Jane Doe wants to click “Pay”');
    const asked = (await accessibleNames(page)).filter((name) => name.includes('wants to'));
    // The dialog's name, its heading and the heading's text: one title, said three times.
    expect(new Set(asked)).toEqual(new Set(['Jane Doe wants to click “Pay”']));
    await page.keyboard.press('Escape');
    await resultOf(page, pay);
    await page.context().close();
  });

  it('"Allow for 2 minutes" lets actions run unasked, counts down in the banner, and can be withdrawn', async () => {
    const page = await openPage();
    await setMode(page, 'controlled');
    const add = await id(page, '#add');
    const first = await command(page, { kind: 'click', nodeId: add });
    await promptSays(page, 'wants to click');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await resultOf(page, first)).toMatchObject({ outcome: 'done' });
    expect((await sent(page)).filter((frame) => frame.type === 'control.grant')).toEqual([
      { type: 'control.grant', durationMs: 120_000 },
    ]);
    await vi.waitFor(async () =>
      expect(await accessibleNames(page)).toContain('Allowed without asking: 2:00'),
    );
    const unasked = await command(page, { kind: 'click', nodeId: add });
    expect(await resultOf(page, unasked)).toMatchObject({ outcome: 'done' });
    expect(await text(page, '#count')).toBe('2');
    await page.evaluate(() => window.harness.advance(61_000));
    await vi.waitFor(async () =>
      expect(await accessibleNames(page)).toContain('Allowed without asking: 0:59'),
    );
    await clickAccessible(page, 'button', 'Ask each time');
    expect((await sent(page)).filter((frame) => frame.type === 'control.grant').at(-1)).toEqual({
      type: 'control.grant',
      durationMs: 0,
    });
    void command(page, { kind: 'click', nodeId: add });
    await promptSays(page, 'wants to click');
    await page.context().close();
  });

  it('refuses masked, blocked, deny-listed, gone and unsuitable targets with the reason, without asking', async () => {
    const page = await openPage();
    await setMode(page, 'controlled');
    const refusal = async (action: object) => {
      const commandId = await command(page, action);
      return (await resultOf(page, commandId)).refusal;
    };
    const click = async (selector: string) =>
      refusal({ kind: 'click', nodeId: await id(page, selector) });
    const type = async (selector: string) =>
      refusal({ kind: 'type', nodeId: await id(page, selector), text: 'x', replace: false });

    expect(await click('#secret')).toBe('masked'); // inside [data-sightline-mask]
    expect(await type('#email')).toBe('masked'); // a mask selector
    expect(await type('#password')).toBe('masked'); // always masked
    expect(await click('#card')).toBe('masked'); // payment field, always masked
    expect(await click('#terms-label')).toBe('masked'); // its checkbox is masked
    expect(await click('.blocked')).toBe('blocked');
    expect(await click('#place-order')).toBe('denied_selector');
    expect(await click('#place-label')).toBe('denied_selector'); // inside the deny-listed button
    expect(await type('#plain')).toBe('not_actionable');
    expect(await refusal({ kind: 'check', nodeId: await id(page, '#size'), checked: true })).toBe(
      'not_actionable',
    );
    // Enter in a field would submit the form by its default button: "Place order".
    expect(await refusal({ kind: 'key', nodeId: await id(page, '#name'), key: 'Enter' })).toBe(
      'denied_selector',
    );
    expect(await text(page, '#submitted')).toBe('');
    const plain = await id(page, '#plain');
    await page.evaluate(() => document.querySelector('#plain')?.remove());
    expect(await refusal({ kind: 'click', nodeId: plain })).toBe('gone');
    expect(await refusal({ kind: 'click', nodeId: 999_999 })).toBe('gone');
    expect(await refusal({ kind: 'navigate', to: 'url', url: 'https://elsewhere.test/' })).toBe(
      'off_origin',
    );
    await noPrompt(page);
    await page.context().close();
  });

  it('acts only for the controller, only in a control mode, only as the page allows', async () => {
    const page = await openPage({
      ...SETTINGS,
      remoteAssist: { enable: true, remoteAssistTypes: ['scroll_page'] },
    });
    const add = await id(page, '#add');
    await setMode(page, 'guided', null);
    const guided = await command(page, { kind: 'scroll', left: 0, top: 200 });
    expect(await resultOf(page, guided)).toMatchObject({
      outcome: 'refused',
      refusal: 'not_allowed',
    });
    await setMode(page, 'full_control');
    const other = await command(page, { kind: 'scroll', left: 0, top: 200 }, SAM);
    expect(await resultOf(page, other)).toMatchObject({ refusal: 'not_allowed' });
    const clicked = await command(page, { kind: 'click', nodeId: add });
    expect(await resultOf(page, clicked)).toMatchObject({ refusal: 'not_allowed' });
    const scrolled = await command(page, { kind: 'scroll', left: 0, top: 200 });
    expect(await resultOf(page, scrolled)).toMatchObject({ outcome: 'done' });
    expect(await page.evaluate(() => window.scrollY)).toBe(200);
    expect(await text(page, '#count')).toBe('0');
    await page.context().close();
  });

  it('selects, ticks, scrolls an element, hovers, double-clicks, focuses and presses Tab', async () => {
    const page = await openPage();
    await setMode(page, 'full_control');
    const done = async (action: object) =>
      expect(await resultOf(page, await command(page, action))).toMatchObject({ outcome: 'done' });
    await done({ kind: 'select', nodeId: await id(page, '#size'), options: [2] });
    expect(await page.inputValue('#size')).toBe('L');
    expect(await page.evaluate(() => document.body.dataset.sizeChanged)).toBe('yes');
    await done({ kind: 'check', nodeId: await id(page, '#gift-wrap'), checked: true });
    expect(await page.isChecked('#gift-wrap')).toBe(true);
    await done({ kind: 'scroll', nodeId: await id(page, '#scroller'), left: 0, top: 100 });
    expect(await page.evaluate(() => document.querySelector('#scroller')?.scrollTop)).toBe(100);
    await done({ kind: 'hover', nodeId: await id(page, '#hover-me') });
    expect(await text(page, '#hovered')).toBe('hovered');
    await done({ kind: 'dblclick', nodeId: await id(page, '#twice') });
    expect(await text(page, '#doubled')).toBe('doubled');
    await done({ kind: 'focus', nodeId: await id(page, '#name') });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('name');
    await done({ kind: 'key', key: 'Tab' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('email');
    await page.context().close();
  });

  it('Stop control in the banner ends control at once, even with a question open', async () => {
    const page = await openPage();
    await setMode(page, 'controlled');
    const open = await command(page, { kind: 'click', nodeId: await id(page, '#add') });
    await promptSays(page, 'wants to click');
    await clickAccessible(page, 'button', 'Stop control');
    expect((await sent(page)).filter((frame) => frame.type === 'control.set')).toEqual([
      { type: 'control.set', mode: 'view_only' },
    ]);
    // The server's new state follows; the open question is over.
    await setMode(page, 'view_only', null);
    expect(await resultOf(page, open)).toMatchObject({
      outcome: 'refused',
      refusal: 'not_allowed',
    });
    await noPrompt(page);
    expect(await text(page, '#count')).toBe('0');
    expect(await page.evaluate(() => window.harness.events)).toEqual([
      [
        'control_mode_changed',
        {
          mode: 'controlled',
          previous: 'view_only',
          controller: { userId: 'agent-jane', userName: 'Jane Doe' },
        },
      ],
      [
        'remote_assist_started',
        { agent: { userId: 'agent-jane', userName: 'Jane Doe' }, mode: 'controlled' },
      ],
      ['control_mode_changed', { mode: 'view_only', previous: 'controlled', controller: null }],
      ['remote_assist_stopped', { mode: 'view_only' }],
    ]);
    await page.context().close();
  });

  it('asks for confirmation before Stop when the page requires it, and steps down to guided', async () => {
    const page = await openPage({
      ...SETTINGS,
      remoteAssist: { enable: true, requireStopConfirmation: true },
    });
    await setMode(page, 'full_control');
    await clickAccessible(page, 'button', 'Guide only');
    await clickAccessible(page, 'button', 'Stop control');
    await promptSays(page, "Stop Jane Doe's control of this page?");
    await page.keyboard.press('Enter');
    expect((await sent(page)).filter((frame) => frame.type === 'control.set')).toEqual([
      { type: 'control.set', mode: 'guided' },
      { type: 'control.set', mode: 'view_only' },
    ]);
    // Control ended elsewhere while the customer was being asked: the question goes, and Stop
    // asks again next time.
    await setMode(page, 'full_control');
    await clickAccessible(page, 'button', 'Stop control');
    await promptSays(page, "Stop Jane Doe's control of this page?");
    await setMode(page, 'view_only', null);
    await vi.waitFor(async () =>
      expect((await accessibleNames(page)).some((name) => name.startsWith('Stop Jane'))).toBe(
        false,
      ),
    );
    await setMode(page, 'controlled');
    await clickAccessible(page, 'button', 'Stop control');
    await promptSays(page, "Stop Jane Doe's control of this page?");
    await page.context().close();
  });
});
