import { describe, expect, it } from 'vitest';
import { Emitter } from './emitter.js';

interface Events {
  ping: { n: number };
  other: { s: string };
  pong: string;
}

describe('Emitter', () => {
  it('calls handlers in order with the payload; off removes one', () => {
    const emitter = new Emitter<Events>();
    const calls: string[] = [];
    const first = ({ n }: { n: number }) => calls.push(`first ${n}`);
    emitter.on('ping', first);
    emitter.on('ping', ({ n }) => calls.push(`second ${n}`));
    emitter.on('other', ({ s }) => calls.push(s));
    emitter.on('pong', (s) => calls.push(s));
    emitter.emit('ping', { n: 1 });
    emitter.emit('pong', 'x');
    emitter.off('ping', first);
    emitter.emit('ping', { n: 2 });
    expect(calls).toEqual(['first 1', 'second 1', 'x', 'second 2']);
  });

  it('a throwing handler does not stop the others or the caller; its error is reported', () => {
    const reported: unknown[] = [];
    const emitter = new Emitter<Events>((error) => reported.push(error));
    const calls: number[] = [];
    const boom = new Error('integrator bug');
    emitter.on('ping', () => {
      throw boom;
    });
    emitter.on('ping', ({ n }) => calls.push(n));
    expect(() => emitter.emit('ping', { n: 3 })).not.toThrow();
    expect(calls).toEqual([3]);
    expect(reported).toEqual([boom]);
  });

  it('ignores a second on of the same handler', () => {
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

  it('a handler may remove itself while the event is being emitted', () => {
    const emitter = new Emitter<Events>();
    const calls: number[] = [];
    const once = ({ n }: { n: number }) => {
      calls.push(n);
      emitter.off('ping', once);
    };
    emitter.on('ping', once);
    emitter.emit('ping', { n: 1 });
    emitter.emit('ping', { n: 2 });
    expect(calls).toEqual([1]);
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
