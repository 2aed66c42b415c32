/**
 * @module
 * Internal: reading the first frame of a socket. It must be a text `session.hello` of this
 * server's protocol major; the version is read before strict validation, so a client of another
 * major gets 4426 rather than a schema complaint about a field it does not know.
 */
import {
  PROTOCOL_MAJOR,
  SightlineError,
  parseClientText,
  protocolMajorOf,
  type SessionHello,
} from '@sightline/protocol';

/** The version a hello claims, read before strict validation so a newer client gets 4426. */
function claimedVersion(text: string): string | undefined {
  try {
    const raw: unknown = JSON.parse(text);
    if (typeof raw === 'object' && raw !== null && 'type' in raw && raw.type === 'session.hello') {
      const version = (raw as { protocolVersion?: unknown }).protocolVersion;
      return typeof version === 'string' ? version : undefined;
    }
  } catch {
    // Not JSON: the strict parse reports it.
  }
  return undefined;
}

/**
 * The hello in a socket's first frame, or the error to close the socket with. `text` is the
 * frame decoded as UTF-8 (undefined if it is not), ignored for a binary frame.
 */
export function readHello(
  text: string | undefined,
  isBinary: boolean,
): SessionHello | SightlineError {
  if (isBinary) return new SightlineError('HANDSHAKE_REQUIRED', 'The first frame was binary.');
  if (text === undefined) return new SightlineError('HANDSHAKE_REQUIRED', 'Not UTF-8.');
  const version = claimedVersion(text);
  if (version !== undefined && protocolMajorOf(version) !== PROTOCOL_MAJOR) {
    return new SightlineError(
      'PROTOCOL_VERSION_UNSUPPORTED',
      `This server speaks major version ${PROTOCOL_MAJOR}, not ${JSON.stringify(version)}.`,
    );
  }
  const parsed = parseClientText(text);
  if (!parsed.ok || parsed.value.type !== 'session.hello') {
    const why = parsed.ok ? `Got ${parsed.value.type}.` : parsed.error.message;
    return new SightlineError('HANDSHAKE_REQUIRED', why);
  }
  return parsed.value;
}
