/**
 * @module
 * `session.*` messages: the handshake, presence and the end of a session.
 */
import * as z from 'zod';
import { ErrorCode, type ErrorName } from '../errors.js';
import { DeadlineInfo } from './deadline.js';
import { MAX_RESUME_TABS } from '../limits.js';
import { EndReason, Participant, Role, SessionId, SessionState, Seq, TabId } from './common.js';

/**
 * What an agent's mirror already holds, per tab: the highest `seq` it has consumed (applied, or
 * dropped as a tab it does not show). Sent in a reconnecting agent's hello so the server can send
 * only what follows (`SessionWelcome.resumed`). At most {@link MAX_RESUME_TABS} tabs.
 * @since 1.1
 */
export const ResumeFrom = z
  .record(TabId, Seq)
  .refine((tabs) => Object.keys(tabs).length <= MAX_RESUME_TABS, {
    message: `at most ${MAX_RESUME_TABS} tabs`,
  });
export type ResumeFrom = z.infer<typeof ResumeFrom>;

/**
 * The first frame on every socket. Sent by the customer SDK and by the agent SDK to the server,
 * within {@link HELLO_DEADLINE_MS}. Exactly one credential:
 * - `resumeToken`: the customer's, from `POST /api/customer/start`;
 * - `joinToken`: an agent's, from `POST /api/agent/connect`.
 *
 * SDK JWTs never travel on the socket: they are exchanged over HTTP for these session-scoped,
 * short-lived tokens (ADR 0002).
 */
export const SessionHello = z
  .object({
    type: z.literal('session.hello'),
    /** `major.minor`; see `PROTOCOL_VERSION`. */
    protocolVersion: z.string().max(16),
    resumeToken: z.string().min(1).max(4096).optional(),
    joinToken: z.string().min(1).max(4096).optional(),
    /** The customer's tab. Required from customers, ignored from agents. */
    tabId: TabId.optional(),
    /**
     * Agents, on a reconnect: what the mirror holds per tab (`{}` for nothing). With it, the
     * welcome says which tabs resume; without it, every tab starts again from its checkout, and
     * no `resumed` comes back. Ignored from customers. @since 1.1
     */
    resumeFrom: ResumeFrom.optional(),
  })
  .strict()
  .refine((m) => (m.resumeToken === undefined) !== (m.joinToken === undefined), {
    message: 'exactly one of resumeToken and joinToken is required',
  });
export type SessionHello = z.infer<typeof SessionHello>;

/**
 * Sent by the server to the client that said hello, once it is admitted. Not broadcast.
 * `lastAckedSeq` tells a reconnecting customer which batches the server already has, per tab.
 */
export const SessionWelcome = z.object({
  type: z.literal('session.welcome'),
  protocolVersion: z.string(),
  sessionId: SessionId,
  role: Role,
  self: Participant,
  /** Everyone else currently connected. */
  participants: z.array(Participant),
  state: SessionState,
  /** Server clock, ms since the epoch, for agents to map receive times onto their own clock. */
  serverTime: z.number(),
  /** When the session ends by itself, and how much an extension would add. @since 1.1 */
  deadline: DeadlineInfo.optional(),
  /** Customer only: per tab, the highest batch seq the server holds. */
  lastAckedSeq: z.record(z.string(), z.number().int().min(0)).optional(),
  /**
   * Agent only, when its hello carried `resumeFrom`: the tabs whose batches continue right after
   * the agent's `resumeFrom` seq (the agent keeps what it shows of them). Every other tab the agent
   * holds starts again: its checkout follows from the latest full snapshot, now if the agent is
   * allowed, or after `consent.allowed`. @since 1.1
   */
  resumed: z.array(TabId).max(MAX_RESUME_TABS).optional(),
});
export type SessionWelcome = z.infer<typeof SessionWelcome>;

/** Broadcast by the server to everyone else in the session when a participant connects. */
export const SessionParticipantJoined = z.object({
  type: z.literal('session.participant_joined'),
  participant: Participant,
});
export type SessionParticipantJoined = z.infer<typeof SessionParticipantJoined>;

/** Broadcast by the server to everyone else in the session when a participant's last socket closes. */
export const SessionParticipantLeft = z.object({
  type: z.literal('session.participant_left'),
  participant: Participant,
});
export type SessionParticipantLeft = z.infer<typeof SessionParticipantLeft>;

/** Broadcast by the server to everyone in the session when the session changes state. */
export const SessionStateChanged = z.object({
  type: z.literal('session.state'),
  state: SessionState,
});
export type SessionStateChanged = z.infer<typeof SessionStateChanged>;

/**
 * Broadcast by the server to everyone in the session when it ends. The server then closes each
 * socket with `CloseCode.DO_NOT_RECONNECT`.
 */
export const SessionEnded = z.object({
  type: z.literal('session.ended'),
  reason: EndReason,
});
export type SessionEnded = z.infer<typeof SessionEnded>;

const errorNames = Object.keys(ErrorCode) as [ErrorName, ...ErrorName[]];

/**
 * Sent by the server to one client when it refused something that client sent. If the error is
 * fatal to the socket, a close with `closeCode` follows.
 */
export const SessionError = z.object({
  type: z.literal('session.error'),
  code: z.number().int(),
  name: z.enum(errorNames),
  message: z.string(),
});
export type SessionError = z.infer<typeof SessionError>;

/**
 * Sent by the customer (ends with `customer_ended`) or an agent (`agent_ended`) to the server to
 * end the session for everyone.
 */
export const SessionEnd = z.object({ type: z.literal('session.end') }).strict();
export type SessionEnd = z.infer<typeof SessionEnd>;
