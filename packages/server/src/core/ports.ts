/**
 * @module
 * The ports: every interface the core depends on. Adapters (`../adapters/`) implement them; the
 * HTTP and WebSocket shells (`../http/`, `../ws/`) drive the core through them. Nothing in
 * `core/` imports a transport or a driver, so a PostgreSQL store or a Redis bus is a new adapter
 * that passes the same contract suites (`test/contracts/`), not a change here.
 *
 * Times are milliseconds since the epoch, from the {@link Clock}.
 */
import type {
  ConsentDecision,
  ControlCommandRelay,
  ControlMode,
  ControlSettings,
  MaskRuleDetectors,
  EndReason,
  Role,
  SessionState,
  TabActivityState,
} from '@sightline/protocol';

/**
 * How a consent request was settled: the customer's answer, or `expired` when nobody answered
 * within `consentTimeoutMs` (withdrawn without blame).
 */
export type ConsentOutcome = ConsentDecision | 'expired';

/** A console user's role. Only `agent` is used so far; the others gate later features. */
export type AgentRole = 'agent' | 'senior_agent' | 'manager' | 'admin';

/** One integrating website: its SDK key is public, its SDK secret signs its JWTs. */
export interface AppRecord {
  id: string;
  name: string;
  sdkKey: string;
  sdkSecret: string;
  createdAt: number;
  /**
   * Whether the customer is asked before an agent sees the page (`ask`), or the page has already
   * collected that consent itself (`pre_approved`: no prompt, the banner still shows). Viewing
   * only: control and recording are always asked.
   */
  viewConsent: ViewConsentPolicy;
  /**
   * The app's invite page: where an agent's invitation link sends the customer, with the
   * invitation in the `sightline_invite` query parameter. A page of the app's site that loads the
   * SDK, as an absolute http(s) URL, or a path (`/demo/`) on the Sightline server's public URL.
   * Without one, the app's agents cannot make invitations (4008).
   */
  inviteUrl?: string;
}

/** An app's policy for consent to view; see {@link AppRecord.viewConsent}. */
export type ViewConsentPolicy = 'ask' | 'pre_approved';

/** A console user (an agent who signs in with a password instead of an integrator's JWT). */
export interface UserRecord {
  id: string;
  appId: string;
  username: string;
  displayName: string;
  role: AgentRole;
  /** `scrypt$N$r$p$salt$hash`, see `core/passwords.ts`. */
  passwordHash: string;
  createdAt: number;
}

/** A co-browse session as stored. */
export interface SessionRecord {
  id: string;
  appId: string;
  pin: string;
  state: SessionState;
  endReason?: EndReason;
  /** Whether the PIN was brought by the customer (`enable_byop: 1`). */
  byop: boolean;
  customerUserId: string;
  customerUserName: string;
  createdAt: number;
  updatedAt: number;
  endedAt?: number;
  /** The `timeout_max` deadline. */
  expiresAt: number;
}

/** A person who has been admitted to a session, and how many sockets they hold open. */
export interface ParticipantRecord {
  sessionId: string;
  role: Role;
  userId: string;
  userName: string;
  /** Open sockets across all nodes; 0 once the participant has left. */
  connections: number;
  joinedAt: number;
  leftAt?: number;
}

/** One line of a session's append-only audit trail. */
export interface AuditEntry {
  sessionId: string;
  at: number;
  /** `system`, `customer:<user_id>` or `agent:<user_id>`. */
  actor: string;
  /** What happened, such as `transition` or `session.created`. */
  action: string;
  fromState?: SessionState;
  toState?: SessionState;
  reason?: string;
}

/**
 * One line of an app's append-only security log: events that belong to no session, such as an
 * agent or an address reaching the wrong-PIN limit.
 */
export interface AppAuditEntry {
  appId: string;
  at: number;
  /** `agent:<user_id>` or `system`. */
  actor: string;
  /** What happened, such as `pin.guess_limit_reached`. */
  action: string;
  reason?: string;
}

/**
 * A compare-and-set state change. It applies only if the session is still in `from`, and it
 * writes its audit entry in the same transaction, so concurrent nodes cannot both win and no
 * transition goes unaudited.
 */
export interface StateChange {
  sessionId: string;
  from: SessionState;
  to: SessionState;
  at: number;
  /** Required when `to` is `ended`; ignored otherwise. */
  endReason?: EndReason;
  actor: string;
  /** The machine event that caused the change, kept in the audit entry. */
  action: string;
  reason?: string;
}

/**
 * An agent's invitation to one session: a one-time link for a customer who is not there yet.
 * The session is its key: one session, one invitation.
 */
export interface InviteRecord {
  sessionId: string;
  appId: string;
  /** The inviting agent's `user_id`. */
  createdBy: string;
  /** The help-desk ticket the invitation is for, if the agent named one. */
  ticketRef?: string;
  createdAt: number;
  /** The link works until this time (exclusive). */
  expiresAt: number;
  /** When the link was opened; absent while unused. */
  redeemedAt?: number;
  /** The opener id of whoever opened it (see {@link InviteRedemption}). */
  redeemedBy?: string;
}

/**
 * The outcome of redeeming an invitation. `redeemed`: this opener holds it now, first or again
 * (`repeat`: a retry by the same opener, whose first answer was lost). `used`: someone else
 * opened it first. `expired`: opened too late. `unknown`: no such invitation.
 */
export type InviteRedemption =
  | { status: 'redeemed'; invite: InviteRecord; repeat: boolean }
  | { status: 'used' | 'expired' | 'unknown' };

/**
 * A compare-and-set of a live session's `timeout_max` deadline (an extension the customer
 * allowed). It applies only if the session has not ended and its deadline is still `from`, and it
 * writes its audit entry in the same transaction, so two answers to one question extend once.
 * The state and `updatedAt` (when the state was entered) do not change.
 */
export interface DeadlineChange {
  sessionId: string;
  /** The deadline the change was computed from. */
  from: number;
  /** The new deadline. */
  to: number;
  at: number;
  actor: string;
  /** Kept in the audit entry, such as `session_extended`. */
  action: string;
  reason?: string;
}

/**
 * One of an app's server-managed mask rules (see `@sightline/protocol`'s `MaskRuleInput`): extra
 * masking for the app's pages whose path matches `urlPattern`. Lists keep their order.
 */
export interface MaskRuleRecord {
  id: string;
  appId: string;
  urlPattern: string;
  maskSelectors: string[];
  blockSelectors: string[];
  maskUrlParams: string[];
  /** PII detectors the rule switches on (`{ email: true }`); `{}` for none. */
  detectors: MaskRuleDetectors;
  description?: string;
  createdAt: number;
  updatedAt: number;
}

/** An agent as a control record names it. */
export interface ControlAgent {
  userId: string;
  userName: string;
}

/**
 * A step up in control waiting for someone (ADR 0012): a manager in the console (`full_control`
 * asked by an agent below `manager`), then the customer; or a handover, waiting for the customer.
 */
export interface PendingControl {
  /** While `waitingFor` is `manager` the approval's id (`ca_…`), then the consent request's id. */
  id: string;
  /** The mode asked for; a handover's is the mode it was asked in. */
  mode: ControlMode;
  /** Who asked, and would control the page; for a handover, the agent control would go to. */
  agent: ControlAgent;
  waitingFor: 'manager' | 'customer';
  /** When the current wait began; the wait's time limit counts from here. */
  since: number;
  /** A handover from the controller to `agent`, rather than a change of mode. */
  handover: boolean;
}

/**
 * A session's control (ADR 0012): its mode, the controller, the customer's grant, a step waiting
 * for an answer, and the page's settings. A session without a record is in `view_only`, revision 0.
 */
export interface ControlRecord {
  sessionId: string;
  /** 1 for the first record, one more with every change: the compare-and-set key. */
  revision: number;
  mode: ControlMode;
  /** In `controlled` and `full_control` only. */
  controller: ControlAgent | null;
  /** `controlled`: until when the customer allowed every action of the controller. */
  grantUntil: number | null;
  pending: PendingControl | null;
  /** What the customer's page allows, once its SDK said. */
  settings: ControlSettings | null;
  updatedAt: number;
}

/**
 * A compare-and-set of a session's control. It applies only if the stored revision is still
 * `expectedRevision` (0: the session has no record yet) and the session has not ended; it stores
 * `next` with revision `expectedRevision + 1` and writes every audit entry in the same
 * transaction, so two nodes cannot both move the control and no move goes unaudited.
 */
export interface ControlChange {
  expectedRevision: number;
  next: Omit<ControlRecord, 'revision'>;
  /** At least one entry. */
  audit: AuditEntry[];
}

/** A page of sessions, newest first (`createdAt` then `id`, both descending). */
export interface SessionQuery {
  /** Only this app's sessions; all apps when absent. */
  appId?: string;
  /** `live`: every state but `ended`. */
  status: 'live' | 'ended' | 'all';
  limit: number;
  /** Keyset cursor: only sessions strictly after this one in the order above. */
  after?: { createdAt: number; id: string };
}

/** A socket asking to count as a participant. Checked and recorded atomically. */
export interface Admission {
  sessionId: string;
  role: Role;
  userId: string;
  userName: string;
  at: number;
  /** The node that holds the socket (its bus id): a dead node's sockets are released at once. */
  nodeId: string;
  /** Most participants of `role` connected at once. */
  maxOfRole: number;
  /**
   * Whether the same user may hold several sockets in this role (a customer's tabs). Otherwise a
   * second socket of a connected user is refused as a duplicate.
   */
  allowSharedUser: boolean;
}

/** A participant's socket that closed, on the node that held it. */
export interface ParticipantRelease {
  sessionId: string;
  role: Role;
  userId: string;
  nodeId: string;
  at: number;
}

/** The outcome of an {@link Admission}. `first` is true when the user was not connected before. */
export type AdmissionResult =
  { status: 'admitted'; first: boolean } | { status: 'full' } | { status: 'duplicate' };

/**
 * Durable state: apps, console users, sessions, participants, the audit log and server metadata.
 * Every method is async, even where an adapter is synchronous underneath, so callers cannot come
 * to depend on one adapter's timing.
 */
export interface SessionStore {
  /** Resolves when the store answers; rejects otherwise. For `/health`. */
  ping(): Promise<void>;
  /** Releases the connection or file. The store is unusable afterwards. */
  close(): Promise<void>;

  /** A server-wide value, such as the token-signing key. */
  getMeta(key: string): Promise<string | undefined>;
  /** Stores `value` unless `key` already has one; returns whichever value is stored. */
  putMetaIfAbsent(key: string, value: string): Promise<string>;

  /** Inserts an app, or updates the one with the same id. SDK keys are unique. */
  saveApp(app: AppRecord): Promise<void>;
  getAppById(id: string): Promise<AppRecord | undefined>;
  getAppByKey(sdkKey: string): Promise<AppRecord | undefined>;

  /** Inserts a console user, or updates the one with the same id. Usernames are unique. */
  saveUser(user: UserRecord): Promise<void>;
  getUserByUsername(username: string): Promise<UserRecord | undefined>;

  /**
   * Inserts a session with its first audit entry. Returns `pin_taken` when another session of the
   * app that has not ended holds the PIN: the store enforces that uniqueness, not the caller.
   */
  insertSession(session: SessionRecord, audit: AuditEntry): Promise<'created' | 'pin_taken'>;
  getSession(id: string): Promise<SessionRecord | undefined>;
  /** The app's session with this PIN that has not ended, if any. */
  findLiveSessionByPin(appId: string, pin: string): Promise<SessionRecord | undefined>;
  /** Applies a {@link StateChange}; returns the updated session, or `undefined` if it lost. */
  transitionSession(change: StateChange): Promise<SessionRecord | undefined>;
  /** Applies a {@link DeadlineChange}; returns the updated session, or `undefined` if it lost. */
  extendSession(change: DeadlineChange): Promise<SessionRecord | undefined>;
  listSessions(query: SessionQuery): Promise<SessionRecord[]>;

  /** Stores an invitation. Its session must exist; a second one for the session is refused. */
  insertInvite(invite: InviteRecord): Promise<void>;
  /**
   * Consumes the session's invitation for `openerId` at `at`, atomically: of any number of
   * concurrent redemptions with different opener ids, exactly one gets `redeemed` and the others
   * `used`. The same opener redeeming again gets `redeemed` with `repeat: true`. An unused
   * invitation at or after its `expiresAt` is `expired`.
   */
  redeemInvite(redemption: {
    sessionId: string;
    openerId: string;
    at: number;
  }): Promise<InviteRedemption>;

  /** The app's mask rules, oldest first (`createdAt`, then `id`). */
  listMaskRules(appId: string): Promise<MaskRuleRecord[]>;
  /**
   * Inserts a mask rule and its security-log entry in one step, unless the app already holds
   * `maxPerApp` rules (`limit_reached`, nothing written). Ids are unique across apps.
   */
  insertMaskRule(
    rule: MaskRuleRecord,
    audit: AppAuditEntry,
    maxPerApp: number,
  ): Promise<'created' | 'limit_reached'>;
  /**
   * Replaces the app's rule with `rule.id` (all but `createdAt`) and writes its security-log entry
   * in one step. Returns the stored rule, or `undefined` (nothing written) if the app has no such
   * rule.
   */
  updateMaskRule(rule: MaskRuleRecord, audit: AppAuditEntry): Promise<MaskRuleRecord | undefined>;
  /**
   * Deletes the app's rule `id` and writes its security-log entry in one step. False (nothing
   * written) if the app has no such rule.
   */
  deleteMaskRule(key: { appId: string; id: string }, audit: AppAuditEntry): Promise<boolean>;

  /**
   * Admits a participant's socket on its node, enforcing the limit and duplicate rules in one
   * step. Sockets are counted per node, so a node's can be released together (`releaseNode`).
   */
  admitParticipant(admission: Admission): Promise<AdmissionResult>;
  /**
   * Counts one socket of the participant on `nodeId` as closed; `last` when it was their last one
   * on any node. A socket whose node was released already (`releaseNode`) changes nothing.
   */
  releaseParticipant(release: ParticipantRelease): Promise<{ last: boolean }>;
  /**
   * Counts every socket `nodeId` held as closed, in one step: the node died and its sockets with
   * it. Returns the participants whose last socket it held, now with no connection and left at
   * `at`; of several concurrent calls for one node, one gets them and the others none.
   */
  releaseNode(release: { nodeId: string; at: number }): Promise<ParticipantRecord[]>;
  /** The nodes holding at least one participant's socket, by id, in id order. */
  listSocketNodes(): Promise<string[]>;
  /** Everyone ever admitted to these sessions, in join order. */
  listParticipants(sessionIds: readonly string[]): Promise<ParticipantRecord[]>;

  /** The session's control record; `undefined` before its first change (`view_only`). */
  getControl(sessionId: string): Promise<ControlRecord | undefined>;
  /** Applies a {@link ControlChange}; returns the stored record, or `undefined` if it lost. */
  updateControl(change: ControlChange): Promise<ControlRecord | undefined>;
  /**
   * The control records of the app's sessions that have not ended and whose pending step waits
   * for a manager, oldest wait first (`pending.since`, then the session id).
   */
  listControlApprovals(appId: string): Promise<ControlRecord[]>;

  /** Appends to the audit log. Entries are never changed or removed. */
  appendAudit(entry: AuditEntry): Promise<void>;
  /** A session's audit trail, oldest first. */
  listAudit(sessionId: string): Promise<AuditEntry[]>;
  /** Appends to the app's security log. Entries are never changed or removed. */
  appendAppAudit(entry: AppAuditEntry): Promise<void>;
  /** An app's security log, oldest first. */
  listAppAudit(appId: string): Promise<AppAuditEntry[]>;
}

/**
 * One `dom.batch` as the server keeps it: the frame already encoded for agents (relay header plus
 * the customer's untouched payload), so a late joiner is sent the stored bytes as they are.
 */
export interface StoredBatch {
  tabId: string;
  seq: number;
  full: boolean;
  receivedAt: number;
  frame: Uint8Array;
}

/**
 * The outcome of appending to a checkout. `duplicate` means the tab already holds `seq` (a resend
 * after a reconnect): the caller acks it again and relays nothing. The tail figures let the caller
 * decide when to ask the customer for a fresh full snapshot.
 */
export type AppendResult =
  | { status: 'appended'; tailBytes: number; tailBatches: number; truncated: boolean }
  | { status: 'duplicate'; lastSeq: number };

/**
 * A tab's checkout: the latest full batch and every batch since, in `seq` order. `full` is absent
 * before the first full batch, and after the checkout overflowed until the next one arrives.
 */
export interface Checkout {
  full?: StoredBatch;
  tail: StoredBatch[];
  /** Highest seq accepted for the tab (0 if none), whether or not it is still held. */
  lastSeq: number;
}

/**
 * One of the customer's tabs as the bus keeps it. `gone`: its socket closed (closed, reloading or
 * offline); it stays known, with its `openedAt`, in case it comes back.
 */
export interface TabRecord {
  tabId: string;
  state: TabActivityState | 'gone';
  /** When the tab was first recorded (ms since the epoch). */
  openedAt: number;
  /** When the tab entered `state`. */
  since: number;
}

/**
 * A session's tabs after an update, oldest first. `revision` grows with every update of the
 * session's tabs, on any node, so a receiver can tell an older list from a newer one.
 */
export interface TabList {
  revision: number;
  tabs: TabRecord[];
}

/**
 * What travels between nodes about one session. A node's own messages never come back to it.
 * Every field arrives as it was published, `sentAt` and a batch's `receivedAt` included.
 */
export type BusMessage = BusPayload & {
  /**
   * When the publishing node's hub sent it (that node's clock, ms since the epoch): the receiving
   * node's bus lag is its own clock minus this. Absent only from messages published by hand.
   */
  sentAt?: number;
};

/** What a {@link BusMessage} says. */
export type BusPayload =
  /**
   * A relayed `dom.batch` for the agents on other nodes. `receivedAt`: when the origin node
   * received it (its `StoredBatch.receivedAt`), from which every node measures relay latency.
   */
  | { kind: 'batch'; tabId: string; seq: number; receivedAt: number; frame: Uint8Array }
  /** A server text frame for some of the session's sockets. */
  | {
      kind: 'text';
      to: 'all' | Role;
      /** Skip this participant's own sockets ("everyone else"). */
      except?: { role: Role; userId: string };
      /** Only agents the customer allowed to see the page. */
      watchingOnly?: boolean;
      /** Only this participant's sockets (with `to` naming its role). */
      userId?: string;
      /** Only the customer's socket of this tab. */
      tabId?: string;
      text: string;
    }
  /** A controller's `control.command`, already checked, for the customer's socket of its tab. */
  | { kind: 'command'; command: ControlCommandRelay }
  /** The session ended: tell every local socket and close it with 4999. */
  | { kind: 'ended'; reason: EndReason }
  /** An invited customer opened the link: agents waiting in the session ask to see the page. */
  | { kind: 'customer_arrived' }
  /** An agent's consent request was settled: that agent's sockets start or close. */
  | { kind: 'consent'; userId: string; requestId: string; decision: ConsentOutcome }
  /** A socket of an agent, or of a customer tab, was admitted: older ones of the same close. */
  | { kind: 'claim'; claim: SocketClaim };

/**
 * Whose socket this is, for takeover (one socket per agent and per customer tab), and when it
 * was admitted. Claims of the same owner are ordered by `at`, then `order`, then `socketId`.
 */
export interface SocketClaim {
  role: Role;
  userId: string;
  /** Customers: the tab. Absent for agents. */
  tabId?: string;
  /** When the admitting node admitted it; never decreasing on that node. */
  at: number;
  /** The admitting node's count of claims, which orders two claims of the same millisecond. */
  order: number;
  /** Unique per socket (node id and order), the last tiebreak between nodes. */
  socketId: string;
}

/** Stops a subscription. */
export type Unsubscribe = () => Promise<void>;

/**
 * One socket's place in a session, as {@link Presence} lists it: who holds it, in which role, and
 * on which node.
 */
export interface PresenceEntry {
  /** The socket's {@link SocketClaim.socketId}: unique across nodes, the entry's key. */
  socketId: string;
  role: Role;
  userId: string;
  /** Customers: the tab. Absent for agents. */
  tabId?: string;
  /** The node holding the socket; filled in by the bus of the node that entered it. */
  nodeId: string;
  /** When the socket entered (ms since the epoch). */
  at: number;
}

/**
 * Who is in which session, on which node, readable from every node. Each node keeps a heartbeat
 * on the bus, refreshed on a timer of its own for as long as its bus is open; the entries of a
 * node whose heartbeat has lapsed (its process died, or its bus closed, more than the bus's
 * presence TTL ago) are no longer listed, so a dead node's users disappear without anyone
 * leaving for them. They come back if the node's heartbeat does. The store's participant
 * `connections` count cannot tell that; presence can.
 */
export interface Presence {
  /**
   * Records a socket of this node in the session. Entering the same `socketId` again replaces its
   * entry. Resolves once every node can list it.
   */
  enter(sessionId: string, entry: Omit<PresenceEntry, 'nodeId'>): Promise<void>;
  /** Removes a socket's entry, from any node. An unknown socket is harmless. */
  leave(sessionId: string, socketId: string): Promise<void>;
  /**
   * The session's entries whose node is alive, oldest first (`at`, then `socketId`); none for an
   * unknown session. Forgotten with the session by `Bus.dropSession`.
   */
  list(sessionId: string): Promise<PresenceEntry[]>;
  /**
   * The ids of the nodes whose heartbeat is fresh, this one included, sorted. A node beats from
   * the moment its bus is ready, before it can admit a socket, so a node holding sockets in the
   * store and missing here has been dead for at least the TTL (read the store first, then this).
   */
  nodes(): Promise<string[]>;
}

/**
 * Failures counted under a key in a sliding window, shared by every node: wrong PINs per agent
 * and per address, so attempts spread across nodes by a balancer count as one guesser's.
 */
export interface FailureWindows {
  /** The key's failures (ms) after `now - windowMs`, oldest first. */
  read(key: string, now: number, windowMs: number): Promise<number[]>;
  /**
   * Records a failure at `now`, keeps the key's `keep` most recent, and returns its failures after
   * `now - windowMs`, oldest first. The key is forgotten a window after its last failure.
   */
  record(key: string, now: number, windowMs: number, keep: number): Promise<number[]>;
}

/**
 * Moves a session's traffic between the nodes that hold its sockets, and keeps each tab's
 * checkout where every node can read it. Local sockets are served by the node's own hub; the bus
 * only carries what other nodes need, and drops a node's own publications in one place.
 */
export interface Bus {
  /** This node's id; publications carry it so the bus can drop echoes. */
  readonly nodeId: string;
  /** Sends `message` to every other node subscribed to the session. */
  publish(sessionId: string, message: BusMessage): Promise<void>;
  /** Receives the session's messages from other nodes, in publication order per publisher. */
  subscribe(sessionId: string, handler: (message: BusMessage) => void): Promise<Unsubscribe>;

  /** Adds a batch to its tab's checkout; a `full` batch replaces the checkout. */
  appendBatch(sessionId: string, batch: StoredBatch): Promise<AppendResult>;
  /** The tab's checkout; empty (lastSeq 0) for an unknown tab. */
  readCheckout(sessionId: string, tabId: string): Promise<Checkout>;
  /** Every tab that has a checkout, in first-seen order. */
  listTabs(sessionId: string): Promise<string[]>;
  /** Highest seq accepted per tab: what a reconnecting customer need not resend. */
  lastSeqs(sessionId: string): Promise<Record<string, number>>;
  /**
   * The latest `receivedAt` of a batch appended to any of the session's tabs, on any node (not a
   * duplicate): when the customer was last active. Undefined before the first batch.
   */
  lastReceivedAt(sessionId: string): Promise<number | undefined>;
  /** Forgets every checkout of the session, its tabs and its presence. */
  dropSession(sessionId: string): Promise<void>;

  /**
   * Sets a tab's state (recording the tab if it is new), atomically with respect to other updates
   * of the session's tabs, and returns the list it produced. Setting the state it already has
   * changes nothing, and returns the list with the same revision.
   */
  updateTab(
    sessionId: string,
    update: { tabId: string; state: TabRecord['state']; at: number },
  ): Promise<TabList>;
  /** The session's tabs now (revision 0 and no tabs for an unknown session). */
  readTabs(sessionId: string): Promise<TabList>;

  /** Which users are in which session, on which node; a dead node's users drop out. */
  readonly presence: Presence;

  /** Failure counts every node shares (wrong PINs). */
  readonly failures: FailureWindows;

  /** Resolves when the bus works; rejects otherwise. For `/health`. */
  ping(): Promise<void>;
  /**
   * Stops this node's subscriptions, its heartbeat and its connections. Its presence entries are
   * left as they are: to other nodes a closed node looks like a dead one, and its entries drop out
   * once its heartbeat lapses. Closing twice is harmless.
   */
  close(): Promise<void>;
}

/** A scheduled callback that can be cancelled. Cancelling twice, or after it ran, is harmless. */
export interface Timer {
  cancel(): void;
}

/** Time, injectable so tests can move it. Every timeout in the core goes through `setTimer`. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimer(delayMs: number, callback: () => void): Timer;
}

/** Identifier sources, injectable so tests can force collisions. */
export interface Ids {
  /** A new session id: URL-safe, unguessable. */
  sessionId(): string;
  /** A candidate PIN of `PIN_LENGTH` digits. Uniqueness is the store's job, not this one's. */
  pin(): string;
}

/** Structured logging, pino-compatible. */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/**
 * The outbound half of a WebSocket, as the core sees it. The shell around the core feeds inbound
 * frames and the close event to the handler `Gateway.accept` returns.
 */
export interface SocketLike {
  /** Text for strings, binary for bytes. Never throws; a closed socket drops the frame. */
  send(data: string | Uint8Array): void;
  /** Closes with a code and a short reason (trimmed to the 123 bytes WebSocket allows). */
  close(code: number, reason: string): void;
  /** Bytes queued but not yet written to the network: the backpressure signal. */
  readonly bufferedAmount: number;
  /** False once closing or closed. */
  readonly isOpen: boolean;
}
