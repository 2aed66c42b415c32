/**
 * @module
 * The consent prompt: a modal dialog in the SDK's shadow root (`dialog.ts`) asking whether an
 * agent may see the page, may go on for longer than the session was to last, or may take a step
 * up in control. The focus starts on Deny, so a stray Enter never allows anything; Escape answers
 * Deny.
 */
import { isControlMode, type ControlMode, type RemoteAssistType } from '@sightline/protocol';
import { showDialog } from './dialog.js';
import type { ShadowHost } from './shadow-host.js';

/** What the prompt shows and whom it tells. */
export interface ConsentPromptOptions {
  /** The question, as its heading (see {@link promptTitle}, {@link extensionPromptTitle}). */
  title: string;
  /** What answering means (see {@link promptText}, {@link extensionPromptText}). */
  text: string;
  /** Called once, with the customer's answer. */
  onAnswer: (decision: 'allow' | 'deny') => void;
}

/** The agent as the prompt names them: "Jane Doe (Support)", or just "Jane Doe". */
function agentTitle(agentName: string, agentLabel: string): string {
  return `${agentName}${agentLabel ? ` (${agentLabel})` : ''}`;
}

/** The prompt's heading for an agent: "Jane Doe (Support) wants to see this page". */
export function promptTitle(agentName: string, agentLabel: string): string {
  return `${agentTitle(agentName, agentLabel)} wants to see this page`;
}

/** Whole minutes, as the customer reads them: "1 more minute", "15 more minutes". */
function moreMinutes(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  return `${minutes} more ${minutes === 1 ? 'minute' : 'minutes'}`;
}

/**
 * The prompt's heading for a request to extend the session: "Jane Doe (Support) asks to continue
 * this session for 15 more minutes".
 */
export function extensionPromptTitle(
  agentName: string,
  agentLabel: string,
  extensionMs: number,
): string {
  return `${agentTitle(agentName, agentLabel)} asks to continue this session for ${moreMinutes(extensionMs)}`;
}

/** What allowing or denying an extension means. It promises nothing about what is seen. */
export function extensionPromptText(): string {
  return (
    'If you allow, sharing goes on as it is now for that long. If you deny, the session ends ' +
    'at the time already planned. You can stop sharing at any time.'
  );
}

/**
 * What the prompt tells the customer the agent will see. It must be true under the page's masking
 * settings: with `custom_input` some typed values are shown, so only what is always masked is
 * promised.
 */
export function promptText(allInputsMasked: boolean): string {
  const hidden = allInputsMasked
    ? 'What you type in fields stays hidden from them.'
    : 'Some of what you type may be visible to them; passwords and card details always stay hidden.';
  return `They will see this page as you do, live. ${hidden} You can stop sharing at any time.`;
}

/** What agents may do in a control mode on this page, from its `remoteAssistTypes`. */
export function controlAbilities(types: readonly RemoteAssistType[]): string {
  const can = new Set(types);
  if (can.has('type') && can.has('click')) return 'click and type for you';
  if (can.has('click')) return 'click for you';
  if (can.has('type')) return 'type for you';
  if (can.size === 1 && can.has('scroll_page')) return 'scroll this page for you';
  return 'act on this page for you';
}

/**
 * The prompt's heading for a step up in control: "Jane Doe (Support) asks to control this page:
 * click and type for you". `from` names the controller now, for a handover.
 */
export function controlPromptTitle(
  agentName: string,
  agentLabel: string,
  mode: ControlMode,
  abilities: string,
  from?: string,
): string {
  const who = agentTitle(agentName, agentLabel);
  if (from !== undefined && isControlMode(mode)) {
    return `${who} asks to take over control of this page from ${from}`;
  }
  switch (mode) {
    case 'guided':
      return `${who} asks to point and draw on this page`;
    case 'controlled':
      return `${who} asks to control this page: ${abilities}`;
    case 'full_control':
      return `${who} asks for full control of this page: ${abilities} without asking you each time`;
    case 'view_only':
      return `${who} asks to only view this page`;
  }
}

/** What allowing a step up in control means, in the customer's words. */
export function controlPromptText(mode: ControlMode): string {
  const stop = 'You can stop at any time from the bar at the bottom of the page.';
  const hidden = 'What is hidden from them stays out of their reach.';
  switch (mode) {
    case 'guided':
      return `They can highlight and draw on what you see, to show you the way. They cannot click or type. ${stop}`;
    case 'controlled':
      return `You approve each action before it happens, or allow them for a few minutes. ${hidden} ${stop}`;
    case 'full_control':
      return `Their actions happen without a question each time. ${hidden} ${stop}`;
    case 'view_only':
      return stop;
  }
}

/**
 * Shows the prompt. Returns its disposer, which removes it without answering (the agent left, or
 * the session ended).
 */
export function showConsentPrompt(host: ShadowHost, options: ConsentPromptOptions): () => void {
  return showDialog(host, {
    title: options.title,
    text: options.text,
    buttons: [
      { answer: 'deny', label: 'Deny', testId: 'sightline-consent-deny' },
      { answer: 'allow', label: 'Allow', primary: true, testId: 'sightline-consent-allow' },
    ],
    escape: 'deny',
    onAnswer: options.onAnswer,
    testId: 'sightline-consent',
  });
}
