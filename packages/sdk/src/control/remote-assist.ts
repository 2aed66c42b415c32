/**
 * @module
 * The control pipeline (ADR 0012): every `control.command` the server relays goes through
 * {@link RemoteAssist.receive}, the one way in, and through its four stages in this order:
 *
 * 1. validate (`validate.ts`): the frame parses, it is for this tab, and the page's settings
 *    (`remoteAssist.enable`, `remoteAssistTypes`, same-origin navigation) allow the action;
 * 2. resolve (`resolve.ts`): the element exists and is neither blocked, masked nor deny-listed,
 *    and is the kind the action needs;
 * 3. consent (`consent.ts`): the mode, the controller, the customer's window, or the customer's
 *    answer to this one action;
 * 4. execute (`execute.ts`).
 *
 * The page may change while the customer decides, so after consent the target is resolved again
 * with the same rules, and must be the same element. Commands run one at a time, in arrival order;
 * a few may wait (one question is asked at a time). Every command this tab may answer gets one
 * `control.result`: `done`, `refused` with the reason, `declined` or `expired`. The server audits
 * each, without values.
 */
import type { Clock } from '@sightline/client';
import type {
  CommandId,
  CommandOutcome,
  CommandRefusal,
  ControlGrant,
  ControlResult,
} from '@sightline/protocol';
import type { MaskPolicy } from '../privacy/masking.js';
import { ConsentGate, type ApprovalPrompt } from './consent.js';
import type { ControlTracker } from './control-state.js';
import { execute } from './execute.js';
import { resolveTarget, targetRefusal, type ResolveContext } from './resolve.js';
import { validateCommand, type ValidationContext } from './validate.js';

/** Commands that may wait for their turn; one more is answered `expired` at once. */
export const MAX_WAITING_COMMANDS = 16;

/** What the pipeline reads and whom it tells. */
export interface RemoteAssistOptions {
  /** This tab's id. */
  readonly tabId: string;
  /** `remoteAssist` as resolved from the page's settings. */
  readonly settings: {
    readonly enable: boolean;
    readonly remoteAssistTypes: ValidationContext['types'];
    readonly denySelectors: readonly string[];
  };
  readonly document: Document;
  readonly clock: Clock;
  /** The mask policy now (server rules included), read for each command. */
  readonly policy: () => MaskPolicy;
  /** rrweb's node lookup (`record.mirror.getNode`), `null` while nothing is recorded. */
  readonly nodeOf: (id: number) => unknown;
  /** The session's control, fed with every `control.state`. */
  readonly control: ControlTracker;
  /** Asks the customer about one action (the SDK's approval prompt). */
  readonly prompt: ApprovalPrompt;
  /** Sends a frame to the server. */
  readonly send: (frame: ControlResult | ControlGrant) => void;
}

interface Waiting {
  readonly frame: unknown;
  readonly arrivedAt: number;
}

/** The control pipeline of one tab. */
export class RemoteAssist {
  readonly #options: RemoteAssistOptions;
  readonly #consent: ConsentGate;
  #waiting: Waiting[] = [];
  #running = false;
  #disposed = false;

  constructor(options: RemoteAssistOptions) {
    this.#options = options;
    const { control } = options;
    this.#consent = new ConsentGate({
      clock: options.clock,
      view: () => control.view,
      grantOpen: () => control.grantUntil() !== undefined,
      prompt: options.prompt,
      grant: (durationMs) => {
        control.grant(durationMs);
        options.send({ type: 'control.grant', durationMs });
      },
    });
  }

  /** Takes a `control.command` frame, as received: it is validated here, whatever its source. */
  receive(frame: unknown): void {
    if (this.#disposed) return;
    if (this.#waiting.length >= MAX_WAITING_COMMANDS) {
      const checked = validateCommand(frame, this.#validation());
      if ('command' in checked) this.#report(checked.command.commandId, 'expired');
      return;
    }
    this.#waiting.push({ frame, arrivedAt: this.#options.clock.now() });
    void this.#drain();
  }

  /** The control changed (a `control.state`): an open question may be over. */
  controlChanged(): void {
    this.#consent.controlChanged();
  }

  /** Stops: waiting commands are dropped unanswered, an open question closes. */
  dispose(): void {
    this.#disposed = true;
    this.#waiting = [];
    this.#consent.dispose();
  }

  async #drain(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      for (
        let next = this.#waiting.shift();
        next && !this.#disposed;
        next = this.#waiting.shift()
      ) {
        await this.#run(next);
      }
    } finally {
      this.#running = false;
    }
  }

  /** The four stages, in order, for one command. */
  async #run({ frame, arrivedAt }: Waiting): Promise<void> {
    const checked = validateCommand(frame, this.#validation());
    if ('drop' in checked) return;
    if ('refusal' in checked) return this.#report(checked.commandId, 'refused', checked.refusal);
    const { commandId, action, agent } = checked.command;
    const first = resolveTarget(action, this.#resolution());
    if ('refusal' in first) return this.#report(commandId, 'refused', first.refusal);
    const consent = await this.#consent.check(agent, action, first.target, arrivedAt);
    if (this.#disposed) return;
    if ('outcome' in consent) return this.#report(commandId, consent.outcome, consent.refusal);
    const second = resolveTarget(action, this.#resolution());
    if ('refusal' in second) return this.#report(commandId, 'refused', second.refusal);
    if (second.target.element !== first.target.element) {
      return this.#report(commandId, 'refused', 'gone');
    }
    let executed;
    try {
      executed = execute(action, second.target, {
        document: this.#options.document,
        mayActivate: (element) => targetRefusal(element, this.#resolution()),
      });
    } catch {
      executed = { refusal: 'not_actionable' as const };
    }
    if ('refusal' in executed) return this.#report(commandId, 'refused', executed.refusal);
    this.#report(commandId, 'done');
    executed.after?.();
  }

  #validation(): ValidationContext {
    const { tabId, settings, document } = this.#options;
    return {
      tabId,
      enabled: settings.enable,
      types: settings.remoteAssistTypes,
      origin: document.defaultView?.location.origin ?? '',
    };
  }

  #resolution(): ResolveContext {
    const { nodeOf, policy, settings, document } = this.#options;
    return { nodeOf, policy: policy(), denySelectors: settings.denySelectors, document };
  }

  #report(commandId: CommandId, outcome: CommandOutcome, refusal?: CommandRefusal): void {
    if (this.#disposed) return;
    this.#options.send({
      type: 'control.result',
      commandId,
      tabId: this.#options.tabId,
      outcome,
      ...(refusal ? { refusal } : {}),
    });
  }
}
