/**
 * @module
 * The live mirror: rrweb's `Replayer` in live mode, inside a frame that cannot run scripts.
 *
 * One replayer for the whole join. On a rejoin the server resumes each tab it can from the seq
 * the mirror holds (`resumeFrom`), and the page on screen carries on; a tab it cannot resume
 * starts again from its checkout's full snapshot, which rebuilds the page in the same replayer, so
 * the agent never sees a blank frame. Only a server that does not resume gets a fresh replayer.
 * `useVirtualDom: false` is required: with rrweb's virtual DOM, events that arrive "in the
 * past" (the checkout) are cast into a tree that is only flushed by `play()`, which live mode never
 * calls, so a late joiner would see only the first snapshot.
 */
import '@rrweb/replay/dist/style.css';
import './mirror.css';
import { Replayer } from '@rrweb/replay';
import type { Clock } from '@sightline/client';
import {
  SightlineError,
  type BinaryBatch,
  type DomBatchRelayHeader,
  type ResumeFrom,
} from '@sightline/protocol';
import type { MirrorStatus } from '../events.js';
import { PacingClock } from './clock.js';
import { decodeBatchPayload } from './decode.js';
import { pruneBeforeLastFullSnapshot, replayerEventLog } from './event-log.js';
import { fitInto, type Size } from './fit.js';
import { assertScriptlessSandbox } from './sandbox.js';
import { TabTracker } from './tabs.js';

/** What the mirror reports to its session. */
export interface MirrorCallbacks {
  status(status: MirrorStatus): void;
}

/** Renders one session's page into an element. */
export class Mirror {
  readonly #stage: HTMLDivElement;
  readonly #clock: Clock;
  readonly #callbacks: MirrorCallbacks;
  readonly #pacing: PacingClock;
  readonly #resizeObserver: ResizeObserver | undefined;
  #tabs = new TabTracker();
  #replayer: Replayer | undefined;
  #viewport: Size | undefined;
  #status: MirrorStatus = 'empty';
  /** A full batch arrived since the replayer's event log was last pruned. */
  #pruneDue = false;

  /** Adds the mirror's stage to `root`. Nothing is rendered until {@link Mirror.reset}. */
  constructor(root: HTMLElement, clock: Clock, callbacks: MirrorCallbacks) {
    this.#clock = clock;
    this.#callbacks = callbacks;
    this.#pacing = new PacingClock(() => clock.now());
    this.#stage = root.ownerDocument.createElement('div');
    this.#stage.className = 'sightline-mirror';
    root.appendChild(this.#stage);
    if (typeof ResizeObserver === 'function') {
      this.#resizeObserver = new ResizeObserver(() => this.#fit());
      this.#resizeObserver.observe(this.#stage);
    }
  }

  /** The customer's viewport, once a page has arrived. */
  get viewport(): Size | undefined {
    return this.#viewport;
  }

  /** Whether a page is shown. */
  get status(): MirrorStatus {
    return this.#status;
  }

  /**
   * Starts over: a fresh replayer, no seqs seen, pacing synced to the welcome's `serverTime`. For
   * the first welcome, and a rejoin the server did not resume. Throws if the replay frame could
   * run scripts; nothing is rendered then.
   */
  reset(serverTime: number): void {
    this.#destroyReplayer();
    this.#tabs = new TabTracker(this.#tabs.followedTabId);
    this.#pruneDue = false;
    this.#viewport = undefined;
    this.#setStatus('empty');
    if (!this.#stage.isConnected) {
      throw new SightlineError('UNDEFINED', 'The mirror root must be in the document.');
    }
    const replayer = new Replayer([], {
      root: this.#stage,
      liveMode: true,
      useVirtualDom: false,
      mouseTail: false,
      triggerFocus: false,
      // Canvas replay needs `allow-scripts` in the frame: never.
      UNSAFE_replayCanvas: false,
      showWarning: false,
    });
    try {
      assertScriptlessSandbox(replayer.iframe);
    } catch (error) {
      replayer.destroy();
      throw error;
    }
    replayer.on('resize', (size) => {
      const { width, height } = size as Size;
      this.#viewport = { width, height };
      this.#fit();
    });
    replayer.on('fullsnapshot-rebuilded', () => this.#setStatus('rendered'));
    this.#pacing.sync(serverTime);
    // The baseline is "now" on the pacing clock: events stamped before it (the checkout) are
    // applied at once, later ones when the replayer's timer reaches them.
    replayer.startLive(this.#clock.now());
    this.#replayer = replayer;
  }

  /**
   * Carries on after a rejoin, keeping the replayer and the page on screen: pacing re-syncs to
   * the welcome's `serverTime`, and each tab the welcome did not list in `resumed` starts again
   * from its next full snapshot. Without `resumed` (the server does not resume) the mirror starts
   * over as {@link Mirror.reset} does.
   */
  rejoin(serverTime: number, resumed: readonly string[] | undefined): void {
    if (!this.#replayer || resumed === undefined) {
      this.reset(serverTime);
      return;
    }
    this.#pacing.resync(serverTime);
    this.#tabs.keepOnly(new Set(resumed));
  }

  /** What the mirror holds per tab, for a reconnecting hello. */
  get resumeFrom(): ResumeFrom {
    return this.#tabs.resumePoints();
  }

  /**
   * Applies one relayed batch: dropped if it is a duplicate or from a tab not shown; otherwise
   * decoded, re-stamped on the agent's clock and handed to the replayer. Throws a `SightlineError`
   * for a payload that does not decode, and for a frame that lost its sandbox (the mirror is torn
   * down first).
   */
  apply(batch: BinaryBatch<DomBatchRelayHeader>): void {
    const replayer = this.#replayer;
    if (!replayer) return;
    if (this.#tabs.accept(batch.header) !== 'apply') return;
    try {
      assertScriptlessSandbox(replayer.iframe);
    } catch (error) {
      this.#destroyReplayer();
      this.#setStatus('empty');
      throw error;
    }
    // rrweb adds events on a microtask, so the previous full batch's snapshot is in its log by
    // now: drop what came before it.
    if (this.#pruneDue) {
      this.#pruneDue = false;
      const log = replayerEventLog(replayer);
      if (log) pruneBeforeLastFullSnapshot(log);
    }
    if (batch.header.full) this.#pruneDue = true;
    const events = decodeBatchPayload(batch.payload);
    const times = this.#pacing.stamp(
      batch.header.receivedAt,
      events.map((event) => event.timestamp),
    );
    events.forEach((event, index) => {
      event.timestamp = times[index] ?? event.timestamp;
      replayer.addEvent(event);
    });
  }

  /** Shows the customer's tab `tabId` from its next full snapshot on. */
  follow(tabId: string): void {
    this.#tabs.follow(tabId);
  }

  /** The tab shown, once a page has arrived. */
  get shownTabId(): string | undefined {
    return this.#tabs.activeTabId;
  }

  /** The stage the page is drawn in, for layers laid over it (input, annotations). */
  get stage(): HTMLElement {
    return this.#stage;
  }

  /** The replay frame (sandboxed, scriptless), once {@link Mirror.reset} made one. */
  get frame(): HTMLIFrameElement | undefined {
    return this.#replayer?.iframe;
  }

  /** The rrweb node id of `node` in the frame (the same id as on the customer's page), if any. */
  idOf(node: Node): number | undefined {
    const id = this.#replayer?.getMirror().getId(node);
    return id !== undefined && id > 0 ? id : undefined;
  }

  /** The node with rrweb id `id` in the frame, if it is there. */
  nodeOf(id: number): Node | null {
    return this.#replayer?.getMirror().getNode(id) ?? null;
  }

  /** Removes everything the mirror added to the page. */
  destroy(): void {
    this.#destroyReplayer();
    this.#resizeObserver?.disconnect();
    this.#stage.remove();
    this.#setStatus('empty');
  }

  #destroyReplayer(): void {
    const replayer = this.#replayer;
    this.#replayer = undefined;
    if (!replayer) return;
    // `destroy()` does not stop the live timer (live mode ignores PAUSE), so clear it first or
    // queued events keep casting into a detached frame.
    replayer.timer.clear();
    replayer.destroy();
  }

  #setStatus(status: MirrorStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.#callbacks.status(status);
  }

  #fit(): void {
    const wrapper = this.#replayer?.wrapper;
    if (!wrapper || !this.#viewport) return;
    const { width, height } = this.#viewport;
    const { scale, x, y } = fitInto(
      { width: this.#stage.clientWidth, height: this.#stage.clientHeight },
      this.#viewport,
    );
    wrapper.style.width = `${width}px`;
    wrapper.style.height = `${height}px`;
    wrapper.style.transform = `translate(${x}px, ${y}px) scale(${scale})`;
  }
}
