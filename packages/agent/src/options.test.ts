import { SightlineError } from '@sightline/protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, resolveSettings, socketUrlOf } from './options.js';

// Only its presence matters here; the mirror itself is exercised in real Chromium (e2e).
const root = { appendChild: () => undefined } as unknown as HTMLElement;
const WebSocket = class {} as unknown as typeof globalThis.WebSocket;

describe('resolveSettings', () => {
  it('applies the defaults and trims the server URL', () => {
    const resolved = resolveSettings({ root, serverUrl: 'https://co.example.com/', WebSocket });
    expect(resolved.serverUrl).toBe('https://co.example.com');
    expect(resolved.maxReconnectAttempts).toBe(DEFAULTS.maxReconnectAttempts);
    expect(resolved.root).toBe(root);
  });

  it('lets explicit settings win, but not undefined ones', () => {
    const resolved = resolveSettings({
      root,
      serverUrl: 'http://localhost:3000',
      WebSocket,
      reconnectBaseDelayMs: 50,
      handshakeTimeoutMs: undefined,
    });
    expect(resolved.reconnectBaseDelayMs).toBe(50);
    expect(resolved.handshakeTimeoutMs).toBe(DEFAULTS.handshakeTimeoutMs);
  });

  it.each([
    ['no root', { root: undefined as unknown as HTMLElement, serverUrl: 'http://x' }],
    ['no server URL outside a page', { root }],
    ['a server URL that is not a URL', { root, serverUrl: 'not a url' }],
    ['a non-http server URL', { root, serverUrl: 'ftp://x.example' }],
    ['a negative delay', { root, serverUrl: 'http://x', reconnectMaxDelayMs: -1 }],
  ])('refuses %s with 4001', (_label, settings) => {
    expect(() => resolveSettings({ WebSocket, ...settings })).toThrow(SightlineError);
  });
});

describe('socketUrlOf', () => {
  it.each([
    ['http://localhost:3000', 'ws://localhost:3000/ws'],
    ['https://co.example.com', 'wss://co.example.com/ws'],
    ['https://example.com/cobrowse', 'wss://example.com/cobrowse/ws'],
  ])('%s → %s', (serverUrl, socketUrl) => {
    expect(socketUrlOf(serverUrl)).toBe(socketUrl);
  });
});
