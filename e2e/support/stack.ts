/**
 * @module
 * The whole stack for one e2e file: one Chromium and one real server, started before the file's
 * first test and closed after its last. Each test opens its own browser contexts in it.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.js';
import type { ServerOptions } from '@sightline/server';
import { startServer, type TestServer } from './server.js';

/** The running browser and server; read them inside tests and hooks, not at import time. */
export interface Stack {
  readonly browser: Browser;
  readonly server: TestServer;
}

/**
 * Registers the file's set-up and tear-down and returns the stack they fill in. `options` go to
 * the server, over the demo defaults (a short session, say).
 */
export function useStack(options: Partial<ServerOptions> = {}): Stack {
  let browser: Browser | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    [browser, server] = await Promise.all([launchChromium(), startServer(options)]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('the browser starts in beforeAll');
      return browser;
    },
    get server() {
      if (!server) throw new Error('the server starts in beforeAll');
      return server;
    },
  };
}
