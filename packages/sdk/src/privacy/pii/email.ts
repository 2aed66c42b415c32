/**
 * @module
 * Email addresses: a local part, `@`, and a domain with at least one dot and a top-level domain
 * of two or more letters. `@handles`, `user@localhost` and `name@2x.png`-style asset names stay.
 */
import { matchSpans, type PiiSpan } from './span.js';

const CANDIDATE =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}(?![\p{L}\p{N}-])/gu;

/** Image files named like `logo@2x.png` look like addresses; these endings are not domains. */
const ASSET_ENDING = /\.(?:png|jpe?g|gif|svg|webp|avif|ico|bmp|css|js)$/i;

/** Finds email addresses in `text`. */
export function findEmails(text: string): PiiSpan[] {
  return matchSpans(text, CANDIDATE, (match) => !ASSET_ENDING.test(match[0]));
}
