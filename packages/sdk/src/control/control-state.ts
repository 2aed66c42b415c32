/**
 * @module
 * The session's control as this tab knows it: the latest `control.state` (a lower revision than
 * one seen is stale and ignored), with the customer's grant window ("Allow for 2 minutes") mapped
 * from the server's clock onto the SDK's. The customer's own grant counts at once, before the
 * server's broadcast of it arrives, and only for the mode and controller it was given in.
 */
import type { Clock } from '@sightline/client';
import type {
  ControlMode,
  ControlPending,
  ControlSettings,
  ControlState,
  Participant,
} from '@sightline/protocol';

/** The session's control, as the customer's UI and the control pipeline read it. */
export interface ControlView {
  readonly revision: number;
  readonly mode: ControlMode;
  /** The agent who acts, in `controlled` and `full_control`. */
  readonly controller: Participant | null;
  /** A step up waiting for a manager or for the customer. */
  readonly pending: ControlPending | null;
  /** The page's settings as the server holds them, once this SDK sent them. */
  readonly settings: ControlSettings | null;
}

/** A session before any `control.state`: view only, no controller. */
export const INITIAL_CONTROL: ControlView = {
  revision: -1,
  mode: 'view_only',
  controller: null,
  pending: null,
  settings: null,
};

/** What one accepted `control.state` changed. */
export interface ControlChange {
  readonly previous: ControlView;
  readonly current: ControlView;
}

/** Whether two views name the same mode and the same controller. */
export function sameControl(a: ControlView, b: ControlView): boolean {
  return a.mode === b.mode && a.controller?.userId === b.controller?.userId;
}

/** Tracks `control.state` frames and the grant window. */
export class ControlTracker {
  readonly #clock: Clock;
  #view: ControlView = INITIAL_CONTROL;
  /** The server's grant, on the SDK's clock. */
  #serverGrantUntil: number | undefined;
  /** The customer's own grant, until the server's state says otherwise. */
  #localGrant: { until: number; mode: ControlMode; controllerId: string | undefined } | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** The control now. */
  get view(): ControlView {
    return this.#view;
  }

  /**
   * Applies a `control.state`. Returns what changed, or `undefined` for a stale frame (a revision
   * lower than one already applied). A re-sent state of the same revision is applied again.
   */
  update(state: ControlState): ControlChange | undefined {
    if (state.revision < this.#view.revision) return undefined;
    const previous = this.#view;
    const current: ControlView = {
      revision: state.revision,
      mode: state.mode,
      controller: state.controller,
      pending: state.pending,
      settings: state.settings,
    };
    this.#view = current;
    // Server time → this clock: the offset at arrival is good enough for a window of minutes.
    this.#serverGrantUntil =
      state.grantUntil === null
        ? undefined
        : state.grantUntil - state.serverTime + this.#clock.now();
    const local = this.#localGrant;
    if (
      local &&
      (local.mode !== current.mode || local.controllerId !== current.controller?.userId)
    ) {
      this.#localGrant = undefined;
    }
    return { previous, current };
  }

  /**
   * The customer allowed every action for `durationMs` from now (0 withdraws the window), in the
   * mode and for the controller of now.
   */
  grant(durationMs: number): void {
    if (durationMs <= 0) {
      this.#localGrant = undefined;
      this.#serverGrantUntil = undefined;
      return;
    }
    this.#localGrant = {
      until: this.#clock.now() + durationMs,
      mode: this.#view.mode,
      controllerId: this.#view.controller?.userId,
    };
  }

  /** Until when (on the SDK's clock) the controller's actions need no approval, if a window is open. */
  grantUntil(): number | undefined {
    const now = this.#clock.now();
    const until = Math.max(this.#serverGrantUntil ?? 0, this.#localGrant?.until ?? 0);
    return until > now && this.#view.mode === 'controlled' ? until : undefined;
  }
}
