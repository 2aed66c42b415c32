/**
 * @module
 * Internal: annotations and pointers, relayed (ADR 0012). The server keeps none: it checks who
 * may draw, stamps the author, and passes each frame on. Agents draw and point in `guided` and
 * above while the page allows agents to (`allowAgentAnnotation`), and only once the customer
 * allowed them to see the page; the customer draws while the page allows it
 * (`allowCustomerAnnotation`), on its own tab. Anything else is refused with 3025 and dropped.
 *
 * Who hears what: a drawing or a pointer of a tab goes to that tab's socket alone (node ids are
 * per tab) and to the other agents who see the page; an erasure or a clear names no tab, so every
 * customer tab hears it. `annotation.sync`, the tab's set sent with each snapshot, goes to the
 * agents as it is. Pointer moves beyond about 40 a second from one socket are dropped quietly.
 */
import {
  SightlineError,
  type AnnotationClear,
  type AnnotationDraw,
  type AnnotationErase,
  type AnnotationSync,
  type Participant,
  type PointerMove,
  type ServerToClient,
} from '@sightline/protocol';
import type { Connection } from './connection.js';
import { mayAnnotate } from './control-machine.js';
import type { ControlRecords } from './control-record.js';
import type { Clock } from './ports.js';
import type { SessionHub } from './session-hub.js';

/** A frame that draws, erases or points. */
export type AnnotationFrame = AnnotationDraw | AnnotationErase | AnnotationClear | PointerMove;

/** Pointer moves one socket may send per second before the rest are dropped. */
const POINTER_MOVES_PER_SECOND = 40;

interface Dependencies {
  records: ControlRecords;
  hub: SessionHub;
  clock: Clock;
}

/** One per node. */
export class AnnotationRelay {
  /** Each socket's pointer moves in the current second. */
  private readonly pointers = new WeakMap<Connection, { second: number; count: number }>();

  constructor(private readonly deps: Dependencies) {}

  /** A drawing, erasure, clear or pointer move. Returns the error to refuse it with. */
  async receive(
    connection: Connection,
    sessionId: string,
    frame: AnnotationFrame,
  ): Promise<SightlineError | undefined> {
    const author = connection.participant;
    if (!author) return undefined;
    if (author.role === 'agent' && !connection.watching) {
      return new SightlineError(
        'MESSAGE_NOT_ALLOWED',
        'Only an agent the customer allowed to see the page draws on it.',
      );
    }
    const tabId = tabOf(frame);
    if (author.role === 'customer' && tabId !== undefined && tabId !== connection.tabId) {
      return new SightlineError('MESSAGE_NOT_ALLOWED', 'The customer draws on its own tab only.');
    }
    if (frame.type === 'pointer.move' && this.tooFast(connection)) return undefined;
    const control = await this.deps.records.read(sessionId);
    if (!mayAnnotate(control, author.role)) return new SightlineError('ANNOTATION_NOT_ALLOWED');
    this.relay(sessionId, author, tabId, relayed(frame, author));
    return undefined;
  }

  /** The customer's `annotation.sync` for its tab, for the agents. Returns the refusal. */
  sync(
    connection: Connection,
    sessionId: string,
    frame: AnnotationSync,
  ): SightlineError | undefined {
    const foreign = frame.annotations.some((item) => item.annotation.tabId !== frame.tabId);
    if (frame.tabId !== connection.tabId || foreign) {
      return new SightlineError('MESSAGE_NOT_ALLOWED', 'A tab sends its own annotations only.');
    }
    this.deps.hub.sendText(sessionId, frame, { to: 'agent', watchingOnly: true });
    return undefined;
  }

  /** To the agents who see the page but the author, and to the customer's tab (or tabs). */
  private relay(
    sessionId: string,
    author: Participant,
    tabId: string | undefined,
    message: ServerToClient,
  ): void {
    const { hub } = this.deps;
    hub.sendText(sessionId, message, {
      to: 'agent',
      watchingOnly: true,
      except: { role: author.role, userId: author.userId },
    });
    if (author.role === 'customer') return;
    hub.sendText(sessionId, message, { to: 'customer', ...(tabId === undefined ? {} : { tabId }) });
  }

  /** Counts a pointer move; true when the socket is over its rate this second. */
  private tooFast(connection: Connection): boolean {
    const second = Math.floor(this.deps.clock.now() / 1000);
    const seen = this.pointers.get(connection);
    if (seen?.second !== second) {
      this.pointers.set(connection, { second, count: 1 });
      return false;
    }
    seen.count += 1;
    return seen.count > POINTER_MOVES_PER_SECOND;
  }
}

/** The tab a frame is about, if it names one. */
function tabOf(frame: AnnotationFrame): string | undefined {
  if (frame.type === 'annotation.draw') return frame.annotation.tabId;
  if (frame.type === 'pointer.move') return frame.tabId;
  return undefined;
}

/** The frame others receive, with its author. */
function relayed(frame: AnnotationFrame, author: Participant): ServerToClient {
  switch (frame.type) {
    case 'annotation.draw':
      return { type: 'annotation.drawn', annotation: frame.annotation, author };
    case 'annotation.erase':
      return { type: 'annotation.erased', ids: frame.ids, by: author };
    case 'annotation.clear':
      return { type: 'annotation.cleared', by: author };
    case 'pointer.move':
      return {
        type: 'pointer.moved',
        kind: frame.kind,
        tabId: frame.tabId,
        ...(frame.nodeId === undefined ? {} : { nodeId: frame.nodeId }),
        ...(frame.at === undefined ? {} : { at: frame.at }),
        author,
      };
  }
}
