/**
 * @module
 * The rrweb recorder, started only when the server asks for a snapshot (`dom.snapshot_request`,
 * sent when an agent joins): until then nothing of the page is serialised, let alone sent. Every
 * privacy option comes from `privacy/masking.ts`, and every event passes `privacy/event-policy.ts`
 * before it is emitted.
 *
 * rrweb's recorder is one per page (module state), so at most one session records at a time.
 */
import { record } from '@rrweb/record';
import { EventType, type eventWithTime } from '@rrweb/types';
import { EventPolicy } from '../privacy/event-policy.js';
import { privacyRecordOptions, type MaskPolicy } from '../privacy/masking.js';
import { ALL_DETECTORS_ON, type PiiDetection } from '../privacy/pii/redact.js';
import { scrubEvent } from './scrub.js';
import { isGroup, maskAcrossElements, type RunNode } from './split-pii.js';

/** Construction options of a {@link Recorder}. */
export interface RecorderOptions {
  policy: MaskPolicy;
  /** Receives every rrweb event, already masked. */
  emit: (event: eventWithTime) => void;
  /** Errors from starting rrweb or from `emit`; recording carries on where it can. */
  onError: (error: unknown) => void;
  /**
   * The PII detectors that are on, read for each event (server rules may turn more on).
   * @default every detector on
   */
  piiDetection?: () => PiiDetection;
}

/** Starts, refreshes and stops rrweb's `record()`. */
export class Recorder {
  readonly #options: RecorderOptions;
  #stop: (() => void) | undefined;
  #eventPolicy: EventPolicy | undefined;
  /** Whether rrweb has emitted its first full snapshot; before that it cannot take another. */
  #snapshotted = false;

  constructor(options: RecorderOptions) {
    this.#options = options;
  }

  /** Whether rrweb is recording. */
  get recording(): boolean {
    return this.#stop !== undefined;
  }

  /**
   * Starts recording (rrweb emits Meta + FullSnapshot), or, if already recording, takes a fresh
   * full snapshot as a checkout. Node ids stay stable across checkouts, so agents' references to
   * elements remain valid.
   */
  snapshot(): void {
    if (this.#stop) {
      // Before the first snapshot (rrweb waits for `load`), the one on its way will do.
      if (!this.#snapshotted) return;
      try {
        record.takeFullSnapshot(true);
      } catch (error) {
        this.#options.onError(error);
      }
      return;
    }
    try {
      this.#eventPolicy = new EventPolicy(this.#options.policy, (id) => record.mirror.getNode(id));
      const stop = record({
        ...privacyRecordOptions(this.#options.policy, isValidSelector),
        emit: (event) => this.#emit(event),
      });
      if (stop) this.#stop = stop;
    } catch (error) {
      this.#options.onError(error);
    }
  }

  /** Stops recording and removes every listener and observer rrweb added. */
  stop(): void {
    const stop = this.#stop;
    this.#stop = undefined;
    this.#snapshotted = false;
    stop?.();
  }

  #emit(recorded: eventWithTime): void {
    if (recorded.type === EventType.FullSnapshot) this.#snapshotted = true;
    try {
      const event = this.#eventPolicy?.apply(recorded);
      if (!event) return;
      // PII detection (`scrub.ts`) is the last step, so no event reaches `emit` unscrubbed.
      const detection = this.#options.piiDetection?.() ?? ALL_DETECTORS_ON;
      const inContext = (id: number, text: string) => {
        if (!isGroup(text)) return text;
        const live = record.mirror.getNode(id);
        return live ? maskAcrossElements(text, live as RunNode, detection) : text;
      };
      this.#options.emit(scrubEvent(event, detection, inContext));
    } catch (error) {
      this.#options.onError(error);
    }
  }
}

/** Whether the browser accepts `selector` (a rejected block selector blocks the whole page). */
function isValidSelector(selector: string): boolean {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}
