/**
 * @module
 * Request and response bodies of the HTTP API. Every failed request answers with `ErrorBody`
 * (`{ error: { code, name, message } }`) and the status from the error catalogue.
 */
import * as z from 'zod';
import {
  CUSTOM_PIN_MAX_LENGTH,
  INVITE_TOKEN_MAX_LENGTH,
  TICKET_REF_MAX_LENGTH,
  USER_ID_MAX_LENGTH,
  USER_NAME_MAX_LENGTH,
} from './limits.js';
import { EndReason, Participant, SessionId, SessionState } from './messages/common.js';
import { ControlMode } from './messages/control.js';

/**
 * A PIN as typed by a person: trimmed and upper-cased, then 1–10 letters or digits. Generated PINs
 * are 6 digits; bring-your-own PINs may be letters and digits.
 */
export const PinInput = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]+$/, 'letters and digits only')
  .min(1)
  .max(CUSTOM_PIN_MAX_LENGTH);

/** `POST /api/customer/start`, with a customer JWT (`role_type: 1`) as the bearer token. */
export const StartSessionRequest = z
  .object({
    /** Bring-your-own PIN: only with `enable_byop: 1` in the JWT. Checked by the server (1008/1009). */
    customPinCode: z.string().max(64).optional(),
  })
  .strict();
export type StartSessionRequest = z.infer<typeof StartSessionRequest>;

export const StartSessionResponse = z.object({
  sessionId: SessionId,
  /** The PIN the customer reads to the agent. The SDK emits it as `pincode_updated`. */
  pin: z.string(),
  status: SessionState,
  /** ISO 8601. After this the session ends (`timeout_max`). */
  expiresAt: z.string(),
  /** The customer's credential for `session.hello`, valid until `expiresAt`. Keep it first-party. */
  resumeToken: z.string(),
  /**
   * How long the session waits for a customer whose every tab is gone (closed, reloading or
   * offline) before it ends (`timeout_reconnect`). A stored session older than this is not
   * offered for resumption. @since 1.1
   */
  reconnectWindowSeconds: z.number().int().positive().optional(),
});
export type StartSessionResponse = z.infer<typeof StartSessionResponse>;

/** `POST /api/agent/connect`, with an agent JWT (`role_type: 2`) or a console token. */
export const AgentConnectRequest = z.object({ pin: PinInput }).strict();
export type AgentConnectRequest = z.infer<typeof AgentConnectRequest>;

export const AgentConnectResponse = z.object({
  sessionId: SessionId,
  /** Short-lived, scoped to this session and this agent: the credential for `session.hello`. */
  joinToken: z.string(),
});
export type AgentConnectResponse = z.infer<typeof AgentConnectResponse>;

/**
 * The query parameter that carries an invitation on the link the customer opens. The customer SDK
 * looks for it on `init`, takes it out of the address bar and redeems it.
 */
export const INVITE_QUERY_PARAMETER = 'sightline_invite';

/**
 * A help-desk ticket reference, such as `ZD-48213` or `#4521`: up to 64 letters, digits, spaces
 * and `# . _ : / -`, trimmed. Stored with the invitation and its session's audit trail.
 */
export const TicketRef = z
  .string()
  .trim()
  .min(1, 'must not be blank')
  .max(TICKET_REF_MAX_LENGTH, `must be at most ${TICKET_REF_MAX_LENGTH} characters`)
  .regex(/^[\p{L}\p{N} #._:/-]+$/u, 'letters, digits, spaces and # . _ : / - only');
export type TicketRef = z.infer<typeof TicketRef>;

/**
 * `POST /api/agent/invite`, with an agent JWT (`role_type: 2`) or a console token: creates a
 * session for a customer who is not there yet, and the one-time link that lets them in.
 */
export const CreateInviteRequest = z.object({ ticketRef: TicketRef.optional() }).strict();
export type CreateInviteRequest = z.infer<typeof CreateInviteRequest>;

export const CreateInviteResponse = z.object({
  sessionId: SessionId,
  /**
   * The session's PIN. The agent joins with it (`POST /api/agent/connect`) and waits in the
   * session until the customer opens the link; a second agent may join with it too.
   */
  pin: z.string(),
  /** The link to send to the customer: the app's invite page with {@link INVITE_QUERY_PARAMETER}. */
  inviteUrl: z.string(),
  /** ISO 8601. The link works once, until then; the waiting session ends at the same time. */
  expiresAt: z.string(),
  ticketRef: TicketRef.optional(),
});
export type CreateInviteResponse = z.infer<typeof CreateInviteResponse>;

/**
 * `POST /api/customer/invite`, from the page the link opened (no bearer token: the signed
 * invitation is the credential). Answers as `POST /api/customer/start` does, or with 3011
 * `INVITE_INVALID`, 3012 `INVITE_EXPIRED` or 3013 `INVITE_USED`.
 */
export const RedeemInviteRequest = z
  .object({
    /** The value of {@link INVITE_QUERY_PARAMETER}. */
    invite: z.string().min(1).max(INVITE_TOKEN_MAX_LENGTH),
    /**
     * A random id the SDK makes once per opening of the link. A retried request with the same id
     * (the first answer was lost) gets the session again; any other id is 3013 `INVITE_USED`.
     */
    openerId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, '16 to 64 letters, digits, - and _'),
  })
  .strict();
export type RedeemInviteRequest = z.infer<typeof RedeemInviteRequest>;

/** `POST /api/session/revoke`, by an agent. Ends the session with reason `revoked`. */
export const RevokeSessionRequest = z.object({ sessionId: SessionId }).strict();
export type RevokeSessionRequest = z.infer<typeof RevokeSessionRequest>;

export const RevokeSessionResponse = z.object({
  sessionId: SessionId,
  state: z.literal('ended'),
  endReason: EndReason,
});
export type RevokeSessionResponse = z.infer<typeof RevokeSessionResponse>;

/** Query of `GET /api/session/list`. */
export const SessionListQuery = z
  .object({
    /** `live`: not ended (default); `ended`; or `all`. */
    status: z.enum(['live', 'ended', 'all']).default('live'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** Opaque, from the previous page's `nextCursor`. */
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type SessionListQuery = z.infer<typeof SessionListQuery>;

/** One session as the list shows it. */
export const SessionSummary = z.object({
  sessionId: SessionId,
  /** Absent once the session has ended: a PIN is only meaningful while live. */
  pin: z.string().optional(),
  state: SessionState,
  endReason: EndReason.optional(),
  createdAt: z.string(),
  endedAt: z.string().optional(),
  expiresAt: z.string(),
  participants: z.array(
    Participant.extend({ joinedAt: z.string(), leftAt: z.string().optional() }),
  ),
});
export type SessionSummary = z.infer<typeof SessionSummary>;

export const SessionListResponse = z.object({
  sessions: z.array(SessionSummary),
  nextCursor: z.string().nullable(),
});
export type SessionListResponse = z.infer<typeof SessionListResponse>;

/**
 * `POST /api/token` (demo mode, or a signed-in console user): the request of Zoom's token-server
 * sample. `role` may be a numeric string, as the sample allows.
 */
export const TokenRequest = z.object({
  role: z.coerce.number().pipe(z.union([z.literal(1), z.literal(2)])),
  userId: z.string().min(1).max(35).optional(),
  userName: z.string().min(1).max(35).optional(),
  expirationSeconds: z.coerce.number().int().min(1800).max(172_800).default(7200),
});
export type TokenRequest = z.infer<typeof TokenRequest>;

export const TokenResponse = z.object({ token: z.string() });
export type TokenResponse = z.infer<typeof TokenResponse>;

/** `POST /api/console/login`: an agent signs in to the console. */
export const ConsoleLoginRequest = z
  .object({
    username: z.string().min(1).max(USER_ID_MAX_LENGTH),
    password: z.string().min(1).max(1024),
  })
  .strict();
export type ConsoleLoginRequest = z.infer<typeof ConsoleLoginRequest>;

export const ConsoleLoginResponse = z.object({
  /** An agent JWT (`role_type: 2`) for `POST /api/agent/connect`. */
  token: z.string(),
  user: z.object({
    userId: z.string(),
    userName: z.string().max(USER_NAME_MAX_LENGTH),
    role: z.enum(['agent', 'senior_agent', 'manager', 'admin']),
  }),
  expiresAt: z.string(),
});
export type ConsoleLoginResponse = z.infer<typeof ConsoleLoginResponse>;

/**
 * One dependency as `GET /health` found it: whether it answered, how long it took (ms, up to the
 * check's time limit), and why not, if not: `timeout` (no answer in time) or `unavailable` (it
 * answered with an error). The error's own text stays in the server's log: it may name hosts.
 */
export const DependencyHealth = z.object({
  status: z.enum(['ok', 'failing']),
  latencyMs: z.number().nonnegative(),
  error: z.enum(['timeout', 'unavailable']).optional(),
});
export type DependencyHealth = z.infer<typeof DependencyHealth>;

/**
 * `GET /health` (also `/health/ready`): readiness. 200 `ok` when every dependency answers, 503
 * `degraded` otherwise. `checks` is each dependency's status alone, as before `dependencies`.
 */
export const HealthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptimeSeconds: z.number(),
  checks: z.record(z.string(), z.enum(['ok', 'failing'])),
  /** `store` and `bus`, each with its latency and error. */
  dependencies: z.record(z.string(), DependencyHealth),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

/** `GET /health/live`: liveness. 200 whenever the process answers HTTP; it checks nothing else. */
export const LivenessResponse = z.object({
  status: z.literal('ok'),
  uptimeSeconds: z.number(),
});
export type LivenessResponse = z.infer<typeof LivenessResponse>;

/**
 * A request for `full_control` waiting for a manager (ADR 0012): `ca_` and 16 or more URL-safe
 * characters.
 * @since 1.2
 */
export const ControlApprovalId = z.string().regex(/^ca_[A-Za-z0-9_-]{16,64}$/, 'an approval id');
export type ControlApprovalId = z.infer<typeof ControlApprovalId>;

/**
 * One request for `full_control` waiting for a manager of the app, as
 * `GET /api/agent/control-approvals` lists it. Times are ISO 8601; after `expiresAt` it is
 * refused (3021) without an answer.
 * @since 1.2
 */
export const ControlApproval = z.object({
  id: ControlApprovalId,
  sessionId: SessionId,
  /** The mode asked for: `full_control`. */
  mode: ControlMode,
  /** The agent who asked, and would control the page. */
  agent: Participant,
  /** The session's customer, by name, as the console shows sessions. */
  customerUserName: z.string(),
  requestedAt: z.string(),
  expiresAt: z.string(),
});
export type ControlApproval = z.infer<typeof ControlApproval>;

/**
 * `GET /api/agent/control-approvals`, by a console user with the role `manager` or `admin`: the
 * requests of the user's app still waiting, oldest first.
 * @since 1.2
 */
export const ControlApprovalListResponse = z.object({ approvals: z.array(ControlApproval) });
export type ControlApprovalListResponse = z.infer<typeof ControlApprovalListResponse>;

/**
 * `POST /api/agent/control-approvals/:id`, by a console manager or admin: approve (the customer
 * is asked next) or deny (the agent is told 3021).
 * @since 1.2
 */
export const ControlApprovalDecisionRequest = z
  .object({ decision: z.enum(['approve', 'deny']) })
  .strict();
export type ControlApprovalDecisionRequest = z.infer<typeof ControlApprovalDecisionRequest>;

/** The answer to `POST /api/agent/control-approvals/:id`. @since 1.2 */
export const ControlApprovalDecisionResponse = z.object({
  id: ControlApprovalId,
  sessionId: SessionId,
  decision: z.enum(['approve', 'deny']),
});
export type ControlApprovalDecisionResponse = z.infer<typeof ControlApprovalDecisionResponse>;
