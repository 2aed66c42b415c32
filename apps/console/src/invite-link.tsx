/**
 * @module
 * What an agent who invited a customer sees while waiting: the link to send, a Copy button, and
 * how long the link still works. It covers the empty mirror until the customer opens the link.
 */
import type { CreateInviteResponse } from '@sightline/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { expiryWords } from './invite.js';

/** How often the expiry is counted down. */
const TICK_MS = 15_000;

/** The link, ready to copy, and its expiry. */
export function InviteLink({ invite }: { invite: CreateInviteResponse }) {
  const [now, setNow] = useState(() => Date.now());
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);

  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(invite.inviteUrl);
      setCopy('copied');
    } catch {
      // No clipboard permission: the selected link is one keystroke away.
      inputRef.current?.select();
      setCopy('failed');
    }
  };

  return (
    <div class="stage-over" data-testid="invite">
      <div class="card invite-card">
        <h2>Waiting for the customer</h2>
        <p class="hint">
          Send them this link{invite.ticketRef ? ` for ticket ${invite.ticketRef}` : ''}. It works
          once; when they open it, they are asked to let you see their page.
        </p>
        <label for="invite-link">Invitation link</label>
        <div class="pin-row">
          <input
            id="invite-link"
            ref={inputRef}
            readOnly
            value={invite.inviteUrl}
            onFocus={(event) => event.currentTarget.select()}
          />
          <button id="invite-copy" type="button" class="primary" onClick={() => void copyLink()}>
            {copy === 'copied' ? 'Copied' : 'Copy'}
          </button>
        </div>
        <p class="hint" role="status">
          {copy === 'failed' ? 'Press Ctrl+C (⌘C on a Mac) to copy the selected link. ' : ''}
          <span id="invite-expiry">{expiryWords(invite.expiresAt, now)}</span>
        </p>
      </div>
    </div>
  );
}
