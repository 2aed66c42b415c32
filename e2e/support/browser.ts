/**
 * @module
 * Real headless Chromium from Debian, driven by playwright-core. Playwright cannot download its own
 * browser here, so every test uses `/usr/bin/chromium` with the flags that keep it off the network.
 */
import { chromium, type Browser } from 'playwright-core';

/** The flags verified on these machines; without the networking ones Chromium dials out and fails. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts one browser; each test opens isolated contexts in it (a customer, one or more agents). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}
