/**
 * @module
 * The `SessionStore` contract: every adapter (SQLite now, PostgreSQL later) must pass this suite
 * unchanged. Each test gets a fresh, empty store from `makeStore` and closes it afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  AppRecord,
  AuditEntry,
  InviteRecord,
  MaskRuleRecord,
  SessionRecord,
  SessionStore,
  UserRecord,
} from '../../src/index.js';
import { describeControlContract } from './session-store-control.contract.js';

const app = (id: string, sdkKey = `${id}-key`): AppRecord => ({
  id,
  name: `App ${id}`,
  sdkKey,
  sdkSecret: `${id}-secret-0123456789abcdefghijklmnop`,
  createdAt: 1_000,
  viewConsent: 'ask',
});

let sequence = 0;
const session = (overrides: Partial<SessionRecord> = {}): SessionRecord => {
  sequence += 1;
  return {
    id: `session-${String(sequence).padStart(4, '0')}`,
    appId: 'app-a',
    pin: String(100_000 + sequence),
    state: 'created',
    byop: false,
    customerUserId: 'customer-1',
    customerUserName: 'Casey',
    createdAt: 10_000 + sequence,
    updatedAt: 10_000 + sequence,
    expiresAt: 99_000_000,
    ...overrides,
  };
};

const created = (s: SessionRecord): AuditEntry => ({
  sessionId: s.id,
  at: s.createdAt,
  actor: `customer:${s.customerUserId}`,
  action: 'session.created',
  toState: 'created',
});

/** Registers the contract suite for one adapter. */
export function describeSessionStoreContract(
  name: string,
  makeStore: () => Promise<SessionStore>,
): void {
  describe(`SessionStore contract: ${name}`, () => {
    let store: SessionStore;

    beforeEach(async () => {
      store = await makeStore();
      await store.saveApp(app('app-a'));
      await store.saveApp(app('app-b'));
    });

    afterEach(async () => {
      await store.close();
    });

    async function insert(overrides: Partial<SessionRecord> = {}): Promise<SessionRecord> {
      const record = session(overrides);
      expect(await store.insertSession(record, created(record))).toBe('created');
      return record;
    }

    async function end(record: SessionRecord, at = record.createdAt + 5): Promise<SessionRecord> {
      const ended = await store.transitionSession({
        sessionId: record.id,
        from: record.state,
        to: 'ended',
        at,
        endReason: 'customer_ended',
        actor: 'system',
        action: 'end',
      });
      if (!ended) throw new Error('end failed');
      return ended;
    }

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe('meta', () => {
      it('keeps the first value put for a key', async () => {
        expect(await store.getMeta('k')).toBeUndefined();
        expect(await store.putMetaIfAbsent('k', 'first')).toBe('first');
        expect(await store.putMetaIfAbsent('k', 'second')).toBe('first');
        expect(await store.getMeta('k')).toBe('first');
      });
    });

    describe('apps', () => {
      it('finds apps by id and by SDK key, and updates them in place', async () => {
        expect(await store.getAppById('app-a')).toEqual(app('app-a'));
        expect(await store.getAppByKey('app-b-key')).toEqual(app('app-b'));
        expect(await store.getAppByKey('nope')).toBeUndefined();
        await store.saveApp({ ...app('app-a'), sdkKey: 'rotated', sdkSecret: 's'.repeat(40) });
        expect(await store.getAppByKey('app-a-key')).toBeUndefined();
        expect((await store.getAppByKey('rotated'))?.sdkSecret).toBe('s'.repeat(40));
      });

      it("keeps an app's view consent policy", async () => {
        await store.saveApp({ ...app('app-a'), viewConsent: 'pre_approved' });
        expect((await store.getAppById('app-a'))?.viewConsent).toBe('pre_approved');
        await store.saveApp(app('app-a'));
        expect((await store.getAppByKey('app-a-key'))?.viewConsent).toBe('ask');
      });

      it("keeps an app's invite page, and clears it", async () => {
        await store.saveApp({ ...app('app-a'), inviteUrl: 'https://shop.example/help?x=1' });
        expect((await store.getAppByKey('app-a-key'))?.inviteUrl).toBe(
          'https://shop.example/help?x=1',
        );
        await store.saveApp(app('app-a'));
        expect(await store.getAppById('app-a')).toEqual(app('app-a'));
      });

      it('refuses a second app with the same SDK key', async () => {
        await expect(store.saveApp(app('app-c', 'app-a-key'))).rejects.toThrow();
      });
    });

    describe('users', () => {
      const user: UserRecord = {
        id: 'user-1',
        appId: 'app-a',
        username: 'agent',
        displayName: 'Demo Agent',
        role: 'agent',
        passwordHash: 'scrypt$1$1$1$salt$hash',
        createdAt: 5,
      };

      it('finds users by username and updates them in place', async () => {
        await store.saveUser(user);
        expect(await store.getUserByUsername('agent')).toEqual(user);
        await store.saveUser({ ...user, role: 'manager', passwordHash: 'other' });
        expect(await store.getUserByUsername('agent')).toMatchObject({
          role: 'manager',
          passwordHash: 'other',
        });
        expect(await store.getUserByUsername('nobody')).toBeUndefined();
      });

      it('refuses two users with the same username', async () => {
        await store.saveUser(user);
        await expect(store.saveUser({ ...user, id: 'user-2' })).rejects.toThrow();
      });
    });

    describe('sessions', () => {
      it('stores and returns a session exactly', async () => {
        const record = await insert({ byop: true, pin: 'ABC123' });
        expect(await store.getSession(record.id)).toEqual(record);
        expect(await store.getSession('missing')).toBeUndefined();
      });

      it('refuses a PIN held by a live session of the same app', async () => {
        const first = await insert({ pin: '123456' });
        const clash = session({ pin: '123456' });
        expect(await store.insertSession(clash, created(clash))).toBe('pin_taken');
        expect(await store.getSession(clash.id)).toBeUndefined();
        expect(await store.listAudit(clash.id)).toEqual([]);
        await insert({ pin: '123456', appId: 'app-b' });
        expect((await store.findLiveSessionByPin('app-a', '123456'))?.id).toBe(first.id);
      });

      it('frees a PIN when its session ends', async () => {
        const first = await insert({ pin: '654321' });
        await end(first);
        expect(await store.findLiveSessionByPin('app-a', '654321')).toBeUndefined();
        const second = await insert({ pin: '654321' });
        expect((await store.findLiveSessionByPin('app-a', '654321'))?.id).toBe(second.id);
      });

      it('refuses concurrent inserts of one PIN but one', async () => {
        const candidates = Array.from({ length: 5 }, () => session({ pin: '777777' }));
        const outcomes = await Promise.all(
          candidates.map((c) => store.insertSession(c, created(c))),
        );
        expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
      });
    });

    describe('transitions', () => {
      it('applies a transition from the expected state and audits it', async () => {
        const record = await insert();
        const waiting = await store.transitionSession({
          sessionId: record.id,
          from: 'created',
          to: 'waiting',
          at: record.createdAt + 1,
          actor: 'customer:customer-1',
          action: 'issue_pin',
        });
        expect(waiting).toEqual({ ...record, state: 'waiting', updatedAt: record.createdAt + 1 });
        const ended = await store.transitionSession({
          sessionId: record.id,
          from: 'waiting',
          to: 'ended',
          at: record.createdAt + 2,
          endReason: 'revoked',
          actor: 'agent:a',
          action: 'end',
          reason: 'revoked by a',
        });
        expect(ended).toMatchObject({
          state: 'ended',
          endReason: 'revoked',
          endedAt: record.createdAt + 2,
        });
        expect(await store.listAudit(record.id)).toEqual([
          created(record),
          {
            sessionId: record.id,
            at: record.createdAt + 1,
            actor: 'customer:customer-1',
            action: 'issue_pin',
            fromState: 'created',
            toState: 'waiting',
          },
          {
            sessionId: record.id,
            at: record.createdAt + 2,
            actor: 'agent:a',
            action: 'end',
            fromState: 'waiting',
            toState: 'ended',
            reason: 'revoked by a',
          },
        ]);
      });

      it('refuses a transition from a state the session is not in, without auditing', async () => {
        const record = await insert();
        const lost = await store.transitionSession({
          sessionId: record.id,
          from: 'active',
          to: 'reconnecting',
          at: 1,
          actor: 'system',
          action: 'customer_dropped',
        });
        expect(lost).toBeUndefined();
        expect((await store.getSession(record.id))?.state).toBe('created');
        expect(await store.listAudit(record.id)).toHaveLength(1);
      });

      it('lets exactly one of several concurrent transitions win', async () => {
        const record = await insert();
        const results = await Promise.all(
          ['a', 'b', 'c'].map((actor) =>
            store.transitionSession({
              sessionId: record.id,
              from: 'created',
              to: 'ended',
              at: 2,
              endReason: 'error',
              actor,
              action: 'end',
            }),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.listAudit(record.id)).toHaveLength(2);
      });
    });

    describe('deadlines', () => {
      it('moves a live session’s deadline from the expected one, audited, and nothing else', async () => {
        const record = await insert({ state: 'active', expiresAt: 50_000 });
        const change = {
          sessionId: record.id,
          from: 50_000,
          to: 60_000,
          at: 40_000,
          actor: 'customer:customer-1',
          action: 'session_extended',
          reason: 'by 10 s',
        };
        expect(await store.extendSession(change)).toEqual({ ...record, expiresAt: 60_000 });
        // The same change again lost: the deadline is no longer `from`.
        expect(await store.extendSession(change)).toBeUndefined();
        expect(await store.listAudit(record.id)).toEqual([
          created(record),
          {
            sessionId: record.id,
            at: 40_000,
            actor: 'customer:customer-1',
            action: 'session_extended',
            reason: 'by 10 s',
          },
        ]);
      });

      it('leaves an ended session’s deadline alone', async () => {
        const record = await end(await insert({ expiresAt: 50_000 }));
        const change = { sessionId: record.id, from: 50_000, to: 60_000, at: 1 };
        const moved = await store.extendSession({ ...change, actor: 'system', action: 'x' });
        expect(moved).toBeUndefined();
        expect((await store.getSession(record.id))?.expiresAt).toBe(50_000);
        expect(await store.listAudit(record.id)).toHaveLength(2);
      });

      it('lets exactly one of several concurrent extensions win', async () => {
        const record = await insert({ expiresAt: 50_000 });
        const results = await Promise.all(
          ['a', 'b', 'c'].map((actor) =>
            store.extendSession({
              sessionId: record.id,
              from: 50_000,
              to: 60_000,
              at: 2,
              actor,
              action: 'session_extended',
            }),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.listAudit(record.id)).toHaveLength(2);
      });
    });

    describe('listing', () => {
      it('pages newest first with a keyset cursor, ties broken by id', async () => {
        const records = [
          await insert({ id: 's-a', createdAt: 100 }),
          await insert({ id: 's-b', createdAt: 200 }),
          await insert({ id: 's-c', createdAt: 200 }),
          await insert({ id: 's-d', createdAt: 300 }),
        ];
        const ids = (list: SessionRecord[]) => list.map((s) => s.id);
        const first = await store.listSessions({ appId: 'app-a', status: 'all', limit: 2 });
        expect(ids(first)).toEqual(['s-d', 's-c']);
        const last = first[1] as SessionRecord;
        const second = await store.listSessions({
          appId: 'app-a',
          status: 'all',
          limit: 2,
          after: { createdAt: last.createdAt, id: last.id },
        });
        expect(ids(second)).toEqual(['s-b', 's-a']);
        expect(records).toHaveLength(4);
      });

      it('filters by status and app', async () => {
        const live = await insert({ createdAt: 1 });
        const over = await end(await insert({ createdAt: 2 }));
        const other = await insert({ createdAt: 3, appId: 'app-b' });
        const ids = async (query: Parameters<SessionStore['listSessions']>[0]) =>
          (await store.listSessions(query)).map((s) => s.id);
        expect(await ids({ appId: 'app-a', status: 'live', limit: 10 })).toEqual([live.id]);
        expect(await ids({ appId: 'app-a', status: 'ended', limit: 10 })).toEqual([over.id]);
        expect(await ids({ appId: 'app-a', status: 'all', limit: 10 })).toEqual([over.id, live.id]);
        expect(await ids({ status: 'live', limit: 10 })).toEqual([other.id, live.id]);
      });
    });

    describe('participants', () => {
      const admission = (
        sessionId: string,
        role: 'customer' | 'agent',
        userId: string,
        extra: { maxOfRole?: number; at?: number; nodeId?: string } = {},
      ) => ({
        sessionId,
        role,
        userId,
        userName: `${userId} name`,
        nodeId: extra.nodeId ?? 'node-a',
        at: extra.at ?? 50,
        maxOfRole: extra.maxOfRole ?? 5,
        allowSharedUser: role === 'customer',
      });

      it('admits, counts sockets and releases on the last one', async () => {
        const s = await insert();
        expect(await store.admitParticipant(admission(s.id, 'customer', 'c'))).toEqual({
          status: 'admitted',
          first: true,
        });
        expect(await store.admitParticipant(admission(s.id, 'customer', 'c'))).toEqual({
          status: 'admitted',
          first: false,
        });
        const release = {
          sessionId: s.id,
          role: 'customer' as const,
          userId: 'c',
          nodeId: 'node-a',
          at: 70,
        };
        expect(await store.releaseParticipant(release)).toEqual({ last: false });
        expect(await store.releaseParticipant(release)).toEqual({ last: true });
        expect(await store.releaseParticipant(release)).toEqual({ last: false });
        expect(await store.listParticipants([s.id])).toEqual([
          {
            sessionId: s.id,
            role: 'customer',
            userId: 'c',
            userName: 'c name',
            connections: 0,
            joinedAt: 50,
            leftAt: 70,
          },
        ]);
      });

      it('readmits a participant who left, keeping the first join time', async () => {
        const s = await insert();
        await store.admitParticipant(admission(s.id, 'agent', 'a', { at: 10 }));
        await store.releaseParticipant({
          sessionId: s.id,
          role: 'agent',
          userId: 'a',
          nodeId: 'node-a',
          at: 20,
        });
        expect(await store.admitParticipant(admission(s.id, 'agent', 'a', { at: 30 }))).toEqual({
          status: 'admitted',
          first: true,
        });
        const [row] = await store.listParticipants([s.id]);
        expect(row).toMatchObject({ connections: 1, joinedAt: 10 });
        expect(row?.leftAt).toBeUndefined();
      });

      it('refuses a second socket of a connected agent, and a user in two roles', async () => {
        const s = await insert();
        await store.admitParticipant(admission(s.id, 'agent', 'a'));
        expect(await store.admitParticipant(admission(s.id, 'agent', 'a'))).toEqual({
          status: 'duplicate',
        });
        expect(await store.admitParticipant(admission(s.id, 'customer', 'a'))).toEqual({
          status: 'duplicate',
        });
      });

      it('enforces the per-role limit, counting only connected participants', async () => {
        const s = await insert();
        for (const id of ['a1', 'a2']) {
          await store.admitParticipant(admission(s.id, 'agent', id, { maxOfRole: 2 }));
        }
        expect(
          await store.admitParticipant(admission(s.id, 'agent', 'a3', { maxOfRole: 2 })),
        ).toEqual({ status: 'full' });
        expect(
          await store.admitParticipant(admission(s.id, 'customer', 'c', { maxOfRole: 1 })),
        ).toMatchObject({ status: 'admitted' });
        await store.releaseParticipant({
          sessionId: s.id,
          role: 'agent',
          userId: 'a1',
          nodeId: 'node-a',
          at: 60,
        });
        expect(
          await store.admitParticipant(admission(s.id, 'agent', 'a3', { maxOfRole: 2 })),
        ).toMatchObject({ status: 'admitted' });
      });

      it('admits no more than the limit under concurrency', async () => {
        const s = await insert();
        const results = await Promise.all(
          ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) =>
            store.admitParticipant(admission(s.id, 'agent', id, { maxOfRole: 5 })),
          ),
        );
        expect(results.filter((r) => r.status === 'admitted')).toHaveLength(5);
      });

      it("counts sockets per node, and releases a dead node's at once, once", async () => {
        const s = await insert();
        const on = (nodeId: string) => ({ nodeId });
        await store.admitParticipant(admission(s.id, 'customer', 'c', on('node-a')));
        await store.admitParticipant(admission(s.id, 'customer', 'c', on('node-a')));
        await store.admitParticipant(admission(s.id, 'customer', 'c', on('node-b')));
        await store.admitParticipant(admission(s.id, 'agent', 'a1', on('node-a')));
        await store.admitParticipant(admission(s.id, 'agent', 'a2', on('node-b')));
        expect(await store.listSocketNodes()).toEqual(['node-a', 'node-b']);

        // Node a dies: its agent is gone; the customer still has a tab on node b.
        const left = await store.releaseNode({ nodeId: 'node-a', at: 80 });
        expect(left).toEqual([
          expect.objectContaining({
            sessionId: s.id,
            role: 'agent',
            userId: 'a1',
            userName: 'a1 name',
            connections: 0,
            leftAt: 80,
          }),
        ]);
        expect(await store.releaseNode({ nodeId: 'node-a', at: 81 })).toEqual([]);
        expect(await store.listSocketNodes()).toEqual(['node-b']);
        const rows = await store.listParticipants([s.id]);
        expect(rows.find((p) => p.userId === 'c')?.connections).toBe(1);

        // A close from the dead node, arriving late, changes nothing.
        const late = { sessionId: s.id, role: 'customer' as const, userId: 'c', at: 82 };
        expect(await store.releaseParticipant({ ...late, nodeId: 'node-a' })).toEqual({
          last: false,
        });
        expect(await store.releaseParticipant({ ...late, nodeId: 'node-b' })).toEqual({
          last: true,
        });
        // The agent's place is free again: one more fits under a limit of two.
        expect(
          await store.admitParticipant(admission(s.id, 'agent', 'a3', { maxOfRole: 2 })),
        ).toMatchObject({ status: 'admitted' });
      });

      it('gives a dead node’s departures to exactly one of several concurrent releases', async () => {
        const s = await insert();
        for (const id of ['a1', 'a2', 'a3']) {
          await store.admitParticipant(admission(s.id, 'agent', id, { nodeId: 'node-x' }));
        }
        const results = await Promise.all(
          [1, 2, 3, 4].map((i) => store.releaseNode({ nodeId: 'node-x', at: 90 + i })),
        );
        expect(results.map((left) => left.length).sort()).toEqual([0, 0, 0, 3]);
        expect(await store.listSocketNodes()).toEqual([]);
      });

      it('lists the participants of several sessions in join order', async () => {
        const s1 = await insert();
        const s2 = await insert();
        await store.admitParticipant(admission(s1.id, 'customer', 'c1', { at: 3 }));
        await store.admitParticipant(admission(s2.id, 'customer', 'c2', { at: 1 }));
        await store.admitParticipant(admission(s1.id, 'agent', 'a1', { at: 2 }));
        const rows = await store.listParticipants([s1.id, s2.id]);
        expect(rows.map((r) => r.userId)).toEqual(['c2', 'a1', 'c1']);
        expect(await store.listParticipants([])).toEqual([]);
      });
    });

    describe('invitations', () => {
      const invite = (s: SessionRecord, overrides: Partial<InviteRecord> = {}): InviteRecord => ({
        sessionId: s.id,
        appId: s.appId,
        createdBy: 'agent-1',
        ticketRef: 'ZD-48213',
        createdAt: 1_000,
        expiresAt: 2_000,
        ...overrides,
      });
      const opener = (n: number) => `opener-${String(n).padStart(12, '0')}`;

      it('lets the first opener redeem it, again on a retry, and nobody else', async () => {
        const s = await insert();
        await store.insertInvite(invite(s));
        const first = await store.redeemInvite({ sessionId: s.id, openerId: opener(1), at: 1_500 });
        expect(first).toEqual({
          status: 'redeemed',
          repeat: false,
          invite: { ...invite(s), redeemedAt: 1_500, redeemedBy: opener(1) },
        });
        const retry = await store.redeemInvite({ sessionId: s.id, openerId: opener(1), at: 1_600 });
        expect(retry).toMatchObject({ status: 'redeemed', repeat: true });
        expect(retry.status === 'redeemed' && retry.invite.redeemedAt).toBe(1_500);
        expect(
          await store.redeemInvite({ sessionId: s.id, openerId: opener(2), at: 1_700 }),
        ).toEqual({ status: 'used' });
        // Once used, it stays used for others, even after it would have expired.
        expect(
          await store.redeemInvite({ sessionId: s.id, openerId: opener(3), at: 9_000 }),
        ).toEqual({ status: 'used' });
      });

      it('lets exactly one of many concurrent openers win', async () => {
        const s = await insert();
        await store.insertInvite(invite(s));
        const outcomes = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            store.redeemInvite({ sessionId: s.id, openerId: opener(i), at: 1_500 }),
          ),
        );
        expect(outcomes.filter((o) => o.status === 'redeemed')).toHaveLength(1);
        expect(outcomes.filter((o) => o.status === 'used')).toHaveLength(7);
      });

      it('refuses an unused invitation from its expiry on, and an unknown one', async () => {
        const s = await insert();
        await store.insertInvite(invite(s, { ticketRef: undefined }));
        expect(
          await store.redeemInvite({ sessionId: s.id, openerId: opener(1), at: 2_000 }),
        ).toEqual({ status: 'expired' });
        expect(
          await store.redeemInvite({ sessionId: 'missing', openerId: opener(1), at: 1_500 }),
        ).toEqual({ status: 'unknown' });
        const fresh = await insert();
        await store.insertInvite(invite(fresh, { ticketRef: undefined }));
        const redeemed = await store.redeemInvite({
          sessionId: fresh.id,
          openerId: opener(1),
          at: 1_999,
        });
        expect(redeemed.status === 'redeemed' && redeemed.invite.ticketRef).toBeUndefined();
      });

      it('refuses a second invitation for a session, and one for no session', async () => {
        const s = await insert();
        await store.insertInvite(invite(s));
        await expect(store.insertInvite(invite(s, { createdBy: 'agent-2' }))).rejects.toThrow();
        await expect(
          store.insertInvite(invite(session(), { sessionId: 'no-such-session' })),
        ).rejects.toThrow();
      });
    });

    describe('mask rules', () => {
      const rule = (id: string, overrides: Partial<MaskRuleRecord> = {}): MaskRuleRecord => ({
        id: `mr_${id.padEnd(16, '0')}`,
        appId: 'app-a',
        urlPattern: '/account/**',
        maskSelectors: ['#name', '.card :is(p, span)'],
        blockSelectors: [],
        maskUrlParams: ['token'],
        detectors: {},
        createdAt: 1_000,
        updatedAt: 1_000,
        ...overrides,
      });
      const audit = (action: string, appId = 'app-a') => ({
        appId,
        at: 1_000,
        actor: 'agent:boss',
        action,
      });

      it('keeps each app its own rules, oldest first, with lists and optional fields intact', async () => {
        const second = rule('b', { createdAt: 2_000, updatedAt: 2_000, description: 'cards' });
        expect(await store.insertMaskRule(second, audit('mask_rule.created'), 10)).toBe('created');
        expect(await store.insertMaskRule(rule('a'), audit('mask_rule.created'), 10)).toBe(
          'created',
        );
        const other = rule('c', {
          appId: 'app-b',
          blockSelectors: ['canvas'],
          detectors: { email: true, iban: true },
        });
        expect(await store.insertMaskRule(other, audit('mask_rule.created', 'app-b'), 10)).toBe(
          'created',
        );
        expect(await store.listMaskRules('app-a')).toEqual([rule('a'), second]);
        expect(await store.listMaskRules('app-b')).toEqual([other]);
        expect(await store.listMaskRules('app-c')).toEqual([]);
        expect((await store.listAppAudit('app-a')).map((e) => e.action)).toEqual([
          'mask_rule.created',
          'mask_rule.created',
        ]);
      });

      it('refuses an insert past the per-app limit, writing nothing, and a duplicate id', async () => {
        for (const id of ['a', 'b']) {
          expect(await store.insertMaskRule(rule(id), audit('created'), 2)).toBe('created');
        }
        expect(await store.insertMaskRule(rule('c'), audit('created'), 2)).toBe('limit_reached');
        // Another app's count is its own.
        expect(
          await store.insertMaskRule(rule('d', { appId: 'app-b' }), audit('created', 'app-b'), 2),
        ).toBe('created');
        expect(await store.listMaskRules('app-a')).toHaveLength(2);
        expect(await store.listAppAudit('app-a')).toHaveLength(2);
        await expect(store.insertMaskRule(rule('a'), audit('created'), 10)).rejects.toThrow();
        expect(await store.listAppAudit('app-a')).toHaveLength(2);
      });

      it('lets exactly the limit through of many concurrent inserts', async () => {
        const outcomes = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            store.insertMaskRule(rule(`n${i}`), audit('created'), 4),
          ),
        );
        expect(outcomes.filter((o) => o === 'created')).toHaveLength(4);
        expect(await store.listMaskRules('app-a')).toHaveLength(4);
      });

      it('updates a rule of its own app only, keeping createdAt', async () => {
        await store.insertMaskRule(rule('a', { description: 'old' }), audit('created'), 10);
        const changed = rule('a', {
          urlPattern: '/**',
          maskSelectors: [],
          blockSelectors: ['img.avatar'],
          detectors: { phone: true },
          createdAt: 5_000,
          updatedAt: 6_000,
        });
        expect(await store.updateMaskRule(changed, audit('mask_rule.updated'))).toEqual({
          ...changed,
          createdAt: 1_000,
        });
        expect(await store.listMaskRules('app-a')).toEqual([{ ...changed, createdAt: 1_000 }]);
        expect(
          await store.updateMaskRule({ ...changed, appId: 'app-b' }, audit('x', 'app-b')),
        ).toBeUndefined();
        expect(await store.updateMaskRule(rule('zz'), audit('x'))).toBeUndefined();
        expect((await store.listAppAudit('app-a')).map((e) => e.action)).toEqual([
          'created',
          'mask_rule.updated',
        ]);
        expect(await store.listAppAudit('app-b')).toEqual([]);
      });

      it('deletes a rule of its own app only, once', async () => {
        await store.insertMaskRule(rule('a'), audit('created'), 10);
        const key = { appId: 'app-a', id: rule('a').id };
        expect(await store.deleteMaskRule({ ...key, appId: 'app-b' }, audit('x', 'app-b'))).toBe(
          false,
        );
        expect(await store.deleteMaskRule(key, audit('mask_rule.deleted'))).toBe(true);
        expect(await store.deleteMaskRule(key, audit('mask_rule.deleted'))).toBe(false);
        expect(await store.listMaskRules('app-a')).toEqual([]);
        expect((await store.listAppAudit('app-a')).map((e) => e.action)).toEqual([
          'created',
          'mask_rule.deleted',
        ]);
      });
    });

    describe('audit log', () => {
      it('appends entries and returns them oldest first', async () => {
        const s = await insert();
        const entry: AuditEntry = { sessionId: s.id, at: 9, actor: 'agent:a', action: 'x' };
        await store.appendAudit(entry);
        await store.appendAudit({ ...entry, action: 'y', reason: 'why' });
        expect((await store.listAudit(s.id)).map((e) => e.action)).toEqual([
          'session.created',
          'x',
          'y',
        ]);
      });

      it("keeps each app's security log apart, oldest first", async () => {
        await store.appendAppAudit({ appId: 'app-a', at: 5, actor: 'agent:a', action: 'one' });
        await store.appendAppAudit({ appId: 'app-b', at: 6, actor: 'system', action: 'other' });
        await store.appendAppAudit({
          appId: 'app-a',
          at: 7,
          actor: 'agent:a',
          action: 'two',
          reason: 'ip=127.0.0.1',
        });
        expect(await store.listAppAudit('app-a')).toEqual([
          { appId: 'app-a', at: 5, actor: 'agent:a', action: 'one' },
          { appId: 'app-a', at: 7, actor: 'agent:a', action: 'two', reason: 'ip=127.0.0.1' },
        ]);
        expect(await store.listAppAudit('app-c')).toEqual([]);
      });
    });

    describeControlContract(makeStore);
  });
}
