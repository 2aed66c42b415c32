/**
 * @module
 * The core, assembled: one function that builds a node's services from its ports. The HTTP and
 * WebSocket shells use what it returns and nothing else from `core/`'s internals.
 */
import { randomBytes } from 'node:crypto';
import { CONTROL_APPROVAL_WAIT_MS } from '@sightline/protocol';
import { AnnotationRelay } from './annotation-relay.js';
import { CommandGate } from './command-gate.js';
import { ConsentDesk } from './consent.js';
import { ControlApprovals } from './control-approvals.js';
import { ControlDesk } from './control-desk.js';
import { ControlFrames } from './control-frames.js';
import { PendingSteps } from './control-pending.js';
import { ControlRecords } from './control-record.js';
import { NodeSweeper, participantLeft } from './departures.js';
import type { GatewayContext } from './gateway-context.js';
import { TabDesk } from './tabs.js';
import { Gateway } from './gateway.js';
import type { GatewayLimits } from './gateway-context.js';
import { InviteTokens } from './invite-tokens.js';
import { InviteService, type InviteLimits } from './invites.js';
import { MaskRuleService } from './mask-rules.js';
import { noMetrics, type Metrics, type NodeStats } from './metrics.js';
import type { AppRecord, Bus, Clock, Ids, Logger, SessionStore } from './ports.js';
import { verifySdkToken, type VerifiedSdkToken } from './sdk-token.js';
import { ExtensionDesk, type ExtensionLimits } from './session-extension.js';
import { SessionHub } from './session-hub.js';
import { SessionLifecycle } from './session-lifecycle.js';
import type { StateTimeouts } from './session-machine.js';
import { SessionService, type SessionLimits } from './session-service.js';
import { SessionTokens } from './session-tokens.js';
import { TokenIssuer } from './token-issuer.js';

/** The meta key of the server's session-token signing key. */
const SIGNING_KEY = 'session_token_key';

/** Everything the core needs. */
export interface EngineDependencies {
  store: SessionStore;
  bus: Bus;
  clock: Clock;
  ids: Ids;
  logger: Logger;
  limits: GatewayLimits & SessionLimits & InviteLimits & ExtensionLimits;
  /** The session states' timed transitions, and how long a consent question stays open (ms). */
  timeouts: StateTimeouts & { consentMs: number };
  /** Lifetime of a console sign-in token, in seconds. */
  consoleTokenTtlSeconds: number;
  /** The app console tokens and `/api/token` tokens are issued for. */
  defaultApp: AppRecord;
  /** The server's public URL (known once listening), which path-only invite pages are on. */
  publicUrl: () => string;
  /** Where traffic is reported, for `/metrics`. @default noMetrics */
  metrics?: Metrics;
  /**
   * How often this node looks for dead nodes whose sockets the store still counts, and the real
   * clock it looks by (not the engine's, which tests move by hand).
   */
  nodeSweep: { intervalMs: number; clock: Clock };
}

/** A node's core services. */
export interface Engine {
  sessions: SessionService;
  issuer: TokenIssuer;
  /** Agents' invitation links, and customers redeeming them. */
  invites: InviteService;
  /** Server-managed mask rules: managed by an app's managers, read by its customers' SDKs. */
  maskRules: MaskRuleService;
  /** Managers' approvals of full control (ADR 0012). */
  controlApprovals: ControlApprovals;
  gateway: Gateway;
  /** Verifies an SDK JWT (any role) against the store's apps, at the clock's time. */
  verifySdkToken(token: string): Promise<VerifiedSdkToken>;
  /** What this node holds now: its sessions and open sockets, for `/metrics`. */
  stats(): NodeStats;
  /** Cancels timers and closes every socket with 4503. The ports stay open. */
  stop(): void;
}

/**
 * Builds the core on its ports and re-arms the timers of every live session in the store, so a
 * restarted node still ends sessions on time.
 */
export async function createEngine(deps: EngineDependencies): Promise<Engine> {
  const { store, bus, clock, logger } = deps;
  const metrics = deps.metrics ?? noMetrics;
  const key = await store.putMetaIfAbsent(SIGNING_KEY, randomBytes(32).toString('base64url'));
  const tokens = new SessionTokens(Buffer.from(key, 'base64url'), () => clock.now());
  const hub = new SessionHub(bus, logger, () => clock.now(), metrics);
  const lifecycle = new SessionLifecycle({
    store,
    clock,
    logger,
    timeouts: deps.timeouts,
    sharedActivity: (sessionId) => bus.lastReceivedAt(sessionId),
    async onTransition(session) {
      if (session.state === 'ended') {
        hub.end(session.id, session.endReason ?? 'error');
        await bus.dropSession(session.id);
      } else {
        hub.sendText(session.id, { type: 'session.state', state: session.state }, { to: 'all' });
      }
    },
  });
  const sessions = new SessionService({
    store,
    ids: deps.ids,
    clock,
    logger,
    lifecycle,
    tokens,
    limits: deps.limits,
    failures: bus.failures,
  });
  const invites = new InviteService({
    store,
    ids: deps.ids,
    clock,
    logger,
    lifecycle,
    hub,
    inviteTokens: new InviteTokens(Buffer.from(key, 'base64url'), () => clock.now()),
    sessionTokens: tokens,
    limits: deps.limits,
    publicUrl: deps.publicUrl,
  });
  const issuer = new TokenIssuer({
    store,
    clock,
    app: () => deps.defaultApp,
    consoleTokenTtlSeconds: deps.consoleTokenTtlSeconds,
  });
  const extensions = new ExtensionDesk({
    store,
    clock,
    logger,
    hub,
    lifecycle,
    policy: {
      stepMs: deps.limits.sessionExtensionMs,
      maxTotalMs: deps.limits.sessionMaxExtensionMs,
    },
    timeoutMs: deps.timeouts.consentMs,
  });
  const records = new ControlRecords({ store, clock, logger, hub });
  const pending = new PendingSteps({
    records,
    clock,
    logger,
    hub,
    customerWaitMs: deps.timeouts.consentMs,
    managerWaitMs: CONTROL_APPROVAL_WAIT_MS,
  });
  const control = new ControlDesk({ store, clock, records, pending });
  const consent = new ConsentDesk({
    store,
    bus,
    clock,
    logger,
    hub,
    lifecycle,
    extensions,
    control,
    timeoutMs: deps.timeouts.consentMs,
  });
  const context: GatewayContext = {
    store,
    bus,
    clock,
    logger,
    hub,
    lifecycle,
    consent,
    extensions,
    tabs: new TabDesk(bus, hub, clock),
    control: new ControlFrames({
      desk: control,
      gate: new CommandGate({ store, bus, clock, hub, records }),
      annotations: new AnnotationRelay({ records, hub, clock }),
    }),
    tokens,
    limits: deps.limits,
    metrics,
  };
  const gateway = new Gateway(context);
  const sweeper = new NodeSweeper({
    store,
    logger,
    clock,
    schedule: deps.nodeSweep.clock,
    intervalMs: deps.nodeSweep.intervalMs,
    nodeId: bus.nodeId,
    aliveNodes: () => bus.presence.nodes(),
    left: (sessionId, participant) => participantLeft(context, sessionId, participant),
  });
  sweeper.start();

  let after: { createdAt: number; id: string } | undefined;
  for (;;) {
    const page = await store.listSessions({ status: 'live', limit: 500, after });
    for (const session of page) lifecycle.arm(session);
    const last = page.at(-1);
    if (!last || page.length < 500) break;
    after = { createdAt: last.createdAt, id: last.id };
  }

  return {
    sessions,
    issuer,
    invites,
    maskRules: new MaskRuleService({ store, clock, tokens }),
    controlApprovals: new ControlApprovals({ store, clock, pending }),
    gateway,
    verifySdkToken: (token) => verifySdkToken(token, (k) => store.getAppByKey(k), clock.now()),
    stats: () => ({ sessions: hub.sessionCount, sockets: gateway.socketsByRole() }),
    stop() {
      void sweeper.stop();
      lifecycle.close();
      consent.close();
      extensions.close();
      pending.close();
      gateway.shutdown();
    },
  };
}
