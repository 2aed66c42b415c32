/**
 * @module
 * Managers' approvals of `full_control` (ADR 0012), behind `GET /api/agent/control-approvals`
 * and `POST /api/agent/control-approvals/:id`. An agent below `manager` asking for full control
 * leaves a pending step waiting for a manager in the session's control record; a console user of
 * the same app with the role `manager` or `admin` lists those of the app and approves (the
 * customer is asked next) or denies (the agent hears 3021). Who may: as for mask rules, the
 * token's user is read from the store on every request, so a demotion takes effect at once.
 */
import {
  SightlineError,
  type ControlApproval,
  type ControlApprovalDecisionRequest,
  type ControlApprovalDecisionResponse,
  type ControlApprovalListResponse,
} from '@sightline/protocol';
import type { PendingSteps } from './control-pending.js';
import { participantOf } from './control-record.js';
import type { AgentRole, AppRecord, Clock, ControlRecord, SessionStore } from './ports.js';
import { requireRole, type VerifiedSdkToken } from './sdk-token.js';

/** The console roles that approve full control, and whose own request for it needs none. */
export const CONTROL_APPROVER_ROLES: ReadonlySet<AgentRole> = new Set(['manager', 'admin']);

/** Whether the console user `userId` of app `appId` has an approving role. */
export async function isApprover(
  store: SessionStore,
  appId: string,
  userId: string,
): Promise<boolean> {
  const user = await store.getUserByUsername(userId);
  return user !== undefined && user.appId === appId && CONTROL_APPROVER_ROLES.has(user.role);
}

interface Dependencies {
  store: SessionStore;
  clock: Clock;
  pending: PendingSteps;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Approval operations. One per node. */
export class ControlApprovals {
  constructor(private readonly deps: Dependencies) {}

  /** The app's requests for full control still waiting for a manager, oldest first. */
  async list(token: VerifiedSdkToken): Promise<ControlApprovalListResponse> {
    const { app } = await this.approver(token);
    const approvals: ControlApproval[] = [];
    for (const record of await this.waiting(app)) {
      const pending = record.pending;
      const session = await this.deps.store.getSession(record.sessionId);
      if (!pending || !session) continue;
      approvals.push({
        id: pending.id,
        sessionId: record.sessionId,
        mode: pending.mode,
        agent: participantOf(pending.agent),
        customerUserName: session.customerUserName,
        requestedAt: iso(pending.since),
        expiresAt: iso(this.deps.pending.deadline(pending)),
      });
    }
    return { approvals };
  }

  /**
   * Approves or denies the request `id` of the token's app. 4011 when no request of the app waits
   * with that id: answered (by another manager), expired, or another app's.
   */
  async decide(
    token: VerifiedSdkToken,
    id: string,
    request: ControlApprovalDecisionRequest,
  ): Promise<ControlApprovalDecisionResponse> {
    const { app, userId } = await this.approver(token);
    const record = (await this.waiting(app)).find((r) => r.pending?.id === id);
    if (!record) throw new SightlineError('APPROVAL_NOT_FOUND');
    const approve = request.decision === 'approve';
    const decided = await this.deps.pending.decideApproval(record.sessionId, id, approve, userId);
    if (!decided) throw new SightlineError('APPROVAL_NOT_FOUND');
    return { id, sessionId: record.sessionId, decision: request.decision };
  }

  /** The app's waiting requests; one past its time is ended on the way (its timer was lost). */
  private async waiting(app: AppRecord): Promise<ControlRecord[]> {
    const now = this.deps.clock.now();
    const records = await this.deps.store.listControlApprovals(app.id);
    const current: ControlRecord[] = [];
    for (const record of records) {
      if (record.pending && this.deps.pending.deadline(record.pending) > now) current.push(record);
      else await this.deps.pending.fresh(record.sessionId);
    }
    return current;
  }

  /**
   * Checks that `token` is a signed-in console user of its app with the role `manager` or
   * `admin`. A customer token is 2001, as on every agent endpoint; any other agent is 4005.
   */
  private async approver(token: VerifiedSdkToken): Promise<{ app: AppRecord; userId: string }> {
    const { app, claims } = requireRole(token, 2);
    if (!(await isApprover(this.deps.store, app.id, claims.user_id))) {
      throw new SightlineError(
        'FORBIDDEN',
        'Full control is approved by console users with the role manager or admin.',
      );
    }
    return { app, userId: claims.user_id };
  }
}
