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

function parseJsonWith<T>(schema: z.ZodType<T>, text: string): Parsed<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: new SightlineError('PROTOCOL_INVALID_MESSAGE', 'Not JSON.') };
  }
  const result = schema.safeParse(raw);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, error: new SightlineError('PROTOCOL_INVALID_MESSAGE', describe(result.error)) };
}

/** Parses a text frame from a client. */
export function parseClientText(text: string): Parsed<ClientToServer> {
  return parseJsonWith(ClientToServer, text);
}

/** Parses a text frame from the server. */
export function parseServerText(text: string): Parsed<ServerToClient> {
  return parseJsonWith(ServerToClient, text);
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
