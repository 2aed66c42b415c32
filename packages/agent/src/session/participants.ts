/**
 * @module
 * The list of people in the session, as this agent sees it. A participant is keyed by role and
 * user id: the same person twice (two tabs) is one entry.
 */
import type { Participant, SessionWelcome } from '@sightline/protocol';

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

/** A presence change: `customer_joined`, `agent_left` and so on. */
export type PresenceChange = 'joined' | 'left';

/**
 * Everyone else in the session, kept from the welcomes and the presence frames; each change is
 * reported once, including, after a rejoin, whoever came or went while this agent was away.
 */
export class Roster {
  #self: Participant | undefined;
  #others: Participant[] = [];

  constructor(
    private readonly report: (participant: Participant, change: PresenceChange) => void,
  ) {}

  /** This agent, once welcomed. */
  get self(): Participant | undefined {
    return this.#self;
  }

  /** Everyone else now. */
  get others(): Participant[] {
    return [...this.#others];
  }

  /** A welcome replaces the list; after a rejoin the difference is reported. */
  welcome(welcome: SessionWelcome, rejoin: boolean): void {
    const before = this.#others;
    this.#self = welcome.self;
    this.#others = welcome.participants
      .filter((p) => p.role !== welcome.self.role || p.userId !== welcome.self.userId)
      .reduce<Participant[]>(withParticipant, []);
    if (!rejoin) return;
    const { joined, left } = diffParticipants(before, this.#others);
    for (const participant of left) this.report(participant, 'left');
    for (const participant of joined) this.report(participant, 'joined');
  }

  /** `session.participant_joined`; this agent's own other sockets are not news. */
  joined(participant: Participant): void {
    if (participant.role === this.#self?.role && participant.userId === this.#self.userId) return;
    this.#others = withParticipant(this.#others, participant);
    this.report(participant, 'joined');
  }

  /** `session.participant_left`. */
  left(participant: Participant): void {
    this.#others = withoutParticipant(this.#others, participant);
    this.report(participant, 'left');
  }
}
