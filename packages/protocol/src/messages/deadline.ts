/**
 * @module
 * The session's deadline and its extension. Every session ends by itself at its deadline
 * (`timeout_max`, 45 min after the start by default). Everyone in the session knows when: the
 * welcome says it, and `session.deadline` says each change. An agent the customer allowed to see
 * the page may ask to go on longer (`session.extend`); the customer is asked through the consent
 * questions (`consent.request { kind: 'extend' }`), always, and the agents follow the question
 * through `session.extension`.
 */
import * as z from 'zod';
import { Participant } from './common.js';
import { ConsentRequestId } from './consent.js';

/** Milliseconds since the epoch, on the server's clock. */
const ServerTime = z.number().int().min(0);

/**
 * When the session ends by itself, and how much one extension would add now. Sent in
 * `session.welcome` and `session.deadline`. Clients count down from `endsAt - serverTime`, on
 * their own clock, so a customer's wrong clock does not move it.
 * @since 1.1
 */
export const DeadlineInfo = z.object({
  /** When the session ends with `timeout_max`, server time. */
  endsAt: ServerTime,
  /** The server's clock when this was sent. */
  serverTime: ServerTime,
  /**
   * How much later one more extension would move `endsAt`, in ms: the configured step, less at
   * the end of the longest allowed total duration; 0 when the session cannot be extended.
   */
  extensionMs: z.number().int().min(0),
});
export type DeadlineInfo = z.infer<typeof DeadlineInfo>;

/**
 * Broadcast by the server to everyone in the session when its deadline moves (an extension was
 * allowed). The deadline at each (re)connection is in `session.welcome`'s `deadline`.
 * @since 1.1
 */
export const SessionDeadline = DeadlineInfo.extend({
  type: z.literal('session.deadline'),
});
export type SessionDeadline = z.infer<typeof SessionDeadline>;

/**
 * Sent by an agent to the server: ask the customer to extend the session by the server's step.
 * Only an agent the customer allowed to see the page may ask (3006 otherwise, and from the
 * customer), one question at a time in the session (3014), and not past the longest total
 * duration (3015). These refusals are `session.error` frames; the socket stays open.
 * @since 1.1
 */
export const SessionExtend = z.object({ type: z.literal('session.extend') }).strict();
export type SessionExtend = z.infer<typeof SessionExtend>;

/** Where a question to extend the session stands. */
export const ExtensionOutcome = z.enum(['pending', 'allowed', 'denied', 'expired']);
export type ExtensionOutcome = z.infer<typeof ExtensionOutcome>;

/**
 * Broadcast by the server to every agent of the session as a question to extend it moves on:
 * `pending` (asked; the customer sees the prompt), then `allowed` (a `session.deadline` follows),
 * `denied` (code 3016) or `expired` (unanswered within the consent timeout, code 3017). `agent`
 * is who asked. The deadline does not move unless `allowed`.
 * @since 1.1
 */
export const SessionExtension = z.object({
  type: z.literal('session.extension'),
  requestId: ConsentRequestId,
  agent: Participant,
  outcome: ExtensionOutcome,
  /** How much the question asks for, in ms. */
  extensionMs: z.number().int().positive(),
  /** `denied` and `expired`: the catalogue code that says why, in words, on the agent's side. */
  code: z.number().int().optional(),
});
export type SessionExtension = z.infer<typeof SessionExtension>;
