/**
 * @module
 * The agent's socket to `/ws`: the shared connection core of `@sightline/client`, configured for
 * an agent.
 *
 * Every attempt asks for a fresh join token first (join tokens live two minutes, so one from the
 * first join cannot be reused an hour later), and says what the mirror holds (`resumeFrom`) when
 * it is a rejoin to a server that resumes. Relayed `dom.batch` binary frames are validated with
 * the protocol's parser. Before the first welcome nothing is retried: a first join fails fast and
 * says why, since a wrong PIN or an unreachable server does not get better by retrying in a loop.
 * A `session.error` from the server becomes a `SightlineError`, which also explains the close
 * that follows it.
 */
import {
  createConnection,
  type CloseOutcome,
  type Connection,
  type ConnectionEvents,
  type ConnectionOptions,
} from '@sightline/client';
import {
  SightlineError,
  parseRelayedBatch,
  type BinaryBatch,
  type DomBatchRelayHeader,
  type ResumeFrom,
} from '@sightline/protocol';
import { isControlErrorCode } from '../session/control.js';
import { errorFromBody } from './http.js';

/** A relayed `dom.batch`, validated. */
export type RelayedBatch = BinaryBatch<DomBatchRelayHeader>;

/** What an agent connection needs: the core's settings, and a join token per attempt. */
export interface AgentConnectionOptions extends Omit<
  ConnectionOptions<RelayedBatch>,
  'credential' | 'parseBinary' | 'retryBeforeWelcome'
> {
  /** Fetches a fresh join token; throws a `SightlineError` (its `retryable` is honoured). */
  getJoinToken(): Promise<string>;
  /**
   * What the mirror holds, for this attempt's hello; undefined to send none (a first join, or a
   * server that does not resume: see {@link resumesAgents}).
   */
  resumeFrom?(): ResumeFrom | undefined;
}

/**
 * Whether a server of `protocolVersion` (from its welcome) resumes agents: `resumeFrom` is since
 * 1.1, and an older server would refuse a hello that carries it.
 */
export function resumesAgents(protocolVersion: string): boolean {
  const match = /^(\d{1,4})\.(\d{1,4})$/.exec(protocolVersion);
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 1 || (major === 1 && minor >= 1);
}

/**
 * What an agent connection reports: the core's events, with `error` for both a frame that does
 * not validate and the server's `session.error` (which `message` then does not see). `closed`
 * carries the `session.error` that explains the close, when it names the same close code.
 */
export interface AgentConnectionEvents extends Omit<
  ConnectionEvents<RelayedBatch>,
  'invalidFrame'
> {
  /** The server refused something (`session.error`), or sent a frame that does not validate. */
  error(error: SightlineError): void;
}

/** An agent's connection to a session, not yet opened. */
export function agentConnection(
  options: AgentConnectionOptions,
  events: AgentConnectionEvents,
): Connection {
  /** The last `session.error` since the current attempt began. */
  let serverError: SightlineError | undefined;
  return createConnection<RelayedBatch>(
    {
      ...options,
      credential: async () => {
        const joinToken = await options.getJoinToken();
        // Read after the token: no batch can arrive meanwhile, the previous socket is gone.
        const resumeFrom = options.resumeFrom?.();
        return resumeFrom === undefined ? { joinToken } : { joinToken, resumeFrom };
      },
      parseBinary: parseRelayedBatch,
      retryBeforeWelcome: false,
    },
    {
      ...events,
      invalidFrame: events.error,
      message(message) {
        if (message.type !== 'session.error') {
          events.message(message);
          return;
        }
        const error =
          errorFromBody({ error: message }) ?? new SightlineError('UNDEFINED', message.message);
        // A refused control or annotation request (3018–3025) is an answer, not the reason
        // for a close that may follow.
        if (!isControlErrorCode(error.code)) serverError = error;
        events.error(error);
      },
      reconnecting(info) {
        serverError = undefined;
        events.reconnecting(info);
      },
      closed(outcome: CloseOutcome) {
        const explained = serverError?.closeCode === outcome.code ? serverError : undefined;
        events.closed({ ...outcome, error: outcome.error ?? explained });
      },
    },
  );
}
