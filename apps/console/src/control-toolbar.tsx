/**
 * @module
 * The session's toolbar (ADR 0012): the tools, colour, width, undo/redo and clear all, and the
 * mode buttons with the current mode, the controller's name, a pending step and hand over. Each
 * button's title names its shortcut; `?` lists them all.
 */
import type { Participant } from '@sightline/agent';
import { MODES, SHORTCUT_HELP, TOOLS, modeLabel, pendingWords } from './control-words.js';
import type { ControlView } from './use-control.js';

/** Props of {@link ControlToolbar}. */
export interface ControlToolbarProps {
  view: ControlView;
  self: Participant | undefined;
  /** The other agents in the session, whom control can be handed to. */
  agents: Participant[];
  disabled: boolean;
}

/** Tools and modes, in one bar above the mirror. */
export function ControlToolbar({ view, self, agents, disabled }: ControlToolbarProps) {
  const { control } = view;
  const mode = control?.mode ?? 'view_only';
  const pending = pendingWords(control?.pending);
  const controllerName = control?.controller
    ? control.isController
      ? `${control.controller.userName} (you)`
      : control.controller.userName
    : undefined;
  return (
    <div class="control-bar" role="toolbar" aria-label="Control and annotation">
      <div class="tool-group" role="group" aria-label="Tools">
        {TOOLS.map((t) => (
          <button
            key={t.tool}
            type="button"
            class={view.tool === t.tool ? 'tool selected' : 'tool'}
            aria-pressed={view.tool === t.tool}
            data-testid={`tool-${t.tool}`}
            title={`${t.label} (${t.key.toUpperCase()})`}
            onClick={() => view.setTool(t.tool)}
          >
            {t.label}
          </button>
        ))}
        <label class="tool-setting">
          <span class="visually-hidden">Colour</span>
          <input
            type="color"
            data-testid="tool-color"
            title="Colour"
            value={view.color}
            onInput={(event) => view.setColor((event.target as HTMLInputElement).value)}
          />
        </label>
        <label class="tool-setting">
          <span class="visually-hidden">Width</span>
          <input
            type="range"
            min={1}
            max={32}
            data-testid="tool-width"
            title={`Width: ${view.width}px`}
            value={view.width}
            onInput={(event) => view.setWidth(Number((event.target as HTMLInputElement).value))}
          />
        </label>
        <button
          type="button"
          data-testid="tool-undo"
          title="Undo (Ctrl+Z)"
          onClick={view.undo}
          disabled={disabled || !view.canDraw}
        >
          Undo
        </button>
        <button
          type="button"
          data-testid="tool-redo"
          title="Redo (Ctrl+Shift+Z)"
          onClick={view.redo}
          disabled={disabled || !view.canDraw}
        >
          Redo
        </button>
        <button
          type="button"
          data-testid="tool-clear"
          title="Clear all annotations (Shift+X)"
          onClick={view.clearAll}
          disabled={disabled || !view.canDraw}
        >
          Clear all
        </button>
        {view.drawingNote && (
          <span class="drawing-note" data-testid="drawing-unavailable" role="status">
            {view.drawingNote}
          </span>
        )}
        <button
          type="button"
          data-testid="shortcut-help-toggle"
          title="Keyboard shortcuts (?)"
          aria-expanded={view.helpOpen}
          onClick={() => view.setHelpOpen(!view.helpOpen)}
        >
          ?
        </button>
      </div>
      <div class="mode-group" role="group" aria-label="Control mode">
        {MODES.map((m) => (
          <button
            key={m.mode}
            type="button"
            class={mode === m.mode ? 'mode selected' : 'mode'}
            aria-pressed={mode === m.mode}
            data-testid={`mode-${m.mode}`}
            title={`${m.label} (${m.key})`}
            disabled={disabled}
            onClick={() => view.requestMode(m.mode)}
          >
            {m.label}
          </button>
        ))}
        <span class="mode-now" data-testid="control-mode" role="status">
          {modeLabel(mode)}
        </span>
        {controllerName && (
          <span class="controller" data-testid="controller-name">
            Controlled by {controllerName}
          </span>
        )}
        {pending && (
          <span class="pending" data-testid="control-pending" role="status">
            {pending}
          </span>
        )}
        {control?.isController && self && agents.length > 0 && (
          <HandOver agents={agents} onHandOver={view.handOver} />
        )}
      </div>
      {view.helpOpen && (
        <div class="shortcut-help" data-testid="shortcut-help" role="dialog" aria-label="Shortcuts">
          <dl>
            {SHORTCUT_HELP.map((s) => (
              <div key={s.keys}>
                <dt>{s.keys}</dt>
                <dd>{s.does}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </div>
  );
}

/** Hand control to another agent of the session. */
function HandOver({
  agents,
  onHandOver,
}: {
  agents: Participant[];
  onHandOver(userId: string): void;
}) {
  return (
    <label class="hand-over">
      <span>Hand over to</span>
      <select
        data-testid="hand-over"
        value=""
        onChange={(event) => {
          const userId = (event.target as HTMLSelectElement).value;
          if (userId) onHandOver(userId);
        }}
      >
        <option value="">…</option>
        {agents.map((a) => (
          <option key={a.userId} value={a.userId}>
            {a.userName}
          </option>
        ))}
      </select>
    </label>
  );
}
