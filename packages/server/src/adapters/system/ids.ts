/**
 * @module
 * The real identifier sources: node:crypto randomness.
 */
import { randomBytes } from 'node:crypto';
import { randomPin } from '../../core/pins.js';
import type { Ids } from '../../core/ports.js';

/** 128-bit session ids (22 base64url characters) and uniformly random PINs. */
export const randomIds: Ids = {
  sessionId: () => randomBytes(16).toString('base64url'),
  pin: randomPin,
};
