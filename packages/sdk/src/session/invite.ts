/**
 * @module
 * An agent's invitation link, on the customer's side. The link opens the site's page with the
 * invitation in its `sightline_invite` query parameter; `init` takes it out of the address bar at
 * once (`history.replaceState`, so a reload, a bookmark or a copied address never carries it) and
 * the session redeems it with `POST /api/customer/invite` for the answer a start would get.
 *
 * Each opening of a link has its own random opener id: a request retried after a network failure
 * gets the session again, while any other browser (or a second opening) is told the link was used.
 * Nothing of the page is sent by redeeming: the request carries the invitation and the opener id,
 * without cookies or a referrer.
 */
import {
  ErrorCode,
  INVITE_QUERY_PARAMETER,
  INVITE_TOKEN_MAX_LENGTH,
  SightlineError,
  type RedeemInviteRequest,
} from '@sightline/protocol';
import { inviteNoticeWords, showInviteNotice } from '../ui/invite-notice.js';
import {
  errorPayloadOf,
  postForSession,
  type SessionErrorPayload,
  type SessionRequestOptions,
  type StartResult,
} from './start-request.js';

/** The part of `window` the pickup uses. */
export interface AddressBar {
  location: { href: string };
  history: Pick<History, 'replaceState' | 'state'>;
}

/**
 * Takes the invitation out of the page's address, if it has one: the parameter is removed from
 * the address bar, the rest of the address (path, other parameters, fragment) is kept.
 */
export function takeInvite(bar: AddressBar | undefined): string | undefined {
  if (!bar) return undefined;
  let url: URL;
  try {
    url = new URL(bar.location.href);
  } catch {
    return undefined;
  }
  const invite = url.searchParams.get(INVITE_QUERY_PARAMETER);
  if (invite === null) return undefined;
  url.searchParams.delete(INVITE_QUERY_PARAMETER);
  try {
    bar.history.replaceState(bar.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  } catch {
    // A sandboxed page may not rewrite its address; the invitation is single-use regardless.
  }
  return invite;
}

/** Why `invite` cannot be an invitation, before asking the server. */
export function inviteRefusal(invite: unknown): SessionErrorPayload | undefined {
  const wellFormed =
    typeof invite === 'string' &&
    invite.length <= INVITE_TOKEN_MAX_LENGTH &&
    /^[\w-]+\.[\w-]+\.[\w-]+$/.test(invite);
  return wellFormed ? undefined : errorPayloadOf(new SightlineError('INVITE_INVALID'));
}

/** A new opener id: 128 random bits, base64url. */
export function newOpenerId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** What a redeem request needs. */
export interface InviteRequestOptions extends SessionRequestOptions {
  serverUrl: string;
  invite: string;
  openerId: string;
}

/** Redeems an invitation, retrying network failures with the same opener id. Never throws. */
export function requestInvite(options: InviteRequestOptions): Promise<StartResult> {
  const body: RedeemInviteRequest = { invite: options.invite, openerId: options.openerId };
  return postForSession(`${options.serverUrl}/api/customer/invite`, {}, body, options);
}

/**
 * Tells the customer, in the SDK's own notice, why the invitation could not be used. Not when the
 * customer cancelled it (`end()` while it was being redeemed), nor where there is no page.
 */
export function explainInviteFailure(
  error: SessionErrorPayload,
  document: Document | undefined = globalThis.document,
): void {
  if (!document || error.code === ErrorCode.SESSION_CANCELING_IN_PROGRESS.code) return;
  showInviteNotice(document, inviteNoticeWords(error.code, error.errorMsg));
}
