/**
 * @module
 * Internal: the page's elements by rrweb node id, the names agents' mirrors know them by, for the
 * control pipeline and the overlay. There are ids only while the recorder records; a node the
 * recorder no longer knows, or any node while it is stopped, has none.
 */
import { record } from '@rrweb/record';
import type { Recorder } from '../capture/recorder.js';

/** Lookups between rrweb node ids and the page's nodes. */
export interface PageNodes {
  /** The node recorded under `id`, or `null`. */
  nodeOf(id: number): Node | null;
  /** The element recorded under `id`, or `null` (for a node that is not an element too). */
  elementOf(id: number): Element | null;
  /** The id `node` is recorded under, if it is. */
  idOf(node: Node): number | undefined;
}

/** The lookups of the page `recorder` records. */
export function pageNodes(recorder: Recorder): PageNodes {
  const nodeOf = (id: number) => (recorder.recording ? record.mirror.getNode(id) : null);
  return {
    nodeOf,
    elementOf: (id) => {
      const node = nodeOf(id);
      return node?.nodeType === 1 ? (node as Element) : null;
    },
    idOf: (node) => {
      const id = recorder.recording ? record.mirror.getId(node) : -1;
      return id > 0 ? id : undefined;
    },
  };
}
