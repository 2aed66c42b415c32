/**
 * @module
 * Server-managed mask rules: an app's managers list, create, update and delete them; a customer's
 * SDK reads its app's rules with the session's resume token, before it captures anything.
 *
 * Who may manage them: a console user of the token's app whose role is `manager` or `admin`,
 * signed in (`POST /api/console/login`), with the agent token that sign-in returned. The token
 * names the user by `user_id`; the role is read from the store on every request, so a demotion
 * takes effect at once. Every change is written to the app's security log in the same step as the
 * change itself.
 */
import { randomBytes } from 'node:crypto';
import {
  MASK_RULES_MAX_PER_APP,
  SightlineError,
  type CustomerMaskRulesResponse,
  type MaskRule,
  type MaskRuleDeletedResponse,
  type MaskRuleInput,
  type MaskRuleListResponse,
} from '@sightline/protocol';
import type {
  AgentRole,
  AppAuditEntry,
  AppRecord,
  Clock,
  MaskRuleRecord,
  SessionStore,
} from './ports.js';
import { requireRole, type VerifiedSdkToken } from './sdk-token.js';
import { actorOf } from './session-service.js';
import type { SessionTokens } from './session-tokens.js';

/** The console roles that may manage an app's mask rules. */
export const MASK_RULE_MANAGER_ROLES: ReadonlySet<AgentRole> = new Set(['manager', 'admin']);

interface Dependencies {
  store: SessionStore;
  clock: Clock;
  tokens: SessionTokens;
}

/** Who is changing the rules, once checked. */
interface Manager {
  app: AppRecord;
  actor: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** A stored rule as the management endpoints answer. */
function toMaskRule(record: MaskRuleRecord): MaskRule {
  return {
    id: record.id,
    urlPattern: record.urlPattern,
    maskSelectors: record.maskSelectors,
    blockSelectors: record.blockSelectors,
    maskUrlParams: record.maskUrlParams,
    detectors: record.detectors,
    ...(record.description === undefined ? {} : { description: record.description }),
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
  };
}

/** The security-log reason of a change: which rule, and where it applies. Never the selectors. */
function describe(record: Pick<MaskRuleRecord, 'id' | 'urlPattern'>): string {
  return `rule=${record.id} urlPattern=${record.urlPattern}`;
}

/** Mask rule operations. One per node. */
export class MaskRuleService {
  constructor(private readonly deps: Dependencies) {}

  /** The app's rules, oldest first. */
  async list(token: VerifiedSdkToken): Promise<MaskRuleListResponse> {
    const { app } = await this.manager(token);
    const records = await this.deps.store.listMaskRules(app.id);
    return { rules: records.map(toMaskRule) };
  }

  /** Adds a rule; 4010 once the app holds {@link MASK_RULES_MAX_PER_APP}. */
  async create(token: VerifiedSdkToken, input: MaskRuleInput): Promise<MaskRule> {
    const { app, actor } = await this.manager(token);
    const now = this.deps.clock.now();
    const record: MaskRuleRecord = {
      id: `mr_${randomBytes(12).toString('base64url')}`,
      appId: app.id,
      ...input,
      createdAt: now,
      updatedAt: now,
    };
    const outcome = await this.deps.store.insertMaskRule(
      record,
      this.audit(app, actor, 'mask_rule.created', describe(record)),
      MASK_RULES_MAX_PER_APP,
    );
    if (outcome === 'limit_reached') {
      throw new SightlineError(
        'MASK_RULE_LIMIT_REACHED',
        `The limit is ${MASK_RULES_MAX_PER_APP} rules per app.`,
      );
    }
    return toMaskRule(record);
  }

  /** Replaces rule `id` of the token's app with `input`; 4009 if the app has no such rule. */
  async update(token: VerifiedSdkToken, id: string, input: MaskRuleInput): Promise<MaskRule> {
    const { app, actor } = await this.manager(token);
    const now = this.deps.clock.now();
    const record: MaskRuleRecord = { id, appId: app.id, ...input, createdAt: now, updatedAt: now };
    const stored = await this.deps.store.updateMaskRule(
      record,
      this.audit(app, actor, 'mask_rule.updated', describe(record)),
    );
    if (!stored) throw new SightlineError('MASK_RULE_NOT_FOUND');
    return toMaskRule(stored);
  }

  /** Deletes rule `id` of the token's app; 4009 if the app has no such rule. */
  async remove(token: VerifiedSdkToken, id: string): Promise<MaskRuleDeletedResponse> {
    const { app, actor } = await this.manager(token);
    const deleted = await this.deps.store.deleteMaskRule(
      { appId: app.id, id },
      this.audit(app, actor, 'mask_rule.deleted', `rule=${id}`),
    );
    if (!deleted) throw new SightlineError('MASK_RULE_NOT_FOUND');
    return { id, deleted: true };
  }

  /**
   * Every rule of the app whose session `resumeToken` belongs to, for the customer SDK to match
   * against its own path. An ended session gets 4004, so the SDK fails closed.
   */
  async forCustomer(resumeToken: string): Promise<CustomerMaskRulesResponse> {
    const grant = await this.deps.tokens.verify('resume', resumeToken);
    const session = await this.deps.store.getSession(grant.sessionId);
    if (!session) throw new SightlineError('SESSION_NOT_FOUND');
    if (session.state === 'ended') throw new SightlineError('SESSION_ENDED');
    const records = await this.deps.store.listMaskRules(session.appId);
    return {
      rules: records.map(
        ({ urlPattern, maskSelectors, blockSelectors, maskUrlParams, detectors }) => ({
          urlPattern,
          maskSelectors,
          blockSelectors,
          maskUrlParams,
          detectors,
        }),
      ),
    };
  }

  /**
   * Checks that `token` is a signed-in console user of its app with a managing role. A customer
   * token is 2001, as on every agent endpoint; any other agent is 4005.
   */
  private async manager(token: VerifiedSdkToken): Promise<Manager> {
    const { app, claims } = requireRole(token, 2);
    const user = await this.deps.store.getUserByUsername(claims.user_id);
    if (!user || user.appId !== app.id || !MASK_RULE_MANAGER_ROLES.has(user.role)) {
      throw new SightlineError(
        'FORBIDDEN',
        'Mask rules are managed by console users with the role manager or admin.',
      );
    }
    return { app, actor: actorOf('agent', claims.user_id) };
  }

  private audit(app: AppRecord, actor: string, action: string, reason: string): AppAuditEntry {
    return { appId: app.id, at: this.deps.clock.now(), actor, action, reason };
  }
}
