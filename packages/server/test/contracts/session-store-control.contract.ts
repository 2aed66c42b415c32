/**
 * @module
 * The `SessionStore` contract for control records (ADR 0012): compare-and-set on the revision,
 * audit entries in the same transaction, nothing written for an ended or unknown session, and the
 * list of requests waiting for a manager. Part of `describeSessionStoreContract`, so every adapter
 * (SQLite now, PostgreSQL next) passes it unchanged.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  AuditEntry,
  ControlChange,
  ControlRecord,
  SessionRecord,
  SessionStore,
} from '../../src/index.js';

const SETTINGS = {
  remoteAssist: {
    enable: true,
    enableCustomerConsent: true,
    types: ['scroll_page', 'click'] as ('scroll_page' | 'click')[],
    requireStopConfirmation: false,
  },
  allowAgentAnnotation: true,
  allowCustomerAnnotation: false,
};

/** Registers the control part of the contract for one adapter. */
export function describeControlContract(makeStore: () => Promise<SessionStore>): void {
  describe('control', () => {
    let store: SessionStore;
    let count = 0;

    beforeEach(async () => {
      store = await makeStore();
      for (const id of ['app-a', 'app-b']) {
        await store.saveApp({
          id,
          name: id,
          sdkKey: `${id}-control-key`,
          sdkSecret: `${id}-secret-0123456789abcdefghijklmnop`,
          createdAt: 1,
          viewConsent: 'ask',
        });
      }
    });

    afterEach(async () => {
      await store.close();
    });

    async function session(appId = 'app-a'): Promise<SessionRecord> {
      count += 1;
      const record: SessionRecord = {
        id: `control-${String(count).padStart(4, '0')}`,
        appId,
        pin: String(200_000 + count),
        state: 'active',
        byop: false,
        customerUserId: 'customer-1',
        customerUserName: 'Casey',
        createdAt: 1_000 + count,
        updatedAt: 1_000 + count,
        expiresAt: 99_000_000,
      };
      const created = { sessionId: record.id, at: 1, actor: 'system', action: 'session.created' };
      expect(await store.insertSession(record, created)).toBe('created');
      return record;
    }

    const audit = (sessionId: string, action: string, at = 5): AuditEntry => ({
      sessionId,
      at,
      actor: 'agent:a1',
      action,
      reason: `agent:a1 ${action}`,
    });

    const base = (sessionId: string): ControlChange['next'] => ({
      sessionId,
      mode: 'view_only',
      controller: null,
      grantUntil: null,
      pending: null,
      settings: null,
      updatedAt: 5,
    });

    const actions = async (sessionId: string) =>
      (await store.listAudit(sessionId)).map((e) => e.action);

    it('has no record before the first change, then stores every field exactly', async () => {
      const s = await session();
      expect(await store.getControl(s.id)).toBeUndefined();
      const next: ControlChange['next'] = {
        ...base(s.id),
        mode: 'controlled',
        controller: { userId: 'a1', userName: 'Ann Agent' },
        grantUntil: 120_000,
        pending: {
          id: 'cr_0123456789abcdef',
          mode: 'controlled',
          agent: { userId: 'a2', userName: 'Bo Agent' },
          waitingFor: 'customer',
          since: 6,
          handover: true,
        },
        settings: SETTINGS,
      };
      const stored = await store.updateControl({
        expectedRevision: 0,
        next,
        audit: [audit(s.id, 'control_requested'), audit(s.id, 'consent_requested', 6)],
      });
      const expected: ControlRecord = { ...next, revision: 1 };
      expect(stored).toEqual(expected);
      expect(await store.getControl(s.id)).toEqual(expected);
      expect((await store.listAudit(s.id)).slice(1)).toEqual([
        audit(s.id, 'control_requested'),
        audit(s.id, 'consent_requested', 6),
      ]);
    });

    it('applies a change only from the expected revision, writing nothing otherwise', async () => {
      const s = await session();
      const first = { expectedRevision: 0, next: base(s.id), audit: [audit(s.id, 'one')] };
      expect(await store.updateControl(first)).toMatchObject({ revision: 1 });
      // A second "first" change and a stale revision both lose.
      expect(await store.updateControl(first)).toBeUndefined();
      const guided = { ...base(s.id), mode: 'guided' as const };
      expect(
        await store.updateControl({ expectedRevision: 2, next: guided, audit: [audit(s.id, 'x')] }),
      ).toBeUndefined();
      expect(await store.getControl(s.id)).toMatchObject({ revision: 1, mode: 'view_only' });
      expect(
        await store.updateControl({
          expectedRevision: 1,
          next: guided,
          audit: [audit(s.id, 'two')],
        }),
      ).toMatchObject({ revision: 2, mode: 'guided' });
      expect(await actions(s.id)).toEqual(['session.created', 'one', 'two']);
    });

    it('lets exactly one of several concurrent changes win, audited once', async () => {
      const s = await session();
      await store.updateControl({
        expectedRevision: 0,
        next: base(s.id),
        audit: [audit(s.id, 'a')],
      });
      const results = await Promise.all(
        (['guided', 'controlled', 'full_control'] as const).map((mode) =>
          store.updateControl({
            expectedRevision: 1,
            next: {
              ...base(s.id),
              mode,
              controller: mode === 'guided' ? null : { userId: mode, userName: mode },
            },
            audit: [audit(s.id, `to_${mode}`)],
          }),
        ),
      );
      const winners = results.filter((r) => r !== undefined);
      expect(winners).toHaveLength(1);
      expect(await store.getControl(s.id)).toEqual(winners[0]);
      expect(await actions(s.id)).toHaveLength(3);
      // Concurrent first changes: one record.
      const t = await session();
      const firsts = await Promise.all(
        ['x', 'y', 'z'].map((action) =>
          store.updateControl({
            expectedRevision: 0,
            next: base(t.id),
            audit: [audit(t.id, action)],
          }),
        ),
      );
      expect(firsts.filter((r) => r !== undefined)).toHaveLength(1);
      expect(await actions(t.id)).toHaveLength(2);
    });

    it('refuses a change to an ended or unknown session, without auditing', async () => {
      const s = await session();
      await store.updateControl({
        expectedRevision: 0,
        next: base(s.id),
        audit: [audit(s.id, 'a')],
      });
      await store.transitionSession({
        sessionId: s.id,
        from: 'active',
        to: 'ended',
        at: 9,
        endReason: 'agent_ended',
        actor: 'system',
        action: 'end',
      });
      const guided = { ...base(s.id), mode: 'guided' as const };
      expect(
        await store.updateControl({ expectedRevision: 1, next: guided, audit: [audit(s.id, 'b')] }),
      ).toBeUndefined();
      const ended = await session();
      await store.transitionSession({
        sessionId: ended.id,
        from: 'active',
        to: 'ended',
        at: 9,
        endReason: 'agent_ended',
        actor: 'system',
        action: 'end',
      });
      expect(
        await store.updateControl({
          expectedRevision: 0,
          next: base(ended.id),
          audit: [audit(ended.id, 'c')],
        }),
      ).toBeUndefined();
      expect(await store.getControl(ended.id)).toBeUndefined();
      expect(
        await store.updateControl({
          expectedRevision: 0,
          next: base('no-such-session'),
          audit: [audit('no-such-session', 'd')],
        }),
      ).toBeUndefined();
      expect(await actions(s.id)).toEqual(['session.created', 'a', 'end']);
      expect(await actions('no-such-session')).toEqual([]);
    });

    it("lists the app's live requests waiting for a manager, oldest wait first", async () => {
      const waiting = (sessionId: string, since: number, waitingFor: 'manager' | 'customer') => ({
        expectedRevision: 0,
        next: {
          ...base(sessionId),
          pending: {
            id: `ca_${sessionId}`,
            mode: 'full_control' as const,
            agent: { userId: 'a1', userName: 'Ann' },
            waitingFor,
            since,
            handover: false,
          },
        },
        audit: [audit(sessionId, 'control_requested')],
      });
      const late = await session();
      const early = await session();
      const customer = await session();
      const other = await session('app-b');
      const over = await session();
      const tie = await session();
      await store.updateControl(waiting(late.id, 30, 'manager'));
      await store.updateControl(waiting(early.id, 10, 'manager'));
      await store.updateControl(waiting(tie.id, 30, 'manager'));
      await store.updateControl(waiting(customer.id, 5, 'customer'));
      await store.updateControl(waiting(other.id, 1, 'manager'));
      await store.updateControl(waiting(over.id, 2, 'manager'));
      await store.transitionSession({
        sessionId: over.id,
        from: 'active',
        to: 'ended',
        at: 9,
        endReason: 'agent_ended',
        actor: 'system',
        action: 'end',
      });
      const listed = await store.listControlApprovals('app-a');
      expect(listed.map((r) => r.sessionId)).toEqual([early.id, late.id, tie.id]);
      expect(listed[0]).toEqual({ ...waiting(early.id, 10, 'manager').next, revision: 1 });
      expect((await store.listControlApprovals('app-b')).map((r) => r.sessionId)).toEqual([
        other.id,
      ]);
      expect(await store.listControlApprovals('app-c')).toEqual([]);
    });
  });
}
