/**
 * @module
 * The customer's view of sharing: one modal question at a time, in the order they came (an
 * agent asks to see the page, to extend the session, to step up in control, or to do one action
 * in `controlled`), and the banner naming who sees the page and who controls it, with the time
 * left near the session's end and the countdown of an "Allow for 2 minutes" window. Owns the
 * shadow host; `dispose()` removes everything it added.
 */
import type { Clock } from '@sightline/client';
import type { ConsentRequest, RemoteAssistType } from '@sightline/protocol';
import type { ApprovalPrompt, ControlView } from '../control/index.js';
import type { MaskPolicy } from '../privacy/masking.js';
import { showActionPrompt } from './action-prompt.js';
import { Banner, type BannerView } from './banner.js';
import {
  controlAbilities,
  controlPromptText,
  controlPromptTitle,
  extensionPromptText,
  extensionPromptTitle,
  promptText,
  promptTitle,
  showConsentPrompt,
} from './consent-prompt.js';
import { showDialog } from './dialog.js';
import { GrantCountdown } from './grant-countdown.js';
import { MaskedAreas } from './masked-areas.js';
import { PromptQueue } from './prompt-queue.js';
import { ShadowHost } from './shadow-host.js';
import { TimeLeft } from './time-left.js';

/** What the UI reports. */
export interface SharingUiEvents {
  /** The customer answered a consent request. */
  answer(request: ConsentRequest, decision: 'allow' | 'deny'): void;
  /** The customer pressed Stop on the banner: end the session. */
  stop(): void;
  /** The customer stepped control down (Stop control, Guide only). */
  stepDown(mode: 'view_only' | 'guided'): void;
  /** The customer closed the "Allow for 2 minutes" window. */
  withdrawGrant(): void;
  /** The customer pressed Draw (or Stop drawing). */
  toggleDrawing(): void;
}

/** The page's settings the words depend on. */
export interface SharingUiWording {
  /** Shown after agents' names in questions: "Jane Doe (Support)". */
  readonly agentLabel: string;
  /** Whether every input is masked, which decides what the view prompt may promise. */
  readonly allInputsMasked: boolean;
  /** `remoteAssistTypes`, for what a control prompt says agents could do. */
  readonly remoteAssistTypes: readonly RemoteAssistType[];
  /** `remoteAssist.requireStopConfirmation`: Stop control asks first. */
  readonly requireStopConfirmation: boolean;
}

let nextActionKey = 0;

/** The prompt queue and the banner. */
export class SharingUi {
  readonly #host: ShadowHost;
  readonly #banner: Banner;
  readonly #wording: SharingUiWording;
  readonly #events: SharingUiEvents;
  readonly #clock: Clock;
  readonly #timeLeft: TimeLeft;
  readonly #grantCountdown: GrantCountdown;
  readonly #prompts = new PromptQueue();
  #view: BannerView = {
    viewers: [],
    control: { mode: 'view_only', controller: undefined },
    grantLeft: undefined,
    timeLeft: undefined,
    drawing: { allowed: false, on: false },
  };
  #closeConfirmation: (() => void) | undefined;
  /** The "hidden from the agent" outlines, when the page turned them on. */
  #maskedAreas: MaskedAreas | undefined;

  /** @param clock - the SDK's clock, for the time left and the countdowns. */
  constructor(
    document: Document,
    wording: SharingUiWording,
    events: SharingUiEvents,
    clock: Clock,
  ) {
    this.#host = new ShadowHost(document);
    this.#banner = new Banner(this.#host, {
      end: () => events.stop(),
      stepDown: (mode) => this.#stepDown(mode),
      withdrawGrant: () => events.withdrawGrant(),
      toggleDrawing: () => events.toggleDrawing(),
    });
    this.#timeLeft = new TimeLeft(clock, (timeLeft) => this.#render({ timeLeft }));
    this.#grantCountdown = new GrantCountdown(clock, (grantLeft) => this.#render({ grantLeft }));
    this.#wording = wording;
    this.#events = events;
    this.#clock = clock;
  }

  /** Queues a consent request; a request already queued (a re-sent one) is not asked twice. */
  ask(request: ConsentRequest): void {
    this.#prompts.add({
      key: request.requestId,
      agentUserId: request.agent.userId,
      show: (done) =>
        showConsentPrompt(this.#host, {
          ...this.#consentWords(request),
          onAnswer: (decision) => {
            done();
            this.#events.answer(request, decision);
          },
        }),
    });
  }

  /** Asks the customer about one remote action (the control pipeline's {@link ApprovalPrompt}). */
  readonly askAction: ApprovalPrompt = (question, answer) => {
    const key = `action-${(nextActionKey += 1)}`;
    this.#prompts.add({
      key,
      agentUserId: question.agent.userId,
      show: (done) =>
        showActionPrompt(this.#host, question, this.#clock, (given) => {
          done();
          answer(given);
        }),
    });
    return () => this.#prompts.drop((prompt) => prompt.key === key);
  };

  /** Drops the agent's open requests (it left): its prompt closes unanswered. */
  cancel(agentUserId: string): void {
    this.#prompts.drop((prompt) => prompt.agentUserId === agentUserId);
  }

  /** Drops a request that is no longer open (answered in another tab, or expired). */
  settle(requestId: string): void {
    this.#prompts.drop((prompt) => prompt.key === requestId);
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
    this.#render({ viewers: [...names] });
    if (names.length > 0) this.#maskedAreas?.show();
    else this.#maskedAreas?.dispose();
  }

  /** The session's control now, and until when (SDK clock) actions need no approval. */
  showControl(view: ControlView, grantUntil: number | undefined): void {
    const control = { mode: view.mode, controller: view.controller?.userName };
    this.#render({ control });
    this.#grantCountdown.until(grantUntil);
    // A Stop confirmation about control that is already over is moot.
    if (view.mode === 'view_only') this.#closeConfirmation?.();
  }

  /** Whether the customer may draw, and is drawing. */
  showDrawing(allowed: boolean, on: boolean): void {
    this.#render({ drawing: { allowed, on } });
  }

  /** Removes the prompts, the banner and the host. */
  dispose(): void {
    this.#timeLeft.dispose();
    this.#grantCountdown.dispose();
    this.#prompts.dispose();
    this.#closeConfirmation?.();
    this.#banner.dispose();
    this.#maskedAreas?.dispose();
    this.#host.dispose();
  }

  #render(change: Partial<BannerView>): void {
    this.#view = { ...this.#view, ...change };
    this.#banner.render(this.#view);
  }

  #stepDown(mode: 'view_only' | 'guided'): void {
    if (mode === 'guided' || !this.#wording.requireStopConfirmation) {
      this.#events.stepDown(mode);
      return;
    }
    if (this.#closeConfirmation) return;
    const controller = this.#view.control.controller;
    const close = showDialog<'stop' | 'keep'>(this.#host, {
      title: controller
        ? `Stop ${controller}'s control of this page?`
        : 'Stop control of this page?',
      text: 'They will only be able to view the page. They can ask again, and you decide again.',
      buttons: [
        { answer: 'stop', label: 'Stop control', primary: true, testId: 'sightline-stop-confirm' },
        { answer: 'keep', label: 'Keep control', testId: 'sightline-stop-keep' },
      ],
      escape: 'keep',
      onAnswer: (answer) => {
        this.#closeConfirmation = undefined;
        if (answer === 'stop') this.#events.stepDown('view_only');
      },
      testId: 'sightline-stop-confirmation',
    });
    this.#closeConfirmation = () => {
      this.#closeConfirmation = undefined;
      close();
    };
  }

  #consentWords(request: ConsentRequest): { title: string; text: string } {
    const { agentLabel, allInputsMasked, remoteAssistTypes } = this.#wording;
    const name = request.agent.userName;
    switch (request.kind) {
      case 'view':
        return { title: promptTitle(name, agentLabel), text: promptText(allInputsMasked) };
      case 'extend':
        return {
          title: extensionPromptTitle(name, agentLabel, request.extensionMs ?? 0),
          text: extensionPromptText(),
        };
      case 'control': {
        const mode = request.mode ?? 'guided';
        const current = this.#view.control;
        // The same mode with another controller now: a handover.
        const from =
          current.mode === mode && current.controller && current.controller !== name
            ? current.controller
            : undefined;
        const abilities = controlAbilities(remoteAssistTypes);
        return {
          title: controlPromptTitle(name, agentLabel, mode, abilities, from),
          text: controlPromptText(mode),
        };
      }
    }
  }
}
