/**
 * Agent-initiated sessions (issue 3, seed 002's flow), on a real server: an agent creates a
 * session and its one-time link, waits in it, and the customer who opens the link is asked for
 * consent. The link is signed, single-use and expiring; every refusal has its catalogue code.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SignJWT } from 'jose';
import {
  INVITE_QUERY_PARAMETER,
  type CreateInviteResponse,
  type StartSessionResponse,
} from '@sightline/protocol';
import { ManualClock } from './support/clock.js';
import { connectAgent, connectCustomer, post, startSession } from './support/flows.js';
import { startServer, type TestServer } from './support/server.js';
import { payload, textOf, type TestSocket } from './support/socket.js';
import { agentToken, customerToken } from './support/tokens.js';

const MINUTE = 60_000;
const SHOP = 'https://shop.example/help?from=support';
let t: TestServer | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

interface ErrorBody {
  error: { code: number; name: string; message: string };
}

async function createInvite(server: TestServer, body: object = {}, bearer?: string) {
  return post<CreateInviteResponse & ErrorBody>(
    server.url,
    '/api/agent/invite',
    body,
    bearer ?? (await agentToken()),
  );
}

/** The invitation token a link carries. */
function inviteOf(link: string): string {
  return new URL(link).searchParams.get(INVITE_QUERY_PARAMETER) ?? '';
}

let openers = 0;
/** A fresh opener id, as the SDK makes one per opening of a link. */
function newOpener(): string {
  openers += 1;
  return `opener-${String(openers).padStart(16, '0')}`;
}

async function redeem(server: TestServer, invite: string, openerId = newOpener()) {
  return post<StartSessionResponse & ErrorBody>(server.url, '/api/customer/invite', {
    invite,
    openerId,
  });
}

/** Skips frames until a text frame of `type`. */
async function nextOf(socket: TestSocket, type: string) {
  for (;;) {
    const frame = await socket.next();
    if (frame.kind === 'text' && frame.message.type === type) return frame.message;
  }
}

/** Skips text frames until a batch; its payload as text. */
async function nextBatchText(socket: TestSocket): Promise<string> {
  for (;;) {
    const frame = await socket.next();
    if (frame.kind === 'binary') return textOf(frame.payload);
  }
}

async function stateOf(server: TestServer, sessionId: string) {
  return (await server.server.store.getSession(sessionId))?.state;
}

describe('agent-initiated sessions', () => {
  it('creates a session and a signed link to the app’s invite page, for a ticket', async () => {
    const clock = new ManualClock(Date.now());
    t = await startServer({ inviteUrl: SHOP, clock });
    const created = await createInvite(t, { ticketRef: '  ZD-48213 ' });
    expect(created.status).toBe(200);
    const invite = created.body;
    expect(invite.ticketRef).toBe('ZD-48213');
    expect(Date.parse(invite.expiresAt)).toBe(clock.now() + 15 * MINUTE);
    const link = new URL(invite.inviteUrl);
    expect(`${link.origin}${link.pathname}`).toBe('https://shop.example/help');
    expect(link.searchParams.get('from')).toBe('support');
    expect(inviteOf(invite.inviteUrl).split('.')).toHaveLength(3);

    const session = await t.server.store.getSession(invite.sessionId);
    expect(session).toMatchObject({ state: 'created', pin: invite.pin, appId: 'default' });
    // The 45 minutes count from the link's expiry, so a late customer gets them all.
    expect(session?.expiresAt).toBe(Date.parse(invite.expiresAt) + 45 * MINUTE);
    expect(await t.server.store.listAudit(invite.sessionId)).toEqual([
      expect.objectContaining({
        actor: 'agent:agent-1',
        action: 'session.created',
        toState: 'created',
        reason: `invitation until ${invite.expiresAt} for ticket ZD-48213`,
      }),
    ]);
  });

  it('lets the agent wait, then asks the customer who opens the link, and shows the page on Allow', async () => {
    t = await startServer({ inviteUrl: '/demo/' });
    const { body: invite } = await createInvite(t);
    expect(invite.inviteUrl.startsWith(`${t.url}/demo/?${INVITE_QUERY_PARAMETER}=`)).toBe(true);
    const agent = await connectAgent(t, invite.pin);

    const opened = await redeem(t, inviteOf(invite.inviteUrl));
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({
      sessionId: invite.sessionId,
      pin: invite.pin,
      status: 'waiting',
      reconnectWindowSeconds: 120,
    });
    // Asked nothing while waiting: the first frames after the welcome are the customer's arrival.
    expect(await agent.next()).toMatchObject({
      kind: 'text',
      message: { type: 'session.state', state: 'waiting' },
    });
    expect(await agent.next()).toMatchObject({
      kind: 'text',
      message: { type: 'session.state', state: 'pending_consent' },
    });
    const pending = await agent.expect('consent.pending');

    const { socket: customer } = await connectCustomer(t, opened.body);
    const request = await nextOf(customer, 'consent.request');
    expect(request).toMatchObject({
      requestId: pending.requestId,
      agent: { userId: 'agent-1', role: 'agent' },
    });
    customer.sendJson({
      type: 'consent.response',
      requestId: pending.requestId,
      decision: 'allow',
    });
    await nextOf(agent, 'consent.allowed');
    customer.sendBatch({ tabId: 'tab-1', seq: 1, full: true }, payload('the page'));
    expect(await nextBatchText(agent)).toBe('the page');

    const transitions = (await t.server.store.listAudit(invite.sessionId))
      .filter((entry) => entry.toState !== undefined && entry.fromState !== undefined)
      .map(({ actor, fromState, toState, reason }) => ({ actor, fromState, toState, reason }));
    expect(transitions).toEqual([
      {
        actor: `customer:invitee-${invite.sessionId}`,
        fromState: 'created',
        toState: 'waiting',
        reason: 'invitation opened',
      },
      { actor: 'agent:agent-1', fromState: 'waiting', toState: 'pending_consent' },
      {
        actor: `customer:invitee-${invite.sessionId}`,
        fromState: 'pending_consent',
        toState: 'active',
      },
    ]);
  });

  it('sends a waiting agent the page at once when the app pre-approves viewing', async () => {
    t = await startServer({ inviteUrl: SHOP }, { quietConsent: true });
    const { body: invite } = await createInvite(t);
    const agent = await connectAgent(t, invite.pin);
    const opened = await redeem(t, inviteOf(invite.inviteUrl));
    const { socket: customer } = await connectCustomer(t, opened.body);
    await vi.waitFor(async () => expect(await stateOf(t!, invite.sessionId)).toBe('active'));
    customer.sendBatch({ tabId: 'tab-1', seq: 1, full: true }, payload('pre-approved'));
    expect(await nextBatchText(agent)).toBe('pre-approved');
  });

  it('lets exactly one of two browsers opening the link at once in, and tells the other it was used', async () => {
    t = await startServer({ inviteUrl: SHOP });
    const { body: invite } = await createInvite(t);
    const token = inviteOf(invite.inviteUrl);
    const [first, second] = [newOpener(), newOpener()];
    const outcomes = await Promise.all([redeem(t, token, first), redeem(t, token, second)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual([200, 410]);
    const loser = outcomes.find((o) => o.status === 410);
    expect(loser?.body.error).toMatchObject({ code: 3013, name: 'INVITE_USED' });
    expect(loser?.body.error.message).toMatch(/already used/);

    // The winner's retry (its answer was lost) gets the session again; the loser's does not.
    const winner = outcomes[0]?.status === 200 ? first : second;
    const retry = await redeem(t, token, winner);
    expect(retry.status).toBe(200);
    expect(retry.body.sessionId).toBe(invite.sessionId);
    await connectCustomer(t, retry.body);
    expect((await redeem(t, token)).body.error.code).toBe(3013);
    const refusals = (await t.server.store.listAudit(invite.sessionId)).filter(
      (entry) => entry.action === 'invite.refused',
    );
    expect(refusals.map((entry) => entry.reason)).toEqual([
      'already used by another browser',
      'already used by another browser',
    ]);
  });

  it('expires the link and the waiting session together, with the agent told', async () => {
    const clock = new ManualClock(Date.now());
    t = await startServer({ inviteUrl: SHOP, clock, inviteTtlSeconds: 300 });
    const { body: invite } = await createInvite(t);
    expect(Date.parse(invite.expiresAt)).toBe(clock.now() + 5 * MINUTE);
    const agent = await connectAgent(t, invite.pin);

    clock.advance(5 * MINUTE - 1);
    expect(await stateOf(t, invite.sessionId)).toBe('created');
    clock.advance(1);
    expect(await agent.expect('session.ended')).toMatchObject({ reason: 'timeout_waiting' });
    expect(await t.server.store.getSession(invite.sessionId)).toMatchObject({
      state: 'ended',
      endReason: 'timeout_waiting',
    });
    const late = await redeem(t, inviteOf(invite.inviteUrl));
    expect(late.status).toBe(410);
    expect(late.body.error).toMatchObject({ code: 3012, name: 'INVITE_EXPIRED' });
    expect(late.body.error.message).toMatch(/expired/);
  });

  it('refuses a link of a session the agent ended before anyone opened it', async () => {
    t = await startServer({ inviteUrl: SHOP });
    const { body: invite } = await createInvite(t);
    const revoked = await post(
      t.url,
      '/api/session/revoke',
      { sessionId: invite.sessionId },
      await agentToken(),
    );
    expect(revoked.status).toBe(200);
    const opened = await redeem(t, inviteOf(invite.inviteUrl));
    expect(opened.status).toBe(410);
    expect(opened.body.error.code).toBe(4004);
  });

  describe('refuses invitations that are not ours, as not valid', () => {
    async function expectInvalid(server: TestServer, invite: string) {
      const response = await redeem(server, invite);
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 3011, name: 'INVITE_INVALID' });
    }

    it('a bad signature, even on an expired token, and a tampered payload', async () => {
      t = await startServer({ inviteUrl: SHOP });
      const { body: invite } = await createInvite(t);
      const { body: other } = await createInvite(t);
      const forge = (expiresInSeconds: number) =>
        new SignJWT({ sid: invite.sessionId })
          .setProtectedHeader({ alg: 'HS256', typ: 'sightline-invite+jwt' })
          .setIssuer('sightline')
          .setAudience('sightline:invite')
          .setIssuedAt()
          .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
          .sign(new Uint8Array(32).fill(7));
      await expectInvalid(t, await forge(600));
      // Only a token this server signed may come out as expired: a forged one is never asked about.
      await expectInvalid(t, await forge(-600));

      const [header, , signature] = inviteOf(invite.inviteUrl).split('.');
      const [, otherPayload] = inviteOf(other.inviteUrl).split('.');
      await expectInvalid(t, `${header}.${otherPayload}.${signature}`);
      await expectInvalid(t, 'not-a-token');
      // The session's other credentials are not invitations.
      const opened = await redeem(t, inviteOf(other.inviteUrl));
      await expectInvalid(t, opened.body.resumeToken);
      expect(await stateOf(t, invite.sessionId)).toBe('created');
    });
  });

  describe('validation', () => {
    it('needs an agent, a plain ticket reference and an app with an invite page', async () => {
      t = await startServer({ inviteUrl: SHOP });
      const noBearer = await post<ErrorBody>(t.url, '/api/agent/invite', {});
      expect(noBearer.body.error.code).toBe(2001);
      const customer = await createInvite(t, {}, await customerToken());
      expect(customer.body.error.message).toContain('role_type 2 (agent)');
      for (const body of [
        { ticketRef: 'x'.repeat(65) },
        { ticketRef: '<img src=x>' },
        { ticketRef: '' },
        { ticket: 'ZD-1' },
      ]) {
        const refused = await createInvite(t, body);
        expect(refused.status).toBe(400);
        expect(refused.body.error.code).toBe(4001);
      }
      const none = await redeem(t, '');
      expect(none.body.error.code).toBe(4001);
      const badOpener = await redeem(t, 'a.b.c', 'short');
      expect(badOpener.body.error.code).toBe(4001);
      await t.close();

      t = await startServer();
      const unconfigured = await createInvite(t);
      expect(unconfigured.status).toBe(409);
      expect(unconfigured.body.error).toMatchObject({ code: 4008, name: 'INVITES_NOT_CONFIGURED' });
      expect(unconfigured.body.error.message).toContain('SIGHTLINE_INVITE_URL');
    });

    it('lets only allowed page origins redeem', async () => {
      t = await startServer({ inviteUrl: SHOP, allowedOrigins: ['https://shop.example'] });
      const { body: invite } = await createInvite(t);
      const body = JSON.stringify({ invite: inviteOf(invite.inviteUrl), openerId: newOpener() });
      const from = (origin: string) =>
        fetch(`${t!.url}/api/customer/invite`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin },
          body,
        });
      const evil = await from('https://evil.example');
      expect(evil.status).toBe(403);
      expect(((await evil.json()) as ErrorBody).error.code).toBe(3007);
      expect(await stateOf(t, invite.sessionId)).toBe('created');
      expect((await from('https://shop.example')).status).toBe(200);
    });
  });

  it('leaves customer-started sessions as they were', async () => {
    t = await startServer({ inviteUrl: SHOP });
    const session = await startSession(t);
    expect(session.status).toBe('waiting');
    const agent = await connectAgent(t, session.pin);
    await agent.expect('consent.pending');
  });
});
