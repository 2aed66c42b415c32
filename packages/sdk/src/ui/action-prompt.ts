/**
 * @module
 * The approval of one remote action, in `controlled` mode: "Jane Doe wants to click “Add to
 * cart”" with Deny (which has the focus), Allow for 2 minutes, and Allow. Escape denies. The
 * question expires by itself (the control pipeline's timer closes it).
 */
import type { Clock } from '@sightline/client';
import type { ApprovalAnswer, ApprovalQuestion } from '../control/index.js';
import { actionPromptText, actionPromptTitle } from './control-words.js';
import { showDialog } from './dialog.js';
import type { ShadowHost } from './shadow-host.js';

/** Shows the approval prompt for `question`; returns its disposer. */
export function showActionPrompt(
  host: ShadowHost,
  question: ApprovalQuestion,
  clock: Clock,
  onAnswer: (answer: ApprovalAnswer) => void,
): () => void {
  return showDialog<ApprovalAnswer>(host, {
    title: actionPromptTitle(question.agent.userName, question.action, question.target),
    text: actionPromptText(question.expiresAt - clock.now()),
    buttons: [
      { answer: 'deny', label: 'Deny', testId: 'sightline-action-deny' },
      {
        answer: 'allow_window',
        label: 'Allow for 2 minutes',
        testId: 'sightline-action-allow-window',
      },
      { answer: 'allow', label: 'Allow', primary: true, testId: 'sightline-action-allow' },
    ],
    escape: 'deny',
    onAnswer,
    testId: 'sightline-action-prompt',
  });
}
