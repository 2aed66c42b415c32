/**
 * @module
 * Internal: the server's check of every `control.command` before it reaches a page (ADR 0012,
 * "checked twice"). The command goes through only from the controller, in `controlled` or
 * `full_control`, for an action type the page's `remoteAssist.types` allow, to a tab that is
 * open; it is relayed to that tab's socket alone, on whichever node holds it. Anything else is
 * dropped, audited (`control_refused`) and answered to the sender with
 * `control.result { outcome: 'refused', code }`. The record is read from the store for each
 * command, so every node applies the same mode.
 *
 * The page answers each command it received (`control.result`); the node that delivered the
 * command remembers whose it was until then, so the result is relayed to the agents with its
 * author and audited: `control_action` when done, `control_refused` (with the page's reason),
 * `control_declined` or `control_expired` otherwise. Audits name the action's kind, element,
 * tab and for typing the text's length, never a value: not the text, not a URL.
 */
import {
  CONTROL_ACTION_APPROVAL_MS,
  SightlineError,
  type CommandRefusal,
  type ControlCommand,
  type ControlCommandRelay,
  type ControlResult,
  type ErrorName,
  type Participant,
  type RemoteAction,
} from '@sightline/protocol';
import type { Connection } from './connection.js';
import { checkCommand } from './control-machine.js';
import { refusalError, type ControlRecords } from './control-record.js';
import type { Bus, Clock, SessionStore } from './ports.js';
import type { SessionHub } from './session-hub.js';
import { actorOf } from './session-service.js';

/** How long a delivered command waits for its result: the customer's prompt, and some slack. */
const RESULT_WAIT_MS = CONTROL_ACTION_APPROVAL_MS + 30_000;

/** The most commands one node remembers at once; the oldest are forgotten first. */
const MAX_REMEMBERED = 10_000;

/** The page's refusals, in words for the agent's console. */
const PAGE_REFUSALS: Record<CommandRefusal, string> = {
  masked: 'The element is masked.',
  blocked: 'The element is blocked from view.',
  gone: 'The element is no longer on the page.',
  denied_selector: 'The page does not allow actions on that element.',
  not_allowed: 'The page does not allow that kind of action.',
  not_actionable: 'That action does not apply to the element.',
  off_origin: 'The page may only go to addresses on its own site.',
};

/** What the audit says of an action: its kind and target, never a value. */
export function describeAction(action: RemoteAction): string {
  switch (action.kind) {
    case 'scroll':
      return `kind:scroll node:${action.nodeId ?? 'page'}`;
    case 'click':
    case 'dblclick':
    case 'hover':
    case 'focus':
      return `kind:${action.kind} node:${action.nodeId}`;
    case 'type':
      return `kind:type node:${action.nodeId} text_length:${action.text.length} replace:${action.replace}`;
    case 'select':
      return `kind:select node:${action.nodeId} options:${action.options.length}`;
    case 'check':
      return `kind:check node:${action.nodeId} checked:${action.checked}`;
    case 'key':
      return `kind:key node:${action.nodeId ?? 'focused'} key:${action.key}`;
    case 'navigate':
      return `kind:navigate to:${action.to}`;
  }
}

/** A command delivered to a tab on this node, until its result. */
interface Delivered {
  agent: Participant;
  /** `agent:… command:… tab:… kind:… node:…`, for the audit. */
  reason: string;
  at: number;
}

interface Dependencies {
  store: SessionStore;
  bus: Bus;
  clock: Clock;
  hub: SessionHub;
  records: ControlRecords;
}

/** One per node. */
export class CommandGate {
  /** Commands delivered by this node, by session, tab and command id, oldest first. */
  private readonly delivered = new Map<string, Delivered>();

  constructor(private readonly deps: Dependencies) {}

  /** An agent's `control.command`: relayed to its tab, or refused, audited and answered. */
  async command(connection: Connection, sessionId: string, command: ControlCommand): Promise<void> {
    const agent = connection.participant;
    if (!agent) return;
    const reason = `agent:${agent.userId} command:${command.commandId} tab:${command.tabId} ${describeAction(command.action)}`;
    const refusal = await this.check(connection, sessionId, command);
    if (refusal) {
      await this.deps.store.appendAudit({
        sessionId,
        at: this.deps.clock.now(),
        actor: actorOf('agent', agent.userId),
        action: 'control_refused',
        reason: `${reason} why:${refusal.why}`,
      });
      connection.send({
        type: 'control.result',
        commandId: command.commandId,
        tabId: command.tabId,
        agent,
        outcome: 'refused',
        ...(refusal.refusal ? { refusal: refusal.refusal } : {}),
        code: refusal.error.code,
        message: refusal.error.message,
      });
      return;
    }
    this.deps.hub.relayCommand(sessionId, {
      type: 'control.command',
      commandId: command.commandId,
      tabId: command.tabId,
      agent,
      action: command.action,
    });
  }

  /** This node is sending `command` to its tab's socket: its author is kept until the result. */
  sending(sessionId: string, command: ControlCommandRelay): void {
    const now = this.deps.clock.now();
    for (const [key, entry] of this.delivered) {
      if (entry.at + RESULT_WAIT_MS > now && this.delivered.size < MAX_REMEMBERED) break;
      this.delivered.delete(key);
    }
    const key = keyOf(sessionId, command.tabId, command.commandId);
    this.delivered.delete(key);
    this.delivered.set(key, {
      agent: command.agent,
      reason: `agent:${command.agent.userId} command:${command.commandId} tab:${command.tabId} ${describeAction(command.action)}`,
      at: now,
    });
  }

  /**
   * The page's answer to a command its tab was sent. Returns the error to refuse the frame with:
   * a result from another tab, or for a command this tab was not sent (or long ago).
   */
  async result(
    connection: Connection,
    sessionId: string,
    result: ControlResult,
  ): Promise<SightlineError | undefined> {
    const customer = connection.participant;
    if (!customer || result.tabId !== connection.tabId) {
      return new SightlineError('MESSAGE_NOT_ALLOWED', 'A tab answers only for its own commands.');
    }
    const key = keyOf(sessionId, result.tabId, result.commandId);
    const sent = this.delivered.get(key);
    if (!sent || sent.at + RESULT_WAIT_MS <= this.deps.clock.now()) {
      this.delivered.delete(key);
      return new SightlineError(
        'PROTOCOL_INVALID_MESSAGE',
        'control.result names no command sent to this tab.',
      );
    }
    this.delivered.delete(key);
    const error = errorOf(result);
    const refusal = result.outcome === 'refused' ? (result.refusal ?? 'not_actionable') : undefined;
    await this.deps.store.appendAudit({
      sessionId,
      at: this.deps.clock.now(),
      actor:
        result.outcome === 'done'
          ? actorOf('agent', sent.agent.userId)
          : actorOf('customer', customer.userId),
      action: ACTION_OF[result.outcome],
      reason: refusal ? `${sent.reason} refusal:${refusal}` : sent.reason,
    });
    this.deps.hub.sendText(
      sessionId,
      {
        type: 'control.result',
        commandId: result.commandId,
        tabId: result.tabId,
        agent: sent.agent,
        outcome: result.outcome,
        ...(refusal ? { refusal } : {}),
        ...(error
          ? { code: error.code, message: refusal ? PAGE_REFUSALS[refusal] : error.message }
          : {}),
      },
      { to: 'agent', watchingOnly: true },
    );
    return undefined;
  }

  /** Why the command may not go through, if so. */
  private async check(
    connection: Connection,
    sessionId: string,
    command: ControlCommand,
  ): Promise<{ why: string; error: SightlineError; refusal?: CommandRefusal } | undefined> {
    if (!connection.watching) {
      const error = new SightlineError(
        'CONTROL_NOT_ALLOWED',
        'The customer has not allowed this agent to see the page.',
      );
      return { why: 'not_watching', error };
    }
    const record = await this.deps.records.read(sessionId);
    const why = checkCommand(record, connection.userId, command.action.kind);
    if (why) return { why, error: refusalError(why) };
    // A tab is open once it reported its activity or sent its page, until its socket closed.
    const [{ tabs }, streams] = await Promise.all([
      this.deps.bus.readTabs(sessionId),
      this.deps.bus.listTabs(sessionId),
    ]);
    const tab = tabs.find((t) => t.tabId === command.tabId);
    if (tab ? tab.state === 'gone' : !streams.includes(command.tabId)) {
      const error = new SightlineError('CONTROL_TARGET_REFUSED', 'That tab is not open.');
      return { why: 'tab_gone', error, refusal: 'gone' };
    }
    return undefined;
  }
}

/** The audit action of each outcome. */
const ACTION_OF = {
  done: 'control_action',
  refused: 'control_refused',
  declined: 'control_declined',
  expired: 'control_expired',
} as const satisfies Record<ControlResult['outcome'], string>;

/** The catalogue error of an outcome that is not `done`. */
function errorOf(result: ControlResult): SightlineError | undefined {
  const names: Record<ControlResult['outcome'], ErrorName | undefined> = {
    done: undefined,
    refused: 'CONTROL_TARGET_REFUSED',
    declined: 'CONTROL_ACTION_DECLINED',
    expired: 'CONTROL_TIMEOUT',
  };
  const name = names[result.outcome];
  return name && new SightlineError(name);
}

function keyOf(sessionId: string, tabId: string, commandId: string): string {
  return `${sessionId}\n${tabId}\n${commandId}`;
}
