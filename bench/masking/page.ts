/**
 * @module
 * The in-page half of the masking bench, bundled by `masking.bench.ts` and run in Chromium: the
 * SDK's real {@link Recorder} (rrweb, the masking options, the event policy and PII detection in
 * its emit path) on the bench page, with detection switched on or off between measurements.
 * Exposes `window.maskingBench`.
 */
import { EventType, IncrementalSource, type eventWithTime } from '@rrweb/types';
import { Recorder } from '../../packages/sdk/src/capture/recorder.js';
import { scrubEvent } from '../../packages/sdk/src/capture/scrub.js';
import { resolveSettings } from '../../packages/sdk/src/options.js';
import { compileMaskPolicy } from '../../packages/sdk/src/privacy/masking.js';
import {
  ALL_DETECTORS_ON,
  DETECTOR_NAMES,
  type PiiDetection,
} from '../../packages/sdk/src/privacy/pii/redact.js';

const OFF = Object.fromEntries(DETECTOR_NAMES.map((name) => [name, false])) as PiiDetection;

let detection: PiiDetection = OFF;
let waiting: ((event: eventWithTime) => void) | undefined;
let lastSnapshot: eventWithTime | undefined;
let lastMutation: eventWithTime | undefined;
let round = 0;

// 'custom_input' with no selectors: nothing is masked by element, so every text is scanned.
const settings = resolveSettings(
  { serverUrl: 'https://bench.invalid', piiMask: { maskType: 'custom_input' } },
  {},
);
const recorder = new Recorder({
  policy: compileMaskPolicy(settings),
  emit: (event) => {
    if (event.type === EventType.FullSnapshot) lastSnapshot = event;
    if (
      event.type === EventType.IncrementalSnapshot &&
      event.data.source === IncrementalSource.Mutation
    ) {
      lastMutation = event;
    }
    waiting?.(event);
  },
  onError: (error) => console.error(error),
  piiDetection: () => detection,
});

function isMutation(event: eventWithTime): boolean {
  return (
    event.type === EventType.IncrementalSnapshot && event.data.source === IncrementalSource.Mutation
  );
}

/** The burst: 1,000 text edits, 500 attribute edits, 200 rows added (the last burst's removed). */
function mutate(): void {
  round += 1;
  const cells = document.querySelectorAll<HTMLTableCellElement>('td.note');
  for (let i = 0; i < 1000 && i < cells.length; i += 1) {
    const cell = cells[i] as HTMLTableCellElement;
    (cell.firstChild as Text).data =
      i % 10 === 0
        ? `Round ${round}: call +44 20 7946 ${String(1000 + (i % 9000)).padStart(4, '0')} about it`
        : `Round ${round}: shipped ${i} items on 2024-11-22, total $${i}.50`;
  }
  const names = document.querySelectorAll<HTMLTableCellElement>('td.name');
  for (let i = 0; i < 500 && i < names.length; i += 1) {
    (names[i] as HTMLElement).title =
      i % 10 === 0 ? `mail r${round}.c${i}@example.com` : `Customer ${i}`;
  }
  document.querySelectorAll('tr.added').forEach((row) => row.remove());
  const body = document.querySelector('tbody') as HTMLTableSectionElement;
  for (let i = 0; i < 200; i += 1) {
    const row = document.createElement('tr');
    row.className = 'added';
    row.innerHTML =
      i % 10 === 0
        ? `<td>Added ${i}</td><td>card 4111 1111 1111 1111</td><td>SSN 536-22-1234</td>`
        : `<td>Added ${i}</td><td>Order #A-${100000 + i}</td><td>2024-11-22</td>`;
    body.appendChild(row);
  }
}

/** What the bench driver calls, each returning milliseconds. */
const bench = {
  /** Starts recording (the first full snapshot is not measured). */
  start(): void {
    recorder.snapshot();
  },
  /** One full snapshot (a checkout), synchronous in rrweb, with detection on or off. */
  snapshot(on: boolean): number {
    detection = on ? ALL_DETECTORS_ON : OFF;
    lastSnapshot = undefined;
    const started = performance.now();
    recorder.snapshot();
    const took = performance.now() - started;
    if (!lastSnapshot) throw new Error('rrweb did not take the snapshot synchronously');
    return took;
  },
  /** One burst of mutations, from the first DOM change to rrweb's mutation event being emitted. */
  async burst(on: boolean): Promise<number> {
    detection = on ? ALL_DETECTORS_ON : OFF;
    const emitted = new Promise<void>((resolve) => {
      waiting = (event) => {
        if (isMutation(event)) resolve();
      };
    });
    const started = performance.now();
    mutate();
    await emitted;
    waiting = undefined;
    return performance.now() - started;
  },
  /** PII detection alone on the last captured snapshot and mutation events (taken unscrubbed). */
  scrubOnly(): { snapshot: number; mutation: number } {
    if (!lastSnapshot || !lastMutation) throw new Error('measure with detection off first');
    const time = (event: eventWithTime) => {
      const started = performance.now();
      scrubEvent(event, ALL_DETECTORS_ON);
      return performance.now() - started;
    };
    return { snapshot: time(lastSnapshot), mutation: time(lastMutation) };
  },
  /** Whether detection masked the planted values in the last snapshot (a sanity check). */
  check(): { plantedInRaw: boolean; plantedInScrubbed: boolean } {
    if (!lastSnapshot) throw new Error('no snapshot yet');
    const raw = JSON.stringify(lastSnapshot);
    const scrubbed = JSON.stringify(scrubEvent(lastSnapshot, ALL_DETECTORS_ON));
    const planted = /4111 1111 1111 1111|jane\.doe\d+@example\.com/;
    return { plantedInRaw: planted.test(raw), plantedInScrubbed: planted.test(scrubbed) };
  },
  stop(): void {
    recorder.stop();
  },
};

(window as unknown as { maskingBench: typeof bench }).maskingBench = bench;
