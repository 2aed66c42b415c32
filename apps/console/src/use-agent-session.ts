/**
 * @module
 * A Preact hook around `@sightline/agent`: one `AgentSession` per mounted session view, joined on
 * mount and left on unmount, with its events folded into render state.
 */
import {
  init,
  type AgentSession,
  type ConnectionStatus,
  type MirrorStatus,
  type SessionInfo,
} from '@sightline/agent';
import { toSightlineError, type EndReason, type SightlineError } from '@sightline/protocol';
import { useEffect, useRef, useState, type MutableRef } from 'preact/hooks';
import { followExtension, type DeadlineState, type ExtensionState } from './session-deadline.js';

/** Everything the session view renders from. */
export interface AgentSessionState {
  connection: ConnectionStatus;
  mirror: MirrorStatus;
  info: SessionInfo | undefined;
  /** A customer was present at some point. */
  customerSeen: boolean;
  endReason: EndReason | undefined;
  /** The last error's catalogue code. */
  errorCode: number | undefined;
  /** The customer is being asked whether this agent may see the page. */
  consentPending: boolean;
  /** None of the customer's tabs has been in front for a moment (`customer_focus_lost`). */
  focusLost: boolean;
  /** When the session ends by itself; unknown before the welcome. */
  deadline: DeadlineState | undefined;
  /** Where the latest request for more time stands. */
  extension: ExtensionState;
}

const INITIAL: AgentSessionState = {
  connection: 'connecting',
  mirror: 'empty',
  info: undefined,
  customerSeen: false,
  endReason: undefined,
  errorCode: undefined,
  consentPending: false,
  focusLost: false,
  deadline: undefined,
  extension: { status: 'idle' },
};

/** What the hook needs. */
export interface UseAgentSessionOptions {
  pin: string;
  sdkToken: string;
  /** The first join failed: nothing was ever shown. Not called after unmount. */
  onJoinFailed(error: SightlineError): void;
}

/**
 * Joins the session once, rendering into `rootRef`'s element. Read once on mount: a new PIN
 * needs a new view (the console keys it by attempt).
 */
export function useAgentSession(
  rootRef: MutableRef<HTMLDivElement | null>,
  options: UseAgentSessionOptions,
): { state: AgentSessionState; session: AgentSession | undefined } {
  const [state, setState] = useState<AgentSessionState>(INITIAL);
  const sessionRef = useRef<AgentSession>();
  const optionsRef = useRef(options);

  useEffect(() => {
    const root = rootRef.current;
    const { pin, sdkToken, onJoinFailed } = optionsRef.current;
    let mounted = true;
    if (!root) return undefined;
    let session: AgentSession;
    try {
      session = init({ root });
    } catch (thrown) {
      onJoinFailed(toSightlineError(thrown));
      return undefined;
    }
    sessionRef.current = session;
    const update = (patch: Partial<AgentSessionState>) => {
      if (!mounted) return;
      const info = session.getSessionInfo();
      const customerHere = info.participants.some((p) => p.role === 'customer');
      setState((previous) => ({
        ...previous,
        ...patch,
        info,
        customerSeen: previous.customerSeen || customerHere,
      }));
    };
    session.on('connection_status', ({ status }) => update({ connection: status }));
    session.on('mirror_status', ({ status }) => update({ mirror: status }));
    session.on('session_joined', () => update({}));
    session.on('customer_joined', () => update({}));
    session.on('customer_left', () => update({}));
    session.on('agent_joined', () => update({}));
    session.on('agent_left', () => update({}));
    session.on('consent_pending', () => update({ consentPending: true }));
    session.on('consent_allowed', () => update({ consentPending: false }));
    session.on('customer_tabs', ({ focusedTabId }) =>
      update(focusedTabId === undefined ? {} : { focusLost: false }),
    );
    session.on('customer_focus_lost', () => update({ focusLost: true }));
    session.on('session_ended', ({ reason }) => update({ endReason: reason }));
    session.on('session_error', ({ code }) => update({ errorCode: code }));
    followExtension(session, (patch) => update(patch));

    let joined = false;
    session.join({ pinCode: pin, sdkToken }).then(
      () => {
        joined = true;
      },
      (thrown: unknown) => {
        if (mounted && !joined) onJoinFailed(toSightlineError(thrown));
      },
    );
    return () => {
      mounted = false;
      session.leave();
    };
  }, [rootRef]);

  return { state, session: sessionRef.current };
}
