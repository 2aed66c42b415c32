/**
 * @module
 * The unions of every text (JSON) frame, by direction. Binary frames (`dom.batch`) are in
 * `../binary.ts`.
 */
import * as z from 'zod';
import {
  ConsentAllowed,
  ConsentPending,
  ConsentRequest,
  ConsentResponse,
  ConsentSettled,
  ConsentViewers,
} from './consent.js';
import {
  AnnotationClear,
  AnnotationCleared,
  AnnotationDraw,
  AnnotationDrawn,
  AnnotationErase,
  AnnotationErased,
  AnnotationSync,
  PointerMove,
  PointerMoved,
} from './annotation.js';
import {
  ControlCommand,
  ControlCommandRelay,
  ControlGrant,
  ControlHandover,
  ControlRequest,
  ControlResult,
  ControlResultRelay,
  ControlSet,
  ControlSettingsMessage,
  ControlState,
} from './control.js';
import { SessionDeadline, SessionExtend, SessionExtension } from './deadline.js';
import { DomAck, DomSnapshotRequest } from './dom.js';
import {
  SessionEnd,
  SessionEnded,
  SessionError,
  SessionHello,
  SessionParticipantJoined,
  SessionParticipantLeft,
  SessionStateChanged,
  SessionWelcome,
} from './session.js';
import { CustomerTabs, TabActivity } from './tabs.js';

export * from './annotation.js';
export * from './common.js';
export * from './control.js';
export * from './consent.js';
export * from './deadline.js';
export * from './dom.js';
export * from './session.js';
export * from './tabs.js';

/** Every text frame a customer SDK may send to the server. */
export const CustomerToServer = z.discriminatedUnion('type', [
  SessionHello,
  SessionEnd,
  ConsentResponse,
  TabActivity,
  ControlSettingsMessage,
  ControlSet,
  ControlGrant,
  ControlResult,
  AnnotationDraw,
  AnnotationErase,
  AnnotationClear,
  AnnotationSync,
  PointerMove,
]);
export type CustomerToServer = z.infer<typeof CustomerToServer>;

/** Every text frame an agent may send to the server. */
export const AgentToServer = z.discriminatedUnion('type', [
  SessionHello,
  SessionEnd,
  SessionExtend,
  ControlRequest,
  ControlHandover,
  ControlCommand,
  AnnotationDraw,
  AnnotationErase,
  AnnotationClear,
  PointerMove,
]);
export type AgentToServer = z.infer<typeof AgentToServer>;

/** Every text frame any client may send: the union the server validates before it checks the role. */
export const ClientToServer = z.discriminatedUnion('type', [
  SessionHello,
  SessionEnd,
  ConsentResponse,
  TabActivity,
  SessionExtend,
  ControlSettingsMessage,
  ControlSet,
  ControlGrant,
  ControlResult,
  ControlRequest,
  ControlHandover,
  ControlCommand,
  AnnotationDraw,
  AnnotationErase,
  AnnotationClear,
  AnnotationSync,
  PointerMove,
]);
export type ClientToServer = z.infer<typeof ClientToServer>;

/** Every text frame the server sends to a customer SDK or an agent. */
export const ServerToClient = z.discriminatedUnion('type', [
  SessionWelcome,
  SessionParticipantJoined,
  SessionParticipantLeft,
  SessionStateChanged,
  SessionEnded,
  SessionError,
  DomAck,
  DomSnapshotRequest,
  ConsentRequest,
  ConsentViewers,
  ConsentPending,
  ConsentAllowed,
  CustomerTabs,
  ConsentSettled,
  SessionDeadline,
  SessionExtension,
  ControlState,
  ControlCommandRelay,
  ControlResultRelay,
  AnnotationDrawn,
  AnnotationErased,
  AnnotationCleared,
  AnnotationSync,
  PointerMoved,
]);
export type ServerToClient = z.infer<typeof ServerToClient>;
