/**
 * @module
 * The customer's view of sharing: one consent prompt at a time (in the order the agents asked:
 * to see the page, or to extend the session) and the banner naming the agents who see the page,
 * with the time left near the session's end. Owns the shadow host; `dispose()` removes
 * everything it added.
 */
import type { Clock } from '@sightline/client';
import type { ConsentRequest } from '@sightline/protocol';
import { Banner } from './banner.js';
import {
  extensionPromptText,
  extensionPromptTitle,
  promptText,
  promptTitle,
  showConsentPrompt,
} from './consent-prompt.js';
import type { MaskPolicy } from '../privacy/masking.js';
import { MaskedAreas } from './masked-areas.js';
import { ShadowHost } from './shadow-host.js';
import { TimeLeft } from './time-left.js';

/** What the UI reports. */
export interface SharingUiEvents {
  /** The customer answered a consent request. */
  answer(request: ConsentRequest, decision: 'allow' | 'deny'): void;
  /** The customer pressed Stop on the banner. */
  stop(): void;
}

/** The prompt queue and the banner. */
export class SharingUi {
  readonly #host: ShadowHost;
  readonly #banner: Banner;
  readonly #wording: { agentLabel: string; allInputsMasked: boolean };
  readonly #events: SharingUiEvents;
  readonly #timeLeft: TimeLeft;
  #queue: ConsentRequest[] = [];
  #closePrompt: (() => void) | undefined;
  /** The "hidden from the agent" outlines, when the page turned them on. */
  #maskedAreas: MaskedAreas | undefined;

  /**
   * @param wording - the agent label for the prompt's title, and whether every input is masked,
   *   which decides what the prompt may promise.
   * @param clock - the SDK's clock, for the time left.
   */
  constructor(
    document: Document,
    wording: { agentLabel: string; allInputsMasked: boolean },
    events: SharingUiEvents,
    clock: Clock,
  ) {
    this.#host = new ShadowHost(document);
    this.#banner = new Banner(this.#host, () => events.stop());
    this.#timeLeft = new TimeLeft(clock, (text) => this.#banner.showTimeLeft(text));
    this.#wording = wording;
    this.#events = events;
  }

  /** Queues a consent request; a request already queued (a re-sent one) is not asked twice. */
  ask(request: ConsentRequest): void {
    if (this.#queue.some((queued) => queued.requestId === request.requestId)) return;
    this.#queue.push(request);
    if (this.#queue.length === 1) this.#showNext();
  }

  /** Drops the agent's open requests (it left): its prompt closes unanswered. */
  cancel(agentUserId: string): void {
    this.#drop((request) => request.agent.userId === agentUserId);
  }

  /** Drops a request that is no longer open (answered in another tab, or expired). */
  settle(requestId: string): void {
    this.#drop((request) => request.requestId === requestId);
  }

  /** The session now ends at `endsAt` (ms since the epoch, on the SDK's clock). */
  showDeadline(endsAt: number): void {
    this.#timeLeft.until(endsAt);
  }

  /**
   * Turns on the "hidden from the agent" outlines: shown while anyone sees the page.
   * @param policy - read at each redraw, so server rules show as soon as they apply.
   */
  outlineHiddenAreas(policy: () => MaskPolicy): void {
    this.#maskedAreas ??= new MaskedAreas(this.#host, policy);
  }

  /** The agents who see the page now. */
  showViewers(names: readonly string[]): void {
    this.#banner.show(names);
    if (names.length > 0) this.#maskedAreas?.show();
    else this.#maskedAreas?.dispose();
  }

  /** Removes the prompt, the banner and the host. */
  dispose(): void {
    this.#timeLeft.dispose();
    this.#queue = [];
    this.#closePrompt?.();
    this.#closePrompt = undefined;
    this.#banner.dispose();
    this.#maskedAreas?.dispose();
    this.#host.dispose();
  }

  #drop(matches: (request: ConsentRequest) => boolean): void {
    const showing = this.#queue[0];
    this.#queue = this.#queue.filter((request) => !matches(request));
    if (showing && matches(showing)) {
      this.#closePrompt?.();
      this.#closePrompt = undefined;
      this.#showNext();
    }
  }

  #showNext(): void {
    const request = this.#queue[0];
    if (!request) return;
    const { agentLabel, allInputsMasked } = this.#wording;
    const name = request.agent.userName;
    const extension = request.kind === 'extend' ? (request.extensionMs ?? 0) : undefined;
    this.#closePrompt = showConsentPrompt(this.#host, {
      title:
        extension === undefined
          ? promptTitle(name, agentLabel)
          : extensionPromptTitle(name, agentLabel, extension),
      text: extension === undefined ? promptText(allInputsMasked) : extensionPromptText(),
      onAnswer: (decision) => {
        this.#queue.shift();
        this.#closePrompt = undefined;
        this.#events.answer(request, decision);
        this.#showNext();
      },
    });
  }
}
