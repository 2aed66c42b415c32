import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../version.js';
import { parseClientText, parseServerText } from '../parse.js';
import { DomBatchHeader } from './dom.js';
import { TabId } from './common.js';

const hello = (extra: Record<string, unknown>) =>
  JSON.stringify({ type: 'session.hello', protocolVersion: PROTOCOL_VERSION, ...extra });

describe('client frames', () => {
  it.each([
    ['customer hello', hello({ resumeToken: 'r.t.x', tabId: 'tab-1' })],
    ['agent hello', hello({ joinToken: 'j.t.x' })],
    ['end', JSON.stringify({ type: 'session.end' })],
  ])('accepts a valid %s', (_label, text) => {
    const parsed = parseClientText(text);
    expect(parsed.ok).toBe(true);
  });

  it.each([
    ['not JSON', '{nope', 'Not JSON'],
    ['an unknown type', JSON.stringify({ type: 'session.sudo' }), 'type'],
    ['no type', JSON.stringify({ hello: 1 }), 'type'],
    ['hello with no credential', hello({}), 'exactly one'],
    ['hello with two credentials', hello({ joinToken: 'a', resumeToken: 'b' }), 'exactly one'],
    ['hello with an unknown field', hello({ joinToken: 'a', admin: true }), 'admin'],
    ['hello with a bad tab id', hello({ resumeToken: 'a', tabId: '../../etc' }), 'tabId'],
    [
      'hello with a numeric version',
      hello({ joinToken: 'a', protocolVersion: 1 }),
      'protocolVersion',
    ],
    ['end with extra fields', JSON.stringify({ type: 'session.end', reason: 'x' }), 'reason'],
    ['a JSON array', '[]', ''],
  ])('refuses %s with PROTOCOL_INVALID_MESSAGE', (_label, text, mentions) => {
    const parsed = parseClientText(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.errorName).toBe('PROTOCOL_INVALID_MESSAGE');
    expect(parsed.error.message).toContain(mentions);
  });
});

describe('server frames', () => {
  it('accepts a welcome and an error frame', () => {
    const welcome = parseServerText(
      JSON.stringify({
        type: 'session.welcome',
        protocolVersion: PROTOCOL_VERSION,
        sessionId: 'sess_abcdefgh',
        role: 'agent',
        self: { userId: 'u1', userName: 'Jane Doe', role: 'agent' },
        participants: [{ userId: 'c1', userName: 'Customer', role: 'customer' }],
        state: 'active',
        serverTime: 1_700_000_000_000,
      }),
    );
    expect(welcome.ok).toBe(true);
    const error = parseServerText(
      JSON.stringify({ type: 'session.error', code: 2001, name: 'TOKEN_INVALID', message: 'x' }),
    );
    expect(error.ok).toBe(true);
  });

  it('refuses an error frame naming an error outside the catalogue', () => {
    const parsed = parseServerText(
      JSON.stringify({ type: 'session.error', code: 1, name: 'NOPE', message: 'x' }),
    );
    expect(parsed.ok).toBe(false);
  });

  it('sets aside a frame type from a newer minor version, to be ignored, and keeps new fields out', () => {
    expect(parseServerText(JSON.stringify({ type: 'session.later_feature', x: 1 }))).toEqual({
      ok: 'unknown',
      type: 'session.later_feature',
    });
    const ended = parseServerText(
      JSON.stringify({ type: 'session.ended', reason: 'agent_ended', addedLater: true }),
    );
    expect(ended).toEqual({ ok: true, value: { type: 'session.ended', reason: 'agent_ended' } });
    // Only the type is forgiven: a frame without one, or a known type with bad fields, is refused.
    expect(parseServerText(JSON.stringify({ reason: 'agent_ended' })).ok).toBe(false);
    expect(parseServerText(JSON.stringify([1, 2])).ok).toBe(false);
    expect(parseServerText('null').ok).toBe(false);
  });

  it('refuses a frame type from a client that this server does not know', () => {
    expect(parseClientText(JSON.stringify({ type: 'session.later_feature' })).ok).toBe(false);
  });

  it('takes tab activity from clients and the tab list from the server', () => {
    expect(parseClientText(JSON.stringify({ type: 'tab.activity', state: 'hidden' })).ok).toBe(
      true,
    );
    expect(parseClientText(JSON.stringify({ type: 'tab.activity', state: 'asleep' })).ok).toBe(
      false,
    );
    expect(
      parseClientText(JSON.stringify({ type: 'tab.activity', state: 'focused', url: '/x' })).ok,
    ).toBe(false);
    const tabs = {
      type: 'customer.tabs',
      revision: 3,
      tabs: [{ tabId: 'tab-1', state: 'focused', openedAt: 1, since: 2 }],
    };
    expect(parseServerText(JSON.stringify(tabs))).toEqual({ ok: true, value: tabs });
    expect(
      parseServerText(JSON.stringify({ ...tabs, tabs: [{ ...tabs.tabs[0], tabId: 'a b' }] })).ok,
    ).toBe(false);
  });

  it('refuses an unknown end reason and an unknown state', () => {
    expect(parseServerText(JSON.stringify({ type: 'session.ended', reason: 'bored' })).ok).toBe(
      false,
    );
    expect(parseServerText(JSON.stringify({ type: 'session.state', state: 'paused' })).ok).toBe(
      false,
    );
  });
});

describe('dom.batch header', () => {
  it('needs a positive integer seq and a tab id', () => {
    expect(DomBatchHeader.safeParse({ type: 'dom.batch', tabId: 't1', seq: 1 }).success).toBe(true);
    expect(DomBatchHeader.safeParse({ type: 'dom.batch', tabId: 't1', seq: 0 }).success).toBe(
      false,
    );
    expect(DomBatchHeader.safeParse({ type: 'dom.batch', tabId: 't1', seq: 1.5 }).success).toBe(
      false,
    );
    expect(DomBatchHeader.safeParse({ type: 'dom.batch', seq: 3 }).success).toBe(false);
    expect(
      DomBatchHeader.safeParse({ type: 'dom.batch', tabId: 't1', seq: 2, receivedAt: 5 }).success,
    ).toBe(false);
  });

  it('bounds tab ids', () => {
    expect(TabId.safeParse('a'.repeat(64)).success).toBe(true);
    expect(TabId.safeParse('a'.repeat(65)).success).toBe(false);
    expect(TabId.safeParse('').success).toBe(false);
  });
});
