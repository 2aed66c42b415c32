/**
 * @module
 * The session view: status, PIN, people and actions in one slim bar, and the customer's page
 * filling everything below it. When the session is over, a notice says why and offers the next.
 */
import {
  toSightlineError,
  type CreateInviteResponse,
  type SightlineError,
} from '@sightline/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ControlToolbar } from './control-toolbar.js';
import { CustomerTabStrip } from './customer-tabs.js';
import { InviteLink } from './invite-link.js';
import { endReasonWords, errorWords } from './messages.js';
import { ParticipantList } from './participant-list.js';
import { SessionDeadline } from './session-deadline.js';
import { formatPin } from './pin.js';
import { statusLabel, statusTone, type StatusLabel } from './status.js';
import { useAgentSession } from './use-agent-session.js';
import { useControl } from './use-control.js';

/** Props of {@link SessionView}. */
export interface SessionViewProps {
  sdkToken: string;
  pin: string;
  /** The invitation this agent made for the session, shown until the customer opens it. */
  invite?: CreateInviteResponse;
  /** The first join failed; the console goes back to the desk (or to sign-in) with the error. */
  onJoinFailed(error: SightlineError): void;
  /** The agent is done here (left, or moving on after the end). */
  onDone(): void;
}

/** One joined session. */
export function SessionView({ sdkToken, pin, invite, onJoinFailed, onDone }: SessionViewProps) {
  const mirrorRef = useRef<HTMLDivElement>(null);
  const { state, session } = useAgentSession(mirrorRef, { pin, sdkToken, onJoinFailed });
  const [endedByMe, setEndedByMe] = useState(false);
  const [ending, setEnding] = useState(false);
  const [endError, setEndError] = useState<number>();
  const control = useControl(session, state.info?.self?.userId);

  const customerPresent = state.info?.participants.some((p) => p.role === 'customer') ?? false;
  const label = statusLabel({
    connection: state.connection,
    mirror: state.mirror,
    customerPresent,
    customerSeen: state.customerSeen,
    consentPending: state.consentPending,
    invited: invite !== undefined,
  });
  const over = label === 'ended' || label === 'failed';

  const leave = () => {
    session?.leave();
    onDone();
  };
  const end = async () => {
    if (!session || ending) return;
    setEnding(true);
    setEndedByMe(true);
    try {
      await session.end();
    } catch (thrown) {
      setEndedByMe(false);
      setEndError(toSightlineError(thrown).code);
    } finally {
      setEnding(false);
    }
  };

  return (
    <main class="session">
      <div class="session-bar">
        <span
          class={`pill tone-${statusTone(label)}`}
          data-testid="connection-status"
          role="status"
          aria-label={`Status: ${label}`}
        >
          {label}
        </span>
        <span class="pin-label">
          PIN <strong>{formatPin(pin)}</strong>
        </span>
        <ParticipantList self={state.info?.self} participants={state.info?.participants ?? []} />
        <SessionDeadline
          session={session}
          deadline={state.deadline}
          extension={state.extension}
          canAsk={state.connection === 'connected' && state.info?.consent === 'allowed'}
        />
        <CustomerTabStrip
          tabs={state.info?.customerTabs ?? []}
          focusedTabId={state.info?.focusedTabId}
          shownTabId={state.info?.shownTabId}
        />
        <div class="actions">
          <button id="leave-session" type="button" onClick={leave} disabled={over}>
            Leave
          </button>
          <button
            id="end-session"
            type="button"
            class="danger"
            onClick={() => void end()}
            disabled={over || ending || state.connection === 'connecting'}
          >
            {ending ? 'Ending…' : 'End session'}
          </button>
        </div>
      </div>
      {!over && (
        <ControlToolbar
          view={control}
          self={state.info?.self}
          agents={(state.info?.participants ?? []).filter((p) => p.role === 'agent')}
          disabled={state.connection !== 'connected'}
        />
      )}
      {endError !== undefined && !over && (
        <p id="console-error" class="error banner" role="alert">
          Could not end the session: {errorWords(endError)}
        </p>
      )}
      <div class="stage">
        <div id="mirror" ref={mirrorRef} aria-label="The customer’s page, live" role="region" />
        {label === 'waiting for customer' && invite && <InviteLink invite={invite} />}
        {control.refusal && !over && (
          <p class="stage-banner refusal" data-testid="control-refusal" role="alert">
            {control.refusal.text}
            <button type="button" class="link" onClick={control.dismissRefusal}>
              Dismiss
            </button>
          </p>
        )}
        {state.focusLost && label === 'live' && (
          <p class="stage-banner" data-testid="focus-lost" role="status">
            The customer has switched to another tab or window. This is the page they left.
          </p>
        )}
        <StageNotice
          label={label}
          endText={
            state.endReason ? endReasonWords(state.endReason, endedByMe) : 'You left the session.'
          }
          errorCode={state.errorCode}
          onNext={onDone}
        />
      </div>
    </main>
  );
}

interface StageNoticeProps {
  label: StatusLabel;
  endText: string;
  errorCode: number | undefined;
  onNext(): void;
}

/** What covers (or tops) the mirror in each state; nothing while live. */
function StageNotice({ label, endText, errorCode, onNext }: StageNoticeProps) {
  switch (label) {
    case 'live':
    case 'waiting for customer':
      // Nothing while live; the invitation link covers the stage while waiting (`invite-link.tsx`).
      return null;
    case 'connecting':
      return <p class="stage-note">Connecting to the session…</p>;
    case 'waiting for consent':
      return (
        <p class="stage-note">
          Waiting for consent: the customer is asked to let you see their page…
        </p>
      );
    case 'waiting for page':
      return <p class="stage-note">Waiting for the customer’s page…</p>;
    case 'reconnecting':
      return <p class="stage-banner">Connection lost. Reconnecting — the page will catch up.</p>;
    case 'customer disconnected':
      return (
        <p class="stage-banner">
          The customer is disconnected. This is their page as last seen; it updates when they are
          back.
        </p>
      );
    case 'ended':
      return <OverNotice title="Session over" text={endText} onNext={onNext} />;
    case 'failed':
      return (
        <OverNotice
          // 1015: another window of this agent took the session over; nothing failed.
          title={errorCode === 1015 ? 'Opened elsewhere' : 'Connection failed'}
          text={errorWords(errorCode ?? 1016)}
          errorId="console-error"
          onNext={onNext}
        />
      );
  }
}

interface OverNoticeProps {
  title: string;
  text: string;
  errorId?: string;
  onNext(): void;
}

/** The end of a session: why, and the way to the next one (focused, so Enter takes it). */
function OverNotice({ title, text, errorId, onNext }: OverNoticeProps) {
  const buttonRef = useRef<HTMLButtonElement>(null);
  useEffect(() => buttonRef.current?.focus(), []);
  return (
    <div class="stage-over" data-testid="session-over">
      <div class="card">
        <h2>{title}</h2>
        <p id={errorId} role={errorId ? 'alert' : 'status'} data-testid="end-reason">
          {text}
        </p>
        <button id="join-another" ref={buttonRef} type="button" class="primary" onClick={onNext}>
          Join another session
        </button>
      </div>
    </div>
  );
}
