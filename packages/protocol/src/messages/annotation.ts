/**
 * @module
 * `annotation.*` and `pointer.*` messages: drawing on the customer's page (ADR 0012). An
 * annotation is anchored to an element of one tab (its rrweb node id), and its points are
 * fractions of that element's border box, so it stays on the element when the page scrolls,
 * resizes or reflows. Agents draw in `guided` mode and above when the page allows agents to
 * (`allowAgentAnnotation`); the customer draws when the page allows it (`allowCustomerAnnotation`).
 * The server stamps each with its author and relays it to everyone else in the session; the
 * customer's SDK holds the tab's current set and sends it (`annotation.sync`) for late joiners.
 */
import * as z from 'zod';
import { ANNOTATION_MAX_POINTS, ANNOTATION_TEXT_MAX_LENGTH } from '../limits.js';
import { Participant, TabId } from './common.js';
import { NodeId } from './control.js';

/** The drawing tools. `vanishing_pen` fades about 4 s after it is drawn, on every screen. */
export const AnnotationTool = z.enum([
  'pen',
  'vanishing_pen',
  'rectangle',
  'ellipse',
  'arrow',
  'text',
  'spotlight',
]);
export type AnnotationTool = z.infer<typeof AnnotationTool>;

/** Identifies an annotation, chosen by its author's client. */
export const AnnotationId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
export type AnnotationId = z.infer<typeof AnnotationId>;

/**
 * A point relative to the anchor element's border box: (0, 0) is its top left, (1, 1) its bottom
 * right. Points outside the box are allowed, within bounds.
 */
export const AnchoredPoint = z.object({
  x: z.number().min(-1000).max(1000),
  y: z.number().min(-1000).max(1000),
});
export type AnchoredPoint = z.infer<typeof AnchoredPoint>;

/** A colour, `#rrggbb`. */
export const AnnotationColor = z.string().regex(/^#[0-9a-fA-F]{6}$/);

/**
 * One annotation. `points`: a pen's path; two opposite corners for `rectangle`, `ellipse` and
 * `spotlight`; from and to for `arrow`; where `text` starts.
 */
export const Annotation = z
  .object({
    id: AnnotationId,
    tool: AnnotationTool,
    tabId: TabId,
    /** The element it is drawn on. */
    nodeId: NodeId,
    points: z.array(AnchoredPoint).min(1).max(ANNOTATION_MAX_POINTS),
    color: AnnotationColor,
    /** Stroke width, CSS px. */
    width: z.number().min(1).max(32),
    /** `text` only. */
    text: z.string().min(1).max(ANNOTATION_TEXT_MAX_LENGTH).optional(),
  })
  .strict()
  .refine((a) => (a.tool === 'text') === (a.text !== undefined), {
    message: 'text goes with tool text, and only with it',
    path: ['text'],
  });
export type Annotation = z.infer<typeof Annotation>;

/** An annotation with the participant who drew it, as the server relays it. */
export const AuthoredAnnotation = z.object({ annotation: Annotation, author: Participant });
export type AuthoredAnnotation = z.infer<typeof AuthoredAnnotation>;

/** Sent by a client: draw (or redraw, same id) an annotation. @since 1.2 */
export const AnnotationDraw = z
  .object({ type: z.literal('annotation.draw'), annotation: Annotation })
  .strict();
export type AnnotationDraw = z.infer<typeof AnnotationDraw>;

/** Relayed by the server to everyone else in the session: `author` drew `annotation`. @since 1.2 */
export const AnnotationDrawn = z.object({
  type: z.literal('annotation.drawn'),
  annotation: Annotation,
  author: Participant,
});
export type AnnotationDrawn = z.infer<typeof AnnotationDrawn>;

/** Sent by a client: remove annotations (the eraser, and undo). @since 1.2 */
export const AnnotationErase = z
  .object({ type: z.literal('annotation.erase'), ids: z.array(AnnotationId).min(1).max(256) })
  .strict();
export type AnnotationErase = z.infer<typeof AnnotationErase>;

/** Relayed by the server to everyone else: `by` removed these annotations. @since 1.2 */
export const AnnotationErased = z.object({
  type: z.literal('annotation.erased'),
  ids: z.array(AnnotationId),
  by: Participant,
});
export type AnnotationErased = z.infer<typeof AnnotationErased>;

/** Sent by a client: remove every annotation of the session ("Clear all"). @since 1.2 */
export const AnnotationClear = z.object({ type: z.literal('annotation.clear') }).strict();
export type AnnotationClear = z.infer<typeof AnnotationClear>;

/** Relayed by the server to everyone else: `by` cleared every annotation. @since 1.2 */
export const AnnotationCleared = z.object({
  type: z.literal('annotation.cleared'),
  by: Participant,
});
export type AnnotationCleared = z.infer<typeof AnnotationCleared>;

/**
 * Sent by the customer SDK, per tab, whenever an agent starts watching (with the tab's snapshot):
 * the annotations now on the tab, so a late joiner's view matches. Relayed to agents as is.
 * @since 1.2
 */
export const AnnotationSync = z
  .object({
    type: z.literal('annotation.sync'),
    tabId: TabId,
    annotations: z.array(AuthoredAnnotation).max(512),
  })
  .strict();
export type AnnotationSync = z.infer<typeof AnnotationSync>;

/** What a pointer shows: the author's cursor highlight, or the laser pointer (a fading trail). */
export const PointerKind = z.enum(['cursor', 'laser']);
export type PointerKind = z.infer<typeof PointerKind>;

/**
 * Sent by a client that may annotate, at most about 30 times a second: where its pointer is, on
 * an element of a tab, or that it left (`nodeId` absent). Never stored.
 * @since 1.2
 */
export const PointerMove = z
  .object({
    type: z.literal('pointer.move'),
    kind: PointerKind,
    tabId: TabId,
    nodeId: NodeId.optional(),
    at: AnchoredPoint.optional(),
  })
  .strict()
  .refine((m) => (m.nodeId === undefined) === (m.at === undefined), {
    message: 'nodeId and at go together',
    path: ['at'],
  });
export type PointerMove = z.infer<typeof PointerMove>;

/** Relayed by the server to everyone else: `author`'s pointer. @since 1.2 */
export const PointerMoved = z.object({
  type: z.literal('pointer.moved'),
  kind: PointerKind,
  tabId: TabId,
  nodeId: NodeId.optional(),
  at: AnchoredPoint.optional(),
  author: Participant,
});
export type PointerMoved = z.infer<typeof PointerMoved>;
