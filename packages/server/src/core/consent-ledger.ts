/**
 * @module
 * Internal: reading consent questions of any kind back from a session's audit trail (ADR 0005).
 * Each question is a `consent_requested` entry and each decision a later entry whose reason names
 * the same agent and request; the first decision after the question is the one that counts.
 *
 * A `view` question's reason is `agent:<user_id> request:<id>`, as stored since consent began;
 * any other kind adds ` kind:<kind>` (`agent:a1 request:cr_x kind:extend`), so each desk reads
 * only its own kind's questions (`consent.ts` for viewing, `session-extension.ts` for more time,
 * `control-desk.ts` for control). A `control` question also names the mode asked for
 * (`… kind:control mode:controlled`, ADR 0012).
 */
import { randomBytes } from 'node:crypto';
import type { ConsentKind, ControlMode } from '@sightline/protocol';
import type { AuditEntry } from './ports.js';

/** The audit actions of the consent ledger, for every kind. */
export const CONSENT_ACTIONS = {
  requested: 'consent_requested',
  allowed: 'consent_allowed',
  denied: 'consent_denied',
  preApproved: 'consent_pre_approved',
  expired: 'consent_expired',
} as const;

/** One question to the customer and where it stands. */
export interface LedgerEntry {
  requestId: string;
  agentUserId: string;
  kind: ConsentKind;
  /** When the question was asked. */
  askedAt: number;
  status: 'open' | 'allowed' | 'denied' | 'expired';
}

const REASON = /^agent:(.+) request:([A-Za-z0-9_-]+)(?: kind:([a-z_]+))?(?: mode:[a-z_]+)?$/;

/**
 * The audit reason that ties a consent entry to its agent, request and kind; `mode`, for a
 * `control` question, the mode asked for.
 */
export function ledgerReason(
  agentUserId: string,
  requestId: string,
  kind: ConsentKind,
  mode?: ControlMode,
): string {
  const base = `agent:${agentUserId} request:${requestId}`;
  if (kind === 'view') return base;
  return mode === undefined ? `${base} kind:${kind}` : `${base} kind:${kind} mode:${mode}`;
}

/** Every question of `kind` in the audit trail, oldest first, each with its first decision. */
export function readLedger(audit: readonly AuditEntry[], kind: ConsentKind): LedgerEntry[] {
  const entries = new Map<string, LedgerEntry>();
  for (const entry of audit) {
    const match = REASON.exec(entry.reason ?? '');
    if (!match || (match[3] ?? 'view') !== kind) continue;
    const [, agentUserId = '', requestId = ''] = match;
    const status = statusOf(entry.action);
    if (status === undefined) continue;
    if (status === 'open') {
      entries.set(requestId, { requestId, agentUserId, kind, askedAt: entry.at, status });
    } else {
      const question = entries.get(requestId);
      if (question?.status === 'open') question.status = status;
    }
  }
  return [...entries.values()];
}

/** A new, unguessable consent request id. */
export function newRequestId(): string {
  return `cr_${randomBytes(12).toString('base64url')}`;
}

function statusOf(action: string): LedgerEntry['status'] | undefined {
  switch (action) {
    case CONSENT_ACTIONS.requested:
      return 'open';
    case CONSENT_ACTIONS.allowed:
    case CONSENT_ACTIONS.preApproved:
      return 'allowed';
    case CONSENT_ACTIONS.denied:
      return 'denied';
    case CONSENT_ACTIONS.expired:
      return 'expired';
    default:
      return undefined;
  }
}
