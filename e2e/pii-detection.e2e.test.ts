/**
 * Issue 4, PII detection in real Chromium: a page in `custom_input` mode that masks no element
 * plants card numbers, an SSN, IBANs, emails and phone numbers in text, attributes, link query
 * strings, its own address, a typed input and content added after the snapshot. The customer
 * shares it with an agent in the console; every frame the page sends is captured and decompressed,
 * and none of the planted values (nor the first digits of a card still being typed) may be in
 * any of them, while the page's ordinary text still is.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { captureSentFrames, searchableTexts } from './support/frames.js';
import { agentJoins, readMirror } from './support/flows.js';
import { findLeaks } from './support/pii.js';
import { useStack } from './support/stack.js';

const FIXTURES = new URL('./fixtures/pii-detection/', import.meta.url).pathname;
/** The server serves the fixture folder as its demo site, at `/demo/`. */
const stack = useStack({ assets: { demoSiteDir: FIXTURES } });

const TYPED_CARD = '5555 5555 5555 4444';
const TYPED_EMAIL = 'ada@lovelace.example.org';
const ADDRESS_EMAIL = 'grace.hopper@example.com';

/** Every value the page plants, as written; `findLeaks` also tries encoded and compact forms. */
const SECRETS = [
  '4111 1111 1111 1111',
  '536-22-1234',
  'DE89 3704 0044 0532 0130 00',
  'jane.doe@example.com',
  '+44 20 7946 0958',
  'pat.smith@example.net',
  '+1 (415) 555-0132',
  'billing.contact@example.org',
  'GB82 WEST 1234 5698 7654 32',
  TYPED_CARD,
  TYPED_EMAIL,
  ADDRESS_EMAIL,
  '5105 1051 0510 5100',
  'ops@example.io',
  '(212) 555-0187',
  '078-12-3456',
  // What a keystroke-by-keystroke stream would leak before the whole value is typed.
  '5555 5555',
  'ada@lovelace',
];

/** Ordinary text that must reach the agent: detection must not eat it. */
const VISIBLE = [
  'Account overview',
  'Order #A-100234 of 2024-11-22: Blue suede shoes, total $1,234.50, ISBN 978-3-16-148410-0',
  'Card on file: ',
  'my card is ',
  'We will call ',
  'tab=orders',
];

async function mirrorText(agent: Page): Promise<string> {
  return (await readMirror(agent, (doc) => doc.body?.textContent ?? '')) ?? '';
}

/**
 * Opens the fixture page, with `piiDetection` settings if given, shares it with an agent, types
 * and mutates, and returns once the agent's mirror shows the last change.
 */
async function shareAndChange(piiDetection?: Record<string, boolean>) {
  const { browser, server } = stack;
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const customer = await context.newPage();
  const sent = captureSentFrames(customer);
  await customer.goto(`${server.url}/demo/index.html?contact=${encodeURIComponent(ADDRESS_EMAIL)}`);
  if (piiDetection) {
    await customer.evaluate(`window.PII_SETTINGS.piiDetection = ${JSON.stringify(piiDetection)}`);
  }
  const pin = String(await customer.evaluate('window.piiStart()'));
  const agent = await agentJoins(browser, server, pin, customer);
  await vi.waitFor(async () => expect(await mirrorText(agent)).toContain('Account overview'), {
    timeout: 10_000,
    interval: 50,
  });
  await customer.type('#notes', `my card is ${TYPED_CARD}, mail ${TYPED_EMAIL}`);
  await customer.evaluate('window.piiLater()');
  await customer.evaluate('window.piiDone()');
  await vi.waitFor(async () => expect(await mirrorText(agent)).toContain('pii-detection-done'), {
    timeout: 10_000,
    interval: 50,
  });
  return { context, customer, agent, sent };
}

describe('PII detection before anything leaves the page', () => {
  it('masks planted values in text, attributes, URLs, typed input and later mutations', async () => {
    const { context, customer, agent, sent } = await shareAndChange();

    // The page itself still shows everything: only what is sent is masked.
    expect(await customer.textContent('#card')).toContain('4111 1111 1111 1111');

    const batches = sent.filter((frame) => frame.inflated !== undefined);
    expect(batches.length).toBeGreaterThan(0);
    expect(findLeaks(sent, SECRETS)).toEqual([]);

    const texts = searchableTexts(sent).join('\n');
    for (const visible of VISIBLE) expect(texts).toContain(visible);

    // The agent sees asterisks of the same length where the values were.
    const mirror = await mirrorText(agent);
    expect(mirror).toContain('Card on file: **** **** **** ****');
    expect(mirror).toContain('New card **** **** **** **** saved');
    expect(mirror).toContain('We will call ***** ******** instead');
    const notes = await readMirror(
      agent,
      (doc) => (doc.querySelector('#notes') as HTMLInputElement | null)?.value,
    );
    expect(notes).toBe(
      `my card is ${'**** '.repeat(3)}****, mail ${'*'.repeat(TYPED_EMAIL.length)}`,
    );
    const link = await readMirror(agent, (doc) =>
      doc.querySelector('#account')?.getAttribute('href'),
    );
    expect(link).toMatch(/\/demo\/account\?iban=\*{22}$/);
    await context.close();
  });

  it('lets the page switch a detector off: then, and only then, those values are sent', async () => {
    const { context, sent } = await shareAndChange({ email: false });
    const leaked = new Set(findLeaks(sent, SECRETS).map((leak) => leak.secret));
    expect(leaked).toEqual(
      new Set([
        'jane.doe@example.com',
        'pat.smith@example.net',
        'billing.contact@example.org',
        TYPED_EMAIL,
        ADDRESS_EMAIL,
        'ops@example.io',
        'ada@lovelace',
      ]),
    );
    await context.close();
  });
});
