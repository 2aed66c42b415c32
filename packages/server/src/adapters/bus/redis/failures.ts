/**
 * @module
 * Failure windows on Redis: one sorted set per key (member → failure time), trimmed, recorded and
 * read by one script, so nodes counting the same guesser at once never lose a failure. Each key
 * expires a window after its last failure.
 */
import type { FailureWindows } from '../../../core/ports.js';
import type { ScriptedRedis } from './scripts.js';

/** One node's failure windows on Redis. */
export class RedisFailures implements FailureWindows {
  private counter = 0;

  constructor(
    private readonly redis: ScriptedRedis,
    private readonly prefix: string,
    private readonly nodeId: string,
    private readonly assertOpen: () => void,
  ) {}

  async read(key: string, now: number, windowMs: number): Promise<number[]> {
    this.assertOpen();
    return times(await this.redis.slFailures(this.keyOf(key), now, windowMs, 0, ''));
  }

  async record(key: string, now: number, windowMs: number, keep: number): Promise<number[]> {
    this.assertOpen();
    this.counter += 1;
    const member = `${now}:${this.nodeId}:${this.counter}`;
    return times(
      await this.redis.slFailures(this.keyOf(key), now, windowMs, Math.max(1, keep), member),
    );
  }

  private keyOf(key: string): string {
    return `${this.prefix}failures:${key}`;
  }
}

/** The times of a `{member, time, …}` reply, oldest first. */
function times(reply: string[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < reply.length; i += 2) out.push(Number(reply[i]));
  return out;
}
