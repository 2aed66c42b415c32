/**
 * @module
 * The SDK's version, stamped in by the build (`define`), so the IIFE can report it as
 * `Sightline.version` without reading package.json at runtime.
 */

declare const __SIGHTLINE_VERSION__: string | undefined;

/** This build's version, or `0.0.0-dev` when running from source (tests). */
export const SDK_VERSION: string =
  typeof __SIGHTLINE_VERSION__ === 'string' ? __SIGHTLINE_VERSION__ : '0.0.0-dev';
