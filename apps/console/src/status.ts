/**
 * @module
 * The words in the session view's status pill. The e2e tests read them, so they are exactly
 * these nine strings.
 */
import type { ConnectionStatus, MirrorStatus } from '@sightline/agent';

/** What the status pill says. */
export type StatusLabel =
  | 'connecting'
  | 'live'
  | 'waiting for customer'
  | 'waiting for consent'
  | 'waiting for page'
  | 'customer disconnected'
  | 'reconnecting'
  | 'ended'
  | 'failed';

/** What the label is derived from. */
export interface StatusInputs {
  connection: ConnectionStatus;
  mirror: MirrorStatus;
  /** The customer is connected now. */
  customerPresent: boolean;
  /** The customer was connected at some point during this view. */
  customerSeen: boolean;
  /** The customer has not yet allowed this agent to see the page. */
  consentPending?: boolean;
  /** This agent invited the customer with a link, and waits in the session for them. */
  invited?: boolean;
}

/** The pill's label for the session as it is. */
export function statusLabel(inputs: StatusInputs): StatusLabel {
  switch (inputs.connection) {
    case 'idle':
    case 'connecting':
      return 'connecting';
    case 'reconnecting':
      return 'reconnecting';
    case 'disconnected':
    case 'ended':
      return 'ended';
    case 'failed':
      return 'failed';
    case 'connected':
      if (inputs.consentPending) return 'waiting for consent';
      if (inputs.invited && !inputs.customerSeen && inputs.mirror !== 'rendered') {
        return 'waiting for customer';
      }
      if (!inputs.customerPresent) {
        // A page on screen (or a customer once here) with nobody sending it: they dropped. With
        // neither, the customer has simply not shared anything yet.
        return inputs.customerSeen || inputs.mirror === 'rendered'
          ? 'customer disconnected'
          : 'waiting for page';
      }
      return inputs.mirror === 'rendered' ? 'live' : 'waiting for page';
  }
}

/** The pill's tone, for styling. */
export function statusTone(label: StatusLabel): 'ok' | 'wait' | 'warn' | 'off' {
  switch (label) {
    case 'live':
      return 'ok';
    case 'connecting':
    case 'waiting for customer':
    case 'waiting for consent':
    case 'waiting for page':
      return 'wait';
    case 'customer disconnected':
    case 'reconnecting':
    case 'failed':
      return 'warn';
    case 'ended':
      return 'off';
  }
}
