/**
 * @module
 * Internal: what the server sends one socket, in order. While the socket's welcome (and an
 * agent's first batches) go out, frames from the hub are held, then sent after them. An agent is
 * sent batches only once the customer allowed it (the consent gate), each `(tabId, seq)` at most
 * once, and a socket that cannot drain is given up on rather than buffered without bound.
 */
import type { SocketLike, StoredBatch } from './ports.js';
import type { RelayedBatch } from './session-hub.js';

/** A frame from the hub, held while the welcome and the first batches are sent. */
type Outbound = { text: string } | { batch: RelayedBatch };

/** One socket's outbound side. */
export class SocketFeed {
  /** Set while holding; frames from the hub wait here. */
  private held?: Outbound[];
  /** Per tab, the highest seq this agent has been sent. */
  private readonly sentSeq = new Map<string, number>();
  /** Agent: the customer allowed it to see the page; until then no batch is sent to it. */
  private allowed = false;

  constructor(
    private readonly socket: SocketLike,
    /** More bytes queued than this and the socket is given up on. */
    private readonly maxBufferedBytes: number,
    /** The socket cannot keep up: close it (the agent rejoins from the checkout). */
    private readonly tooSlow: () => void,
    /** A live batch from the hub was sent (for metrics; not called for stored batches). */
    private readonly delivered: (batch: RelayedBatch) => void = () => {},
  ) {}

  /** Agent: whether it is sent the page. */
  get watching(): boolean {
    return this.allowed;
  }

  /** Agent: from now on batches are sent. Call while holding, before the first batches. */
  startWatching(): void {
    this.allowed = true;
  }

  /** Starts holding frames from the hub. */
  hold(): void {
    this.held = [];
  }

  /** Forgets what is held (the socket is closing). */
  drop(): void {
    this.held = undefined;
  }

  /** A server text frame from the hub, already serialised. */
  text(text: string): void {
    if (this.held) this.held.push({ text });
    else this.socket.send(text);
  }

  /** A relayed `dom.batch` frame from the hub. */
  batch(batch: RelayedBatch): void {
    if (this.held) {
      this.held.push({ batch });
      return;
    }
    const { tabId, seq } = batch;
    // Consent gate: nothing of the page reaches an agent the customer has not allowed.
    if (!this.allowed) return;
    if (seq <= (this.sentSeq.get(tabId) ?? 0)) return;
    // A socket that cannot drain would otherwise buffer without bound; the agent can rejoin
    // from the checkout, which is cheaper for everyone than holding its backlog here.
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.tooSlow();
      return;
    }
    this.sentSeq.set(tabId, seq);
    this.socket.send(batch.frame);
    this.delivered(batch);
  }

  /** Sends a stored batch (a checkout, or a resume) now, ahead of anything held. */
  stored(batch: StoredBatch): void {
    this.socket.send(batch.frame);
    this.markSent(batch.tabId, batch.seq);
  }

  /**
   * Marks everything up to `seq` of `tabId` as sent: batches the checkout held when it was read,
   * including any it had to drop, so none of them is sent again from the held frames.
   */
  markSent(tabId: string, seq: number): void {
    this.sentSeq.set(tabId, Math.max(seq, this.sentSeq.get(tabId) ?? 0));
  }

  /** Sends what was held, skipping batches already covered, and stops holding. */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const frame of held) {
      if ('text' in frame) this.socket.send(frame.text);
      else this.batch(frame.batch);
    }
  }
}
