/**
 * The hub's takeover (ADR 0007) on its own, with members that only record what they are told:
 * the older socket of the same agent or tab is superseded, on one node and across two, including
 * when the older socket's claim arrives after the newer one's.
 */
import type { Role } from '@sightline/protocol';
import { describe, expect, it, vi } from 'vitest';
import { MemoryBus, MemoryBusHub } from '../src/adapters/bus/memory/index.js';
import type { Logger } from '../src/core/ports.js';
import { SessionHub, type HubMember } from '../src/core/session-hub.js';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** A hub member that only records whether it was superseded. */
class Member implements HubMember {
  superseded = false;
  watching = false;
  constructor(
    readonly role: Role,
    readonly userId: string,
    readonly tabId: string | undefined = undefined,
  ) {}
  sendText(): void {}
  sendBatch(): void {}
  end(): void {}
  consentDecided(): void {}
  supersede(): void {
    this.superseded = true;
  }
}

/** Two nodes on one bus, each with its own clock. */
function twoNodes(clockA: () => number, clockB: () => number) {
  const medium = new MemoryBusHub();
  return [
    new SessionHub(new MemoryBus({ nodeId: 'a', hub: medium }), quiet, clockA),
    new SessionHub(new MemoryBus({ nodeId: 'b', hub: medium }), quiet, clockB),
  ] as const;
}

describe('SessionHub takeover', () => {
  it('supersedes the older socket of the same agent, and of the same tab only', async () => {
    const [hub] = twoNodes(
      () => 1_000,
      () => 1_000,
    );
    const agent = new Member('agent', 'a-1');
    const otherAgent = new Member('agent', 'a-2');
    const tab1 = new Member('customer', 'c-1', 'tab-1');
    const tab2 = new Member('customer', 'c-1', 'tab-2');
    for (const member of [agent, otherAgent, tab1, tab2]) await hub.add('s', member);
    // The same millisecond: the later admission on the node still wins.
    const agentAgain = new Member('agent', 'a-1');
    const tab1Again = new Member('customer', 'c-1', 'tab-1');
    await hub.add('s', agentAgain);
    await hub.add('s', tab1Again);
    expect([agent, otherAgent, tab1, tab2, agentAgain, tab1Again].map((m) => m.superseded)).toEqual(
      [true, false, true, false, false, false],
    );
  });

  it('closes an older socket whose claim arrives after the newer one’s', async () => {
    // Node a's clock lags: its socket joins last but was admitted "earlier".
    const [a, b] = twoNodes(
      () => 1_000,
      () => 2_000,
    );
    const newer = new Member('agent', 'a-1');
    await b.add('s', newer);
    const older = new Member('agent', 'a-1');
    await a.add('s', older);
    // b heard a's older claim and said its own again, which a heard.
    await vi.waitFor(() => expect(older.superseded).toBe(true));
    expect(newer.superseded).toBe(false);
  });

  it('forgets a member’s claim once it is removed', async () => {
    const [hub] = twoNodes(
      () => 1_000,
      () => 1_000,
    );
    const gone = new Member('agent', 'a-1');
    const stays = new Member('agent', 'a-2');
    await hub.add('s', gone);
    await hub.add('s', stays);
    await hub.remove('s', gone);
    await hub.add('s', new Member('agent', 'a-1'));
    expect(gone.superseded).toBe(false);
  });
});
