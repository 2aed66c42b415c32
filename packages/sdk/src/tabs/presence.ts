/**
 * @module
 * Which tabs of the site hold a live session, through the browser's Web Locks: a tab that holds
 * a session live holds the lock `sightline.live.<tabId>` until its session ends or the tab goes
 * away (the browser releases a closed tab's locks itself). Asking the browser which locks are held
 * answers for every tab of the origin at once, with no timing guesswork, which is what enforcing
 * "one active session per browser per site" (1004) needs.
 *
 * The same lock tells a duplicated tab (which starts with a copy of the original's
 * `sessionStorage`, and so its tab id) that its id is taken.
 *
 * Where Web Locks are missing (very old browsers, or a page that is not a secure context), no tab
 * is seen as live: the limit is not enforced rather than every start refused.
 */

const PREFIX = 'sightline.live.';

/** The part of `LockManager` this module uses. */
export interface LockManagerLike {
  request(
    name: string,
    options: { ifAvailable: true },
    callback: (lock: unknown) => Promise<void> | void,
  ): Promise<unknown>;
  query(): Promise<{ held?: { name?: string }[] }>;
}

/** The live-session registry of the site's tabs. */
export interface TabPresence {
  /**
   * Marks `tabId` live until {@link TabPresence.release}. False when another tab of the site
   * already holds `tabId` live (a duplicated tab): the caller takes a new id.
   */
  claim(tabId: string): Promise<boolean>;
  /** Ends this tab's claim. Harmless without one. */
  release(): void;
  /** Whether a tab other than `tabId` holds a session live now. */
  othersLive(tabId: string): Promise<boolean>;
}

/** The browser's Web Locks, if this page may use them. */
function pageLocks(): LockManagerLike | undefined {
  try {
    return (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  } catch {
    return undefined;
  }
}

/** Presence through `locks` (the page's Web Locks by default). */
export function lockPresence(locks: LockManagerLike | undefined = pageLocks()): TabPresence {
  let releaseHeld: (() => void) | undefined;
  return {
    async claim(tabId) {
      if (!locks) return true;
      releaseHeld?.();
      return new Promise<boolean>((claimed) => {
        locks
          .request(`${PREFIX}${tabId}`, { ifAvailable: true }, (lock) => {
            if (lock === null) {
              claimed(false);
              return;
            }
            claimed(true);
            // Held until released: the lock is the tab's "I am live".
            return new Promise<void>((resolve) => {
              releaseHeld = resolve;
            });
          })
          .catch(() => claimed(true));
      });
    },
    release() {
      releaseHeld?.();
      releaseHeld = undefined;
    },
    async othersLive(tabId) {
      if (!locks) return false;
      try {
        const { held = [] } = await locks.query();
        return held.some(
          (lock) => lock.name?.startsWith(PREFIX) === true && lock.name !== `${PREFIX}${tabId}`,
        );
      } catch {
        return false;
      }
    },
  };
}
