import type { Participant } from '@sightline/protocol';
import { describe, expect, it } from 'vitest';
import { diffParticipants, withParticipant, withoutParticipant } from './participants.js';

const customer: Participant = { userId: 'c1', userName: 'Casey', role: 'customer' };
const ana: Participant = { userId: 'a1', userName: 'Ana', role: 'agent' };
const ben: Participant = { userId: 'a2', userName: 'Ben', role: 'agent' };

describe('participants', () => {
  it('adds, replaces by role and user id, and removes', () => {
    let list = withParticipant([], customer);
    list = withParticipant(list, ana);
    list = withParticipant(list, { ...ana, userName: 'Ana R.' });
    expect(list).toEqual([customer, { ...ana, userName: 'Ana R.' }]);
    expect(withoutParticipant(list, ana)).toEqual([customer]);
  });

  it('keeps a customer and an agent with the same user id apart', () => {
    const twin: Participant = { ...customer, role: 'agent' };
    expect(withParticipant([customer], twin)).toEqual([customer, twin]);
  });

  it('diffs two lists', () => {
    expect(diffParticipants([customer, ana], [ana, ben])).toEqual({
      joined: [ben],
      left: [customer],
    });
  });
});
