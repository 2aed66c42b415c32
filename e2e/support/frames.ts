/**
 * @module
 * Captures every WebSocket frame a page sends, as Chromium puts it on the wire, and decodes
 * `dom.batch` frames down to the rrweb events inside (header, then inflate, then JSON), so a test can
 * search both the raw bytes and the decompressed text for anything that must not leave the browser.
 */
import { inflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { decodeBinaryFrame, parseRelayedBatch } from '@sightline/protocol';

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

/** One relayed `dom.batch` a page received: its header, validated as the agent SDK does. */
export interface ReceivedBatch {
  tabId: string;
  seq: number;
  full: boolean;
}

/** One WebSocket a page opened, and what came down it, with the test process's times (ms). */
export interface ReceivedSocket {
  url: string;
  openedAt: number;
  /** When its `session.welcome` arrived. */
  welcomedAt?: number;
  closedAt?: number;
  /** Binary `dom.batch` frames, in order. */
  batches: ReceivedBatch[];
  /** Binary frames that were not valid relayed batches. */
  invalid: number;
}

/**
 * Starts recording each WebSocket `page` opens and the welcome and batches it receives, socket by
 * socket, so a test can tell a reconnection from the socket before it. Call before the page
 * connects.
 */
export function captureReceived(page: Page): ReceivedSocket[] {
  const sockets: ReceivedSocket[] = [];
  page.on('websocket', (socket) => {
    const record: ReceivedSocket = {
      url: socket.url(),
      openedAt: Date.now(),
      batches: [],
      invalid: 0,
    };
    sockets.push(record);
    socket.on('close', () => (record.closedAt = Date.now()));
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string') {
        if (record.welcomedAt === undefined && payload.includes('"type":"session.welcome"')) {
          record.welcomedAt = Date.now();
        }
        return;
      }
      const parsed = parseRelayedBatch(new Uint8Array(payload));
      if (!parsed.ok) {
        record.invalid += 1;
        return;
      }
      const { tabId, seq, full } = parsed.value.header;
      record.batches.push({ tabId, seq, full });
    });
  });
  return sockets;
}
