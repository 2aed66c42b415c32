/**
 * The SDK bundle, the console and the demo shop as the server serves them, from temporary
 * folders (asset overrides), plus where they are found by default.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { locateAssets } from '../src/http/static-assets.js';
import { CONSOLE_CSP } from '../src/http/routes/pages.js';
import { startServer, type TestServer } from './support/server.js';

const root = mkdtempSync(join(tmpdir(), 'sightline-assets-'));
const sdkBundle = join(root, 'sdk', 'sightline.js');
const consoleDir = join(root, 'console');
const demoSiteDir = join(root, 'demo');

let t: TestServer;
let app: FastifyInstance;

beforeAll(async () => {
  t = await startServer(
    { demo: true, assets: { sdkBundle, consoleDir, demoSiteDir } },
    { listen: false },
  );
  app = t.server.app;
});

afterAll(async () => {
  await t.close();
  rmSync(root, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers });

describe('the SDK bundle', () => {
  it('answers 503 with what to run while it is not built, and starts anyway', async () => {
    for (const url of ['/sdk/sightline.js', '/sdk/sightline.js.sri']) {
      const response = await get(url);
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        error: {
          code: 5003,
          name: 'ASSET_NOT_BUILT',
          message: expect.stringContaining('npm run build'),
        },
      });
    }
  });

  it('serves it cacheable, with a strong ETag, its version and its SRI hash', async () => {
    mkdirSync(join(root, 'sdk'), { recursive: true });
    const source = 'window.Sightline = { init() {} };\n';
    writeFileSync(sdkBundle, source);
    const sri = `sha384-${createHash('sha384').update(source).digest('base64')}`;

    const response = await get('/sdk/sightline.js');
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(source);
    expect(response.headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
      etag: expect.stringMatching(/^"[A-Za-z0-9_-]+"$/),
      'x-sightline-sdk-version': '0.1.0',
      'x-sightline-sri': sri,
      'access-control-allow-origin': '*',
      'x-content-type-options': 'nosniff',
    });

    const again = await get('/sdk/sightline.js', {
      'if-none-match': String(response.headers.etag),
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const listed = await get('/sdk/sightline.js', {
      'if-none-match': `"other", W/${String(response.headers.etag)}`,
    });
    expect(listed.statusCode).toBe(304);
    expect((await get('/sdk/sightline.js', { 'if-none-match': '"other"' })).statusCode).toBe(200);

    const integrity = await get('/sdk/sightline.js.sri');
    expect(integrity.body).toBe(sri);

    const versioned = await get('/sdk/sightline-0.1.0.js');
    expect(versioned.statusCode).toBe(200);
    expect(versioned.body).toBe(source);
    expect(versioned.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const other = await get('/sdk/sightline-9.9.9.js');
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe(4002);
  });

  it('notices a rebuild', async () => {
    const before = (await get('/sdk/sightline.js')).headers.etag;
    writeFileSync(sdkBundle, 'window.Sightline = { init() {}, version: 2 };\n');
    const after = await get('/sdk/sightline.js');
    expect(after.headers.etag).not.toBe(before);
    expect(after.body).toContain('version: 2');
  });
});

describe('the console', () => {
  it('answers 503 while it is not built', async () => {
    const response = await get('/console/');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      error: { name: 'ASSET_NOT_BUILT', message: expect.stringContaining('the console') },
    });
  });

  it('serves index.html and assets with a strict CSP, and redirects /console', async () => {
    mkdirSync(consoleDir, { recursive: true });
    writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>Console</title>');
    writeFileSync(join(consoleDir, 'console.js'), 'console.log(1)');
    const index = await get('/console/');
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('<title>Console</title>');
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'self'");
    const script = await get('/console/console.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-security-policy']).toBe(CONSOLE_CSP);
    const bare = await get('/console');
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/console/');
    expect((await get('/console/missing.js')).statusCode).toBe(404);
  });
});

describe('the demo shop', () => {
  it('serves its index in demo mode', async () => {
    mkdirSync(demoSiteDir, { recursive: true });
    writeFileSync(join(demoSiteDir, 'index.html'), '<!doctype html><title>Shop</title>');
    const response = await get('/demo/');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Shop');
    expect(response.headers['content-security-policy']).toBeUndefined();
  });

  it('is not served outside demo mode', async () => {
    const plain = await startServer({ assets: { demoSiteDir } }, { listen: false });
    try {
      expect((await plain.server.app.inject({ method: 'GET', url: '/demo/' })).statusCode).toBe(
        404,
      );
    } finally {
      await plain.close();
    }
  });
});

describe('locateAssets', () => {
  it('finds each asset through its package', () => {
    const assets = locateAssets();
    expect(assets.sdkBundle).toMatch(/packages\/sdk\/dist\/iife\/sightline\.js$/);
    expect(assets.consoleDir).toMatch(/apps\/console\/dist$/);
    expect(assets.demoSiteDir).toMatch(/examples\/demo-site\/public$/);
    expect(assets.sdkVersion).toBe('0.1.0');
  });
});
