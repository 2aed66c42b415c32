/**
 * @module
 * Where the browser assets the server serves live, found in one place: the customer SDK bundle
 * (`@sightline/sdk`), the console (`@sightline/console`) and the demo shop (`@sightline/demo-site`),
 * each through its package, unless the options point elsewhere. Nothing here requires the assets
 * to exist: the routes answer 503 until they are built.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { AssetPaths } from '../options.js';

const require = createRequire(import.meta.url);

/** The resolved asset locations. */
export interface StaticAssets {
  /** The SDK's IIFE bundle file. */
  sdkBundle: string;
  /** The SDK's package version, for the versioned URL and its header. */
  sdkVersion: string;
  /** The console's build folder (holds `index.html`). */
  consoleDir: string;
  /** The demo shop's folder (holds `index.html`). */
  demoSiteDir: string;
}

/** The folder of an installed package, or `undefined` when it is not installed. */
function packageDir(name: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

function versionOf(dir: string | undefined): string {
  if (!dir) return '0.0.0';
  try {
    const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof version === 'string' ? version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** A path that cannot exist, for a package that is not installed: its route answers 503. */
const MISSING = resolve('/nonexistent/sightline-asset');

/** Finds every asset, applying `overrides`. */
export function locateAssets(overrides: AssetPaths = {}): StaticAssets {
  const sdk = packageDir('@sightline/sdk');
  const consolePackage = packageDir('@sightline/console');
  const demo = packageDir('@sightline/demo-site');
  return {
    sdkBundle: resolve(
      overrides.sdkBundle ?? (sdk ? join(sdk, 'dist/iife/sightline.js') : MISSING),
    ),
    sdkVersion: versionOf(sdk),
    consoleDir: resolve(
      overrides.consoleDir ?? (consolePackage ? join(consolePackage, 'dist') : MISSING),
    ),
    demoSiteDir: resolve(overrides.demoSiteDir ?? (demo ? join(demo, 'public') : MISSING)),
  };
}
