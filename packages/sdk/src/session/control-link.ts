/**
 * @module
 * Internal: the session's control on this tab, between the server and the page. It sends the
 * page's settings after each welcome (`control.settings`), follows `control.state` (the banner,
 * the events `control_mode_changed`, `remote_assist_started` and `remote_assist_stopped`), hands
 * every `control.command` to the control pipeline (`../control/`), and sends the customer's own
 * moves: the banner's Stop control and Guide only (`control.set`), and the "Allow for 2 minutes"
 * window and its withdrawal (`control.grant`).
 */
import type { Clock, Emitter } from '@sightline/client';
import {
  isControlMode,
  type ControlCommandRelay,
  type ControlGrant,
  type ControlResult,
  type ControlSet,
  type ControlSettingsMessage,
  type ControlState,
  type Participant,
} from '@sightline/protocol';
import { ControlTracker, RemoteAssist, sameControl, type ControlView } from '../control/index.js';
import type { AgentInfo, CustomerEventMap } from '../events.js';
import type { ResolvedSettings } from '../options.js';
import type { MaskPolicy } from '../privacy/masking.js';
import type { SharingUi } from '../ui/sharing-ui.js';

/** The frames this link sends. */
type ControlFrame = ControlSettingsMessage | ControlSet | ControlGrant | ControlResult;

/** What the link needs. */
export interface ControlLinkOptions {
  readonly settings: ResolvedSettings;
  readonly tabId: string;
  readonly clock: Clock;
  /** The page; without one (no DOM) every command is refused. */
  readonly document: Document | undefined;
  readonly ui: SharingUi | undefined;
  readonly events: Emitter<CustomerEventMap>;
  /** The mask policy now (server rules included). */
  readonly policy: () => MaskPolicy;
  /** rrweb's node lookup while recording. */
  readonly nodeOf: (id: number) => unknown;
  readonly send: (frame: ControlFrame) => void;
}

function agentOf(participant: Participant): AgentInfo {
  return { userId: participant.userId, userName: participant.userName };
}

/** The page's settings as the server takes them. */
export function controlSettingsOf(settings: ResolvedSettings): ControlSettingsMessage {
  const { remoteAssist } = settings;
  return {
    type: 'control.settings',
    settings: {
      remoteAssist: {
        enable: remoteAssist.enable,
        enableCustomerConsent: remoteAssist.enableCustomerConsent,
        types: [...remoteAssist.remoteAssistTypes],
        requireStopConfirmation: remoteAssist.requireStopConfirmation,
      },
      allowAgentAnnotation: settings.allowAgentAnnotation,
      allowCustomerAnnotation: settings.allowCustomerAnnotation,
    },
  };
}

/** One tab's control: state, commands, the customer's moves. */
export class ControlLink {
  readonly #options: ControlLinkOptions;
  readonly #tracker: ControlTracker;
  readonly #assist: RemoteAssist | undefined;

  constructor(options: ControlLinkOptions) {
    this.#options = options;
    this.#tracker = new ControlTracker(options.clock);
    const { document, ui, settings } = options;
    if (document && ui) {
      this.#assist = new RemoteAssist({
        tabId: options.tabId,
        settings: settings.remoteAssist,
        document,
        clock: options.clock,
        policy: options.policy,
        nodeOf: options.nodeOf,
        control: this.#tracker,
        prompt: ui.askAction,
        send: (frame) => {
          options.send(frame);
          if (frame.type === 'control.grant') this.#showControl();
        },
      });
    }
  }

  /** The control now. */
  get view(): ControlView {
    return this.#tracker.view;
  }

  /** A socket was welcomed: the server learns the page's settings (it sends the state itself). */
  welcomed(): void {
    this.#options.send(controlSettingsOf(this.#options.settings));
  }

  /** A `control.state` arrived. */
  state(state: ControlState): void {
    const change = this.#tracker.update(state);
    if (!change) return;
    this.#showControl();
    this.#assist?.controlChanged();
    const { previous, current } = change;
    if (sameControl(previous, current)) return;
    const events = this.#options.events;
    events.emit('control_mode_changed', {
      mode: current.mode,
      previous: previous.mode,
      controller: current.controller ? agentOf(current.controller) : null,
    });
    const was = isControlMode(previous.mode);
    const is = isControlMode(current.mode);
    if (!was && is && current.controller) {
      events.emit('remote_assist_started', {
        agent: agentOf(current.controller),
        mode: current.mode,
      });
    }
    if (was && !is) events.emit('remote_assist_stopped', { mode: current.mode });
  }

  /** A `control.command` arrived: the pipeline takes it, or it is refused without a page. */
  command(command: ControlCommandRelay): void {
    if (this.#assist) {
      this.#assist.receive(command);
      return;
    }
    this.#options.send({
      type: 'control.result',
      commandId: command.commandId,
      tabId: command.tabId,
      outcome: 'refused',
      refusal: 'not_actionable',
    });
  }

  /** The customer stepped down: Stop control (`view_only`) or Guide only (`guided`). */
  stepDown(mode: 'view_only' | 'guided'): void {
    this.#options.send({ type: 'control.set', mode });
  }

  /** The customer closed the "Allow for 2 minutes" window: each action is asked again. */
  withdrawGrant(): void {
    this.#tracker.grant(0);
    this.#options.send({ type: 'control.grant', durationMs: 0 });
    this.#showControl();
  }

  /** Stops: a waiting command is never answered, an open question closes. */
  dispose(): void {
    this.#assist?.dispose();
  }

  #showControl(): void {
    this.#options.ui?.showControl(this.#tracker.view, this.#tracker.grantUntil());
  }
}
