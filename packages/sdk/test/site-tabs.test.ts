/**
 * One session per browser per site, and the stored session's life, against the fake server. The
 * site's other tabs are played by a {@link SiteTabs} registry with the Web Locks semantics the
 * browser gives (a name is held by one tab at a time); the real locks, `BroadcastChannel` and
 * `localStorage` across real tabs are covered in Chromium by `e2e/multi-tab.e2e.test.ts`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { WebSocketConstructor } from '@sightline/client';
import { resolveSettings, type SightlineSettings } from '../src/options.js';
import { CustomerSession } from '../src/session/customer-session.js';
import type { TabPresence } from '../src/tabs/presence.js';
import { FakeSightlineServer } from './fake-server.js';
import { ManualClock } from './manual-clock.js';

/** The live tabs of one site: tab id → the tab holding it. */
class SiteTabs {
  readonly held = new Map<string, object>();

  /** One tab's view of the registry. */
  presence(): TabPresence {
    const self = {};
    return {
      claim: async (tabId) => {
        const holder = this.held.get(tabId);
        if (holder && holder !== self) return false;
        for (const [id, owner] of this.held) if (owner === self) this.held.delete(id);
        this.held.set(tabId, self);
        return true;
      },
      release: () => {
        for (const [id, owner] of this.held) if (owner === self) this.held.delete(id);
      },
      othersLive: async (tabId) => [...this.held.keys()].some((id) => id !== tabId),
    };
  }
}

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    removeItem: (key: string) => void data.delete(key),
  };
}

let server: FakeSightlineServer;
const sessions: CustomerSession[] = [];

beforeEach(async () => {
  server = await FakeSightlineServer.start();
});

afterEach(async () => {
  for (const session of sessions.splice(0)) session.end();
  await server.close();
});

function tab(
  presence: TabPresence,
  options: { tabId?: string; settings?: SightlineSettings; storage?: Storage | object } = {},
) {
  const clock = new ManualClock();
  const session = new CustomerSession(
    resolveSettings({ serverUrl: server.url, ...options.settings }, {}),
    {
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      clock,
      tabId: options.tabId ?? 'tab-a',
      storage: (options.storage ?? memoryStorage()) as ReturnType<typeof memoryStorage>,
      presence,
    },
  );
  sessions.push(session);
  return { session, clock };
}

describe('one session per browser per site', () => {
  it('refuses start() while another tab of the site holds a session (1004), without asking the server', async () => {
    const site = new SiteTabs();
    await site.presence().claim('tab-elsewhere');
    const { session } = tab(site.presence());
    const errors: unknown[] = [];
    session.on('session_error', (error) => errors.push(error));
    expect(await session.start({ sdkToken: 'jwt' })).toMatchObject({
      success: false,
      error: { code: 1004 },
    });
    expect(errors).toEqual([expect.objectContaining({ code: 1004 })]);
    expect(server.startRequests).toEqual([]);
    expect(session.getSessionInfo().sessionStatus).toBe('session_not_started');
  });

  it('holds the tab live from start to end, so other tabs are refused only meanwhile', async () => {
    const site = new SiteTabs();
    const { session } = tab(site.presence());
    expect(await session.start({ sdkToken: 'jwt' })).toEqual({ success: true });
    expect([...site.held.keys()]).toEqual(['tab-a']);
    session.end();
    expect(site.held.size).toBe(0);
  });

  it('gives a duplicated tab, which copied the original tab id, an id of its own', async () => {
    const site = new SiteTabs();
    await site.presence().claim('tab-a');
    const { session } = tab(site.presence(), {
      settings: { multiTabSessionPersistence: { enable: true } },
    });
    const storage = memoryStorage();
    storage.setItem(
      'sightline.session',
      JSON.stringify({
        sessionId: 's1',
        resumeToken: 'r1',
        pin: '123456',
        expiresAt: '2099-01-01',
      }),
    );
    const copy = tab(site.presence(), {
      tabId: 'tab-a',
      settings: { multiTabSessionPersistence: { enable: true } },
      storage,
    }).session;
    session.end();
    expect(await copy.join()).toEqual({ success: true });
    await vi.waitFor(() => expect(server.hellos).toHaveLength(1));
    const tabId = copy.getSessionInfo().tabId;
    expect(tabId).not.toBe('tab-a');
    expect(server.hellos[0]).toMatchObject({ resumeToken: 'r1', tabId });
    expect(site.held.has(tabId)).toBe(true);
  });
});

describe('the stored session', () => {
  it('with multiTabSessionPersistence, is kept under the configured key and lets another tab join', async () => {
    const site = new SiteTabs();
    const shared = memoryStorage();
    const settings = { multiTabSessionPersistence: { enable: true, stateCookieKey: 'shop.cb' } };
    const first = tab(site.presence(), { settings, storage: shared });
    expect(await first.session.start({ sdkToken: 'jwt' })).toEqual({ success: true });
    await vi.waitFor(() => expect(server.hellos).toHaveLength(1));
    const stored = JSON.parse(shared.data.get('shop.cb')!) as Record<string, unknown>;
    expect(stored).toMatchObject({ sessionId: 'sess_0123456789', graceMs: 120_000 });
    expect(typeof stored.activeAt).toBe('number');

    // A page may hold one live session, so the second tab is opened once the first one's
    // object is gone; its storage and tab lock stay, as a closed page's lock would not.
    const kept = shared.data.get('shop.cb')!;
    first.session.end();
    shared.setItem('shop.cb', kept);
    await site.presence().claim('tab-a');
    const second = tab(site.presence(), { tabId: 'tab-b', settings, storage: shared }).session;
    expect(second.getSessionInfo()).toMatchObject({ sessionStatus: 'session_recoverable' });
    expect(await second.join()).toEqual({ success: true });
    await vi.waitFor(() => expect(server.hellos).toHaveLength(2));
    expect(server.hellos[1]).toMatchObject({ resumeToken: 'resume-token-1', tabId: 'tab-b' });
  });

  it('is refreshed while live, and is not offered once no tab held it for the window', async () => {
    const storage = memoryStorage();
    const { session, clock } = tab(new SiteTabs().presence(), { storage });
    await session.start({ sdkToken: 'jwt' });
    const activeAt = () =>
      (JSON.parse(storage.data.get('sightline.session')!) as { activeAt: number }).activeAt;
    const first = activeAt();
    clock.advance(30_000);
    expect(activeAt()).toBe(first + 30_000);
    const kept = storage.data.get('sightline.session')!;
    session.end();
    storage.setItem('sightline.session', kept);
    const reopened = tab(new SiteTabs().presence(), { storage });
    expect(reopened.session.getSessionInfo().sessionStatus).toBe('session_recoverable');
    reopened.session.end();
    storage.setItem('sightline.session', kept);
    // ManualClock starts at the same time in every tab here; the stored time is in the past.
    const later = new ManualClock();
    later.advance(30_000 + 120_001);
    const stale = new CustomerSession(resolveSettings({ serverUrl: server.url }, {}), {
      clock: later,
      tabId: 'tab-a',
      storage,
      presence: new SiteTabs().presence(),
    });
    sessions.push(stale);
    expect(stale.getSessionInfo().sessionStatus).toBe('session_not_started');
    expect(storage.data.size).toBe(0);
  });
});
