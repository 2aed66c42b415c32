/**
 * @module
 * Internal: what follows a participant's last socket closing, wherever it closed. The others are
 * told (`session.participant_left`); a customer's leaving moves an active session to
 * `reconnecting`; an agent's withdraws its consent question and, if it held control, drops the
 * mode to `guided`. A socket that closes on its node goes through here (`connection.ts`), and so
 * does every socket of a node that died, released by a surviving node ({@link NodeSweeper}):
 * without it, a dead node's agents would hold their places and control for good.
 */
import type { Participant } from '@sightline/protocol';
import type { GatewayContext } from './gateway-context.js';
import type { Clock, Logger, SessionStore, Timer } from './ports.js';
import { actorOf } from './session-service.js';

/** Tells the session that `participant` is gone, and applies what that changes. */
export async function participantLeft(
  ctx: GatewayContext,
  sessionId: string,
  participant: Participant,
): Promise<void> {
  const session = await ctx.store.getSession(sessionId);
  if (!session || session.state === 'ended') return;
  ctx.hub.sendText(sessionId, { type: 'session.participant_left', participant }, { to: 'all' });
  if (participant.role === 'customer') {
    // Refused unless active (a customer leaving a waiting session changes nothing).
    await ctx.lifecycle.apply(
      sessionId,
      { type: 'customer_dropped' },
      actorOf('customer', participant.userId),
    );
  } else {
    await ctx.consent.agentLeft(sessionId);
    await ctx.control.agentLeft(sessionId, participant);
  }
}

/** What the sweeper needs. */
export interface SweeperDependencies {
  store: SessionStore;
  /** The time departures are recorded at. */
  clock: Clock;
  /** The real clock the sweeps are timed by. */
  schedule: Clock;
  logger: Logger;
  /** This node's id: never swept by itself. */
  nodeId: string;
  /** The nodes whose heartbeat is alive now (the bus's presence). */
  aliveNodes(): Promise<string[]>;
  /** Applies a participant's departure (`participantLeft` with the gateway's context). */
  left(sessionId: string, participant: Participant): Promise<void>;
  /** How often to look, ms. */
  intervalMs: number;
}

/**
 * Releases the sockets of nodes that died. Every `intervalMs`, each node compares the nodes the
 * store counts sockets on with the nodes alive on the bus; a dead node's sockets are released in
 * one store step, which exactly one node wins, and that node applies each departure. A node that
 * comes back after its heartbeat lapsed finds its sockets released: its sockets' own closes then
 * change nothing, and its clients reconnect as after any failover.
 */
export class NodeSweeper {
  private timer: Timer | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly deps: SweeperDependencies) {}

  /** Starts looking, every `intervalMs`. */
  start(): void {
    if (this.stopped || this.timer) return;
    this.timer = this.deps.schedule.setTimer(this.deps.intervalMs, () => {
      this.timer = undefined;
      this.running = this.sweep()
        .then(() => undefined)
        .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'node sweep failed'))
        .finally(() => {
          this.running = undefined;
          this.start();
        });
    });
  }

  /** Looks once: releases every dead node's sockets. Returns the nodes released. */
  async sweep(): Promise<string[]> {
    const counted = await this.deps.store.listSocketNodes();
    const others = counted.filter((node) => node !== this.deps.nodeId);
    if (others.length === 0) return [];
    const alive = new Set(await this.deps.aliveNodes());
    const dead = others.filter((node) => !alive.has(node));
    for (const nodeId of dead) {
      const left = await this.deps.store.releaseNode({ nodeId, at: this.deps.clock.now() });
      if (left.length > 0) {
        this.deps.logger.warn({ nodeId, participants: left.length }, 'released a dead node');
      }
      for (const record of left) {
        const participant: Participant = {
          userId: record.userId,
          userName: record.userName,
          role: record.role,
        };
        await this.deps.left(record.sessionId, participant);
      }
    }
    return dead;
  }

  /** Stops looking; resolves once a sweep under way is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    await this.running;
  }
}
