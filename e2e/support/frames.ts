/**
 * @module
 * Captures every WebSocket frame a page sends, as Chromium puts it on the wire, and decodes
 * `dom.batch` frames down to the rrweb events inside (header, then inflate, then JSON), so a test can
 * search both the raw bytes and the decompressed text for anything that must not leave the browser.
 */
import { inflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { decodeBinaryFrame } from '@sightline/protocol';

/** One frame the page sent. */
export interface SentFrame {
  url: string;
  /** Text frames as sent; binary frames as their raw bytes. */
  raw: string | Buffer;
  /** For binary `dom.batch` frames: the validated-as-JSON header. */
  header?: unknown;
  /** For binary `dom.batch` frames: the payload inflated to text (a JSON array of rrweb events). */
  inflated?: string;
}

/** Starts recording every frame `page` sends on any WebSocket. Call before the page connects. */
export function captureSentFrames(page: Page): SentFrame[] {
  const frames: SentFrame[] = [];
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => {
      if (typeof payload === 'string') {
        frames.push({ url: socket.url(), raw: payload });
        return;
      }
      const decoded = decodeBinaryFrame(new Uint8Array(payload));
      frames.push({
        url: socket.url(),
        raw: payload,
        header: decoded?.header,
        inflated: decoded ? inflateSync(decoded.payload).toString('utf8') : undefined,
      });
    });
  });
  return frames;
}

/**
 * Every place a secret could hide in a captured frame: the text frame itself, the raw bytes of a
 * binary frame (as latin1, so any byte sequence is searchable), and the inflated payload.
 */
export function searchableTexts(frames: readonly SentFrame[]): string[] {
  return frames.flatMap((frame) => {
    const raw = typeof frame.raw === 'string' ? frame.raw : frame.raw.toString('latin1');
    return frame.inflated === undefined ? [raw] : [raw, frame.inflated];
  });
}
