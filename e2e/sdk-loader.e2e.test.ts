/**
 * Issue 2: the one-file SDK at /sdk/sightline.js and its Zoom-style pre-load stub. A page may call
 * `Sightline.init(settings, callback)` before the script has arrived; the real SDK replays the call.
 */
import { describe, expect, it, vi } from 'vitest';
import { useStack } from './support/stack.js';

const stack = useStack();

const page = `<!doctype html><html><head><title>stub</title>
<script>
  (function (w, d, s, n, u) {
    w[n] = w[n] || { init: function () { (w[n + 'InitArgs'] = w[n + 'InitArgs'] || []).push(arguments); } };
    var js = d.createElement(s); js.async = true; js.src = u; d.head.appendChild(js);
  })(window, document, 'script', 'Sightline', '/sdk/sightline.js');
  window.calledBeforeLoad = typeof window.Sightline.version === 'undefined';
  Sightline.init({}, function (result) {
    window.initResult = {
      success: result.success,
      hasStart: typeof (result.session && result.session.start) === 'function',
      status: result.session && result.session.getSessionInfo().sessionStatus,
    };
  });
</script></head><body><h1>stub</h1></body></html>`;

describe('the one-file SDK', () => {
  it('replays an init() queued by the pre-load stub before the script arrived', async () => {
    const context = await stack.browser.newContext();
    const tab = await context.newPage();
    let releaseScript: () => void = () => undefined;
    const scriptHeld = new Promise<void>((resolve) => (releaseScript = resolve));
    await tab.route(`${stack.server.url}/fixture/stub.html`, (route) =>
      route.fulfill({ contentType: 'text/html', body: page }),
    );
    await tab.route(`${stack.server.url}/sdk/sightline.js`, async (route) => {
      await scriptHeld;
      await route.continue();
    });
    // Hold the script: `load` waits for it, so stop waiting at DOMContentLoaded.
    await tab.goto(`${stack.server.url}/fixture/stub.html`, { waitUntil: 'domcontentloaded' });

    expect(
      await tab.evaluate(
        () => (window as unknown as { calledBeforeLoad: boolean }).calledBeforeLoad,
      ),
    ).toBe(true);
    expect(await tab.evaluate(() => 'initResult' in window)).toBe(false);

    releaseScript();
    const result = await vi.waitFor(
      async () => {
        const value = await tab.evaluate(
          () => (window as unknown as { initResult?: unknown }).initResult,
        );
        expect(value).toBeDefined();
        return value;
      },
      { timeout: 5_000, interval: 50 },
    );
    expect(result).toMatchObject({ success: true, hasStart: true });
    expect(
      await tab.evaluate(
        () => typeof (window as unknown as { Sightline: { version?: string } }).Sightline.version,
      ),
    ).toBe('string');
    await context.close();
  });

  it('is served cacheable, versioned and with its SRI hash', async () => {
    const response = await fetch(`${stack.server.url}/sdk/sightline.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const body = Buffer.from(await response.arrayBuffer());
    const sri = response.headers.get('x-sightline-sri') ?? '';
    const { createHash } = await import('node:crypto');
    expect(sri).toBe(`sha384-${createHash('sha384').update(body).digest('base64')}`);
    const version = response.headers.get('x-sightline-sdk-version');
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    const pinned = await fetch(`${stack.server.url}/sdk/sightline-${version}.js`);
    expect(pinned.status).toBe(200);
    expect(pinned.headers.get('cache-control')).toContain('immutable');
    expect(Buffer.from(await pinned.arrayBuffer()).equals(body)).toBe(true);
  });
});
