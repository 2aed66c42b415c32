/**
 * @module
 * The WebSocket gateway, transport-free: the shell (`../ws/`) hands it each accepted socket as a
 * {@link SocketLike} and feeds it the socket's frames and its close through the returned
 * {@link SocketHandler}. Everything else, from the hello deadline to relaying, is the core's.
 */
import { Connection } from './connection.js';
import type { GatewayContext } from './gateway-context.js';
import type { SocketRole } from './metrics.js';
import type { SocketLike } from './ports.js';

/** How the shell reports a socket's inbound events. */
export interface SocketHandler {
  /** A complete frame: text (UTF-8 bytes) or binary. */
  receive(data: Uint8Array, isBinary: boolean): void;
  /** The socket closed, whoever closed it. Call exactly once. */
  closed(): void;
}

/** One per node. */
export class Gateway {
  private readonly connections = new Set<Connection>();
  private readonly leaving = new Set<Promise<void>>();

  constructor(private readonly ctx: GatewayContext) {}

  /** Starts serving a socket. Its hello deadline starts now. */
  accept(socket: SocketLike): SocketHandler {
    const connection = new Connection(socket, this.ctx, (gone) => {
      this.connections.delete(gone);
      const settled = gone.settled.finally(() => this.leaving.delete(settled));
      this.leaving.add(settled);
    });
    this.connections.add(connection);
    return connection;
  }

  /** Resolves once every closed socket has been released (presence, hub). Call before closing ports. */
  async drain(): Promise<void> {
    while (this.leaving.size > 0) await Promise.allSettled([...this.leaving]);
  }

  /** Sockets currently open on this node. */
  get size(): number {
    return this.connections.size;
  }

  /** Sockets currently open on this node, by role. One pass over them: for scrapes, not hot paths. */
  socketsByRole(): Record<SocketRole, number> {
    const counts: Record<SocketRole, number> = { customer: 0, agent: 0, unadmitted: 0 };
    for (const connection of this.connections) counts[connection.socketRole] += 1;
    return counts;
  }

  /** Closes every socket with 4503 (`SHUTTING_DOWN`): clients reconnect, to another node if any. */
  shutdown(): void {
    for (const connection of this.connections) connection.shutdown();
  }
}
