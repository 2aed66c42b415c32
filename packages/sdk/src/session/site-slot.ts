/**
 * @module
 * Internal: this tab's place among the site's tabs. It owns the tab's id, where the session is
 * stored (the tab's `sessionStorage`, or with `multiTabSessionPersistence` the site's
 * `localStorage`), the Web Lock that tells other tabs this one holds a session live
 * (`../tabs/presence.ts`, for 1004), and the news tabs tell each other about the shared session
 * (`../tabs/channel.ts`). `customer-session.ts` decides what to do; this module knows where.
 */
import type { Clock, TimerHandle } from '@sightline/client';
import type { EndReason } from '@sightline/protocol';
import type { Disposables } from '../disposables.js';
import type { ResolvedSettings } from '../options.js';
import { currentTabId, renewTabId } from '../tab-id.js';
import { TabActivityWatcher } from '../tabs/activity.js';
import { TabChannel, type TabNews } from '../tabs/channel.js';
import { lockPresence, type TabPresence } from '../tabs/presence.js';
import type { SessionEnvironment } from './environment.js';
import {
  SESSION_STORAGE_KEY,
  clearStoredSession,
  currentStoredSession,
  extendStoredSession,
  pageSessionStore,
  readStoredSession,
  saveStoredSession,
  touchStoredSession,
  type SessionStore,
  type StoredSession,
} from './resume-store.js';

/** One tab's view of the site's session. */
export class SiteSlot {
  /** Whether the session is shared by the site's tabs (`multiTabSessionPersistence`). */
  readonly multiTab: boolean;
  readonly #clock: Clock;
  readonly #environment: SessionEnvironment;
  readonly #storage: SessionStore | undefined;
  readonly #key: string;
  readonly #presence: TabPresence;
  readonly #channel: TabChannel | undefined;
  #tabId: string;

  /** @param hear - another tab of the site started or ended the shared session. */
  constructor(
    settings: ResolvedSettings | undefined,
    environment: SessionEnvironment,
    clock: Clock,
    hear: (news: TabNews) => void,
  ) {
    const multiTab = settings?.multiTabSessionPersistence;
    this.multiTab = multiTab?.enable ?? false;
    this.#clock = clock;
    this.#environment = environment;
    this.#key = multiTab?.stateCookieKey ?? SESSION_STORAGE_KEY;
    this.#storage =
      'storage' in environment
        ? environment.storage
        : pageSessionStore(this.multiTab ? 'site' : 'tab');
    this.#presence = environment.presence ?? lockPresence();
    this.#tabId = environment.tabId ?? currentTabId();
    if (this.multiTab) this.#channel = new TabChannel(hear);
  }

  /** This tab's id (a duplicated tab gets a new one when it claims). */
  get tabId(): string {
    return this.#tabId;
  }

  /** The stored session, if a current one is there. */
  read(): StoredSession | undefined {
    return readStoredSession(this.#storage, this.#clock.now(), this.#key);
  }

  /** Stores a new session (replacing any) and tells the site's other tabs. */
  save(stored: StoredSession): void {
    saveStoredSession(this.#storage, stored, this.#key);
    this.#channel?.post({ type: 'started', sessionId: stored.sessionId, session: stored });
  }

  /** The session another tab announced, if it is well formed and current. */
  announced(news: TabNews & { type: 'started' }): StoredSession | undefined {
    const session = currentStoredSession(news.session, this.#clock.now());
    return session?.sessionId === news.sessionId ? session : undefined;
  }

  /** Forgets the stored session (a new one replaces it). */
  forget(): void {
    clearStoredSession(this.#storage, this.#key);
  }

  /** Whether another tab of the site holds a session live now. */
  othersLive(): Promise<boolean> {
    return this.#presence.othersLive(this.#tabId);
  }

  /**
   * Marks this tab live for the site's other tabs. A duplicated tab starts with the original's
   * id; the original holds it, so this tab takes a new one.
   */
  async claim(): Promise<void> {
    if (await this.#presence.claim(this.#tabId)) return;
    this.#tabId = renewTabId();
    await this.#presence.claim(this.#tabId);
  }

  /**
   * While connected: marks the stored session as held by a live tab, now and then and as the page
   * goes away (a session no tab has held for the server's reconnection window is over, and is not
   * offered), and moves its end when the session is extended. Undone through `disposables`.
   */
  keepAlive(stored: StoredSession, disposables: Disposables): (endsAt: number) => void {
    const extend = (endsAt: number) =>
      extendStoredSession(this.#storage, stored.sessionId, endsAt, this.#clock.now(), this.#key);
    if (stored.graceMs === undefined) return extend;
    const touch = () =>
      touchStoredSession(this.#storage, stored.sessionId, this.#clock.now(), this.#key);
    const everyMs = Math.max(1_000, Math.min(30_000, stored.graceMs / 4));
    const clock = this.#clock;
    let timer: TimerHandle;
    const tick = () => {
      touch();
      timer = clock.setTimeout(tick, everyMs);
    };
    timer = clock.setTimeout(tick, everyMs);
    disposables.add(() => clock.clearTimeout(timer));
    touch();
    const target = this.#environment.document?.defaultView ?? globalThis;
    if (typeof target.addEventListener === 'function') {
      target.addEventListener('pagehide', touch);
      disposables.add(() => target.removeEventListener('pagehide', touch));
    }
    return extend;
  }

  /**
   * Calls `callback` once this tab is in front (visible, its window focused): at once if it is,
   * checked a tick later so that the page's own handlers are in place, else when it comes to the
   * front. Returns how to stop waiting. Never calls back without a page.
   */
  whenInFront(callback: () => void): () => void {
    const document = this.#environment.document ?? globalThis.document;
    const window = this.#environment.window ?? document?.defaultView;
    if (!document || !window) return () => {};
    const watcher = new TabActivityWatcher({ document, window }, (state) => {
      if (state !== 'focused') return;
      stop();
      callback();
    });
    const first = setTimeout(() => watcher.resend(), 0);
    const stop = () => {
      clearTimeout(first);
      watcher.dispose();
    };
    return stop;
  }

  /**
   * The session ended here. The tab is no longer live; the stored session is forgotten and the
   * site's other tabs are told, unless only this tab failed (`error`) in a shared session.
   */
  release(sessionId: string | null | undefined, reason: EndReason): void {
    this.#presence.release();
    if (!this.multiTab || reason !== 'error') {
      this.forget();
      if (sessionId) this.#channel?.post({ type: 'ended', sessionId });
    }
    this.#channel?.close();
  }
}
