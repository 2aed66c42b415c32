/**
 * @module
 * The metrics port on `prom-client`. Each node has a registry of its own, so several nodes in one
 * process (tests, benches) never add into each other's series; the process's own metrics
 * (`process_*`, `nodejs_*`: CPU, memory, event-loop lag, GC) are one registry per process,
 * started by the first scrape and rendered after the node's.
 *
 * Labels are bounded by design: a socket's role, a bus message's kind. No session id, user id,
 * user name, app or address ever becomes a label, so a scrape cannot tell who was helped when.
 */
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type LabelValues,
} from 'prom-client';
import type { Metrics, NodeStats, SocketRole } from '../../core/metrics.js';
import type { BusMessage } from '../../core/ports.js';

const ROLES: readonly SocketRole[] = ['customer', 'agent', 'unadmitted'];
const BUS_KINDS: readonly BusMessage['kind'][] = [
  'batch',
  'text',
  'command',
  'ended',
  'customer_arrived',
  'consent',
  'claim',
];

/**
 * Seconds. Fine at the low end, where a healthy relay sits (the clock has millisecond
 * resolution, so a same-node relay mostly lands in the first bucket), up to the seconds a
 * struggling node or bus shows.
 */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** The process's metrics, shared by every node in the process; created on the first scrape. */
let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** A counter per role, resolved once: a label lookup per frame would cost a string build. */
function perRole(counter: Counter<'role'>): Record<SocketRole, Counter.Internal> {
  const children = {} as Record<SocketRole, Counter.Internal>;
  for (const role of ROLES) {
    children[role] = counter.labels({ role } as LabelValues<'role'>);
    // Every role's series exists from the start, at 0, so a rate has a baseline.
    children[role].inc(0);
  }
  return children;
}

/** A pair of per-role counters: bytes and frames. */
type PerRole = Record<'bytes' | 'messages', Record<SocketRole, Counter.Internal>>;

/** One node's metrics, on a registry of its own. */
export class PrometheusMetrics implements Metrics {
  /** This node's series (not the process's: see {@link render}). */
  readonly registry = new Registry();
  private stats?: () => NodeStats;
  private readonly received: PerRole;
  private readonly sent: PerRole;
  private readonly relayed: Counter;
  private readonly relayedBytes: Counter;
  private readonly deliveredBytes: Counter;
  private readonly latency: Histogram;
  /** Per message kind, resolved once like {@link perRole}. */
  private readonly busLag = new Map<BusMessage['kind'], Histogram.Internal<'kind'>>();

  constructor() {
    const registers = [this.registry];
    const counter = (name: string, help: string) =>
      new Counter({ name, help, labelNames: ['role'] as const, registers });
    this.received = {
      bytes: perRole(
        counter(
          'sightline_ws_received_bytes_total',
          'Bytes of WebSocket frames received, by the sending socket role.',
        ),
      ),
      messages: perRole(
        counter(
          'sightline_ws_received_messages_total',
          'WebSocket frames received, by the sending socket role.',
        ),
      ),
    };
    this.sent = {
      bytes: perRole(
        counter(
          'sightline_ws_sent_bytes_total',
          'Bytes of WebSocket frames sent, by the receiving socket role.',
        ),
      ),
      messages: perRole(
        counter(
          'sightline_ws_sent_messages_total',
          'WebSocket frames sent, by the receiving socket role.',
        ),
      ),
    };
    this.relayed = new Counter({
      name: 'sightline_batches_relayed_total',
      help: "Customers' new dom.batch frames this node received, kept and fanned out to agents.",
      registers,
    });
    this.relayedBytes = new Counter({
      name: 'sightline_batches_relayed_bytes_total',
      help: "Bytes of the customers' dom.batch frames this node received and fanned out.",
      registers,
    });
    this.deliveredBytes = new Counter({
      name: 'sightline_batches_delivered_bytes_total',
      help: "Bytes of live dom.batch frames sent to this node's agent sockets.",
      registers,
    });
    this.latency = new Histogram({
      name: 'sightline_relay_latency_seconds',
      help:
        "From a dom.batch's receipt on the customer's node to its send to each agent socket of " +
        'this node, across the bus when the nodes differ. Live relay only, not checkout replays.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const busLag = new Histogram({
      name: 'sightline_bus_lag_seconds',
      help:
        'From publication on another node to receipt on this one, by message kind. Across ' +
        "machines it includes their clocks' skew.",
      labelNames: ['kind'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    });
    for (const kind of BUS_KINDS) {
      // Zeroed, so every kind's series exists before its first message: rates start from 0.
      busLag.zero({ kind });
      this.busLag.set(kind, busLag.labels({ kind }));
    }

    const stats = () => this.stats?.();
    new Gauge({
      name: 'sightline_sessions_active',
      help: 'Sessions with at least one socket open on this node.',
      registers,
      collect() {
        this.set(stats()?.sessions ?? 0);
      },
    });
    new Gauge({
      name: 'sightline_sockets_open',
      help: 'WebSocket connections open on this node, by role (unadmitted: before its hello).',
      labelNames: ['role'] as const,
      registers,
      collect() {
        const sockets = stats()?.sockets;
        for (const role of ROLES) this.set({ role }, sockets?.[role] ?? 0);
      },
    });
  }

  /** Reads the node's gauges from `stats` at each scrape (the engine's, once it exists). */
  observe(stats: () => NodeStats): void {
    this.stats = stats;
  }

  /** The Prometheus text format's content type. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** This node's series, then the process's, in the Prometheus text format. */
  async render(): Promise<string> {
    const [node, process] = await Promise.all([
      this.registry.metrics(),
      processMetrics().metrics(),
    ]);
    return `${node}\n${process}`;
  }

  frameReceived(role: SocketRole, bytes: number): void {
    this.received.bytes[role].inc(bytes);
    this.received.messages[role].inc();
  }

  frameSent(role: SocketRole, bytes: number): void {
    this.sent.bytes[role].inc(bytes);
    this.sent.messages[role].inc();
  }

  batchRelayed(bytes: number): void {
    this.relayed.inc();
    this.relayedBytes.inc(bytes);
  }

  batchDelivered(bytes: number, latencyMs: number): void {
    this.deliveredBytes.inc(bytes);
    this.latency.observe(latencyMs / 1000);
  }

  busReceived(kind: BusMessage['kind'], lagMs: number): void {
    this.busLag.get(kind)?.observe(lagMs / 1000);
  }
}
