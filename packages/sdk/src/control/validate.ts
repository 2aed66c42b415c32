/**
 * @module
 * Stage 1 of the control pipeline: is this a command this page takes? The frame is parsed again
 * with the protocol's schema (whoever handed it over), it must be for this tab, and the page's own
 * settings must allow its action: `remoteAssist.enable` and `remoteAssistTypes`, checked here as
 * the server checks them, and a navigation only to a URL on the page's own origin. Pure.
 */
import {
  ControlCommandRelay,
  REMOTE_ASSIST_TYPE_OF,
  type CommandId,
  type CommandRefusal,
  type RemoteAction,
  type RemoteAssistType,
} from '@sightline/protocol';

/** The page's settings the first stage reads. */
export interface ValidationContext {
  /** This tab's id: a command for another tab is not this tab's to answer. */
  readonly tabId: string;
  /** `remoteAssist.enable`. */
  readonly enabled: boolean;
  /** `remoteAssist.remoteAssistTypes`. */
  readonly types: readonly RemoteAssistType[];
  /** The page's origin (`location.origin`), for `navigate` to a URL. */
  readonly origin: string;
}

/** What the first stage decided. */
export type Validated =
  | { readonly command: ControlCommandRelay }
  /** Refused, and answered: the frame named its command and this tab. */
  | { readonly commandId: CommandId; readonly refusal: CommandRefusal }
  /** Not this tab's, or too broken to answer: dropped without a word. */
  | { readonly drop: true };

/** The fields needed to answer a command that fails validation, if the frame has them. */
function answerable(frame: unknown, tabId: string): CommandId | undefined {
  if (typeof frame !== 'object' || frame === null) return undefined;
  const { commandId, tabId: to } = frame as { commandId?: unknown; tabId?: unknown };
  if (to !== tabId || typeof commandId !== 'string') return undefined;
  return ControlCommandRelay.shape.commandId.safeParse(commandId).success ? commandId : undefined;
}

/**
 * Whether `url` is an absolute http(s) URL on `origin`. A relative URL, another scheme
 * (`javascript:`, `data:`) or another origin is not.
 */
export function isSameOriginUrl(url: string, origin: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin === origin;
}

/** Why the page's settings refuse `action`, if they do. */
export function settingsRefusal(
  action: RemoteAction,
  context: Pick<ValidationContext, 'enabled' | 'types' | 'origin'>,
): CommandRefusal | undefined {
  if (!context.enabled) return 'not_allowed';
  if (!context.types.includes(REMOTE_ASSIST_TYPE_OF[action.kind])) return 'not_allowed';
  if (action.kind === 'navigate' && action.to === 'url') {
    if (!isSameOriginUrl(action.url ?? '', context.origin)) return 'off_origin';
  }
  return undefined;
}

/** Stage 1: parses `frame` and checks it against the page's settings. */
export function validateCommand(frame: unknown, context: ValidationContext): Validated {
  const parsed = ControlCommandRelay.safeParse(frame);
  if (!parsed.success) {
    const commandId = answerable(frame, context.tabId);
    return commandId === undefined ? { drop: true } : { commandId, refusal: 'not_actionable' };
  }
  const command = parsed.data;
  if (command.tabId !== context.tabId) return { drop: true };
  const refusal = settingsRefusal(command.action, context);
  return refusal ? { commandId: command.commandId, refusal } : { command };
}
