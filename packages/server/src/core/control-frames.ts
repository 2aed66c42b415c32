/**
 * @module
 * Internal: where a socket's control and annotation frames go (ADR 0012). The connection hands
 * every `control.*`, `annotation.*` and `pointer.move` frame here; this module checks the sender's
 * role and passes the frame to its desk: modes to `control-desk.ts`, commands and their results to
 * `command-gate.ts`, drawings to `annotation-relay.ts`. It is also the connection's way to the
 * desks at a welcome, when a command reaches its tab, and when an agent leaves.
 *
 * A frame from the wrong role is 3006 (the connection counts it as invalid); a refusal of control
 * (3018–3025) is not the frame's fault and is not counted.
 */
import {
  SightlineError,
  type AnnotationSync,
  type ControlCommand,
  type ControlCommandRelay,
  type ControlGrant,
  type ControlHandover,
  type ControlRequest,
  type ControlResult,
  type ControlSet,
  type ControlSettingsMessage,
  type Participant,
} from '@sightline/protocol';
import type { AnnotationFrame, AnnotationRelay } from './annotation-relay.js';
import type { CommandGate } from './command-gate.js';
import type { Connection } from './connection.js';
import type { ControlDesk } from './control-desk.js';

/** Every control and annotation frame a client may send. */
export type ControlFrame =
  | ControlSettingsMessage
  | ControlSet
  | ControlGrant
  | ControlResult
  | ControlRequest
  | ControlHandover
  | ControlCommand
  | AnnotationSync
  | AnnotationFrame;

/** The `type`s of {@link ControlFrame}. */
export type ControlFrameType = ControlFrame['type'];

const notAllowed = (message: string): SightlineError =>
  new SightlineError('MESSAGE_NOT_ALLOWED', message);

interface Dependencies {
  desk: ControlDesk;
  gate: CommandGate;
  annotations: AnnotationRelay;
}

/** One per node. */
export class ControlFrames {
  constructor(private readonly deps: Dependencies) {}

  /** A frame from an admitted socket. Returns the error to refuse it with. */
  async receive(
    connection: Connection,
    sessionId: string,
    frame: ControlFrame,
  ): Promise<SightlineError | undefined> {
    const self = connection.participant;
    if (!self) return undefined;
    const { desk, gate, annotations } = this.deps;
    switch (frame.type) {
      case 'control.settings':
        if (self.role !== 'customer') return notAllowed('Only the customer sends its settings.');
        await desk.settings(sessionId, self, frame.settings);
        return undefined;
      case 'control.set':
        if (self.role !== 'customer')
          return notAllowed('Agents change the mode with control.request.');
        return desk.set(sessionId, self, frame.mode);
      case 'control.grant':
        if (self.role !== 'customer') return notAllowed('Only the customer grants actions.');
        return desk.grant(sessionId, self, frame.durationMs);
      case 'control.result':
        if (self.role !== 'customer') return notAllowed('Only the customer reports results.');
        return gate.result(connection, sessionId, frame);
      case 'annotation.sync':
        if (self.role !== 'customer') return notAllowed('Only the customer sends its annotations.');
        return annotations.sync(connection, sessionId, frame);
      case 'control.request':
        return this.agentOnly(connection, self, () => desk.request(sessionId, self, frame.mode));
      case 'control.handover':
        return this.agentOnly(connection, self, () =>
          desk.handover(sessionId, self, frame.toUserId),
        );
      case 'control.command':
        // Refused by the gate, audited, for any agent: a forced frame leaves a trace.
        if (self.role !== 'agent') return notAllowed('Only an agent sends commands.');
        await gate.command(connection, sessionId, frame);
        return undefined;
      case 'annotation.draw':
      case 'annotation.erase':
      case 'annotation.clear':
      case 'pointer.move':
        return annotations.receive(connection, sessionId, frame);
    }
  }

  /** A socket was welcomed: it learns the control, and a customer is asked an open question. */
  async welcomed(connection: Connection, sessionId: string): Promise<void> {
    await this.deps.desk.welcomed(connection, sessionId);
  }

  /** This node is sending a command to its tab's socket. */
  sending(sessionId: string, command: ControlCommandRelay): void {
    this.deps.gate.sending(sessionId, command);
  }

  /** An agent's last socket closed. */
  async agentLeft(sessionId: string, agent: Participant): Promise<void> {
    await this.deps.desk.agentLeft(sessionId, agent);
  }

  private async agentOnly(
    connection: Connection,
    self: Participant,
    run: () => Promise<SightlineError | undefined>,
  ): Promise<SightlineError | undefined> {
    if (self.role !== 'agent' || !connection.watching) {
      return notAllowed('Only an agent the customer allowed to see the page asks for control.');
    }
    return run();
  }
}
