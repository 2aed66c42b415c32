/**
 * @module
 * `@sightline/protocol`: the one place the wire is defined. Message schemas (zod), the error
 * catalogue, close codes, limits and the protocol version. No DOM, no Node APIs.
 */
export * from './auth.js';
export * from './binary.js';
export * from './close-codes.js';
export * from './errors.js';
export * from './http.js';
export * from './limits.js';
export * from './mask-rules.js';
export * from './messages/index.js';
export * from './parse.js';
export * from './version.js';
