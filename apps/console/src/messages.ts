/**
 * @module
 * Errors and end reasons in plain words, for an agent who has no time to decode numbers.
 */
import type { EndReason } from '@sightline/protocol';

const ERROR_WORDS: Readonly<Record<number, string>> = {
  1002: 'Already connecting to this session — give it a moment.',
  1006: 'No live session has that PIN — check the digits with the customer.',
  1008: 'That is not a PIN — it is 6 digits, or up to 10 letters and digits.',
  1011: 'Could not join that session — it may have just ended. Ask the customer for a new PIN.',
  1013: 'That session already has the most agents it allows.',
  1015: 'This session was opened in another window (or you are its customer), so it closed here.',
  1016: 'Cannot reach the Sightline server. Check your connection and try again.',
  1017: 'That session is ending.',
  2001: 'Your sign-in has expired. Please sign in again.',
  3002: 'This console is out of date. Reload the page.',
  3009: 'The customer declined to share their screen.',
  3010: 'The customer did not answer in time. Ask them to look for the prompt, then join again.',
  3014: 'The customer is already being asked for more time. Wait for their answer.',
  3015: 'This session cannot be extended any further.',
  3016: 'The customer declined to extend the session. It ends at the planned time.',
  3017: 'The customer did not answer the request for more time. You can ask again.',
  3011: 'That invitation link is not valid.',
  3012: 'That invitation link has expired. Make a new one.',
  3013: 'That invitation link was already used. Make a new one.',
  4004: 'That session has ended.',
  4006: 'Wrong user name or password.',
  4007: 'Too many wrong PINs. Wait a few minutes, then check the PIN with the customer again.',
  4008: 'Invitation links are not set up on this server. Ask its operator to set SIGHTLINE_INVITE_URL.',
  5002: 'The server is restarting. Try again in a moment.',
};

/** The sentence for an error code, or a generic one that still names the code. */
export function errorWords(code: number): string {
  return ERROR_WORDS[code] ?? `Something went wrong (error ${code}). Please try again.`;
}

/** Why a session ended, in words. `byMe` is true when this agent ended it. */
export function endReasonWords(reason: EndReason, byMe: boolean): string {
  switch (reason) {
    case 'customer_ended':
      return 'The customer ended the session.';
    case 'agent_ended':
      return byMe ? 'You ended the session.' : 'Another agent ended the session.';
    case 'revoked':
      return byMe ? 'You ended the session.' : 'The session was revoked.';
    case 'declined':
      return 'The customer declined to share their screen.';
    case 'timeout_waiting':
      return 'The session expired before it started.';
    case 'timeout_reconnect':
      return 'The customer’s connection dropped and did not come back.';
    case 'timeout_idle':
      return 'The session ended after a long time without activity.';
    case 'timeout_max':
      return 'The session reached its maximum length.';
    case 'error':
      return 'The session ended because of a server error.';
  }
}

/** Whole minutes, rounded up: "9 min", or under a minute "less than a minute". */
function minutesWords(ms: number): string {
  return ms < 60_000 ? 'less than a minute' : `${Math.ceil(ms / 60_000)} min`;
}

/** How long the session has left: "9 min left", "less than a minute left". */
export function timeLeftWords(remainingMs: number): string {
  return `${minutesWords(Math.max(0, remainingMs))} left`;
}

/** The Extend button's label: "Extend 15 min". */
export function extendLabel(extensionMs: number): string {
  return `Extend ${minutesWords(extensionMs)}`;
}

/** A question to extend went the agent's way: "The customer allowed 15 more minutes." */
export function extensionAllowedWords(extensionMs: number): string {
  const minutes = Math.max(1, Math.round(extensionMs / 60_000));
  return `The customer allowed ${minutes} more ${minutes === 1 ? 'minute' : 'minutes'}.`;
}
