/**
 * @module
 * The customer's view of sharing: one consent prompt at a time (in the order the agents asked)
 * and the banner naming the agents who see the page. Owns the shadow host; `dispose()` removes
 * everything it added.
 */
import type { ConsentRequest } from '@sightline/protocol';
import { Banner } from './banner.js';
import { showConsentPrompt } from './consent-prompt.js';
import { ShadowHost } from './shadow-host.js';

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
  #queue: ConsentRequest[] = [];
  #closePrompt: (() => void) | undefined;

  /**
   * @param wording - the agent label for the prompt's title, and whether every input is masked,
   *   which decides what the prompt may promise.
   */
  constructor(
    document: Document,
    wording: { agentLabel: string; allInputsMasked: boolean },
    events: SharingUiEvents,
  ) {
    this.#host = new ShadowHost(document);
    this.#banner = new Banner(this.#host, () => events.stop());
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
    const showing = this.#queue[0];
    this.#queue = this.#queue.filter((request) => request.agent.userId !== agentUserId);
    if (showing && showing.agent.userId === agentUserId) {
      this.#closePrompt?.();
      this.#closePrompt = undefined;
      this.#showNext();
    }
  }

  /** The agents who see the page now. */
  showViewers(names: readonly string[]): void {
    this.#banner.show(names);
  }

  /** Removes the prompt, the banner and the host. */
  dispose(): void {
    this.#queue = [];
    this.#closePrompt?.();
    this.#closePrompt = undefined;
    this.#banner.dispose();
    this.#host.dispose();
  }

  #showNext(): void {
    const request = this.#queue[0];
    if (!request) return;
    this.#closePrompt = showConsentPrompt(this.#host, {
      agentName: request.agent.userName,
      ...this.#wording,
      onAnswer: (decision) => {
        this.#queue.shift();
        this.#closePrompt = undefined;
        this.#events.answer(request, decision);
        this.#showNext();
      },
    });
  }
}
