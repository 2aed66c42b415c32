/**
 * @module
 * The realtime protocol version, sent by every client in `session.hello`. The server accepts any
 * minor version of its own major, and closes with 4426 on another major.
 */

/** The protocol version this package describes, as `major.minor`. */
export const PROTOCOL_VERSION = '1.2';

/** The major part of {@link PROTOCOL_VERSION}. A change here breaks old clients. */
export const PROTOCOL_MAJOR = 1;

/** Parses the major number of a `major.minor` version string, or returns `undefined`. */
export function protocolMajorOf(version: string): number | undefined {
  const match = /^(\d{1,4})\.(\d{1,4})$/.exec(version);
  return match ? Number(match[1]) : undefined;
}
