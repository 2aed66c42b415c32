/**
 * @module
 * Stage 3 of the control pipeline: may this agent act now? Only the controller, only in
 * `controlled` or `full_control`. In `full_control` the answer is yes; in `controlled` it is yes
 * while the customer's grant window is open, and otherwise the customer is asked about this one
 * action (Allow, Allow for 2 minutes, Deny), for at most `CONTROL_ACTION_APPROVAL_MS` from the
 * command's arrival: no answer by then is `expired`. An open question is looked at again whenever
 * the control changes: Stop in the banner refuses it at once, a window granted in another tab
 * lets it run.
 */
import type { Clock } from '@sightline/client';
import {
  CONTROL_ACTION_APPROVAL_MS,
  isControlMode,
  type CommandOutcome,
  type CommandRefusal,
  type Participant,
  type RemoteAction,
} from '@sightline/protocol';
import type { ControlView } from './control-state.js';
import type { Target } from './resolve.js';

/** How long "Allow for 2 minutes" allows. */
export const ALLOW_WINDOW_MS = 2 * 60_000;

/** What the control now says about an action of `agent`. */
export type ConsentVerdict = 'run' | 'ask' | 'refuse';

/** Pure: the verdict for an action of the agent `agentUserId` under `view`. */
export function consentVerdict(
  view: ControlView,
  agentUserId: string,
  grantOpen: boolean,
): ConsentVerdict {
  if (!isControlMode(view.mode) || view.controller?.userId !== agentUserId) return 'refuse';
  if (view.mode === 'full_control' || grantOpen) return 'run';
  return 'ask';
}

/** The customer's answer to one action's prompt. */
export type ApprovalAnswer = 'allow' | 'allow_window' | 'deny';

/** One action the customer is asked about. */
export interface ApprovalQuestion {
  readonly agent: Participant;
  readonly action: RemoteAction;
  readonly target: Target;
  /** When the question expires, on the SDK's clock. */
  readonly expiresAt: number;
}

/**
 * Shows the customer one question; `answer` is called at most once. The returned function closes
 * the question unanswered (expired, or no longer needed).
 */
export type ApprovalPrompt = (
  question: ApprovalQuestion,
  answer: (answer: ApprovalAnswer) => void,
) => () => void;

/** What stage 3 decided: run it, or the outcome to report instead. */
export type Consent =
  | { readonly run: true }
  | { readonly outcome: Exclude<CommandOutcome, 'done'>; readonly refusal?: CommandRefusal };

const RUN: Consent = { run: true };
const NOT_ALLOWED: Consent = { outcome: 'refused', refusal: 'not_allowed' };

/** What the gate reads and whom it tells. */
export interface ConsentGateOptions {
  readonly clock: Clock;
  /** The control now. */
  readonly view: () => ControlView;
  /** Whether the customer's grant window is open now. */
  readonly grantOpen: () => boolean;
  readonly prompt: ApprovalPrompt;
  /** The customer chose "Allow for 2 minutes". */
  readonly grant: (durationMs: number) => void;
}

/** Stage 3, with at most one question open at a time (the pipeline runs one command at a time). */
export class ConsentGate {
  readonly #options: ConsentGateOptions;
  /** Looks at the open question again; set while one is open. */
  #recheck: (() => void) | undefined;
  /** Closes the open question without an outcome (the session is over). */
  #abandon: (() => void) | undefined;

  constructor(options: ConsentGateOptions) {
    this.#options = options;
  }

  /** Whether `agent` may do `action` on `target` now, asking the customer if the mode says so. */
  check(
    agent: Participant,
    action: RemoteAction,
    target: Target,
    arrivedAt: number,
  ): Promise<Consent> {
    const { clock, prompt } = this.#options;
    const verdict = () =>
      consentVerdict(this.#options.view(), agent.userId, this.#options.grantOpen());
    const first = verdict();
    if (first !== 'ask') return Promise.resolve(first === 'run' ? RUN : NOT_ALLOWED);
    const expiresAt = arrivedAt + CONTROL_ACTION_APPROVAL_MS;
    if (expiresAt <= clock.now()) return Promise.resolve({ outcome: 'expired' });
    return new Promise((resolve) => {
      let open = true;
      // Filled in once the prompt is up; the prompt may answer before it returns.
      const shown: { close?: () => void } = {};
      const finish = (consent: Consent | undefined) => {
        if (!open) return;
        open = false;
        this.#recheck = undefined;
        this.#abandon = undefined;
        clock.clearTimeout(timer);
        shown.close?.();
        if (consent) resolve(consent);
      };
      const timer = clock.setTimeout(() => finish({ outcome: 'expired' }), expiresAt - clock.now());
      this.#recheck = () => {
        const now = verdict();
        if (now !== 'ask') finish(now === 'run' ? RUN : NOT_ALLOWED);
      };
      this.#abandon = () => finish(undefined);
      const close = prompt({ agent, action, target, expiresAt }, (answer) => {
        if (!open) return;
        if (answer === 'deny') return finish({ outcome: 'declined' });
        if (answer === 'allow_window') this.#options.grant(ALLOW_WINDOW_MS);
        finish(RUN);
      });
      if (open) shown.close = close;
      else close();
    });
  }

  /** The control changed: an open question may now be refused, or need no answer. */
  controlChanged(): void {
    this.#recheck?.();
  }

  /** Closes an open question; its command is never answered (the session is over). */
  dispose(): void {
    this.#abandon?.();
  }
}
