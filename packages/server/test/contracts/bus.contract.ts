/**
 * @module
 * The `Bus` contract, run with three nodes in one process: every adapter (memory, Redis) must
 * pass it unchanged. `makeNodes` returns three buses sharing one medium, each with its own node
 * id, and a `close` that releases them (some may already be closed).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Bus, BusMessage, PresenceEntry, StoredBatch } from '../../src/index.js';

/** Three connected nodes. */
export interface BusNodes {
  nodes: [Bus, Bus, Bus];
  close(): Promise<void>;
}

/** Options every adapter factory must honour. */
export interface BusContractOptions {
  checkoutMaxBytes: number;
  /** How long a node's presence outlives its last heartbeat. */
  presenceTtlMs: number;
}

const MAX_BYTES = 10_000;
/** Short enough to wait out, long enough that a busy machine beats well within it. */
const PRESENCE_TTL_MS = 1_500;

let counter = 0;
const sessionId = () => `bus-session-${(counter += 1)}`;

const batch = (tabId: string, seq: number, full = false, size = 100): StoredBatch => ({
  tabId,
  seq,
  full,
  receivedAt: 1_000 + seq,
  frame: new Uint8Array(size).fill(seq % 256),
});

const text = (value: string): BusMessage => ({ kind: 'text', to: 'all', text: value });

/** Registers the contract suite for one adapter. */
export function describeBusContract(
  name: string,
  makeNodes: (options: BusContractOptions) => Promise<BusNodes>,
): void {
  describe(`Bus contract: ${name} (3 nodes)`, () => {
    let cluster: BusNodes;
    let a: Bus;
    let b: Bus;
    let c: Bus;

    beforeEach(async () => {
      cluster = await makeNodes({ checkoutMaxBytes: MAX_BYTES, presenceTtlMs: PRESENCE_TTL_MS });
      [a, b, c] = cluster.nodes;
    });

    afterEach(async () => {
      await cluster.close();
    });

    function collect(bus: Bus, id: string): Promise<BusMessage[]> {
      const received: BusMessage[] = [];
      return bus.subscribe(id, (message) => received.push(message)).then(() => received);
    }

    it('gives each node its own id', () => {
      expect(new Set([a.nodeId, b.nodeId, c.nodeId]).size).toBe(3);
    });

    it('delivers to every other node, in order, and never back to the publisher', async () => {
      const id = sessionId();
      const [atA, atB, atC] = await Promise.all([collect(a, id), collect(b, id), collect(c, id)]);
      for (const value of ['1', '2', '3']) await a.publish(id, text(value));
      await vi.waitFor(() => {
        expect(atB).toEqual([text('1'), text('2'), text('3')]);
        expect(atC).toEqual([text('1'), text('2'), text('3')]);
      });
      await c.publish(id, text('from c'));
      await vi.waitFor(() => expect(atA).toEqual([text('from c')]));
      await vi.waitFor(() => expect(atB).toHaveLength(4));
      expect(atC).toHaveLength(3);
    });

    it('carries binary frames byte for byte and every message kind', async () => {
      const id = sessionId();
      const atB = await collect(b, id);
      const frame = new Uint8Array([0, 1, 2, 250, 255]);
      const messages: BusMessage[] = [
        // Issue 6: the origin's receipt time and the hub's send time, for relay latency and bus lag.
        {
          kind: 'batch',
          tabId: 't',
          seq: 7,
          receivedAt: 1_700_000_000_123,
          frame,
          sentAt: 1_700_000_000_125,
        },
        {
          kind: 'text',
          to: 'agent',
          except: { role: 'customer', userId: 'c' },
          text: '{"type":"x"}',
          sentAt: 1_700_000_000_126,
        },
        { kind: 'ended', reason: 'revoked' },
        // Issue 5: a text for one participant or one tab, and a checked command for its tab.
        { kind: 'text', to: 'agent', userId: 'ann', text: '{"type":"y"}' },
        { kind: 'text', to: 'customer', tabId: 'tab-1', text: '{"type":"z"}' },
        {
          kind: 'command',
          command: {
            type: 'control.command',
            commandId: 'c-1',
            tabId: 'tab-1',
            agent: { userId: 'ann', userName: 'Ann', role: 'agent' },
            action: { kind: 'type', nodeId: 4, text: 'hello', replace: false },
          },
        },
      ];
      for (const message of messages) await a.publish(id, message);
      await vi.waitFor(() => expect(atB).toHaveLength(messages.length));
      expect(atB[0]).toMatchObject({
        kind: 'batch',
        tabId: 't',
        seq: 7,
        receivedAt: 1_700_000_000_123,
        sentAt: 1_700_000_000_125,
      });
      expect([...(atB[0] as { frame: Uint8Array }).frame]).toEqual([...frame]);
      expect(atB.slice(1)).toEqual(messages.slice(1));
    });

    it('keeps sessions apart and stops delivering after unsubscribe', async () => {
      const one = sessionId();
      const two = sessionId();
      const atB: BusMessage[] = [];
      const unsubscribe = await b.subscribe(one, (message) => atB.push(message));
      const atC = await collect(c, two);
      await a.publish(one, text('for one'));
      await vi.waitFor(() => expect(atB).toEqual([text('for one')]));
      await unsubscribe();
      await a.publish(one, text('too late'));
      await a.publish(two, text('for two'));
      await vi.waitFor(() => expect(atC).toEqual([text('for two')]));
      expect(atB).toEqual([text('for one')]);
    });

    describe('checkouts', () => {
      it('keeps the full batch and tail in seq order, readable from any node', async () => {
        const id = sessionId();
        expect(await a.appendBatch(id, batch('t1', 1, true))).toMatchObject({
          status: 'appended',
          tailBytes: 0,
          tailBatches: 0,
          truncated: false,
        });
        expect(await b.appendBatch(id, batch('t1', 2))).toMatchObject({
          status: 'appended',
          tailBytes: 100,
          tailBatches: 1,
        });
        await c.appendBatch(id, batch('t1', 3, false, 50));
        const checkout = await c.readCheckout(id, 't1');
        expect(checkout.full).toMatchObject({ seq: 1, full: true, receivedAt: 1_001 });
        expect(checkout.tail.map((x) => x.seq)).toEqual([2, 3]);
        expect(checkout.lastSeq).toBe(3);
        expect([...(checkout.tail[1]?.frame ?? [])]).toEqual([...batch('t1', 3, false, 50).frame]);
      });

      it('reports a resent seq as a duplicate and changes nothing', async () => {
        const id = sessionId();
        await a.appendBatch(id, batch('t', 1, true));
        await a.appendBatch(id, batch('t', 2));
        expect(await b.appendBatch(id, batch('t', 2))).toEqual({ status: 'duplicate', lastSeq: 2 });
        expect(await b.appendBatch(id, batch('t', 1, true))).toEqual({
          status: 'duplicate',
          lastSeq: 2,
        });
        const checkout = await c.readCheckout(id, 't');
        expect(checkout.full?.seq).toBe(1);
        expect(checkout.tail.map((x) => x.seq)).toEqual([2]);
      });

      it('lets exactly one of concurrent appends of the same seq through', async () => {
        const id = sessionId();
        const results = await Promise.all(
          [a, b, c].map((bus) => bus.appendBatch(id, batch('t', 1))),
        );
        expect(results.filter((r) => r.status === 'appended')).toHaveLength(1);
      });

      it('resets the checkout on a full batch', async () => {
        const id = sessionId();
        await a.appendBatch(id, batch('t', 1, true));
        await a.appendBatch(id, batch('t', 2));
        await a.appendBatch(id, batch('t', 3, true));
        await a.appendBatch(id, batch('t', 4));
        const checkout = await b.readCheckout(id, 't');
        expect(checkout.full?.seq).toBe(3);
        expect(checkout.tail.map((x) => x.seq)).toEqual([4]);
      });

      it('drops an overflowing checkout until the next full batch', async () => {
        const id = sessionId();
        await a.appendBatch(id, batch('t', 1, true, 4_000));
        await a.appendBatch(id, batch('t', 2, false, 4_000));
        expect(await a.appendBatch(id, batch('t', 3, false, 4_000))).toEqual({
          status: 'appended',
          tailBytes: 0,
          tailBatches: 0,
          truncated: true,
        });
        expect(await a.appendBatch(id, batch('t', 4, false, 10))).toMatchObject({
          truncated: true,
        });
        expect(await b.readCheckout(id, 't')).toEqual({ tail: [], lastSeq: 4 });
        expect(await a.appendBatch(id, batch('t', 5, true, 100))).toMatchObject({
          status: 'appended',
          truncated: false,
        });
        await a.appendBatch(id, batch('t', 6, false, 10));
        const checkout = await c.readCheckout(id, 't');
        expect(checkout.full?.seq).toBe(5);
        expect(checkout.tail.map((x) => x.seq)).toEqual([6]);
      });

      it('lists tabs and their last seqs, and drops a session everywhere', async () => {
        const id = sessionId();
        await a.appendBatch(id, batch('first', 1, true));
        await b.appendBatch(id, batch('second', 1, true));
        await b.appendBatch(id, batch('second', 2));
        expect(await c.listTabs(id)).toEqual(['first', 'second']);
        expect(await c.lastSeqs(id)).toEqual({ first: 1, second: 2 });
        await a.dropSession(id);
        expect(await b.listTabs(id)).toEqual([]);
        expect(await c.lastSeqs(id)).toEqual({});
        expect(await c.readCheckout(id, 'first')).toEqual({ tail: [], lastSeq: 0 });
      });

      it('answers an unknown tab with an empty checkout', async () => {
        expect(await a.readCheckout(sessionId(), 'nope')).toEqual({ tail: [], lastSeq: 0 });
      });
    });

    describe('tabs', () => {
      it('records tabs in first-seen order, readable from any node, with a growing revision', async () => {
        const id = sessionId();
        const first = await a.updateTab(id, { tabId: 'one', state: 'focused', at: 100 });
        expect(first).toEqual({
          revision: 1,
          tabs: [{ tabId: 'one', state: 'focused', openedAt: 100, since: 100 }],
        });
        await b.updateTab(id, { tabId: 'two', state: 'focused', at: 200 });
        const third = await c.updateTab(id, { tabId: 'one', state: 'hidden', at: 210 });
        expect(third.revision).toBe(3);
        expect(third.tabs).toEqual([
          { tabId: 'one', state: 'hidden', openedAt: 100, since: 210 },
          { tabId: 'two', state: 'focused', openedAt: 200, since: 200 },
        ]);
        expect(await a.readTabs(id)).toEqual(third);
      });

      it('keeps a gone tab with its opening time, and changes nothing for the same state', async () => {
        const id = sessionId();
        await a.updateTab(id, { tabId: 'one', state: 'visible', at: 100 });
        await b.updateTab(id, { tabId: 'one', state: 'gone', at: 150 });
        const same = await c.updateTab(id, { tabId: 'one', state: 'gone', at: 170 });
        expect(same).toEqual({
          revision: 2,
          tabs: [{ tabId: 'one', state: 'gone', openedAt: 100, since: 150 }],
        });
        const back = await a.updateTab(id, { tabId: 'one', state: 'focused', at: 300 });
        expect(back.tabs).toEqual([{ tabId: 'one', state: 'focused', openedAt: 100, since: 300 }]);
      });

      it('gives every one of concurrent updates its own revision', async () => {
        const id = sessionId();
        const lists = await Promise.all(
          [a, b, c].map((bus, i) =>
            bus.updateTab(id, { tabId: `tab${i}`, state: 'hidden', at: i }),
          ),
        );
        expect(lists.map((list) => list.revision).sort()).toEqual([1, 2, 3]);
        expect((await a.readTabs(id)).tabs).toHaveLength(3);
      });

      it('answers an unknown session with no tabs, and forgets tabs when the session is dropped', async () => {
        expect(await a.readTabs(sessionId())).toEqual({ revision: 0, tabs: [] });
        const id = sessionId();
        await a.updateTab(id, { tabId: 'one', state: 'focused', at: 1 });
        await b.dropSession(id);
        expect(await c.readTabs(id)).toEqual({ revision: 0, tabs: [] });
      });
    });

    it("knows when any node last appended one of the session's batches", async () => {
      const id = sessionId();
      expect(await c.lastReceivedAt(id)).toBeUndefined();
      await a.appendBatch(id, { ...batch('tab-1', 1, true), receivedAt: 5_000 });
      await b.appendBatch(id, { ...batch('tab-2', 1, true), receivedAt: 7_000 });
      // A duplicate (a resend after a reconnect) is no activity, and time never goes back.
      await a.appendBatch(id, { ...batch('tab-2', 1, true), receivedAt: 9_000 });
      await c.appendBatch(id, { ...batch('tab-1', 2), receivedAt: 6_000 });
      expect(await c.lastReceivedAt(id)).toBe(7_000);
      await b.dropSession(id);
      expect(await a.lastReceivedAt(id)).toBeUndefined();
    });

    describe('failure windows', () => {
      const WINDOW = 60_000;
      let key = 0;
      const fresh = () => `contract:${(key += 1)}:${Math.random().toString(36).slice(2)}`;

      it('counts failures from every node under one key, within the window', async () => {
        const k = fresh();
        expect(await a.failures.record(k, 1_000, WINDOW, 5)).toEqual([1_000]);
        expect(await b.failures.record(k, 2_000, WINDOW, 5)).toEqual([1_000, 2_000]);
        expect(await c.failures.read(k, 3_000, WINDOW)).toEqual([1_000, 2_000]);
        // The window slides: the first failure has left it.
        expect(await c.failures.read(k, 61_500, WINDOW)).toEqual([2_000]);
        expect(await a.failures.read(fresh(), 3_000, WINDOW)).toEqual([]);
      });

      it('keeps only the most recent failures, and loses none recorded at once', async () => {
        const k = fresh();
        await Promise.all(
          [a, b, c, a, b, c].map((node, i) => node.failures.record(k, 10_000 + i, WINDOW, 10)),
        );
        expect(await b.failures.read(k, 10_010, WINDOW)).toHaveLength(6);
        expect(await c.failures.record(k, 10_020, WINDOW, 3)).toEqual([10_004, 10_005, 10_020]);
      });
    });

    describe('presence', () => {
      const customer = {
        socketId: 's-a1',
        role: 'customer',
        userId: 'cus',
        tabId: 'tab-1',
        at: 100,
      } as const;
      const ann = { socketId: 's-b1', role: 'agent', userId: 'ann', at: 200 } as const;
      const bob = { socketId: 's-c1', role: 'agent', userId: 'bob', at: 300 } as const;

      it('lists who is in the session on which node, from any node, oldest first, until they leave', async () => {
        const id = sessionId();
        await c.presence.enter(id, { ...bob });
        await a.presence.enter(id, { ...customer });
        await b.presence.enter(id, { ...ann });
        const everyone: PresenceEntry[] = [
          { ...customer, nodeId: a.nodeId },
          { ...ann, nodeId: b.nodeId },
          { ...bob, nodeId: c.nodeId },
        ];
        for (const bus of [a, b, c]) expect(await bus.presence.list(id)).toEqual(everyone);
        await a.presence.leave(id, ann.socketId);
        await a.presence.leave(id, 'never-entered');
        expect(await c.presence.list(id)).toEqual([everyone[0], everyone[2]]);
        expect(await b.presence.list(sessionId())).toEqual([]);
      });

      it("keeps one entry per socket: a user's second socket is a second entry, re-entering replaces", async () => {
        const id = sessionId();
        await a.presence.enter(id, { ...customer });
        await b.presence.enter(id, { ...customer, socketId: 's-b2', tabId: 'tab-2', at: 150 });
        await a.presence.enter(id, { ...customer, at: 120 });
        expect((await c.presence.list(id)).map((e) => [e.socketId, e.nodeId, e.at])).toEqual([
          ['s-a1', a.nodeId, 120],
          ['s-b2', b.nodeId, 150],
        ]);
        await c.presence.leave(id, 's-a1');
        expect((await a.presence.list(id)).map((e) => e.tabId)).toEqual(['tab-2']);
      });

      it('forgets presence when the session is dropped', async () => {
        const id = sessionId();
        await a.presence.enter(id, { ...customer });
        await b.dropSession(id);
        expect(await c.presence.list(id)).toEqual([]);
      });

      it("stops listing a dead node's users once its heartbeat lapses, and keeps the living", async () => {
        const id = sessionId();
        await a.presence.enter(id, { ...customer });
        await c.presence.enter(id, { ...bob });
        expect((await b.presence.list(id)).map((e) => e.userId)).toEqual(['cus', 'bob']);
        const all = [a.nodeId, b.nodeId, c.nodeId];
        expect(await b.presence.nodes()).toEqual(expect.arrayContaining(all));
        // Node c dies: its bus closes without anyone leaving, and its heartbeat stops.
        await c.close();
        await vi.waitFor(
          async () => {
            for (const bus of [a, b]) {
              expect((await bus.presence.list(id)).map((e) => e.userId)).toEqual(['cus']);
              expect(await bus.presence.nodes()).not.toContain(c.nodeId);
            }
          },
          { timeout: PRESENCE_TTL_MS * 6, interval: 100 },
        );
        // More than a TTL has passed since a's first beat: its heartbeat was refreshed, not lapsed.
        expect((await a.presence.list(id)).map((e) => e.nodeId)).toEqual([a.nodeId]);
        expect(await b.presence.nodes()).toEqual(expect.arrayContaining([a.nodeId, b.nodeId]));
      });
    });

    it('answers ping', async () => {
      await expect(Promise.all([a.ping(), b.ping(), c.ping()])).resolves.toBeDefined();
    });
  });
}
