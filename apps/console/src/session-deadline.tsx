/**
 * @module
 * The session's deadline in the session bar: in its last 10 minutes, the time left and an
 * "Extend" button that asks the customer for more time (`requestExtension()`), with what came of
 * it in words. Every agent sees a question any agent asked, so nobody asks twice.
 */
import type { AgentSession } from '@sightline/agent';
import { toSightlineError } from '@sightline/protocol';
import { useEffect, useState } from 'preact/hooks';
import { errorWords, extendLabel, extensionAllowedWords, timeLeftWords } from './messages.js';

/** From how long before the end the bar shows the time left and the Extend button. */
export const DEADLINE_SHOWN_MS = 10 * 60_000;

/**
 * When the session ends by itself (ms since the epoch, this browser's clock), and how much one
 * extension would add (0: it cannot be extended).
 */
export interface DeadlineState {
  endsAt: number;
  extensionMs: number;
}

/** Where the latest request for more time stands. */
export type ExtensionState =
  | { status: 'idle' }
  /** The customer is being asked (by this agent or another). */
  | { status: 'asking'; extensionMs: number }
  /** It was answered, expired or refused: `note` says so in words. */
  | { status: 'settled'; note: string; allowed: boolean };

/** Catalogue codes that refuse a request for more time without ending anything. */
const REFUSALS = new Set([3006, 3014, 3015]);

/** Folds the session's deadline and extension events into the view's state. */
export function followExtension(
  session: AgentSession,
  update: (patch: { deadline?: DeadlineState; extension?: ExtensionState }) => void,
): void {
  let asked = 0;
  session.on('deadline_changed', ({ endsAt, extensionMs }) =>
    update({ deadline: { endsAt, extensionMs } }),
  );
  session.on('extension_requested', ({ extensionMs }) => {
    asked = extensionMs;
    update({ extension: { status: 'asking', extensionMs } });
  });
  session.on('extension_decided', ({ outcome, code }) => {
    const allowed = outcome === 'allowed';
    const note = allowed ? extensionAllowedWords(asked) : errorWords(code ?? 3017);
    update({ extension: { status: 'settled', note, allowed } });
  });
  session.on('session_error', ({ code }) => {
    if (REFUSALS.has(code)) {
      update({ extension: { status: 'settled', note: errorWords(code), allowed: false } });
    }
  });
}

/** Props of {@link SessionDeadline}. */
export interface SessionDeadlineProps {
  session: AgentSession | undefined;
  deadline: DeadlineState | undefined;
  extension: ExtensionState;
  /** Whether this agent may ask now: the customer allowed it and the connection is up. */
  canAsk: boolean;
}

/** The time left and the Extend button, near the end; nothing before. */
export function SessionDeadline({ session, deadline, extension, canAsk }: SessionDeadlineProps) {
  const [now, setNow] = useState(() => Date.now());
  const [refused, setRefused] = useState<string>();
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => setRefused(undefined), [extension]);
  if (!deadline) return null;
  const remaining = deadline.endsAt - now;
  const note = refused ?? (extension.status === 'settled' ? extension.note : undefined);
  if (remaining > DEADLINE_SHOWN_MS && note === undefined) return null;
  const asking = extension.status === 'asking';
  const extend = () => {
    try {
      session?.requestExtension();
    } catch (thrown) {
      setRefused(errorWords(toSightlineError(thrown).code));
    }
  };
  return (
    <div class="deadline" data-testid="session-deadline">
      {remaining <= DEADLINE_SHOWN_MS && (
        <span class="time-left" role="timer" aria-label="Time left in this session">
          {timeLeftWords(remaining)}
        </span>
      )}
      {remaining <= DEADLINE_SHOWN_MS && deadline.extensionMs > 0 && (
        <button
          id="extend-session"
          type="button"
          onClick={extend}
          disabled={!canAsk || asking}
          title="Ask the customer to continue for longer"
        >
          {asking ? 'Asking the customer…' : extendLabel(deadline.extensionMs)}
        </button>
      )}
      {note !== undefined && !asking && (
        <span id="extension-note" class="note" role="status">
          {note}
        </span>
      )}
    </div>
  );
}
