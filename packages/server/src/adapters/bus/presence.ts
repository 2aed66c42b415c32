/**
 * @module
 * Presence rules every bus shares, so adapters agree to the element: the default TTL and the
 * order entries are listed in.
 */
import type { PresenceEntry } from '../../core/ports.js';

/** Default presence TTL, on every bus: a dead node's users drop out within 15 s. */
export const PRESENCE_TTL_MS = 15_000;

/** Oldest first: `at`, then `socketId`. */
export function byAge(a: PresenceEntry, b: PresenceEntry): number {
  return a.at - b.at || (a.socketId < b.socketId ? -1 : a.socketId > b.socketId ? 1 : 0);
}
