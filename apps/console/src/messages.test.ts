import { EndReason, ErrorCode } from '@sightline/protocol';
import { describe, expect, it } from 'vitest';
import {
  endReasonWords,
  errorWords,
  extendLabel,
  extensionAllowedWords,
  timeLeftWords,
} from './messages.js';

describe('errorWords', () => {
  it('explains an unknown PIN in the words agents are trained on', () => {
    expect(errorWords(1006)).toBe(
      'No live session has that PIN — check the digits with the customer.',
    );
  });

  it('sends an expired sign-in back to sign-in', () => {
    expect(errorWords(ErrorCode.TOKEN_INVALID.code)).toMatch(/sign in again/);
  });

  it('tells an agent who hit the wrong-PIN limit to wait', () => {
    expect(errorWords(ErrorCode.RATE_LIMITED.code)).toMatch(/^Too many wrong PINs\. Wait/);
  });

  it('tells the agent what to do when the customer did not answer the consent prompt', () => {
    expect(errorWords(ErrorCode.CONSENT_TIMEOUT.code)).toMatch(/did not answer in time/);
  });

  it('tells an agent whose session was taken over by another window where it went', () => {
    expect(errorWords(ErrorCode.SESSION_DUPLICATE_USER.code)).toMatch(
      /^This session was opened in another window/,
    );
  });

  it('has words for every way a request for more time can go wrong', () => {
    for (const name of [
      'EXTENSION_PENDING',
      'EXTENSION_LIMIT_REACHED',
      'EXTENSION_DECLINED',
      'EXTENSION_TIMEOUT',
    ] as const) {
      expect(errorWords(ErrorCode[name].code)).not.toMatch(/error \d+/);
    }
  });

  it('names the code of an error it has no words for', () => {
    expect(errorWords(9999)).toMatch(/error 9999/);
  });
});

describe('endReasonWords', () => {
  it('has a sentence for every end reason', () => {
    for (const reason of EndReason.options) {
      expect(endReasonWords(reason, false)).toMatch(/\.$/);
    }
  });

  it('tells the agent who ended it', () => {
    expect(endReasonWords('customer_ended', false)).toBe('The customer ended the session.');
    expect(endReasonWords('agent_ended', true)).toBe('You ended the session.');
    expect(endReasonWords('agent_ended', false)).toBe('Another agent ended the session.');
    expect(endReasonWords('revoked', false)).toBe('The session was revoked.');
  });
});

describe('the time left and extending it', () => {
  it('says the time left in whole minutes, rounded up', () => {
    expect(timeLeftWords(9 * 60_000 + 1)).toBe('10 min left');
    expect(timeLeftWords(60_000)).toBe('1 min left');
    expect(timeLeftWords(59_000)).toBe('less than a minute left');
    expect(timeLeftWords(-5)).toBe('less than a minute left');
  });

  it('labels the button with what it asks for, and says what the customer allowed', () => {
    expect(extendLabel(15 * 60_000)).toBe('Extend 15 min');
    expect(extensionAllowedWords(15 * 60_000)).toBe('The customer allowed 15 more minutes.');
    expect(extensionAllowedWords(60_000)).toBe('The customer allowed 1 more minute.');
  });
});
