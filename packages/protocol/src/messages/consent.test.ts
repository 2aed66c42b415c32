import { describe, expect, it } from 'vitest';
import { parseClientText, parseServerText } from '../parse.js';

const agent = { userId: 'a1', userName: 'Jane Doe', role: 'agent' };

describe('consent messages', () => {
  it('accepts a customer answer and refuses a malformed one', () => {
    const answer = (extra: Record<string, unknown>) =>
      parseClientText(JSON.stringify({ type: 'consent.response', ...extra }));
    expect(answer({ requestId: 'req_12345678', decision: 'allow' }).ok).toBe(true);
    expect(answer({ requestId: 'req_12345678', decision: 'deny' }).ok).toBe(true);
    expect(answer({ requestId: 'req_12345678', decision: 'maybe' }).ok).toBe(false);
    expect(answer({ decision: 'allow' }).ok).toBe(false);
    expect(answer({ requestId: '../x', decision: 'allow' }).ok).toBe(false);
    expect(answer({ requestId: 'req_12345678', decision: 'allow', scope: 'all' }).ok).toBe(false);
  });

  it('accepts the server side of the exchange', () => {
    const frames = [
      { type: 'consent.request', requestId: 'req_12345678', kind: 'view', agent },
      { type: 'consent.viewers', agents: [agent] },
      { type: 'consent.pending', requestId: 'req_12345678' },
      { type: 'consent.allowed', requestId: 'req_12345678' },
    ];
    for (const frame of frames) expect(parseServerText(JSON.stringify(frame)).ok).toBe(true);
  });

  it('asks to extend with the time it would add, and only then carries it', () => {
    const request = (extra: Record<string, unknown>) =>
      parseServerText(
        JSON.stringify({ type: 'consent.request', requestId: 'req_12345678', agent, ...extra }),
      ).ok;
    expect(request({ kind: 'extend', extensionMs: 900_000 })).toBe(true);
    expect(request({ kind: 'extend' })).toBe(false);
    expect(request({ kind: 'extend', extensionMs: 0 })).toBe(false);
    expect(request({ kind: 'view', extensionMs: 900_000 })).toBe(false);
    const settled = { type: 'consent.settled', requestId: 'req_12345678' };
    expect(parseServerText(JSON.stringify(settled)).ok).toBe(true);
  });

  it('refuses a request for something other than viewing or extending', () => {
    const frame = { type: 'consent.request', requestId: 'req_12345678', kind: 'control', agent };
    expect(parseServerText(JSON.stringify(frame)).ok).toBe(false);
  });
});
