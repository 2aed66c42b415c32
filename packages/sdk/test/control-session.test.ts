/**
 * Issue 5, the session's side of control against a server speaking the real protocol over real
 * sockets: the page's settings after every welcome, `control.state` turned into events, and a
 * command refused where there is no page to act on. Acting on a page needs a browser: see
 * `e2e/sdk-remote-assist.e2e.test.ts`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { WebSocketConstructor } from '@sightline/client';
import type { ControlState } from '@sightline/protocol';
import type { CustomerEventMap } from '../src/events.js';
import { resolveSettings, type SightlineSettings } from '../src/options.js';
import { CustomerSession } from '../src/session/customer-session.js';
import { FakeSightlineServer } from './fake-server.js';
import { ManualClock } from './manual-clock.js';

const JANE = { userId: 'agent-7', userName: 'Jane Doe', role: 'agent' } as const;

let server: FakeSightlineServer;
const sessions: CustomerSession[] = [];

beforeEach(async () => {
  server = await FakeSightlineServer.start();
});

afterEach(async () => {
  for (const session of sessions.splice(0)) session.end();
  await server.close();
});

type Recorded = { [K in keyof CustomerEventMap]: [K, CustomerEventMap[K]] }[keyof CustomerEventMap];

async function started(settings: SightlineSettings = {}) {
  const clock = new ManualClock();
  const session = new CustomerSession(resolveSettings({ serverUrl: server.url, ...settings }, {}), {
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    clock,
    tabId: 'tab-control',
  });
  sessions.push(session);
  const events: Recorded[] = [];
  const names: (keyof CustomerEventMap)[] = [
    'control_mode_changed',
    'remote_assist_started',
    'remote_assist_stopped',
    'consent_requested',
  ];
  for (const name of names) {
    session.on(name, (payload) => events.push([name, payload] as Recorded));
  }
  expect(await session.start({ sdkToken: 'jwt-customer' })).toEqual({ success: true });
  await vi.waitFor(() => expect(server.hellos).toHaveLength(1));
  return { session, events, clock };
}

function state(revision: number, over: Partial<ControlState>): ControlState {
  return {
    type: 'control.state',
    revision,
    mode: 'view_only',
    controller: null,
    grantUntil: null,
    pending: null,
    settings: null,
    serverTime: 1_000,
    ...over,
  };
}

const framesOf = (type: string) =>
  server.textFrames.filter((frame) => (frame as { type: string }).type === type);

describe('control on the customer session', () => {
  it("sends the page's control settings after every welcome, reconnects included", async () => {
    const { session, clock } = await started({
      remoteAssist: { enable: true, remoteAssistTypes: ['scroll_page'], denySelectors: ['#x'] },
      allowCustomerAnnotation: false,
    });
    const expected = {
      type: 'control.settings',
      settings: {
        remoteAssist: {
          enable: true,
          enableCustomerConsent: true,
          types: ['scroll_page'],
          requireStopConfirmation: false,
        },
        allowAgentAnnotation: true,
        allowCustomerAnnotation: false,
      },
    };
    await vi.waitFor(() => expect(framesOf('control.settings')).toEqual([expected]));
    server.latest.terminate();
    await vi.waitFor(() =>
      expect(session.getSessionInfo().sessionStatus).toBe('session_reconnecting'),
    );
    clock.advance(1_000);
    await vi.waitFor(() => expect(server.hellos).toHaveLength(2));
    await vi.waitFor(() => expect(framesOf('control.settings')).toEqual([expected, expected]));
  });

  it('turns control.state into mode events, Zoom’s remote assist ones included, and drops stale states', async () => {
    const { events } = await started({ remoteAssist: { enable: true } });
    server.send({
      type: 'consent.request',
      requestId: 'request-control-1',
      kind: 'control',
      agent: JANE,
      mode: 'controlled',
    });
    await vi.waitFor(() =>
      expect(events).toEqual([
        [
          'consent_requested',
          {
            agent: { userId: 'agent-7', userName: 'Jane Doe' },
            kind: 'control',
            mode: 'controlled',
          },
        ],
      ]),
    );
    events.length = 0;
    server.send(state(3, { mode: 'guided' }));
    server.send(state(4, { mode: 'controlled', controller: JANE }));
    // Late: revision 2 is older than what was seen.
    server.send(state(2, { mode: 'full_control', controller: JANE }));
    // Same mode and controller, a grant: no event.
    server.send(state(5, { mode: 'controlled', controller: JANE, grantUntil: 60_000 }));
    server.send(state(6, { mode: 'view_only' }));
    const jane = { userId: 'agent-7', userName: 'Jane Doe' };
    await vi.waitFor(() =>
      expect(events).toEqual([
        ['control_mode_changed', { mode: 'guided', previous: 'view_only', controller: null }],
        ['control_mode_changed', { mode: 'controlled', previous: 'guided', controller: jane }],
        ['remote_assist_started', { agent: jane, mode: 'controlled' }],
        ['control_mode_changed', { mode: 'view_only', previous: 'controlled', controller: null }],
        ['remote_assist_stopped', { mode: 'view_only' }],
      ]),
    );
  });

  it('refuses a command where there is no page to act on, and answers nothing for another tab', async () => {
    await started({ remoteAssist: { enable: true } });
    server.send(state(1, { mode: 'full_control', controller: JANE }));
    const command = { type: 'control.command', agent: JANE, action: { kind: 'click', nodeId: 5 } };
    server.send({ ...command, commandId: 'c-1', tabId: 'tab-control' } as never);
    await vi.waitFor(() =>
      expect(framesOf('control.result')).toEqual([
        {
          type: 'control.result',
          commandId: 'c-1',
          tabId: 'tab-control',
          outcome: 'refused',
          refusal: 'not_actionable',
        },
      ]),
    );
  });
});
