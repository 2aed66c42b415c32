/**
 * @module
 * The tab id: one per browser tab, kept in `sessionStorage` so a reload of the same tab keeps it
 * (the server keys a tab's batches and checkout by it). `sessionStorage` is per tab, so two tabs
 * get two ids; a duplicated tab starts with a copy of the original's storage, and so its id.
 */
import { TabId } from '@sightline/protocol';

/** The `sessionStorage` key holding the tab id. */
export const TAB_ID_STORAGE_KEY = 'sightline.tabId';

/** The part of `Storage` this module uses. */
export interface TabIdStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** A fresh random id: 16 URL-safe characters (96 bits). */
export function newTabId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_');
}

/**
 * This tab's id: the stored one if it is valid, else a new one, stored. Without usable storage
 * (blocked, or a sandboxed frame) the id lives only as long as the page.
 */
export function tabIdFrom(storage: TabIdStorage | undefined): string {
  try {
    const stored = storage?.getItem(TAB_ID_STORAGE_KEY);
    if (stored && TabId.safeParse(stored).success) return stored;
  } catch {
    // Reading storage can throw (blocked cookies); fall through to a fresh id.
  }
  const id = newTabId();
  try {
    storage?.setItem(TAB_ID_STORAGE_KEY, id);
  } catch {
    // Not persisted: a reload will be a new tab to the server, which only costs a new snapshot.
  }
  return id;
}

function pageStorage(): TabIdStorage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

/** This tab's id, from the page's `sessionStorage`. */
export function currentTabId(): string {
  return tabIdFrom(pageStorage());
}

/**
 * A new id for this tab, stored in place of the old one: for a duplicated tab, which started with
 * a copy of the original's `sessionStorage` and so with the original's id.
 */
export function renewTabId(storage: TabIdStorage | undefined = pageStorage()): string {
  const id = newTabId();
  try {
    storage?.setItem(TAB_ID_STORAGE_KEY, id);
  } catch {
    // Not persisted: the id lives as long as the page.
  }
  return id;
}
