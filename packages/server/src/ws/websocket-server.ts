/**
 * @module
 * The WebSocket shell: a `ws` server in `noServer` mode on the HTTP server's `upgrade` event, for
 * `/ws` only. It checks the page origin before upgrading (403 otherwise), wraps each socket as a
 * `SocketLike` for the core's gateway, forwards frames and the close, and pings idle sockets so a
 * vanished peer is noticed. permessage-deflate is off: DOM payloads arrive compressed already.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { MAX_BINARY_FRAME_BYTES, SightlineError } from '@sightline/protocol';
import type { Gateway } from '../core/gateway.js';
import type { Logger, SocketLike } from '../core/ports.js';
import type { OriginPolicy } from '../http/origin-policy.js';

/** The one WebSocket path. */
export const WS_PATH = '/ws';

/** How often open sockets are pinged; one missed pong and the socket is dropped. */
const HEARTBEAT_MS = 30_000;

/** How long shutdown waits for clients to answer the close frame before cutting them off. */
const CLOSE_GRACE_MS = 1_000;

/** WebSocket close reasons are limited to 123 bytes of UTF-8. */
function shortReason(reason: string): string {
  const bytes = Buffer.from(reason);
  if (bytes.length <= 123) return reason;
  return (
    bytes
      .subarray(0, 120)
      .toString('utf8')
      .replace(/\uFFFD+$/, '') + '...'
  );
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

function refuse(socket: Duplex, status: number, error: SightlineError): void {
  const body = JSON.stringify(error.toBody());
  socket.end(
    `HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Not Found'}\r\n` +
      'Connection: close\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** The WebSocket side of a server. */
export interface WebSocketShell {
  /** Resolves once every client socket is closed (after the gateway asked them to). */
  close(): Promise<void>;
}

/** Attaches the gateway to `server`'s upgrades. */
export function attachWebSockets(
  server: Server,
  deps: { gateway: Gateway; origins: OriginPolicy; logger: Logger },
): WebSocketShell {
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_BINARY_FRAME_BYTES,
  });
  const alive = new WeakSet<WebSocket>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== WS_PATH) {
      refuse(socket, 404, new SightlineError('ROUTE_NOT_FOUND', `No WebSocket at ${path}.`));
      return;
    }
    if (!deps.origins.allows(request.headers.origin, request.headers.host)) {
      refuse(socket, 403, new SightlineError('ORIGIN_NOT_ALLOWED'));
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => serve(ws));
  };

  const serve = (ws: WebSocket): void => {
    alive.add(ws);
    const socket: SocketLike = {
      send(data) {
        if (ws.readyState === WebSocket.OPEN) ws.send(data);
      },
      close(code, reason) {
        if (ws.readyState === WebSocket.OPEN) ws.close(code, shortReason(reason));
      },
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
      get isOpen() {
        return ws.readyState === WebSocket.OPEN;
      },
    };
    const handler = deps.gateway.accept(socket);
    ws.on('message', (data, isBinary) => handler.receive(toBytes(data), isBinary));
    ws.on('pong', () => alive.add(ws));
    ws.on('close', () => handler.closed());
    // `ws` closes the socket itself after an error (1009 for an oversize frame, 1007 for bad
    // UTF-8); the close event above does the rest.
    ws.on('error', (error) => deps.logger.debug({ err: error }, 'websocket error'));
  };

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  server.on('upgrade', onUpgrade);

  return {
    async close() {
      clearInterval(heartbeat);
      server.off('upgrade', onUpgrade);
      const open = [...wss.clients];
      await Promise.all(
        open.map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === WebSocket.CLOSED) return resolve();
              const timer = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
              ws.once('close', () => {
                clearTimeout(timer);
                resolve();
              });
            }),
        ),
      );
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
