/**
 * @module
 * Request and response bodies of the HTTP API. Every failed request answers with `ErrorBody`
 * (`{ error: { code, name, message } }`) and the status from the error catalogue.
 */
import * as z from 'zod';
import { CUSTOM_PIN_MAX_LENGTH, USER_ID_MAX_LENGTH, USER_NAME_MAX_LENGTH } from './limits.js';
import { EndReason, Participant, SessionId, SessionState } from './messages/common.js';

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

/** `GET /health`. */
export const HealthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptimeSeconds: z.number(),
  checks: z.record(z.string(), z.enum(['ok', 'failing'])),
});
export type HealthResponse = z.infer<typeof HealthResponse>;
