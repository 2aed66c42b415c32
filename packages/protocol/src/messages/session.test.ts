import { describe, expect, it } from 'vitest';
import { MAX_RESUME_TABS } from '../limits.js';
import { parseClientText, parseServerText } from '../parse.js';
import { PROTOCOL_VERSION } from '../version.js';

const agentHello = (resumeFrom: unknown) =>
  JSON.stringify({
    type: 'session.hello',
    protocolVersion: PROTOCOL_VERSION,
    joinToken: 'j.t.x',
    resumeFrom,
  });

const tabs = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`tab-${i}`, i + 1]));

describe('resumeFrom in session.hello', () => {
  it('takes what the mirror holds per tab, or nothing', () => {
    expect(parseClientText(agentHello({ 'tab-1': 12, tab_2: 1 }))).toMatchObject({
      ok: true,
      value: { resumeFrom: { 'tab-1': 12, tab_2: 1 } },
    });
    expect(parseClientText(agentHello({})).ok).toBe(true);
    expect(parseClientText(agentHello(tabs(MAX_RESUME_TABS))).ok).toBe(true);
  });

  it.each([
    ['seq 0', { 'tab-1': 0 }],
    ['a negative seq', { 'tab-1': -1 }],
    ['a fractional seq', { 'tab-1': 1.5 }],
    ['a seq past the safe integers', { 'tab-1': Number.MAX_SAFE_INTEGER + 2 }],
    ['a seq as text', { 'tab-1': '3' }],
    ['a bad tab id', { '../x': 3 }],
    ['too many tabs', tabs(MAX_RESUME_TABS + 1)],
    ['a list', [['tab-1', 3]]],
  ])('refuses %s', (_label, resumeFrom) => {
    const parsed = parseClientText(agentHello(resumeFrom));
    expect(parsed.ok).toBe(false);
  });
});

describe('resumed in session.welcome', () => {
  const welcome = (resumed: unknown) =>
    JSON.stringify({
      type: 'session.welcome',
      protocolVersion: PROTOCOL_VERSION,
      sessionId: 'session-12345678',
      role: 'agent',
      self: { userId: 'a-1', userName: 'Ada', role: 'agent' },
      participants: [],
      state: 'active',
      serverTime: 1,
      resumed,
    });

  it('lists the tabs that resume', () => {
    expect(parseServerText(welcome(['tab-1']))).toMatchObject({
      ok: true,
      value: { resumed: ['tab-1'] },
    });
    expect(parseServerText(welcome(undefined))).toMatchObject({ ok: true });
  });

  it('refuses a bad tab id', () => {
    expect(parseServerText(welcome(['a b'])).ok).toBe(false);
  });
});
