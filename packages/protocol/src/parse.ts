/**
 * @module
 * Parsing inbound frames at a trust boundary without throwing: the server calls these for every
 * frame, the SDKs for every frame from the server.
 */
import type { z } from 'zod';
import { decodeBinaryFrame } from './binary.js';
import { SightlineError } from './errors.js';
import { DomBatchHeader, DomBatchRelayHeader } from './messages/dom.js';
import { ClientToServer, ServerToClient } from './messages/index.js';

/** A parse result: the value, or the error to report. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: SightlineError };

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/** The JSON value of `text`, or the error for text that is not JSON. */
function readJson(text: string): { json: unknown } | { ok: false; error: SightlineError } {
  try {
    return { json: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: new SightlineError('PROTOCOL_INVALID_MESSAGE', 'Not JSON.') };
  }
}

function parseJsonWith<T>(schema: z.ZodType<T>, text: string): Parsed<T> {
  const read = readJson(text);
  return 'json' in read ? validated(schema, read.json) : read;
}

function validated<T>(schema: z.ZodType<T>, raw: unknown): Parsed<T> {
  const result = schema.safeParse(raw);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, error: new SightlineError('PROTOCOL_INVALID_MESSAGE', describe(result.error)) };
}

/** Parses a text frame from a client. */
export function parseClientText(text: string): Parsed<ClientToServer> {
  return parseJsonWith(ClientToServer, text);
}

/** The `type` of every frame this version of the protocol knows from the server. */
const SERVER_TYPES: ReadonlySet<string> = new Set(
  ServerToClient.options.map((option) => option.shape.type.value),
);

/**
 * A server frame of a type this version does not know: a newer minor version of the protocol
 * added it, and an older client ignores it rather than failing (`docs/protocol.md`, "Versions").
 */
export interface UnknownServerFrame {
  ok: 'unknown';
  type: string;
}

/**
 * Parses a text frame from the server. A well-formed object whose `type` this version does not
 * know is {@link UnknownServerFrame}, to be ignored; a known type with bad fields is an error.
 */
export function parseServerText(text: string): Parsed<ServerToClient> | UnknownServerFrame {
  const read = readJson(text);
  if (!('json' in read)) return read;
  const type = (read.json as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && !SERVER_TYPES.has(type)) return { ok: 'unknown', type };
  return validated(ServerToClient, read.json);
}

/** A binary frame, split and with its header validated. */
export interface BinaryBatch<H> {
  header: H;
  payload: Uint8Array;
}

function parseBinaryWith<H>(schema: z.ZodType<H>, frame: Uint8Array): Parsed<BinaryBatch<H>> {
  const decoded = decodeBinaryFrame(frame);
  if (!decoded) {
    return {
      ok: false,
      error: new SightlineError('PROTOCOL_INVALID_MESSAGE', 'Malformed binary frame.'),
    };
  }
  const result = schema.safeParse(decoded.header);
  return result.success
    ? { ok: true, value: { header: result.data, payload: decoded.payload } }
    : { ok: false, error: new SightlineError('PROTOCOL_INVALID_MESSAGE', describe(result.error)) };
}

/** Parses a `dom.batch` binary frame from a customer. */
export function parseCustomerBatch(frame: Uint8Array): Parsed<BinaryBatch<DomBatchHeader>> {
  return parseBinaryWith(DomBatchHeader, frame);
}

/** Parses a relayed `dom.batch` binary frame from the server. */
export function parseRelayedBatch(frame: Uint8Array): Parsed<BinaryBatch<DomBatchRelayHeader>> {
  return parseBinaryWith(DomBatchRelayHeader, frame);
}
