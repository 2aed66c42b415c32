/**
 * @module
 * Internal: what the gateway's connections share on a node. Built by `engine.ts`.
 */
import type { ConsentDesk } from './consent.js';
import type { ControlFrames } from './control-frames.js';
import type { Metrics } from './metrics.js';
import type { Bus, Clock, Logger, SessionStore } from './ports.js';
import type { ExtensionDesk } from './session-extension.js';
import type { SessionHub } from './session-hub.js';
import type { SessionLifecycle } from './session-lifecycle.js';
import type { SessionTokens } from './session-tokens.js';
import type { TabDesk } from './tabs.js';

/** The limits the gateway enforces per socket and per session. */
export interface GatewayLimits {
  /** Time a new socket has to send `session.hello` (close 4408 after). */
  helloDeadlineMs: number;
  maxAgents: number;
  maxCustomers: number;
  /** An agent socket with more bytes than this queued is closed with 4503. */
  agentMaxBufferedBytes: number;
  /** Tail size that triggers a `checkout_tail` snapshot request. */
  checkoutTailRefreshBytes: number;
  /** Tail length that triggers a `checkout_tail` snapshot request. */
  checkoutTailRefreshBatches: number;
}

/** The node's services, as every connection sees them. */
export interface GatewayContext {
  store: SessionStore;
  bus: Bus;
  clock: Clock;
  logger: Logger;
  hub: SessionHub;
  lifecycle: SessionLifecycle;
  consent: ConsentDesk;
  /** The session's deadline, and agents' questions to extend it. */
  extensions: ExtensionDesk;
  tabs: TabDesk;
  /** Control modes, commands and annotations (ADR 0012). */
  control: ControlFrames;
  tokens: SessionTokens;
  limits: GatewayLimits;
  /** Where the traffic is reported (`noMetrics` for nowhere). */
  metrics: Metrics;
}
