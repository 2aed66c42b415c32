/**
 * @module
 * The desk: one field for the PIN the customer reads out. It is focused on arrival and Enter
 * joins, so an agent can go from one session to the next without touching the mouse. Below it,
 * "Invite a customer" makes a one-time link for a customer who is not in a session yet.
 */
import type { CreateInviteResponse, SightlineError } from '@sightline/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { InvitePanel } from './invite-panel.js';
import { readPin } from './pin.js';

/** Props of {@link Desk}. */
export interface DeskProps {
  sdkToken: string;
  /** An invitation was made: the console opens its session, where the agent waits. */
  onInvited(invite: CreateInviteResponse): void;
  onSignInRefused(error: SightlineError): void;
  /** The PIN to show again after a failed join, so it can be corrected rather than retyped. */
  initialPin: string | undefined;
  /** Why the last join failed, in words. */
  error: string | undefined;
  onJoin(pin: string): void;
}

/** The PIN form; the error, if any, in `#console-error`. */
export function Desk({
  sdkToken,
  onInvited,
  onSignInRefused,
  initialPin,
  error: initialError,
  onJoin,
}: DeskProps) {
  const [value, setValue] = useState(initialPin ?? '');
  const [error, setError] = useState(initialError);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    inputRef.current?.focus();
    if (initialError) inputRef.current?.select();
  }, [initialError]);

  const submit = (event: Event) => {
    event.preventDefault();
    const reading = readPin(value);
    if (!reading.ok) {
      setError(reading.message);
      inputRef.current?.focus();
      return;
    }
    onJoin(reading.pin);
  };

  return (
    <main class="centered desk">
      <form class="card" onSubmit={submit} noValidate>
        <h1>Join a session</h1>
        <p class="hint">Ask the customer to read out the PIN shown on their screen.</p>
        <label for="pin-input">PIN</label>
        <div class="pin-row">
          <input
            id="pin-input"
            ref={inputRef}
            class="pin-input"
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            maxLength={24}
            placeholder="123 456"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'console-error' : undefined}
            value={value}
            onInput={(event) => {
              setValue(event.currentTarget.value);
              setError(undefined);
            }}
          />
          <button id="pin-submit" type="submit" class="primary">
            Join
          </button>
        </div>
        {error && (
          <p id="console-error" class="error" role="alert">
            {error}
          </p>
        )}
      </form>
      <InvitePanel sdkToken={sdkToken} onInvited={onInvited} onSignInRefused={onSignInRefused} />
    </main>
  );
}
