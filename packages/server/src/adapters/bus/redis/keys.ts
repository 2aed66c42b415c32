/**
 * @module
 * Where the Redis bus keeps things. Every key of a session carries the hash tag `{sessionId}`, so
 * a session's keys hash to one slot and its scripts touch one shard; the nodes' heartbeats are one
 * sorted set of the deployment.
 */

/** The names of one session's keys and channel under `prefix`. */
export class SessionKeys {
  /** Prefix of the per-tab keys: `co:<tabId>` (checkout figures), `fr:<tabId>` (its batches). */
  readonly base: string;
  /** Hash: tab id → highest seq accepted. */
  readonly seqs: string;
  /** List: the tabs with a checkout, first seen first. */
  readonly order: string;
  /** Hash: `rev`, and `t:<tabId>` → `state|openedAt|since`. */
  readonly tabs: string;
  /** List: the recorded tabs, first recorded first. */
  readonly tabOrder: string;
  /** Hash: socket id → `nodeId\n<entry JSON>`. */
  readonly presence: string;
  /** String: the latest `receivedAt` of an appended batch. */
  readonly received: string;
  /** The session's pub/sub channel. */
  readonly channel: string;

  constructor(prefix: string, sessionId: string) {
    this.base = `${prefix}{${sessionId}}:`;
    this.seqs = `${this.base}seqs`;
    this.order = `${this.base}order`;
    this.tabs = `${this.base}tabs`;
    this.tabOrder = `${this.base}tab-order`;
    this.presence = `${this.base}presence`;
    this.received = `${this.base}received`;
    this.channel = `${prefix}bus:{${sessionId}}`;
  }

  /** The tab's checkout figures (hash: fullBytes, tailBytes, tailCount, stale). */
  meta(tabId: string): string {
    return `${this.base}co:${tabId}`;
  }

  /** The tab's batches (list: the full batch, if any, then the tail). */
  frames(tabId: string): string {
    return `${this.base}fr:${tabId}`;
  }
}

/** The sorted set of node heartbeats under `prefix`: node id scored by when its beat lapses. */
export function nodesKey(prefix: string): string {
  return `${prefix}nodes`;
}
