/**
 * @module
 * A `dom.batch` payload back into rrweb events: zlib (`fflate.unzlibSync`), then UTF-8, then a
 * JSON array. The payload comes from the customer's browser through the server untouched, so it
 * is untrusted: anything that is not an array of event-shaped objects is refused whole.
 */
import type { eventWithTime } from '@rrweb/types';
import { SightlineError } from '@sightline/protocol';
import { unzlibSync } from 'fflate';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function refuse(reason: string, cause?: unknown): SightlineError {
  return new SightlineError('PROTOCOL_INVALID_MESSAGE', `dom.batch payload: ${reason}`, { cause });
}

/**
 * Decodes a batch payload into rrweb events. Throws `PROTOCOL_INVALID_MESSAGE` (3001) when the
 * bytes are not zlib, not UTF-8, not JSON, not an array, or hold an element without a numeric
 * `type` and a finite `timestamp`. The events' own contents are left to rrweb.
 */
export function decodeBatchPayload(payload: Uint8Array): eventWithTime[] {
  let text: string;
  try {
    text = utf8.decode(unzlibSync(payload));
  } catch (cause) {
    throw refuse('not zlib-compressed UTF-8.', cause);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw refuse('not JSON.', cause);
  }
  if (!Array.isArray(parsed)) throw refuse('not an array of events.');
  for (const event of parsed as unknown[]) {
    if (!isEventShaped(event)) throw refuse('an element is not an rrweb event.');
  }
  return parsed as eventWithTime[];
}

function isEventShaped(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { type, timestamp } = value as { type?: unknown; timestamp?: unknown };
  return typeof type === 'number' && typeof timestamp === 'number' && Number.isFinite(timestamp);
}
