/**
 * @module
 * The browser side of `e2e/sdk-remote-assist.e2e.test.ts`: the SDK's real control parts on a
 * page, without a server. The recorder gives the page's elements their rrweb ids, the SDK's own
 * UI asks the customer, and commands go in through the session's control link, which hands them
 * to the pipeline's one entry, as a relayed `control.command` would. What the SDK sends is kept
 * in `window.harness.sent`. Time is a manual clock, so a 30-second expiry takes no 30 seconds.
 * The React gift note of the demo shop is bundled in as the React-controlled field.
 */
import { Emitter } from '@sightline/client';
import { record } from '@rrweb/record';
import type { ControlState, Participant, RemoteAction } from '@sightline/protocol';
import { Recorder } from '../../src/capture/recorder.js';
import type { CustomerEventMap } from '../../src/events.js';
import { resolveSettings, type SightlineSettings } from '../../src/options.js';
import { compileMaskPolicy } from '../../src/privacy/masking.js';
import { ControlLink } from '../../src/session/control-link.js';
import { SharingUi } from '../../src/ui/sharing-ui.js';
import { ManualClock } from '../manual-clock.js';
import '../../../../examples/demo-site/src/gift-note.js';

/** The agent who controls in the tests, and another one. */
export const JANE: Participant = { userId: 'agent-jane', userName: 'Jane Doe', role: 'agent' };
export const SAM: Participant = { userId: 'agent-sam', userName: 'Sam Lee', role: 'agent' };

/** What the test drives through `window.harness`. */
export interface Harness {
  /** Frames the SDK sent, in order. */
  sent: { type: string; [key: string]: unknown }[];
  /** Events the session emitted. */
  events: [string, unknown][];
  /** Starts recording and the control link with these page settings. */
  start(settings: SightlineSettings): void;
  /** The rrweb id of the element `selector` finds. */
  id(selector: string): number;
  /** A `control.state` from the server, with the next revision. */
  state(over: Partial<ControlState>): void;
  /** A relayed `control.command`; returns its id. */
  command(action: RemoteAction | Record<string, unknown>, agent?: Participant): string;
  /** Moves the manual clock. */
  advance(ms: number): void;
  /** Stops recording and removes the UI. */
  stop(): void;
}

declare global {
  interface Window {
    harness: Harness;
  }
}

const clock = new ManualClock();
let revision = 0;
let commands = 0;
let link: ControlLink | undefined;
let ui: SharingUi | undefined;
let recorder: Recorder | undefined;

const harness: Harness = {
  sent: [],
  events: [],
  start(given) {
    const settings = resolveSettings({ serverUrl: location.origin, ...given }, {});
    const policy = compileMaskPolicy(settings);
    recorder = new Recorder({ policy, emit: () => undefined, onError: () => undefined });
    recorder.snapshot();
    const events = new Emitter<CustomerEventMap>();
    for (const name of [
      'control_mode_changed',
      'remote_assist_started',
      'remote_assist_stopped',
    ] as const) {
      events.on(name, (payload) => harness.events.push([name, payload]));
    }
    const send = (frame: { type: string }) => harness.sent.push({ ...frame });
    ui = new SharingUi(
      document,
      {
        agentLabel: settings.agentLabel,
        allInputsMasked: settings.piiMask.maskType !== 'custom_input',
        remoteAssistTypes: settings.remoteAssist.remoteAssistTypes,
        requireStopConfirmation: settings.remoteAssist.requireStopConfirmation,
      },
      {
        answer: () => undefined,
        stop: () => send({ type: 'session.end' }),
        stepDown: (mode) => link?.stepDown(mode),
        withdrawGrant: () => link?.withdrawGrant(),
        toggleDrawing: () => undefined,
      },
      clock,
    );
    ui.showViewers([JANE.userName, SAM.userName]);
    link = new ControlLink({
      settings,
      tabId: 'tab-1',
      clock,
      document,
      ui,
      events,
      policy: () => policy,
      nodeOf: (id) => record.mirror.getNode(id),
      send,
    });
    link.welcomed();
  },
  id(selector) {
    const element = document.querySelector(selector);
    if (!element) throw new Error(`nothing matches ${selector}`);
    return record.mirror.getId(element);
  },
  state(over) {
    revision += 1;
    link?.state({
      type: 'control.state',
      revision,
      mode: 'view_only',
      controller: null,
      grantUntil: null,
      pending: null,
      settings: null,
      serverTime: clock.now(),
      ...over,
    });
  },
  command(action, agent = JANE) {
    commands += 1;
    const commandId = `command-${commands}`;
    link?.command({ type: 'control.command', commandId, tabId: 'tab-1', agent, action } as never);
    return commandId;
  },
  advance(ms) {
    clock.advance(ms);
  },
  stop() {
    link?.dispose();
    ui?.dispose();
    recorder?.stop();
  },
};

window.harness = harness;
