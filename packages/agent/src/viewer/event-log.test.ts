import { EventType, type eventWithTime } from '@rrweb/types';
import { describe, expect, it } from 'vitest';
import { pruneBeforeLastFullSnapshot, replayerEventLog } from './event-log.js';

const at = (type: EventType, timestamp: number) => ({ type, timestamp, data: {} }) as eventWithTime;

describe('pruneBeforeLastFullSnapshot', () => {
  it('keeps the last full snapshot, its Meta and everything after', () => {
    const events = [
      at(EventType.Meta, 1),
      at(EventType.FullSnapshot, 2),
      at(EventType.IncrementalSnapshot, 3),
      at(EventType.Meta, 4),
      at(EventType.FullSnapshot, 5),
      at(EventType.IncrementalSnapshot, 6),
    ];
    const log = events;
    expect(pruneBeforeLastFullSnapshot(log)).toBe(3);
    expect(log).toBe(events);
    expect(log.map((e) => e.timestamp)).toEqual([4, 5, 6]);
  });

  it('keeps a full snapshot that has no Meta before it', () => {
    const events = [at(EventType.IncrementalSnapshot, 1), at(EventType.FullSnapshot, 2)];
    expect(pruneBeforeLastFullSnapshot(events)).toBe(1);
    expect(events.map((e) => e.timestamp)).toEqual([2]);
  });

  it('leaves a log without a newer full snapshot alone', () => {
    const only = [at(EventType.Meta, 1), at(EventType.FullSnapshot, 2), at(EventType.Custom, 3)];
    expect(pruneBeforeLastFullSnapshot(only)).toBe(0);
    expect(only).toHaveLength(3);
    const none = [at(EventType.IncrementalSnapshot, 1)];
    expect(pruneBeforeLastFullSnapshot(none)).toBe(0);
    expect(pruneBeforeLastFullSnapshot([])).toBe(0);
  });
});

describe('replayerEventLog', () => {
  it("finds rrweb's live event array, and nothing in an unexpected shape", () => {
    const events: eventWithTime[] = [];
    expect(replayerEventLog({ service: { state: { context: { events } } } })).toBe(events);
    expect(replayerEventLog({ service: { state: {} } })).toBeUndefined();
    expect(replayerEventLog({})).toBeUndefined();
  });
});
