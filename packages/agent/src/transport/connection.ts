/**
 * @module
 * The agent's socket to `/ws`: the shared connection core of `@sightline/client`, configured for
 * an agent.
 *
 * Every attempt asks for a fresh join token first (join tokens live two minutes, so one from the
 * first join cannot be reused an hour later). Relayed `dom.batch` binary frames are validated with
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
} from '@sightline/protocol';
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
      credential: async () => ({ joinToken: await options.getJoinToken() }),
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
        serverError =
          errorFromBody({ error: message }) ?? new SightlineError('UNDEFINED', message.message);
        events.error(serverError);
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
