/**
 * @module
 * Building blocks shared by several messages and HTTP shapes.
 */
import * as z from 'zod';
import { TAB_ID_MAX_LENGTH, USER_ID_MAX_LENGTH, USER_NAME_MAX_LENGTH } from '../limits.js';

/** Who a participant is in a session. `customer` is JWT `role_type: 1`, `agent` is `role_type: 2`. */
export const Role = z.enum(['customer', 'agent']);
export type Role = z.infer<typeof Role>;

/**
 * The session's lifecycle state. `created → waiting → pending_consent → active ⇄ reconnecting →
 * ended`; see `docs/protocol.md` and the server's state machine.
 */
export const SessionState = z.enum([
  'created',
  'waiting',
  'pending_consent',
  'active',
  'reconnecting',
  'ended',
]);
export type SessionState = z.infer<typeof SessionState>;

/** Why a session ended. */
export const EndReason = z.enum([
  'customer_ended',
  'agent_ended',
  'revoked',
  'declined',
  'timeout_waiting',
  'timeout_reconnect',
  'timeout_idle',
  'timeout_max',
  'error',
]);
export type EndReason = z.infer<typeof EndReason>;

/** A tab's id, chosen by the customer SDK (one per browser tab, kept across reloads of that tab). */
export const TabId = z
  .string()
  .min(1)
  .max(TAB_ID_MAX_LENGTH)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');
export type TabId = z.infer<typeof TabId>;

/** A session id (server-generated, URL-safe). */
export const SessionId = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
export type SessionId = z.infer<typeof SessionId>;

/** Batch sequence number: per tab, starting at 1, increasing by 1 with each batch. */
export const Seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** A person in a session, as others see them. */
export const Participant = z.object({
  userId: z.string().min(1).max(USER_ID_MAX_LENGTH),
  userName: z.string().min(1).max(USER_NAME_MAX_LENGTH),
  role: Role,
});
export type Participant = z.infer<typeof Participant>;
