/**
 * @module
 * Remote assist on the customer's page (ADR 0012): the control pipeline, whose one entry is
 * {@link RemoteAssist.receive}, and the session's control as this tab knows it. Nothing else of
 * this folder is exported: there is no way to act on the page but through the pipeline.
 */
export {
  ALLOW_WINDOW_MS,
  type ApprovalAnswer,
  type ApprovalPrompt,
  type ApprovalQuestion,
} from './consent.js';
export {
  ControlTracker,
  INITIAL_CONTROL,
  sameControl,
  type ControlChange,
  type ControlView,
} from './control-state.js';
export { RemoteAssist, MAX_WAITING_COMMANDS, type RemoteAssistOptions } from './remote-assist.js';
export type { Target } from './resolve.js';
export type { TargetRole } from './target-kind.js';
