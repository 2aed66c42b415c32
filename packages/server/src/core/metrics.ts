/**
 * @module
 * The metrics port: what the core reports about its traffic, for `/metrics`. The core calls it at
 * its boundaries (a frame in or out of a socket, a batch relayed or delivered, a message from the
 * bus) and never reads it back; the Prometheus adapter (`../adapters/metrics/`) turns the calls
 * into counters and histograms. Nothing here names a session or a user: operators' dashboards
 * must not become a record of who was helped when.
 */
import type { Role } from '@sightline/protocol';
import type { BusMessage, SocketLike } from './ports.js';

/** A socket's role as metrics count it: `unadmitted` until its hello is accepted. */
export type SocketRole = Role | 'unadmitted';

/**
 * Receives the core's observations. Every method is called on the hot path: implementations do
 * O(1) work, never throw and never wait. Times are milliseconds of the core's clock.
 */
export interface Metrics {
  /** A frame arrived on a socket (the hello included), of `bytes` bytes. */
  frameReceived(role: SocketRole, bytes: number): void;
  /** A frame was handed to a socket for sending, of `bytes` bytes. */
  frameSent(role: SocketRole, bytes: number): void;
  /** A customer's new batch (not a resend) was kept in the checkout and fanned out to agents. */
  batchRelayed(bytes: number): void;
  /**
   * A live batch was sent to an agent socket of this node, `latencyMs` after the node where the
   * customer's socket is received it: across the bus, when that is another node. Batches sent
   * from a checkout (a late or returning agent) are not live and are not reported.
   */
  batchDelivered(bytes: number, latencyMs: number): void;
  /** A message from another node arrived, `lagMs` after that node published it. */
  busReceived(kind: BusMessage['kind'], lagMs: number): void;
}

/** What a node holds right now, read when metrics are scraped rather than counted as it changes. */
export interface NodeStats {
  /** Sessions with at least one socket on this node. */
  sessions: number;
  /** Open sockets on this node, by role. */
  sockets: Record<SocketRole, number>;
}

/** Metrics that go nowhere: the default when a node is built without an adapter. */
export const noMetrics: Metrics = {
  frameReceived() {},
  frameSent() {},
  batchRelayed() {},
  batchDelivered() {},
  busReceived() {},
};

/**
 * Wraps a socket so that every frame sent through it is reported, with the role `roleOf` gives at
 * that moment (a socket learns its role on admission).
 */
export function meteredSocket(
  socket: SocketLike,
  metrics: Metrics,
  roleOf: () => SocketRole,
): SocketLike {
  if (metrics === noMetrics) return socket;
  return {
    send(data) {
      // A closed socket drops the frame; so does the count.
      if (socket.isOpen) {
        metrics.frameSent(
          roleOf(),
          typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength,
        );
      }
      socket.send(data);
    },
    close: (code, reason) => socket.close(code, reason),
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    get isOpen() {
      return socket.isOpen;
    },
  };
}
