/**
 * @module
 * One modal question at a time: consent requests and action approvals wait in arrival order, and
 * each is shown when the one before it is answered, closed or dropped.
 */

/** One question: how to show it, and whose it is. */
export interface QueuedPrompt {
  /** Identifies it (a consent request's id); a second one with the same key is not queued. */
  readonly key: string;
  /** The agent who asked, so the agent's questions go when the agent leaves. */
  readonly agentUserId: string;
  /** Shows it; `done` must be called once it is answered. Returns its disposer. */
  show(done: () => void): () => void;
}

/** The queue of modal questions. */
export class PromptQueue {
  #queue: QueuedPrompt[] = [];
  #close: (() => void) | undefined;

  /** Queues `prompt`, unless one with its key is queued already. */
  add(prompt: QueuedPrompt): void {
    if (this.#queue.some((queued) => queued.key === prompt.key)) return;
    this.#queue.push(prompt);
    if (this.#queue.length === 1) this.#showNext();
  }

  /** Drops the questions `matches` selects; the one showing closes unanswered. */
  drop(matches: (prompt: QueuedPrompt) => boolean): void {
    const showing = this.#queue[0];
    this.#queue = this.#queue.filter((prompt) => !matches(prompt));
    if (showing && matches(showing)) {
      const close = this.#close;
      this.#close = undefined;
      close?.();
      this.#showNext();
    }
  }

  /** Closes everything. */
  dispose(): void {
    this.#queue = [];
    const close = this.#close;
    this.#close = undefined;
    close?.();
  }

  #showNext(): void {
    const prompt = this.#queue[0];
    if (!prompt) return;
    let answered = false;
    const close = prompt.show(() => {
      if (answered || this.#queue[0] !== prompt) return;
      answered = true;
      this.#queue.shift();
      this.#close = undefined;
      this.#showNext();
    });
    if (!answered) this.#close = close;
  }
}
