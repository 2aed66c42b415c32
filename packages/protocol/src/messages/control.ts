/**
 * @module
 * `control.*` messages: control modes and remote assist (ADR 0012). A session starts in
 * `view_only`. Each step up (`guided`, `controlled`, `full_control`) is asked by an agent and
 * acknowledged by the customer in the SDK's UI (`consent.request { kind: 'control' }`);
 * `full_control` first needs a manager's approval in the console. One agent at a time is the
 * controller in `controlled` and `full_control`. The server relays a `control.command` only from
 * the controller, in a mode that allows it; the SDK checks again (target, consent, page settings)
 * before it acts, and reports every outcome (`control.result`).
 *
 * Elements are named by their rrweb node id in the tab's stream (`nodeId`): what the agent's
 * mirror knows, never a selector or a value from the page.
 */
import * as z from 'zod';
import {
  CONTROL_GRANT_MAX_MS,
  CONTROL_TEXT_MAX_LENGTH,
  CONTROL_URL_MAX_LENGTH,
  USER_ID_MAX_LENGTH,
} from '../limits.js';
import { Participant, TabId } from './common.js';

/**
 * How far agents may act on the page, lowest first: `view_only` (see the page), `guided` (also
 * annotate and point), `controlled` (the controller acts; each action approved by the customer,
 * or within a window the customer granted), `full_control` (the controller acts freely).
 */
export const ControlMode = z.enum(['view_only', 'guided', 'controlled', 'full_control']);
export type ControlMode = z.infer<typeof ControlMode>;

/** Each mode's rank: a higher rank allows everything a lower one does. */
export const CONTROL_MODE_RANK: Readonly<Record<ControlMode, number>> = {
  view_only: 0,
  guided: 1,
  controlled: 2,
  full_control: 3,
};

/** Whether `mode` lets agents act on the page (there is a controller). */
export const isControlMode = (mode: ControlMode): boolean => CONTROL_MODE_RANK[mode] >= 2;

/** An element in one tab's stream: its rrweb node id. */
export const NodeId = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
export type NodeId = z.infer<typeof NodeId>;

/** A point inside an element's border box, as fractions of its width and height (0–1). */
export const BoxPoint = z.object({
  x: z.number().min(0).max(1),
  y: z.number().min(0).max(1),
});
export type BoxPoint = z.infer<typeof BoxPoint>;

/** Keys an agent may press: what support needs to move through a form, nothing that edits. */
export const RemoteKey = z.enum([
  'Enter',
  'Tab',
  'Escape',
  'ArrowUp',
  'ArrowDown',
  'ArrowLeft',
  'ArrowRight',
]);
export type RemoteKey = z.infer<typeof RemoteKey>;

/**
 * One action on the customer's page. Every action but `navigate` names its element; `scroll`
 * without `nodeId` scrolls the page.
 */
export const RemoteAction = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('scroll'),
      /** The scrollable element; absent: the page. */
      nodeId: NodeId.optional(),
      /** The scroll position to reach (`scrollLeft`, `scrollTop`), CSS px. */
      left: z.number().min(0).max(1e7),
      top: z.number().min(0).max(1e7),
    })
    .strict(),
  z.object({ kind: z.literal('click'), nodeId: NodeId, at: BoxPoint.optional() }).strict(),
  z.object({ kind: z.literal('dblclick'), nodeId: NodeId, at: BoxPoint.optional() }).strict(),
  z.object({ kind: z.literal('hover'), nodeId: NodeId, at: BoxPoint.optional() }).strict(),
  z
    .object({
      kind: z.literal('type'),
      nodeId: NodeId,
      /** Text to insert at the caret, or (`replace`) the field's whole new value. */
      text: z.string().max(CONTROL_TEXT_MAX_LENGTH),
      replace: z.boolean().default(false),
    })
    .strict(),
  z
    .object({
      kind: z.literal('select'),
      nodeId: NodeId,
      /** The options to select, by index: option values may be masked, indexes never are. */
      options: z.array(z.number().int().min(0).max(10_000)).min(1).max(256),
    })
    .strict(),
  z.object({ kind: z.literal('check'), nodeId: NodeId, checked: z.boolean() }).strict(),
  z.object({ kind: z.literal('focus'), nodeId: NodeId }).strict(),
  z
    .object({
      kind: z.literal('key'),
      /** The element to press the key on; absent: the focused element. */
      nodeId: NodeId.optional(),
      key: RemoteKey,
      shift: z.boolean().default(false),
    })
    .strict(),
  z
    .object({
      kind: z.literal('navigate'),
      to: z.enum(['back', 'forward', 'reload', 'url']),
      /** `to: 'url'` only: an absolute http(s) URL on the page's own origin (the SDK checks). */
      url: z.string().max(CONTROL_URL_MAX_LENGTH).optional(),
    })
    .strict()
    .refine((a) => (a.to === 'url') === (a.url !== undefined), {
      message: 'url goes with to: url, and only with it',
      path: ['url'],
    }),
]);
export type RemoteAction = z.infer<typeof RemoteAction>;
export type RemoteActionKind = RemoteAction['kind'];

/**
 * Zoom's `remoteAssistTypes` and ours: what a page lets agents do in a control mode. Zoom's only
 * type is `scroll_page`; a page that lists only it allows only scrolling.
 */
export const RemoteAssistType = z.enum([
  'scroll_page',
  'click',
  'hover',
  'type',
  'select',
  'key',
  'navigate',
]);
export type RemoteAssistType = z.infer<typeof RemoteAssistType>;

/** The remote-assist type each action needs. */
export const REMOTE_ASSIST_TYPE_OF: Readonly<Record<RemoteActionKind, RemoteAssistType>> = {
  scroll: 'scroll_page',
  click: 'click',
  dblclick: 'click',
  hover: 'hover',
  focus: 'click',
  type: 'type',
  select: 'select',
  check: 'select',
  key: 'key',
  navigate: 'navigate',
};

/**
 * What the customer's page allows, from its SDK settings (`remoteAssist`, `allowAgentAnnotation`,
 * `allowCustomerAnnotation`). Sent by the SDK after each welcome; the server enforces it too and
 * tells the agents in `control.state`.
 */
export const ControlSettings = z
  .object({
    remoteAssist: z
      .object({
        /** Whether `controlled` and `full_control` may be asked for at all. */
        enable: z.boolean(),
        /** Zoom's: false lets `controlled` start without the customer's acknowledgment. */
        enableCustomerConsent: z.boolean(),
        types: z.array(RemoteAssistType).max(16),
        /** Zoom's: the customer confirms before remote assist stops. */
        requireStopConfirmation: z.boolean(),
      })
      .strict(),
    allowAgentAnnotation: z.boolean(),
    allowCustomerAnnotation: z.boolean(),
  })
  .strict();
export type ControlSettings = z.infer<typeof ControlSettings>;

/** Sent by the customer SDK after every welcome: the page's {@link ControlSettings}. @since 1.2 */
export const ControlSettingsMessage = z
  .object({ type: z.literal('control.settings'), settings: ControlSettings })
  .strict();
export type ControlSettingsMessage = z.infer<typeof ControlSettingsMessage>;

/** A step up waiting for someone: a manager in the console, or the customer. */
export const ControlPending = z.object({
  mode: ControlMode,
  agent: Participant,
  waitingFor: z.enum(['manager', 'customer']),
});
export type ControlPending = z.infer<typeof ControlPending>;

/**
 * Broadcast by the server to everyone in the session whenever the mode, the controller, the
 * customer's grant or a pending step up changes, and sent after each welcome.
 * @since 1.2
 */
export const ControlState = z.object({
  type: z.literal('control.state'),
  /** Grows with every change, on any node: a state with a lower revision than one seen is stale. */
  revision: z.number().int().min(0),
  mode: ControlMode,
  /** The agent who acts, in `controlled` and `full_control`; null otherwise. */
  controller: Participant.nullable(),
  /** `controlled`: until when (server time) the customer allowed every action; null: ask each. */
  grantUntil: z.number().int().min(0).nullable(),
  pending: ControlPending.nullable(),
  /** The page's settings, once its SDK sent them. */
  settings: ControlSettings.nullable(),
  serverTime: z.number().int().min(0),
});
export type ControlState = z.infer<typeof ControlState>;

/**
 * Sent by an agent: move the session to `mode`. A step down (or the same mode) applies at once.
 * A step up is asked of the customer (`consent.request { kind: 'control', mode }`); to
 * `full_control`, a manager approves first unless the agent is a manager. In `controlled` or
 * `full_control`, the asking agent becomes the controller. Refused with `session.error`:
 * 3018–3021, 3006 from the customer.
 * @since 1.2
 */
export const ControlRequest = z
  .object({ type: z.literal('control.request'), mode: ControlMode })
  .strict();
export type ControlRequest = z.infer<typeof ControlRequest>;

/**
 * Sent by the controller: give control to another agent in the session. The customer is asked
 * (`consent.request { kind: 'control' }` naming the new agent); until it allows, the old
 * controller keeps control.
 * @since 1.2
 */
export const ControlHandover = z
  .object({
    type: z.literal('control.handover'),
    toUserId: z.string().min(1).max(USER_ID_MAX_LENGTH),
  })
  .strict();
export type ControlHandover = z.infer<typeof ControlHandover>;

/**
 * Sent by the customer SDK: step down to `mode` (lower than or equal to the current mode);
 * `view_only` is the banner's Stop. Applies at once. A step up from the customer is refused (3006).
 * @since 1.2
 */
export const ControlSet = z.object({ type: z.literal('control.set'), mode: ControlMode }).strict();
export type ControlSet = z.infer<typeof ControlSet>;

/**
 * Sent by the customer SDK in `controlled`: allow every action of the controller for
 * `durationMs` ("Allow for 2 minutes"); 0 withdraws the window.
 * @since 1.2
 */
export const ControlGrant = z
  .object({
    type: z.literal('control.grant'),
    durationMs: z.number().int().min(0).max(CONTROL_GRANT_MAX_MS),
  })
  .strict();
export type ControlGrant = z.infer<typeof ControlGrant>;

/** Identifies one command, chosen by the agent's client. */
export const CommandId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
export type CommandId = z.infer<typeof CommandId>;

/**
 * Sent by the controller: act on the customer's tab `tabId`. The server checks the mode, the
 * controller and the page's settings first; a refused command is dropped, audited, and answered
 * with `control.result { outcome: 'refused' }`.
 * @since 1.2
 */
export const ControlCommand = z
  .object({
    type: z.literal('control.command'),
    commandId: CommandId,
    tabId: TabId,
    action: RemoteAction,
  })
  .strict();
export type ControlCommand = z.infer<typeof ControlCommand>;

/**
 * Sent by the server to the customer's tab `tabId`: a command of the controller `agent`, which
 * the SDK validates, has approved if the mode asks for it, then executes.
 * @since 1.2
 */
export const ControlCommandRelay = z.object({
  type: z.literal('control.command'),
  commandId: CommandId,
  tabId: TabId,
  agent: Participant,
  action: RemoteAction,
});
export type ControlCommandRelay = z.infer<typeof ControlCommandRelay>;

/**
 * What became of a command: `done`; `refused` (not allowed: by the server, or by the SDK because
 * the target is masked, blocked, gone, deny-listed or the page does not allow the action);
 * `declined` by the customer; `expired` unanswered.
 */
export const CommandOutcome = z.enum(['done', 'refused', 'declined', 'expired']);
export type CommandOutcome = z.infer<typeof CommandOutcome>;

/** Why the SDK refused a command; the agent's console says it in words. */
export const CommandRefusal = z.enum([
  'masked',
  'blocked',
  'gone',
  'denied_selector',
  'not_allowed',
  'not_actionable',
  'off_origin',
]);
export type CommandRefusal = z.infer<typeof CommandRefusal>;

/**
 * Sent by the customer SDK for every command it received: what became of it. Not-`done` outcomes
 * are audited by the server.
 * @since 1.2
 */
export const ControlResult = z
  .object({
    type: z.literal('control.result'),
    commandId: CommandId,
    tabId: TabId,
    outcome: CommandOutcome,
    refusal: CommandRefusal.optional(),
  })
  .strict();
export type ControlResult = z.infer<typeof ControlResult>;

/**
 * Sent by the server to agents: what became of `agent`'s command. `code` and `message` say why,
 * from the catalogue, when it was not done.
 * @since 1.2
 */
export const ControlResultRelay = z.object({
  type: z.literal('control.result'),
  commandId: CommandId,
  tabId: TabId,
  agent: Participant,
  outcome: CommandOutcome,
  refusal: CommandRefusal.optional(),
  code: z.number().int().optional(),
  message: z.string().max(512).optional(),
});
export type ControlResultRelay = z.infer<typeof ControlResultRelay>;
