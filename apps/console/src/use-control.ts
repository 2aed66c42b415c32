/**
 * @module
 * A Preact hook for control and annotation in a session view (ADR 0012): the control state as the
 * agent SDK reports it, the tool, colour and width chosen, the last refusal in words, and the
 * keyboard shortcuts (not while typing in a field or acting on the page).
 */
import {
  drawingBlock,
  type AgentSession,
  type ControlInfo,
  type ControlMode,
} from '@sightline/agent';
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  defaultColor,
  drawingBlockWords,
  isTypingTarget,
  shortcutOf,
  type Tool,
} from './control-words.js';

/** Why the last action or request was not done, in words, and when (for a fresh message). */
export interface Refusal {
  text: string;
  at: number;
}

/** What the toolbar and the mode buttons render from and call. */
export interface ControlView {
  control: ControlInfo | undefined;
  tool: Tool;
  color: string;
  width: number;
  refusal: Refusal | undefined;
  /** Why the chosen tool draws nothing now, in words; undefined when it can (or is interact). */
  drawingNote: string | undefined;
  /** Whether annotations can be drawn, cleared or undone now. */
  canDraw: boolean;
  helpOpen: boolean;
  setTool(tool: Tool): void;
  setColor(color: string): void;
  setWidth(width: number): void;
  requestMode(mode: ControlMode): void;
  handOver(userId: string): void;
  undo(): void;
  redo(): void;
  clearAll(): void;
  setHelpOpen(open: boolean): void;
  dismissRefusal(): void;
}

/** Hooks the session's control events and the shortcuts. `selfId` picks the default colour. */
export function useControl(
  session: AgentSession | undefined,
  selfId: string | undefined,
): ControlView {
  const [control, setControl] = useState<ControlInfo>();
  const [tool, setToolState] = useState<Tool>('interact');
  const [color, setColor] = useState<string>();
  const [width, setWidth] = useState(4);
  const [refusal, setRefusal] = useState<Refusal>();
  const [helpOpen, setHelpOpen] = useState(false);

  const refuse = (text: string) => setRefusal({ text, at: Date.now() });
  const attempt = (run: () => void) => {
    try {
      run();
    } catch (thrown) {
      refuse(thrown instanceof Error ? thrown.message : 'That did not work.');
    }
  };

  useEffect(() => {
    if (!session) return undefined;
    const onState = (info: ControlInfo) => setControl(info);
    const onResult = (result: { mine: boolean; reason?: string }) => {
      if (result.mine && result.reason) refuse(result.reason);
    };
    const onError = ({ errorMsg }: { errorMsg: string }) => refuse(errorMsg);
    session.on('control_state', onState);
    session.on('command_result', onResult);
    session.on('control_error', onError);
    setControl(session.getSessionInfo().control);
    return () => {
      session.off('control_state', onState);
      session.off('command_result', onResult);
      session.off('control_error', onError);
    };
  }, [session]);

  useEffect(() => {
    session?.annotations.setTool(tool);
  }, [session, tool]);

  const chosenColor = color ?? defaultColor(selfId ?? '');
  useEffect(() => {
    session?.annotations.setStyle({ color: chosenColor, width });
  }, [session, chosenColor, width]);

  const block = drawingBlock(control);

  const view: ControlView = {
    control,
    tool,
    color: chosenColor,
    width,
    refusal,
    drawingNote: tool !== 'interact' && block ? drawingBlockWords(block) : undefined,
    canDraw: block === undefined,
    helpOpen,
    setTool: setToolState,
    setColor,
    setWidth,
    requestMode: (mode) => attempt(() => session?.requestMode(mode)),
    handOver: (userId) => attempt(() => session?.handOver(userId)),
    // Undo and redo follow this agent's own drawings, erasures and clears.
    undo: () => attempt(() => session?.annotations.undo()),
    redo: () => attempt(() => session?.annotations.redo()),
    clearAll: () => attempt(() => session?.annotations.clear()),
    setHelpOpen,
    dismissRefusal: () => setRefusal(undefined),
  };
  const viewRef = useRef(view);
  viewRef.current = view;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isTypingTarget(event.target)) return;
      const shortcut = shortcutOf(event);
      if (!shortcut) return;
      event.preventDefault();
      const current = viewRef.current;
      switch (shortcut.kind) {
        case 'tool':
          current.setTool(shortcut.tool);
          return;
        case 'mode':
          current.requestMode(shortcut.mode);
          return;
        case 'undo':
          current.undo();
          return;
        case 'redo':
          current.redo();
          return;
        case 'clear':
          current.clearAll();
          return;
        case 'help':
          current.setHelpOpen(!current.helpOpen);
          return;
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return view;
}
