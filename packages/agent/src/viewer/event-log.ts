/**
 * @module
 * Internal to the mirror. rrweb's live `Replayer` keeps every event it was given for the whole
 * session (to seek, which live mode never does), so an agent's page would grow by every mutation
 * of a 45-minute session. Once a newer full snapshot has been applied, everything before it can
 * never be needed again: this module drops it. The server asks the customer for a fresh full
 * snapshot whenever a tab's checkout tail passes its bound, so the log stays bounded too.
 */
import { EventType, type eventWithTime } from '@rrweb/types';

/**
 * Removes, in place, every event before the last full snapshot's Meta event (the Meta carries the
 * viewport the snapshot is laid out in, so it stays). Returns how many were removed.
 */
export function pruneBeforeLastFullSnapshot(events: eventWithTime[]): number {
  let snapshot = -1;
  for (let i = events.length - 1; i >= 0; i -= 1) {
    if (events[i]?.type === EventType.FullSnapshot) {
      snapshot = i;
      break;
    }
  }
  if (snapshot <= 0) return 0;
  let cut = snapshot;
  if (events[snapshot - 1]?.type === EventType.Meta) cut = snapshot - 1;
  events.splice(0, cut);
  return cut;
}

/**
 * The replayer's own event array, or `undefined` if this rrweb version keeps it elsewhere (then
 * nothing is pruned, which costs memory, never correctness).
 */
export function replayerEventLog(replayer: object): eventWithTime[] | undefined {
  const events = (replayer as { service?: { state?: { context?: { events?: unknown } } } }).service
    ?.state?.context?.events;
  return Array.isArray(events) ? (events as eventWithTime[]) : undefined;
}
