/**
 * @module
 * The list of people in the session, as this agent sees it. A participant is keyed by role and
 * user id: the same person twice (two tabs) is one entry.
 */
import type { Participant } from '@sightline/protocol';

function keyOf(participant: Participant): string {
  return `${participant.role}:${participant.userId}`;
}

/** `list` with `participant` added, or replacing the entry with the same key. */
export function withParticipant(
  list: readonly Participant[],
  participant: Participant,
): Participant[] {
  return [...list.filter((p) => keyOf(p) !== keyOf(participant)), participant];
}

/** `list` without the entry that has `participant`'s key. */
export function withoutParticipant(
  list: readonly Participant[],
  participant: Participant,
): Participant[] {
  return list.filter((p) => keyOf(p) !== keyOf(participant));
}

/** Who is in `after` but not `before`, and who is in `before` but not `after`. */
export function diffParticipants(
  before: readonly Participant[],
  after: readonly Participant[],
): { joined: Participant[]; left: Participant[] } {
  const beforeKeys = new Set(before.map(keyOf));
  const afterKeys = new Set(after.map(keyOf));
  return {
    joined: after.filter((p) => !beforeKeys.has(keyOf(p))),
    left: before.filter((p) => !afterKeys.has(keyOf(p))),
  };
}
