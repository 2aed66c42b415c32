/**
 * @module
 * The slice of the WebSocket API the SDKs use, so tests can inject the `ws` package's client and
 * browsers use their own. Handler parameters are typed `never` on purpose: both the DOM's and
 * `ws`'s classes then satisfy the interface, and the connection annotates the fields it reads.
 */

/** `readyState` of an open socket (the same in the DOM and in `ws`), spelled out because an injected constructor may lack the static. */
export const OPEN = 1;

/** A WebSocket, as the connection uses it. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
}

/** A WebSocket class: `globalThis.WebSocket` in browsers, `ws`'s `WebSocket` in tests. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** What the connection reads from a message event. */
export interface MessageEventLike {
  data: unknown;
}

/** What the connection reads from a close event. */
export interface CloseEventLike {
  code: number;
  reason: string;
}
