import { describe, expect, it } from 'vitest';
import { Emitter } from './events.js';

interface Events {
  ping: { n: number };
  pong: string;
}

describe('Emitter', () => {
  it('calls handlers in order with the payload', () => {
    const emitter = new Emitter<Events>();
    const seen: string[] = [];
    emitter.on('ping', ({ n }) => seen.push(`a${n}`));
    emitter.on('ping', ({ n }) => seen.push(`b${n}`));
    emitter.on('pong', (s) => seen.push(s));
    emitter.emit('ping', { n: 1 });
    emitter.emit('pong', 'x');
    expect(seen).toEqual(['a1', 'b1', 'x']);
  });

  it('keeps going when a handler throws, and reports the error', () => {
    const reported: unknown[] = [];
    const emitter = new Emitter<Events>((error) => reported.push(error));
    const seen: number[] = [];
    const boom = new Error('handler bug');
    emitter.on('ping', () => {
      throw boom;
    });
    emitter.on('ping', ({ n }) => seen.push(n));
    expect(() => emitter.emit('ping', { n: 7 })).not.toThrow();
    expect(seen).toEqual([7]);
    expect(reported).toEqual([boom]);
  });

  it('removes handlers with off, and ignores a second on of the same handler', () => {
    const emitter = new Emitter<Events>();
    let calls = 0;
    const handler = () => {
      calls += 1;
    };
    emitter.on('ping', handler);
    emitter.on('ping', handler);
    emitter.emit('ping', { n: 1 });
    emitter.off('ping', handler);
    emitter.emit('ping', { n: 2 });
    expect(calls).toBe(1);
  });

  it('does not call a handler added during the same emit', () => {
    const emitter = new Emitter<Events>();
    const seen: string[] = [];
    emitter.on('pong', () => {
      seen.push('first');
      emitter.on('pong', () => seen.push('late'));
    });
    emitter.emit('pong', '');
    expect(seen).toEqual(['first']);
  });
});
