/**
 * @module
 * The words around an invitation link: checking the ticket reference as the agent types it (the
 * protocol's own rule, so the server never has to refuse it), and how long the link still works.
 */
import { TicketRef } from '@sightline/protocol';

/** A ticket reference as typed: nothing (no ticket), a valid one, or why it is not. */
export type TicketReading = { ok: true; ticketRef?: string } | { ok: false; message: string };

/** Reads the ticket field. Blank means no ticket. */
export function readTicketRef(raw: string): TicketReading {
  if (raw.trim() === '') return { ok: true };
  const parsed = TicketRef.safeParse(raw);
  if (parsed.success) return { ok: true, ticketRef: parsed.data };
  return {
    ok: false,
    message:
      'A ticket reference is up to 64 letters, digits, spaces and # . _ : / - (for example ZD-48213).',
  };
}

/** "Expires in 14 min (at 10:42)", "Expires in less than a minute", or "Expired". */
export function expiryWords(expiresAt: string, now: number, timeZone?: string): string {
  const at = Date.parse(expiresAt);
  const left = at - now;
  if (!Number.isFinite(at) || left <= 0) return 'Expired';
  const time = new Date(at).toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  });
  const minutes = Math.floor(left / 60_000);
  return minutes < 1
    ? `Expires in less than a minute (at ${time})`
    : `Expires in ${minutes} min (at ${time})`;
}
