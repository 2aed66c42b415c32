/**
 * @module
 * The Lua scripts behind the Redis bus's read-modify-write operations, each atomic in Redis, and
 * their registration on an ioredis connection (`defineCommand`, so each runs by EVALSHA).
 *
 * The rules are the memory bus's (`../memory/checkout.ts`, `../memory/index.ts`), to the letter:
 * a seq at or below the tab's last is a duplicate and changes nothing; a full batch replaces the
 * checkout; past the byte bound the checkout is emptied and stays empty (`stale`) until the next
 * full batch. Every write refreshes the TTL of the keys it touched, so an abandoned session's data
 * expires on its own.
 *
 * Keys of one session share the hash tag `{sessionId}` (see `./keys.ts`).
 */
import type { Redis } from 'ioredis';

/**
 * Appends a batch to its tab's checkout.
 * KEYS: seqs (hash tab → last seq), order (list of tabs, first seen first), meta (the tab's
 * hash: fullBytes, tailBytes, tailCount, stale), frames (the tab's list: the full batch, if any,
 * then the tail), received (the session's latest receivedAt). ARGV: tabId, seq, full (1/0), frame
 * bytes, encoded batch, max bytes, ttl ms, receivedAt.
 * Returns {1, tailBytes, tailCount, stale} when appended, {0, lastSeq} for a duplicate.
 */
const APPEND = `
local tab, seq, ttl = ARGV[1], tonumber(ARGV[2]), ARGV[7]
local last = redis.call('HGET', KEYS[1], tab)
if not last then
  redis.call('HSET', KEYS[1], tab, 0)
  redis.call('RPUSH', KEYS[2], tab)
  last = 0
else
  last = tonumber(last)
end
local result
if seq <= last then
  result = {0, last}
else
  redis.call('HSET', KEYS[1], tab, ARGV[2])
  local m = redis.call('HMGET', KEYS[3], 'fullBytes', 'tailBytes', 'tailCount', 'stale')
  local fullBytes, tailBytes = tonumber(m[1] or 0), tonumber(m[2] or 0)
  local tailCount, stale = tonumber(m[3] or 0), tonumber(m[4] or 0)
  local bytes = tonumber(ARGV[4])
  if ARGV[3] == '1' then
    redis.call('DEL', KEYS[4])
    redis.call('RPUSH', KEYS[4], ARGV[5])
    fullBytes, tailBytes, tailCount, stale = bytes, 0, 0, 0
  elseif stale == 0 then
    redis.call('RPUSH', KEYS[4], ARGV[5])
    tailBytes, tailCount = tailBytes + bytes, tailCount + 1
  end
  if fullBytes + tailBytes > tonumber(ARGV[6]) then
    redis.call('DEL', KEYS[4])
    fullBytes, tailBytes, tailCount, stale = 0, 0, 0, 1
  end
  redis.call('HSET', KEYS[3], 'fullBytes', fullBytes, 'tailBytes', tailBytes,
    'tailCount', tailCount, 'stale', stale)
  if tonumber(ARGV[8]) > tonumber(redis.call('GET', KEYS[5]) or 0) then
    redis.call('SET', KEYS[5], ARGV[8])
  end
  result = {1, tailBytes, tailCount, stale}
end
for i = 1, 5 do redis.call('PEXPIRE', KEYS[i], ttl) end
return result
`;

/**
 * A tab's checkout, read atomically. KEYS: seqs, frames. ARGV: tabId.
 * Returns {lastSeq, {encoded batches}}.
 */
const READ_CHECKOUT = `
return {tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or 0), redis.call('LRANGE', KEYS[2], 0, -1)}
`;

/**
 * Forgets a session. KEYS: seqs, order, tabs, tab order, presence, received. ARGV: the prefix of the
 * session's per-tab keys (`keys.ts`: prefix .. 'co:' / 'fr:' .. tabId).
 */
const DROP = `
for _, tab in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  redis.call('DEL', ARGV[1] .. 'co:' .. tab, ARGV[1] .. 'fr:' .. tab)
end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6])
`;

/** The tab list as {revision, tabId, record, tabId, record, …}; KEYS: tabs, tab order. */
const TAB_LIST = `
local function list()
  local out = {tonumber(redis.call('HGET', KEYS[1], 'rev') or 0)}
  for _, tab in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
    out[#out + 1] = tab
    out[#out + 1] = redis.call('HGET', KEYS[1], 't:' .. tab)
  end
  return out
end
`;

/**
 * Sets a tab's state. KEYS: tabs (hash: rev, and 't:' .. tabId → 'state|openedAt|since'), tab
 * order (list). ARGV: tabId, state, at, ttl ms. Returns the list after the update.
 */
const UPDATE_TAB = `${TAB_LIST}
local field = 't:' .. ARGV[1]
local known = redis.call('HGET', KEYS[1], field)
local state, openedAt
if known then state, openedAt = string.match(known, '^([^|]*)|([^|]*)|') end
if state ~= ARGV[2] then
  if not known then redis.call('RPUSH', KEYS[2], ARGV[1]) end
  redis.call('HSET', KEYS[1], field, ARGV[2] .. '|' .. (openedAt or ARGV[3]) .. '|' .. ARGV[3])
  redis.call('HINCRBY', KEYS[1], 'rev', 1)
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return list()
`;

/** The session's tabs. KEYS: tabs, tab order. */
const READ_TABS = `${TAB_LIST}
return list()
`;

/** Redis's own time in ms: every node judges heartbeats on one clock, whatever theirs say. */
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * A node's heartbeat. KEYS: nodes (sorted set: node id scored by when its heartbeat lapses).
 * ARGV: nodeId, ttl ms. Nodes dead for a day are pruned.
 */
const HEARTBEAT = `${NOW}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 86400000)
return now
`;

/** The ids of the nodes whose heartbeat has not lapsed. KEYS: nodes. */
const LIVE_NODES = `${NOW}
return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
`;

/**
 * A session's presence entries whose node is alive. KEYS: presence (hash: socketId →
 * nodeId .. '\\n' .. entry JSON), nodes. Returns the values kept.
 */
const LIST_PRESENCE = `${NOW}
local out = {}
local values = redis.call('HVALS', KEYS[1])
for _, value in ipairs(values) do
  local node = string.match(value, '^([^\\n]*)\\n')
  local lapses = node and redis.call('ZSCORE', KEYS[2], node)
  if lapses and tonumber(lapses) > now then out[#out + 1] = value end
end
return out
`;

/**
 * Counts failures under a key in a sliding window (`./failures.ts`).
 * KEYS: the key's sorted set (member → failure time). ARGV: now, window ms, keep (0: only read),
 * a unique member. Drops what left the window; records; keeps the `keep` most recent; returns
 * {member, time, …} oldest first.
 */
const FAILURES = `
local now, window, keep = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if keep > 0 then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  local n = redis.call('ZCARD', KEYS[1])
  if n > keep then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - keep - 1) end
  redis.call('PEXPIRE', KEYS[1], window)
end
return redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
`;

type Arg = string | number | Buffer;

/** A connection with the bus's scripts defined. */
export interface ScriptedRedis extends Redis {
  slAppend(...args: Arg[]): Promise<number[]>;
  slReadCheckoutBuffer(...args: Arg[]): Promise<[number, Buffer[]]>;
  slDrop(...args: Arg[]): Promise<null>;
  slUpdateTab(...args: Arg[]): Promise<(string | number)[]>;
  slReadTabs(...args: Arg[]): Promise<(string | number)[]>;
  slHeartbeat(...args: Arg[]): Promise<number>;
  slLiveNodes(...args: Arg[]): Promise<string[]>;
  slListPresence(...args: Arg[]): Promise<string[]>;
  slFailures(...args: Arg[]): Promise<string[]>;
}

/** Defines the scripts on `redis` (by name and key count) and returns it, typed. */
export function defineScripts(redis: Redis): ScriptedRedis {
  const scripts: [string, number, string][] = [
    ['slAppend', 5, APPEND],
    ['slReadCheckout', 2, READ_CHECKOUT],
    ['slDrop', 6, DROP],
    ['slUpdateTab', 2, UPDATE_TAB],
    ['slReadTabs', 2, READ_TABS],
    ['slHeartbeat', 1, HEARTBEAT],
    ['slLiveNodes', 1, LIVE_NODES],
    ['slListPresence', 2, LIST_PRESENCE],
    ['slFailures', 1, FAILURES],
  ];
  for (const [name, numberOfKeys, lua] of scripts) redis.defineCommand(name, { numberOfKeys, lua });
  return redis as ScriptedRedis;
}
