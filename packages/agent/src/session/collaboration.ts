/**
 * @module
 * Internal: everything an agent does with the customer's page beyond watching it (ADR 0012):
 * the control mode, commands, annotations and pointers, in and out. The session routes these
 * frames here and delegates its public methods.
 */
import type { Clock, ServerMessage } from '@sightline/client';
import {
  RemoteAction,
  SightlineError,
  TabId,
  type AgentToServer,
  type ControlMode,
  type Participant,
} from '@sightline/protocol';
import type { AgentEventMap } from '../events.js';
import type { MirrorAnnotationsAccess } from '../viewer/annotation-layer.js';
import { AnnotationLink, drawnEvent, pointerMovedEvent } from './annotations.js';
import { Annotations } from './drawing.js';
import { acceptsInput } from '../viewer/input-translation.js';
import { MirrorInput, type MirrorAccess } from '../viewer/mirror-input.js';
import { ControlDesk, type CommandResult, type ControlInfo } from './control.js';

/** The frames this module takes. */
export type CollaborationMessage = Extract<
  ServerMessage,
  {
    type:
      | 'control.state'
      | 'control.result'
      | 'annotation.drawn'
      | 'annotation.erased'
      | 'annotation.cleared'
      | 'annotation.sync'
      | 'pointer.moved';
  }
>;

/** What collaboration needs from its session. */
export interface CollaborationOptions {
  clock: Clock;
  random: () => number;
  send(frame: AgentToServer): boolean;
  self(): Participant | undefined;
  emit<K extends keyof AgentEventMap>(event: K, payload: AgentEventMap[K]): void;
}

/** One agent's control and annotations in one session. */
export class Collaboration {
  readonly #options: CollaborationOptions;
  readonly #desk: ControlDesk;
  /** Annotations and the pointer; its public methods are the session's. */
  readonly annotations: AnnotationLink;
  /** The annotations over the mirror, and the tool and pen this agent draws with. */
  readonly drawing: Annotations;
  #input: MirrorInput | undefined;

  constructor(options: CollaborationOptions) {
    this.#options = options;
    this.#desk = new ControlDesk(options.clock, options.random, {
      state: (info) => {
        this.#input?.refresh();
        this.drawing.refresh();
        options.emit('control_state', info);
      },
      result: (result) => options.emit('command_result', result),
    });
    this.annotations = new AnnotationLink({
      clock: options.clock,
      send: options.send,
      self: options.self,
      // This agent's own frames, shown over the mirror as the others see them.
      drawn: (event) => {
        this.drawing.apply({ type: 'annotation.drawn', ...event });
        options.emit('annotation_drawn', event);
      },
      erased: (event) => {
        this.drawing.apply({ type: 'annotation.erased', ids: event.ids, by: event.by });
        options.emit('annotation_erased', event);
      },
      cleared: (event) => {
        this.drawing.apply({ type: 'annotation.cleared', by: event.by });
        options.emit('annotation_cleared', event);
      },
    });
    this.drawing = new Annotations({
      link: this.annotations,
      self: options.self,
      control: () => this.#desk.info,
      toolChanged: () => this.#input?.refresh(),
      failed: (error) =>
        options.emit('control_error', { code: error.code, errorMsg: error.message }),
    });
  }

  /** The control state last seen. */
  get control(): ControlInfo | undefined {
    return this.#desk.info;
  }

  /** Takes a frame of this module's; returns false for any other. */
  receive(message: ServerMessage): message is CollaborationMessage {
    const emit = this.#options.emit;
    switch (message.type) {
      case 'control.state':
        this.#desk.update(message, this.#options.self());
        return true;
      case 'control.result':
        this.#desk.result(message);
        return true;
      case 'annotation.drawn':
        this.drawing.apply(message);
        emit('annotation_drawn', drawnEvent(message));
        return true;
      case 'annotation.erased':
        this.drawing.apply(message);
        emit('annotation_erased', { ids: message.ids, by: message.by, local: false });
        return true;
      case 'annotation.cleared':
        this.drawing.apply(message);
        emit('annotation_cleared', { by: message.by, local: false });
        return true;
      case 'annotation.sync':
        this.drawing.apply(message);
        emit('annotation_synced', { tabId: message.tabId, annotations: message.annotations });
        return true;
      case 'pointer.moved':
        this.drawing.apply(message);
        emit('pointer_moved', pointerMovedEvent(message));
        return true;
      default:
        return false;
    }
  }

  /** Asks for `mode` (`control.request`). */
  requestMode(mode: ControlMode): void {
    this.#sendOrThrow({ type: 'control.request', mode });
  }

  /** Hands control to the agent `userId` (`control.handover`). */
  handOver(userId: string): void {
    this.#sendOrThrow({ type: 'control.handover', toUserId: userId });
  }

  /** Sends a command to tab `tabId`; settles with its result. */
  command(tabId: string, action: RemoteAction): Promise<CommandResult> {
    const parsed = RemoteAction.safeParse(action);
    if (!parsed.success || !TabId.safeParse(tabId).success) {
      const why = parsed.success ? 'The tab id is malformed.' : parsed.error.message;
      return Promise.reject(new SightlineError('REQUEST_INVALID', `Not a command: ${why}`));
    }
    const self = this.#options.self();
    const commandId = this.#desk.nextCommandId();
    if (
      !self ||
      !this.#options.send({ type: 'control.command', commandId, tabId, action: parsed.data })
    ) {
      return Promise.reject(
        new SightlineError('SESSION_CONNECTING_IN_PROGRESS', 'Not connected right now.'),
      );
    }
    return this.#desk.track(commandId, tabId, self);
  }

  /**
   * Lays the annotations and the input layer over `mirror`: the controller's input becomes
   * commands to the tab it shows (`shownTabId`), results reported as `command_result`.
   */
  attach(
    mirror: MirrorAccess & MirrorAnnotationsAccess,
    shownTabId: () => string | undefined,
  ): void {
    this.drawing.attach(mirror);
    this.#input?.dispose();
    this.#input = new MirrorInput(mirror, {
      clock: this.#options.clock,
      active: () =>
        acceptsInput(this.#desk.info, this.drawing.tool === 'interact') &&
        shownTabId() !== undefined,
      hovers: () => this.#desk.info?.mode === 'full_control',
      act: (action) => {
        const tabId = shownTabId();
        // Results arrive as `command_result`; a send that fails (socket down) is dropped.
        if (tabId) this.command(tabId, action).catch(() => undefined);
      },
    });
  }

  /** Settles waiting commands, drops a waiting pointer move, removes the input layer. */
  dispose(): void {
    this.#desk.dispose(this.#options.self());
    this.annotations.dispose();
    this.drawing.dispose();
    this.#input?.dispose();
    this.#input = undefined;
  }

  #sendOrThrow(frame: AgentToServer): void {
    if (!this.#options.send(frame)) {
      throw new SightlineError('SESSION_CONNECTING_IN_PROGRESS', 'Not connected right now.');
    }
  }
}
