/**
 * @module
 * The in-process `Bus`. Several nodes in one process share a {@link MemoryBusHub}, which is what
 * Redis will be for real nodes: the subscriptions and the checkouts live in the hub, each
 * {@link MemoryBus} is one node's view of it. Passes `test/contracts/bus.contract.ts` with three
 * nodes, like the Redis bus.
 */
import { CHECKOUT_MAX_BYTES } from '@sightline/protocol';
import type {
  AppendResult,
  Bus,
  BusMessage,
  Checkout,
  Clock,
  StoredBatch,
  TabList,
  TabRecord,
  Unsubscribe,
} from '../../../core/ports.js';
import { systemClock } from '../../system/clock.js';
import { TabCheckout } from './checkout.js';
import { PRESENCE_TTL_MS } from '../presence.js';
import { FailureBoard, MemoryFailures } from './failures.js';
import { MemoryPresence, PresenceBoard } from './presence.js';

interface Subscription {
  nodeId: string;
  handler: (message: BusMessage) => void;
}

/** Options of {@link MemoryBusHub}. */
export interface MemoryBusHubOptions {
  /** Bound on one tab's checkout. @default CHECKOUT_MAX_BYTES (32 MiB) */
  checkoutMaxBytes?: number;
  /**
   * How long a node's presence entries stay listed after its last heartbeat; nodes beat every
   * third of it. @default PRESENCE_TTL_MS (15 s)
   */
  presenceTtlMs?: number;
}

/** The shared medium of in-process nodes: subscriptions, checkouts and presence. */
export class MemoryBusHub {
  readonly subscriptions = new Map<string, Set<Subscription>>();
  readonly checkouts = new Map<string, Map<string, TabCheckout>>();
  /** Per session: its tabs, in first-seen order, and the revision of the list. */
  readonly tabs = new Map<string, { revision: number; tabs: Map<string, TabRecord> }>();
  readonly presence: PresenceBoard;
  readonly failures = new FailureBoard();
  /** Per session: the latest `receivedAt` of an appended batch. */
  readonly received = new Map<string, number>();
  readonly checkoutMaxBytes: number;

  constructor(options: MemoryBusHubOptions = {}) {
    this.checkoutMaxBytes = options.checkoutMaxBytes ?? CHECKOUT_MAX_BYTES;
    this.presence = new PresenceBoard(options.presenceTtlMs ?? PRESENCE_TTL_MS);
  }
}

/** Options of {@link MemoryBus}. */
export interface MemoryBusOptions {
  nodeId: string;
  /** Share one hub between the nodes of a test. @default a hub of its own */
  hub?: MemoryBusHub;
  /**
   * Times the node's presence heartbeat and judges others' (see {@link MemoryPresence}). The
   * server does not pass its own: a test's manual clock would count the heartbeat as one of its
   * timers. @default the system clock
   */
  clock?: Clock;
}

/** One node's in-memory bus. */
export class MemoryBus implements Bus {
  readonly nodeId: string;
  readonly presence: MemoryPresence;
  readonly failures: MemoryFailures;
  private readonly hub: MemoryBusHub;
  private readonly own = new Set<{ sessionId: string; subscription: Subscription }>();
  private closed = false;

  constructor(options: MemoryBusOptions) {
    this.nodeId = options.nodeId;
    this.hub = options.hub ?? new MemoryBusHub();
    this.presence = new MemoryPresence(
      this.hub.presence,
      this.nodeId,
      options.clock ?? systemClock,
      () => this.assertOpen(),
    );
    this.failures = new MemoryFailures(this.hub.failures, () => this.assertOpen());
  }

  async publish(sessionId: string, message: BusMessage): Promise<void> {
    this.assertOpen();
    for (const subscription of this.hub.subscriptions.get(sessionId) ?? []) {
      // The one place echoes are dropped: a node serves its own sockets directly.
      if (subscription.nodeId === this.nodeId) continue;
      // Delivered on the microtask queue, FIFO, so publication order holds and a handler never
      // runs inside its publisher's call, as with a real network bus.
      queueMicrotask(() => subscription.handler(message));
    }
  }

  async subscribe(sessionId: string, handler: (message: BusMessage) => void): Promise<Unsubscribe> {
    this.assertOpen();
    const subscription: Subscription = { nodeId: this.nodeId, handler };
    let set = this.hub.subscriptions.get(sessionId);
    if (!set) {
      set = new Set();
      this.hub.subscriptions.set(sessionId, set);
    }
    set.add(subscription);
    const entry = { sessionId, subscription };
    this.own.add(entry);
    return async () => {
      this.own.delete(entry);
      this.drop(entry);
    };
  }

  async appendBatch(sessionId: string, batch: StoredBatch): Promise<AppendResult> {
    this.assertOpen();
    let tabs = this.hub.checkouts.get(sessionId);
    if (!tabs) {
      tabs = new Map();
      this.hub.checkouts.set(sessionId, tabs);
    }
    let checkout = tabs.get(batch.tabId);
    if (!checkout) {
      checkout = new TabCheckout(this.hub.checkoutMaxBytes);
      tabs.set(batch.tabId, checkout);
    }
    const result = checkout.append(batch);
    if (result.status === 'appended') {
      const latest = this.hub.received.get(sessionId) ?? 0;
      if (batch.receivedAt > latest) this.hub.received.set(sessionId, batch.receivedAt);
    }
    return result;
  }

  async lastReceivedAt(sessionId: string): Promise<number | undefined> {
    this.assertOpen();
    return this.hub.received.get(sessionId);
  }

  async readCheckout(sessionId: string, tabId: string): Promise<Checkout> {
    this.assertOpen();
    return this.hub.checkouts.get(sessionId)?.get(tabId)?.read() ?? { tail: [], lastSeq: 0 };
  }

  async listTabs(sessionId: string): Promise<string[]> {
    this.assertOpen();
    return [...(this.hub.checkouts.get(sessionId)?.keys() ?? [])];
  }

  async lastSeqs(sessionId: string): Promise<Record<string, number>> {
    this.assertOpen();
    const result: Record<string, number> = {};
    for (const [tabId, checkout] of this.hub.checkouts.get(sessionId) ?? []) {
      result[tabId] = checkout.last;
    }
    return result;
  }

  async dropSession(sessionId: string): Promise<void> {
    this.assertOpen();
    this.hub.checkouts.delete(sessionId);
    this.hub.tabs.delete(sessionId);
    this.hub.received.delete(sessionId);
    this.presence.drop(sessionId);
  }

  async updateTab(
    sessionId: string,
    update: { tabId: string; state: TabRecord['state']; at: number },
  ): Promise<TabList> {
    this.assertOpen();
    let session = this.hub.tabs.get(sessionId);
    if (!session) {
      session = { revision: 0, tabs: new Map() };
      this.hub.tabs.set(sessionId, session);
    }
    const known = session.tabs.get(update.tabId);
    if (known?.state !== update.state) {
      session.tabs.set(update.tabId, {
        tabId: update.tabId,
        state: update.state,
        openedAt: known?.openedAt ?? update.at,
        since: update.at,
      });
      session.revision += 1;
    }
    return this.tabList(sessionId);
  }

  async readTabs(sessionId: string): Promise<TabList> {
    this.assertOpen();
    return this.tabList(sessionId);
  }

  async ping(): Promise<void> {
    this.assertOpen();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.presence.stop();
    for (const entry of this.own) this.drop(entry);
    this.own.clear();
  }

  /** A copy, so callers never hold the hub's records. */
  private tabList(sessionId: string): TabList {
    const session = this.hub.tabs.get(sessionId);
    if (!session) return { revision: 0, tabs: [] };
    return { revision: session.revision, tabs: [...session.tabs.values()].map((t) => ({ ...t })) };
  }

  private drop(entry: { sessionId: string; subscription: Subscription }): void {
    const set = this.hub.subscriptions.get(entry.sessionId);
    set?.delete(entry.subscription);
    if (set?.size === 0) this.hub.subscriptions.delete(entry.sessionId);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`MemoryBus ${this.nodeId} is closed`);
  }
}
