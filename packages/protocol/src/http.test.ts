import { describe, expect, it } from 'vitest';
import { SdkTokenClaims } from './auth.js';
import {
  AgentConnectRequest,
  ControlApprovalDecisionRequest,
  ControlApprovalId,
  CreateInviteRequest,
  RedeemInviteRequest,
  SessionListQuery,
  TokenRequest,
} from './http.js';

const now = 1_700_000_000;
const claims = {
  app_key: 'key',
  role_type: 1,
  iat: now,
  exp: now + 3600,
  user_id: 'u-1',
  user_name: 'Ada',
};

describe('SDK token claims (Zoom)', () => {
  it('accepts the Zoom claims, with or without enable_byop', () => {
    expect(SdkTokenClaims.safeParse(claims).success).toBe(true);
    expect(SdkTokenClaims.safeParse({ ...claims, enable_byop: 1 }).success).toBe(true);
  });

  it.each([
    ['a string role_type', { ...claims, role_type: '1' }],
    ['role_type 3', { ...claims, role_type: 3 }],
    ['exp more than 48 h after iat', { ...claims, exp: now + 48 * 3600 + 1 }],
    ['exp before iat', { ...claims, exp: now - 1 }],
    ['an 81-character user_name', { ...claims, user_name: 'x'.repeat(81) }],
    ['an unknown claim', { ...claims, user_identity: 'u-1' }],
    ['a missing user_id', { ...claims, user_id: undefined }],
    ['enable_byop true', { ...claims, enable_byop: true }],
  ])('refuses %s', (_label, value) => {
    expect(SdkTokenClaims.safeParse(value).success).toBe(false);
  });

  it('allows exactly 48 h and an 80-character name', () => {
    expect(
      SdkTokenClaims.safeParse({ ...claims, exp: now + 48 * 3600, user_name: 'x'.repeat(80) })
        .success,
    ).toBe(true);
  });
});

describe('HTTP bodies', () => {
  it('normalises a typed PIN and refuses junk', () => {
    expect(AgentConnectRequest.parse({ pin: ' ab12 ' })).toEqual({ pin: 'AB12' });
    expect(AgentConnectRequest.safeParse({ pin: '123-456' }).success).toBe(false);
    expect(AgentConnectRequest.safeParse({ pin: '12345678901' }).success).toBe(false);
    expect(AgentConnectRequest.safeParse({ pin: '' }).success).toBe(false);
  });

  it("takes the Zoom sample's token request, numeric strings included", () => {
    expect(TokenRequest.parse({ role: '2' })).toEqual({ role: 2, expirationSeconds: 7200 });
    expect(TokenRequest.safeParse({ role: 3 }).success).toBe(false);
    expect(TokenRequest.safeParse({ role: 1, expirationSeconds: 60 }).success).toBe(false);
    expect(TokenRequest.safeParse({ role: 1, userName: 'x'.repeat(36) }).success).toBe(false);
  });

  it('defaults and bounds the session list query', () => {
    expect(SessionListQuery.parse({})).toEqual({ status: 'live', limit: 50 });
    expect(SessionListQuery.parse({ limit: '10', status: 'all' })).toEqual({
      status: 'all',
      limit: 10,
    });
    expect(SessionListQuery.safeParse({ limit: '0' }).success).toBe(false);
    expect(SessionListQuery.safeParse({ sort: 'x' }).success).toBe(false);
  });

  it('takes a ticket reference of up to 64 plain characters, trimmed', () => {
    expect(CreateInviteRequest.parse({})).toEqual({});
    expect(CreateInviteRequest.parse({ ticketRef: ' ZD-48213 ' })).toEqual({
      ticketRef: 'ZD-48213',
    });
    expect(CreateInviteRequest.parse({ ticketRef: '#4521 / Müller' }).ticketRef).toBe(
      '#4521 / Müller',
    );
    expect(CreateInviteRequest.safeParse({ ticketRef: 'x'.repeat(64) }).success).toBe(true);
    expect(CreateInviteRequest.safeParse({ ticketRef: 'x'.repeat(65) }).success).toBe(false);
    expect(CreateInviteRequest.safeParse({ ticketRef: '   ' }).success).toBe(false);
    expect(CreateInviteRequest.safeParse({ ticketRef: '<script>' }).success).toBe(false);
    expect(CreateInviteRequest.safeParse({ ticketRef: 'a\nb' }).success).toBe(false);
    expect(CreateInviteRequest.safeParse({ ticketRef: 42 }).success).toBe(false);
    expect(CreateInviteRequest.safeParse({ ticket: 'ZD-1' }).success).toBe(false);
  });

  it('needs an invitation and a well-formed opener id to redeem', () => {
    const openerId = 'A'.repeat(22);
    expect(RedeemInviteRequest.safeParse({ invite: 'a.b.c', openerId }).success).toBe(true);
    expect(RedeemInviteRequest.safeParse({ invite: '', openerId }).success).toBe(false);
    expect(RedeemInviteRequest.safeParse({ invite: 'x'.repeat(2049), openerId }).success).toBe(
      false,
    );
    expect(RedeemInviteRequest.safeParse({ invite: 'a.b.c', openerId: 'short' }).success).toBe(
      false,
    );
    expect(RedeemInviteRequest.safeParse({ invite: 'a.b.c' }).success).toBe(false);
  });
});

describe('control approvals (issue 5)', () => {
  it('takes approve or deny, and nothing else', () => {
    expect(ControlApprovalDecisionRequest.parse({ decision: 'approve' })).toEqual({
      decision: 'approve',
    });
    expect(ControlApprovalDecisionRequest.safeParse({ decision: 'deny' }).success).toBe(true);
    expect(ControlApprovalDecisionRequest.safeParse({ decision: 'allow' }).success).toBe(false);
    expect(ControlApprovalDecisionRequest.safeParse({}).success).toBe(false);
    expect(ControlApprovalDecisionRequest.safeParse({ decision: 'deny', note: 'x' }).success).toBe(
      false,
    );
  });

  it('names an approval ca_ and 16 or more URL-safe characters', () => {
    expect(ControlApprovalId.safeParse(`ca_${'a'.repeat(16)}`).success).toBe(true);
    expect(ControlApprovalId.safeParse(`ca_${'a'.repeat(15)}`).success).toBe(false);
    expect(ControlApprovalId.safeParse(`mr_${'a'.repeat(16)}`).success).toBe(false);
    expect(ControlApprovalId.safeParse(`ca_${'a'.repeat(15)}/`).success).toBe(false);
  });
});
