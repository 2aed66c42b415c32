/**
 * @module
 * `tab.*` and `customer.tabs` messages: which of the customer's tabs is in front. Each tab of the
 * customer has its own socket, stream and checkout (`dom.*`); these frames only say which tabs are
 * open and which one the customer is looking at, so an agent's mirror can follow them. Nothing of
 * a page travels here: no title, no URL.
 */
import * as z from 'zod';
import { TabId } from './common.js';

/**
 * How a tab stands: `focused` (visible, and the window has focus: the customer is using it),
 * `visible` (on screen, but another window has focus) or `hidden` (in the background, minimised).
 */
export const TabActivityState = z.enum(['focused', 'visible', 'hidden']);
export type TabActivityState = z.infer<typeof TabActivityState>;

/**
 * Sent by the customer SDK to the server, on each tab's socket, after every welcome and whenever
 * the tab's state changes. Refused with `MESSAGE_NOT_ALLOWED` from an agent.
 * @since 1.1
 */
export const TabActivity = z
  .object({
    type: z.literal('tab.activity'),
    state: TabActivityState,
  })
  .strict();
export type TabActivity = z.infer<typeof TabActivity>;

/** One open tab of the customer's, as agents see it. */
export const CustomerTab = z.object({
  tabId: TabId,
  state: TabActivityState,
  /** Server time (ms since the epoch) the tab's socket was first admitted. */
  openedAt: z.number(),
  /** Server time the tab entered `state`. */
  since: z.number(),
});
export type CustomerTab = z.infer<typeof CustomerTab>;

/**
 * Sent by the server to agents: the customer's open tabs, oldest first, after each agent's
 * welcome and whenever a tab opens, closes or changes state. A tab whose socket closed (closed,
 * reloading or offline) is left out until it is back.
 * @since 1.1
 */
export const CustomerTabs = z.object({
  type: z.literal('customer.tabs'),
  /** Grows with every change, on any node: a list with a lower revision than one seen is stale. */
  revision: z.number().int().min(0),
  tabs: z.array(CustomerTab),
});
export type CustomerTabs = z.infer<typeof CustomerTabs>;
