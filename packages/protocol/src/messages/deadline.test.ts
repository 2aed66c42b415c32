import { describe, expect, it } from 'vitest';
import { parseClientText, parseServerText } from '../parse.js';

const agent = { userId: 'a1', userName: 'Jane Doe', role: 'agent' };
const deadline = { endsAt: 1_700_002_700_000, serverTime: 1_700_000_000_000, extensionMs: 900_000 };

describe('deadline messages', () => {
  it('takes a request to extend with nothing else in it', () => {
    expect(parseClientText(JSON.stringify({ type: 'session.extend' })).ok).toBe(true);
    const asked = parseClientText(JSON.stringify({ type: 'session.extend', extensionMs: 1e9 }));
    expect(asked.ok).toBe(false);
  });

  it('accepts the deadline and the question’s progress from the server', () => {
    const frames = [
      { type: 'session.deadline', ...deadline },
      { type: 'session.deadline', ...deadline, extensionMs: 0 },
      {
        type: 'session.extension',
        requestId: 'req_12345678',
        agent,
        outcome: 'pending',
        extensionMs: 900_000,
      },
      {
        type: 'session.extension',
        requestId: 'req_12345678',
        agent,
        outcome: 'denied',
        extensionMs: 900_000,
        code: 3016,
      },
    ];
    for (const frame of frames) expect(parseServerText(JSON.stringify(frame)).ok).toBe(true);
  });

  it('refuses a deadline without its server time, and an outcome it does not know', () => {
    const noClock = { type: 'session.deadline', endsAt: deadline.endsAt, extensionMs: 900_000 };
    expect(parseServerText(JSON.stringify(noClock)).ok).toBe(false);
    const maybe = {
      type: 'session.extension',
      requestId: 'req_12345678',
      agent,
      outcome: 'maybe',
      extensionMs: 900_000,
    };
    expect(parseServerText(JSON.stringify(maybe)).ok).toBe(false);
  });
});
