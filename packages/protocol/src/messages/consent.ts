/**
 * @module
 * `consent.*` messages: the customer's explicit yes before anything of the page leaves the
 * browser. Consent is per agent: each agent admitted to a session is asked for once, and gets no
 * checkout and no batch until the customer allows it (or the app's policy pre-approves viewing).
 * The same questions ask for more time: an allowed agent's request to extend the session past its
 * deadline (`extend`, see `deadline.ts`) is always asked, whatever the app's policy, and so is each
 * step up in control (`control`, see `control.ts`).
 */
import * as z from 'zod';
import { Participant } from './common.js';
import { ControlMode } from './control.js';

/** Identifies one consent question, chosen by the server. */
export const ConsentRequestId = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
export type ConsentRequestId = z.infer<typeof ConsentRequestId>;

/**
 * What is asked for: `view`, to see the page; `extend` (@since 1.1), to go on past the session's
 * deadline for `extensionMs` more; `control` (@since 1.2), to move to the control mode `mode`,
 * with `agent` as the controller in `controlled` and `full_control`.
 */
export const ConsentKind = z.enum(['view', 'extend', 'control']);
export type ConsentKind = z.infer<typeof ConsentKind>;

/** The customer's answer. */
export const ConsentDecision = z.enum(['allow', 'deny']);
export type ConsentDecision = z.infer<typeof ConsentDecision>;

/**
 * Sent by the server to the customer (every tab; not broadcast to agents): `agent` wants to see
 * the page (`view`), or to extend the session by `extensionMs` (`extend`, which alone carries
 * it). The SDK shows its prompt and answers with `consent.response`. Sent again on each
 * (re)connection of the customer while the question is still open, so a reloaded page asks again.
 * @since 1.1
 */
export const ConsentRequest = z
  .object({
    type: z.literal('consent.request'),
    requestId: ConsentRequestId,
    kind: ConsentKind,
    agent: Participant,
    /** `extend` only: how much longer the session would last, in ms. @since 1.1 */
    extensionMs: z.number().int().positive().optional(),
    /** `control` only: the mode asked for. @since 1.2 */
    mode: ControlMode.optional(),
  })
  .refine((m) => (m.kind === 'extend') === (m.extensionMs !== undefined), {
    message: 'extensionMs goes with kind extend, and only with it',
    path: ['extensionMs'],
  })
  .refine((m) => (m.kind === 'control') === (m.mode !== undefined), {
    message: 'mode goes with kind control, and only with it',
    path: ['mode'],
  });
export type ConsentRequest = z.infer<typeof ConsentRequest>;

/**
 * Sent by the customer SDK to the server: the answer to `consent.request`. Refused with
 * `MESSAGE_NOT_ALLOWED` from an agent, and with `PROTOCOL_INVALID_MESSAGE` for a `requestId` that
 * is unknown or already answered.
 * @since 1.1
 */
export const ConsentResponse = z
  .object({
    type: z.literal('consent.response'),
    requestId: ConsentRequestId,
    decision: ConsentDecision,
  })
  .strict();
export type ConsentResponse = z.infer<typeof ConsentResponse>;

/**
 * Sent by the server to the customer whenever the agents allowed to see the page change (an
 * agent allowed or pre-approved), and after each welcome. The SDK's banner names them; an agent
 * leaving arrives as `session.participant_left`.
 * @since 1.1
 */
export const ConsentViewers = z.object({
  type: z.literal('consent.viewers'),
  agents: z.array(Participant),
});
export type ConsentViewers = z.infer<typeof ConsentViewers>;

/**
 * Sent by the server to one agent, right after its welcome, when the customer has not allowed it
 * yet: it gets nothing of the page until `consent.allowed`. A refusal arrives as `session.error`
 * `CONSENT_DECLINED`, then the socket closes with 4403.
 * @since 1.1
 */
export const ConsentPending = z.object({
  type: z.literal('consent.pending'),
  requestId: ConsentRequestId,
});
export type ConsentPending = z.infer<typeof ConsentPending>;

/**
 * Sent by the server to one agent when the customer allowed it (or the app pre-approves viewing):
 * the checkout and the live stream follow.
 * @since 1.1
 */
export const ConsentAllowed = z.object({
  type: z.literal('consent.allowed'),
  requestId: ConsentRequestId,
});
export type ConsentAllowed = z.infer<typeof ConsentAllowed>;

/**
 * Sent by the server to the customer (every tab) when a question is no longer open: it was
 * answered (perhaps in another tab), or an `extend` question expired unanswered. The SDK closes
 * its prompt for it. A `view` question that expires closes with its agent's
 * `session.participant_left` instead.
 * @since 1.1
 */
export const ConsentSettled = z.object({
  type: z.literal('consent.settled'),
  requestId: ConsentRequestId,
});
export type ConsentSettled = z.infer<typeof ConsentSettled>;
