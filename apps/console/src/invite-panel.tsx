/**
 * @module
 * "Invite a customer", on the desk: an optional ticket reference and one button. The server
 * creates a session and its one-time link; the console then opens that session, where the agent
 * waits for the customer with the link on screen (`invite-link.tsx`).
 */
import {
  toSightlineError,
  type CreateInviteResponse,
  type SightlineError,
} from '@sightline/protocol';
import { useRef, useState } from 'preact/hooks';
import { createInvite } from './api.js';
import { readTicketRef } from './invite.js';
import { errorWords } from './messages.js';

/** Props of {@link InvitePanel}. */
export interface InvitePanelProps {
  sdkToken: string;
  onInvited(invite: CreateInviteResponse): void;
  /** The server refused the sign-in (2001): the console signs out. */
  onSignInRefused(error: SightlineError): void;
}

/** The invitation form; its error, if any, in `#invite-error`. */
export function InvitePanel({ sdkToken, onInvited, onSignInRefused }: InvitePanelProps) {
  const [ticket, setTicket] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ticketRef = useRef<HTMLInputElement>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const reading = readTicketRef(ticket);
    if (!reading.ok) {
      setError(reading.message);
      ticketRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      onInvited(await createInvite(sdkToken, reading.ticketRef));
    } catch (thrown) {
      const failure = toSightlineError(thrown);
      if (failure.errorName === 'TOKEN_INVALID') onSignInRefused(failure);
      else setError(errorWords(failure.code));
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={(event) => void submit(event)} noValidate>
      <h2>Invite a customer</h2>
      <p class="hint">
        Make a one-time link to send by email, chat or text. You wait in the session; they are asked
        to let you see the page when they open it.
      </p>
      <label for="invite-ticket">Ticket (optional)</label>
      <input
        id="invite-ticket"
        ref={ticketRef}
        autocomplete="off"
        spellcheck={false}
        maxLength={80}
        placeholder="ZD-48213"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'invite-error' : undefined}
        value={ticket}
        onInput={(event) => {
          setTicket(event.currentTarget.value);
          setError(undefined);
        }}
      />
      <button id="invite-create" type="submit" class="primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create invite link'}
      </button>
      {error && (
        <p id="invite-error" class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
