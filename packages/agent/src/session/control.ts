/**
 * @module
 * Internal: the session's control mode as one agent sees it (ADR 0012), and this agent's
 * commands. The server broadcasts `control.state` on every change and after each welcome, with a
 * revision that only grows: a state older than one seen is stale and ignored. Each command gets
 * an id here and a promise that settles with its `control.result` (or, if none comes, as
 * `expired` after the customer's answer time and a margin).
 */
import type { Clock, TimerHandle } from '@sightline/client';
import {
  CONTROL_ACTION_APPROVAL_MS,
  ErrorCode,
  errorNameOf,
  type CommandOutcome,
  type CommandRefusal,
  type ControlMode,
  type ControlPending,
  type ControlResultRelay,
  type ControlSettings,
  type ControlState,
  type Participant,
} from '@sightline/protocol';

/** The control mode and who holds it, for `control_state` and `getControlState()`. */
export interface ControlInfo {
  revision: number;
  mode: ControlMode;
  /** The agent who acts in `controlled` and `full_control`; null otherwise. */
  controller: Participant | null;
  /** Whether this agent is the controller. */
  isController: boolean;
  /** `controlled`: until when (ms since the epoch, this agent's clock) every action is allowed. */
  grantUntil: number | null;
  /** A step up waiting for a manager or the customer. */
  pending: ControlPending | null;
  /** What the customer's page allows, once its SDK said. */
  settings: ControlSettings | null;
}

/** What became of a command, for `command_result` and the promise of `command()`. */
export interface CommandResult {
  commandId: string;
  tabId: string;
  /** The agent whose command it was. */
  agent: Participant;
  /** Whether it was this agent's command. */
  mine: boolean;
  outcome: CommandOutcome;
  refusal?: CommandRefusal;
  /** The catalogue code, when it was not done. */
  code?: number;
  /** Why it was not done, in words for the agent. */
  reason?: string;
}

/** What the page's refusals mean, in words for the agent's console. */
export const REFUSAL_WORDS: Readonly<Record<CommandRefusal, string>> = {
  masked: 'That element is masked on the customer’s page.',
  blocked: 'That element is hidden from agents on the customer’s page.',
  gone: 'That element is no longer on the customer’s page.',
  denied_selector: 'The customer’s page does not let agents act on that element.',
  not_allowed: 'The customer’s page does not allow that action.',
  not_actionable: 'That element cannot do that (wrong kind of element, or disabled).',
  off_origin: 'That address is not on the customer’s site.',
};

/** The catalogue code for each outcome that is not `done`, when the frame carries none. */
const CODE_OF_OUTCOME: Readonly<Record<Exclude<CommandOutcome, 'done'>, number>> = {
  refused: ErrorCode.CONTROL_TARGET_REFUSED.code,
  declined: ErrorCode.CONTROL_ACTION_DECLINED.code,
  expired: ErrorCode.CONTROL_TIMEOUT.code,
};

/** How long after the customer's answer time a command without a result counts as expired. */
const RESULT_MARGIN_MS = 15_000;

/**
 * Why a command was not done, in words: the page's refusal when it gave one, else the
 * catalogue's words for the code (the server's own words when it sent some).
 */
export function reasonOf(
  result: Pick<ControlResultRelay, 'outcome' | 'refusal' | 'code' | 'message'>,
): { code: number; reason: string } | undefined {
  if (result.outcome === 'done') return undefined;
  const code = result.code ?? CODE_OF_OUTCOME[result.outcome];
  const name = errorNameOf(code);
  const catalogued = name ? ErrorCode[name].message : undefined;
  const reason = result.refusal
    ? REFUSAL_WORDS[result.refusal]
    : (result.message ?? catalogued ?? 'The action was not done.');
  return { code, reason };
}

/** Whether `code` is one of the control and annotation refusals (3018–3025), which end nothing. */
export function isControlErrorCode(code: number): boolean {
  return code >= 3018 && code <= 3025;
}

/** What the desk reports. */
export interface ControlDeskEvents {
  state(info: ControlInfo): void;
  result(result: CommandResult): void;
}

interface PendingCommand {
  tabId: string;
  resolve(result: CommandResult): void;
  timer: TimerHandle;
}

/** Follows the control state and this agent's commands. */
export class ControlDesk {
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #events: ControlDeskEvents;
  readonly #pending = new Map<string, PendingCommand>();
  #info: ControlInfo | undefined;
  #counter = 0;
  /** Makes this agent's ids unlikely to meet another agent's. */
  readonly #prefix: string;

  constructor(clock: Clock, random: () => number, events: ControlDeskEvents) {
    this.#clock = clock;
    this.#random = random;
    this.#events = events;
    this.#prefix = Math.floor(random() * 36 ** 6)
      .toString(36)
      .padStart(6, '0');
  }

  /** The state last seen, if any. */
  get info(): ControlInfo | undefined {
    return this.#info;
  }

  /**
   * Takes a `control.state`. Ignored (returns false) when its revision is older than one seen,
   * or the same one again with nothing new for this agent.
   */
  update(message: ControlState, self: Participant | undefined): boolean {
    const seen = this.#info;
    if (seen && message.revision < seen.revision) return false;
    const isController =
      self !== undefined &&
      message.controller !== null &&
      message.controller.userId === self.userId &&
      message.controller.role === self.role;
    if (seen && message.revision === seen.revision && seen.isController === isController) {
      return false;
    }
    this.#info = {
      revision: message.revision,
      mode: message.mode,
      controller: message.controller,
      isController,
      grantUntil:
        message.grantUntil === null
          ? null
          : message.grantUntil - message.serverTime + this.#clock.now(),
      pending: message.pending,
      settings: message.settings,
    };
    this.#events.state(this.#info);
    return true;
  }

  /** A fresh command id. */
  nextCommandId(): string {
    this.#counter += 1;
    const salt = Math.floor(this.#random() * 36 ** 4).toString(36);
    return `c${this.#prefix}-${this.#counter.toString(36)}-${salt}`;
  }

  /** Waits for the result of this agent's command `commandId`. */
  track(commandId: string, tabId: string, self: Participant): Promise<CommandResult> {
    return new Promise((resolve) => {
      const timer = this.#clock.setTimeout(() => {
        this.#settle(
          {
            type: 'control.result',
            commandId,
            tabId,
            agent: self,
            outcome: 'expired',
          },
          true,
        );
      }, CONTROL_ACTION_APPROVAL_MS + RESULT_MARGIN_MS);
      this.#pending.set(commandId, { tabId, resolve, timer });
    });
  }

  /** Takes a relayed `control.result`: reported, and settles this agent's command. */
  result(message: ControlResultRelay): void {
    this.#settle(message, this.#pending.has(message.commandId));
  }

  /** Settles every waiting command as `expired` (the session is over). */
  dispose(self: Participant | undefined): void {
    for (const [commandId, pending] of [...this.#pending]) {
      this.#settle(
        {
          type: 'control.result',
          commandId,
          tabId: pending.tabId,
          agent: self ?? { userId: '', userName: '', role: 'agent' },
          outcome: 'expired',
        },
        true,
      );
    }
  }

  #settle(message: ControlResultRelay, mine: boolean): void {
    const explained = reasonOf(message);
    const result: CommandResult = {
      commandId: message.commandId,
      tabId: message.tabId,
      agent: message.agent,
      mine,
      outcome: message.outcome,
      ...(message.refusal ? { refusal: message.refusal } : {}),
      ...(explained ?? {}),
    };
    const pending = this.#pending.get(message.commandId);
    if (pending) {
      this.#pending.delete(message.commandId);
      this.#clock.clearTimeout(pending.timer);
      pending.resolve(result);
    }
    this.#events.result(result);
  }
}
