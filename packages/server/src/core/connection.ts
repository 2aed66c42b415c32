/**
 * @module
 * Internal: one WebSocket, from its first byte to its close, transport-free. It enforces the
 * handshake deadline, validates every frame, counts invalid ones, relays the customer's
 * `dom.batch` frames to the agents the customer allowed, and answers `session.end` and
 * `consent.response`. The first frame is read by `handshake.ts`; admission (between a valid hello
 * and `session.welcome`) is in `admission.ts`; a customer's batches in `batch-intake.ts`; what an
 * allowed agent is sent first in `agent-start.ts`; consent decisions in `consent.ts`; control
 * and annotation frames in `control-frames.ts`.
 *
 * Inbound frames are handled one at a time, in arrival order, on a promise chain: a batch's
 * checkout append, relay and ack finish before the next batch is looked at, so seq order holds
 * end to end even though the ports are async.
 */
import {
  CloseCode,
  MAX_INVALID_FRAMES,
  MAX_TEXT_FRAME_BYTES,
  SightlineError,
  parseClientText,
  toSightlineError,
  type ControlCommandRelay,
  type EndReason,
  type Participant,
  type Role,
  type ServerToClient,
} from '@sightline/protocol';
import { admit, type Admitted } from './admission.js';
import { BatchIntake } from './batch-intake.js';
import { SocketFeed } from './socket-feed.js';
import { askOnArrival } from './invite-arrival.js';
import { readHello } from './handshake.js';
import type { GatewayContext } from './gateway-context.js';
import { meteredSocket, type SocketRole } from './metrics.js';
import type { HubMember, RelayedBatch } from './session-hub.js';
import type { ConsentOutcome, SocketLike, StoredBatch, Timer } from './ports.js';
import { actorOf } from './session-service.js';
import { participantLeft } from './departures.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** One socket's life. Implements the hub's member interface once admitted. */
export class Connection implements HubMember {
  private admitted?: Admitted;
  private work: Promise<void> = Promise.resolve();
  private invalidFrames = 0;
  private closing = false;
  /** A newer socket of the same agent or tab took over (1015): its tab is not gone. */
  private superseded = false;
  private left = false;
  /** What this socket is sent, in order, and held while it is welcomed. */
  private readonly feed: SocketFeed;
  /** Customer: its batches, from the first one on. */
  private intake?: BatchIntake;
  /** Agent: welcomed into an invited session before its customer, and not asked anything yet. */
  private awaitingCustomer = false;
  private readonly helloTimer: Timer;
  /** The transport's socket, reporting every frame sent to the metrics. */
  private readonly socket: SocketLike;

  constructor(
    socket: SocketLike,
    private readonly ctx: GatewayContext,
    private readonly onGone: (connection: Connection) => void,
  ) {
    const { metrics, clock } = ctx;
    this.socket = meteredSocket(socket, metrics, () => this.socketRole);
    this.feed = new SocketFeed(
      this.socket,
      ctx.limits.agentMaxBufferedBytes,
      () => this.fail(new SightlineError('SLOW_CONSUMER')),
      (batch) =>
        metrics.batchDelivered(batch.frame.byteLength, Math.max(0, clock.now() - batch.receivedAt)),
    );
    this.helloTimer = ctx.clock.setTimer(ctx.limits.helloDeadlineMs, () => {
      if (!this.admitted && !this.closing) this.fail(new SightlineError('HANDSHAKE_TIMEOUT'));
    });
  }

  /** The participant's role; meaningful once admitted. */
  get role(): Role {
    return this.admitted?.participant.role ?? 'customer';
  }

  /** The role metrics count this socket under: `unadmitted` until its hello is accepted. */
  get socketRole(): SocketRole {
    return this.admitted?.participant.role ?? 'unadmitted';
  }

  /** The participant's user id; meaningful once admitted. */
  get userId(): string {
    return this.admitted?.participant.userId ?? '';
  }

  /** Who this socket is, once admitted. */
  get participant(): Participant | undefined {
    return this.admitted?.participant;
  }

  /** The customer's tab; undefined for agents and before admission. */
  get tabId(): string | undefined {
    return this.admitted?.tabId;
  }

  /** Agent: whether it is sent the page (the customer allowed it). */
  get watching(): boolean {
    return this.feed.watching;
  }

  /** Agent: from now on batches are sent. Call while holding, before the checkout is sent. */
  startWatching(): void {
    this.feed.startWatching();
  }

  /** An inbound frame from the transport. */
  receive(data: Uint8Array, isBinary: boolean): void {
    this.ctx.metrics.frameReceived(this.socketRole, data.byteLength);
    if (this.closing) return;
    this.helloTimer.cancel();
    if (!isBinary && data.byteLength > MAX_TEXT_FRAME_BYTES) {
      this.fail(
        new SightlineError(
          'FRAME_TOO_LARGE',
          `Text frames are limited to ${MAX_TEXT_FRAME_BYTES} bytes.`,
        ),
      );
      return;
    }
    this.work = this.work
      .then(() => this.handle(data, isBinary))
      .catch((error: unknown) => this.crash(error));
  }

  /** The transport reports the socket closed, for whatever reason. */
  closed(): void {
    if (this.left) return;
    this.left = true;
    this.closing = true;
    this.helloTimer.cancel();
    // Queued behind any admission in flight, so a socket that closes mid-admission is released.
    this.work = this.work.then(() => this.leave()).catch((error: unknown) => this.crash(error));
    this.onGone(this);
  }

  /** Settles when every frame and the close have been handled. Never rejects. */
  get settled(): Promise<void> {
    return this.work;
  }

  /** Closes the socket because the server is shutting down (clients retry elsewhere). */
  shutdown(): void {
    this.fail(new SightlineError('SHUTTING_DOWN'));
  }

  sendText(text: string): void {
    this.feed.text(text);
  }

  sendBatch(batch: RelayedBatch): void {
    this.feed.batch(batch);
  }

  end(reason: EndReason): void {
    if (this.closing) return;
    this.closing = true;
    this.feed.drop();
    this.send({ type: 'session.ended', reason });
    this.socket.close(CloseCode.DO_NOT_RECONNECT, `Session ended: ${reason}.`);
  }

  supersede(): void {
    this.superseded = true;
    // Not retried by the SDKs (4409), so two windows never take the session back and forth.
    this.fail(
      new SightlineError(
        'SESSION_DUPLICATE_USER',
        this.role === 'agent'
          ? 'The session was opened in another window; this one was closed.'
          : 'This tab connected again on another socket; this one was closed.',
      ),
    );
  }

  consentDecided(requestId: string, decision: ConsentOutcome): void {
    if (decision !== 'allow') {
      this.fail(new SightlineError(decision === 'deny' ? 'CONSENT_DECLINED' : 'CONSENT_TIMEOUT'));
      return;
    }
    const admitted = this.admitted;
    if (!admitted) return;
    // Queued like a frame, so the checkout is never sent in the middle of the admission.
    this.work = this.work
      .then(() => this.ctx.consent.watch(this, admitted.sessionId, requestId))
      .catch((error: unknown) => this.crash(error));
  }

  controlCommand(command: ControlCommandRelay): void {
    const admitted = this.admitted;
    if (!admitted || this.closing) return;
    this.ctx.control.sending(admitted.sessionId, command);
    this.sendText(JSON.stringify(command));
  }

  /** Agent: this socket waits for an invited customer (`invite-arrival.ts`). */
  awaitCustomer(): void {
    this.awaitingCustomer = true;
  }

  customerArrived(): void {
    const admitted = this.admitted;
    if (!this.awaitingCustomer || !admitted || this.closing) return;
    this.awaitingCustomer = false;
    // Queued like a frame, after the admission if it is still running.
    this.work = this.work
      .then(() => askOnArrival(this, admitted, this.ctx))
      .catch((error: unknown) => this.crash(error));
  }

  /**
   * Binds the socket to its session once the store admitted it, before it joins the hub: from
   * here on a close releases the participant, and the hub can route frames by role.
   */
  bind(admitted: Admitted): void {
    this.admitted = admitted;
  }

  /** Starts holding frames from the hub (before registering with it). */
  hold(): void {
    this.feed.hold();
  }

  /** Sends a frame now, ahead of anything held. */
  send(message: ServerToClient): void {
    this.socket.send(JSON.stringify(message));
  }

  /** Sends a stored batch as part of an agent's first batches and records its seq. */
  sendStored(batch: StoredBatch): void {
    this.feed.stored(batch);
  }

  /** Marks everything up to `seq` of `tabId` as sent (see `SocketFeed.markSent`). */
  markSent(tabId: string, seq: number): void {
    this.feed.markSent(tabId, seq);
  }

  /** Sends what was held, skipping batches already sent, and stops holding. */
  release(): void {
    this.feed.release();
  }

  /** Whether the socket is closed or closing: admission stops early. */
  get isClosing(): boolean {
    return this.closing;
  }

  private async handle(data: Uint8Array, isBinary: boolean): Promise<void> {
    if (this.closing) return;
    if (!this.admitted) return this.hello(data, isBinary);
    return isBinary ? this.batch(data) : this.text(data);
  }

  private async hello(data: Uint8Array, isBinary: boolean): Promise<void> {
    const read = readHello(isBinary ? undefined : this.decode(data), isBinary);
    if (read instanceof SightlineError) return this.fail(read);
    try {
      await admit(this, read, this.ctx);
    } catch (error) {
      this.fail(toSightlineError(error));
    }
  }

  private async text(data: Uint8Array): Promise<void> {
    const text = this.decode(data);
    if (text === undefined) {
      return this.invalid(new SightlineError('PROTOCOL_INVALID_MESSAGE', 'Not UTF-8.'));
    }
    const parsed = parseClientText(text);
    if (!parsed.ok) return this.invalid(parsed.error);
    const message = parsed.value;
    switch (message.type) {
      case 'session.hello':
        return this.invalid(
          new SightlineError('PROTOCOL_INVALID_MESSAGE', 'session.hello was already sent.'),
        );
      case 'session.end': {
        const self = this.self();
        const reason = self.role === 'customer' ? 'customer_ended' : 'agent_ended';
        // Refused only when the session already ended, which is what was asked.
        await this.ctx.lifecycle.apply(
          this.sessionId(),
          { type: 'end', reason },
          actorOf(self.role, self.userId),
        );
        return;
      }
      case 'consent.response': {
        const self = this.self();
        if (self.role !== 'customer')
          return this.notAllowed('Only the customer answers consent requests.');
        return this.refuse(await this.ctx.consent.answer(this.sessionId(), self, message));
      }
      case 'session.extend':
        if (this.role !== 'agent')
          return this.notAllowed('Only an agent asks to extend the session.');
        return this.refuse(await this.ctx.extensions.ask(this, this.sessionId()));
      case 'tab.activity': {
        const tabId = this.tabId;
        if (tabId === undefined) return this.notAllowed('Only the customer reports its tabs.');
        await this.ctx.tabs.update(this.sessionId(), tabId, message.state);
        return;
      }
      default:
        // Every control.*, annotation.* and pointer.move frame (the type checks it is one).
        return this.refuse(await this.ctx.control.receive(this, this.sessionId(), message));
    }
  }

  /**
   * Answers a refused frame. A refusal of the session's rules (an extension or control change
   * already waiting, a cap, a mode that does not allow it) is no fault of the frame: not counted.
   */
  private refuse(refused: SightlineError | undefined): void {
    if (!refused) return;
    if (/^(EXTENSION|CONTROL|ANNOTATION)_/.test(refused.errorName)) this.sendError(refused);
    else this.invalid(refused);
  }

  private async batch(data: Uint8Array): Promise<void> {
    const admitted = this.admitted;
    if (admitted?.tabId === undefined) {
      return this.invalid(
        new SightlineError('MESSAGE_NOT_ALLOWED', 'Only the customer sends dom.batch.'),
      );
    }
    this.intake ??= new BatchIntake(this.ctx, admitted.sessionId, admitted.tabId, (message) =>
      this.send(message),
    );
    const refused = await this.intake.receive(data);
    if (refused) this.invalid(refused);
  }

  private async leave(): Promise<void> {
    const admitted = this.admitted;
    if (!admitted) return;
    this.admitted = undefined;
    const { hub, store, clock } = this.ctx;
    const { sessionId, participant } = admitted;
    await hub.remove(sessionId, this);
    if (admitted.tabId !== undefined) await this.tabGone(sessionId, admitted.tabId);
    const { last } = await store.releaseParticipant({
      sessionId,
      role: participant.role,
      userId: participant.userId,
      nodeId: this.ctx.bus.nodeId,
      at: clock.now(),
    });
    if (last) await participantLeft(this.ctx, sessionId, participant);
  }

  /** This tab's socket closed: gone, unless a newer socket of the same tab took its place. */
  private async tabGone(sessionId: string, tabId: string): Promise<void> {
    if (this.superseded) return;
    const replaced = this.ctx.hub
      .members(sessionId)
      .some((member) => member !== this && member.tabId === tabId);
    if (!replaced) await this.ctx.tabs.update(sessionId, tabId, 'gone');
  }

  private notAllowed(message: string): void {
    this.invalid(new SightlineError('MESSAGE_NOT_ALLOWED', message));
  }

  private invalid(error: SightlineError): void {
    this.invalidFrames += 1;
    this.sendError(error);
    if (this.invalidFrames >= MAX_INVALID_FRAMES) {
      this.closing = true;
      this.socket.close(CloseCode.BAD_REQUEST, `Too many invalid frames (${MAX_INVALID_FRAMES}).`);
    }
  }

  private fail(error: SightlineError): void {
    if (this.closing) return;
    this.closing = true;
    this.sendError(error);
    this.socket.close(error.closeCode, error.message);
  }

  private crash(error: unknown): void {
    this.ctx.logger.error({ err: error }, 'socket handler failed');
    this.fail(toSightlineError(error));
  }

  private sendError(error: SightlineError): void {
    this.send({
      type: 'session.error',
      code: error.code,
      name: error.errorName,
      message: error.message,
    });
  }

  private decode(data: Uint8Array): string | undefined {
    try {
      return decoder.decode(data);
    } catch {
      return undefined;
    }
  }

  private self(): Participant {
    if (!this.admitted) throw new Error('not admitted');
    return this.admitted.participant;
  }

  private sessionId(): string {
    if (!this.admitted) throw new Error('not admitted');
    return this.admitted.sessionId;
  }
}
