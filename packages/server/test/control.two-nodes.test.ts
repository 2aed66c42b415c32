/**
 * Issue 5, one control mode across nodes (ADR 0012): two real servers sharing one store and one
 * bus, the customer's tab on node a, Ann on node b and Bob on node a. Every node reads the mode
 * from the store, so both apply the same one; a command crosses to the node holding its tab and
 * its result comes back; two agents asking at once on two nodes get one pending step.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryBus, MemoryBusHub, type SessionStore } from '../src/index.js';
import {
  ALL_ALLOWED,
  allowedAgent,
  auditOf,
  customerSocket,
  stateIn,
  until,
} from './support/control.js';
import { startSession } from './support/flows.js';
import { startServer, type TestServer } from './support/server.js';

const servers: TestServer[] = [];

afterEach(async () => {
  // Node b first: node a closes the store they share.
  for (const t of servers.splice(0).reverse()) await t.close();
});

/** Nodes a and b, a session started on a, its customer on a, Ann on b and Bob on a. */
async function twoNodes() {
  const bus = new MemoryBusHub();
  const a = await startServer({
    viewConsent: 'pre_approved',
    bus: new MemoryBus({ nodeId: 'node-a', hub: bus }),
  });
  servers.push(a);
  const store: SessionStore = Object.assign(Object.create(a.server.store) as SessionStore, {
    close: async () => {},
  });
  const b = await startServer({
    viewConsent: 'pre_approved',
    store,
    bus: new MemoryBus({ nodeId: 'node-b', hub: bus }),
  });
  servers.push(b);
  const session = await startSession(a);
  const customer = await customerSocket(a, session);
  customer.sendJson({ type: 'control.settings', settings: ALL_ALLOWED });
  customer.sendJson({ type: 'tab.activity', state: 'focused' });
  await until(customer, 'control.state', (s) => s.settings !== null);
  const ann = await allowedAgent(b, session.pin, 'ann');
  const bob = await allowedAgent(a, session.pin, 'bob');
  for (const agent of [ann, bob]) await until(agent, 'control.state', (s) => s.settings !== null);
  return { a, b, session, customer, ann, bob };
}

describe('control across two nodes', () => {
  it('applies one mode on both nodes, and a command crosses to the tab and its result back', async () => {
    const { a, session, customer, ann, bob } = await twoNodes();
    ann.sendJson({ type: 'control.request', mode: 'controlled' });
    const request = await until(customer, 'consent.request');
    expect(request).toMatchObject({
      kind: 'control',
      mode: 'controlled',
      agent: { userId: 'ann' },
    });
    customer.sendJson({
      type: 'consent.response',
      requestId: request.requestId,
      decision: 'allow',
    });
    const onB = await stateIn(ann, 'controlled', 'ann');
    const onA = await stateIn(bob, 'controlled', 'ann');
    expect(onA.revision).toBe(onB.revision);

    ann.sendJson({
      type: 'control.command',
      commandId: 'c-1',
      tabId: 'tab-1',
      action: { kind: 'click', nodeId: 7 },
    });
    expect(await until(customer, 'control.command')).toMatchObject({
      commandId: 'c-1',
      agent: { userId: 'ann' },
    });
    customer.sendJson({
      type: 'control.result',
      commandId: 'c-1',
      tabId: 'tab-1',
      outcome: 'done',
    });
    for (const agent of [ann, bob]) {
      expect(await until(agent, 'control.result')).toMatchObject({
        commandId: 'c-1',
        outcome: 'done',
        agent: { userId: 'ann' },
      });
    }
    // Bob, on the customer's node, is refused there too: the mode is the store's.
    bob.sendJson({
      type: 'control.command',
      commandId: 'b-1',
      tabId: 'tab-1',
      action: { kind: 'click', nodeId: 7 },
    });
    expect(await until(bob, 'control.result')).toMatchObject({ outcome: 'refused', code: 3018 });
    expect(await auditOf(a, session.sessionId, 'control_action', 'control_refused')).toEqual([
      {
        actor: 'agent:ann',
        action: 'control_action',
        reason: 'agent:ann command:c-1 tab:tab-1 kind:click node:7',
      },
      {
        actor: 'agent:bob',
        action: 'control_refused',
        reason: 'agent:bob command:b-1 tab:tab-1 kind:click node:7 why:not_controller',
      },
    ]);
  });

  it("ends control on every node with the customer's Stop", async () => {
    const { customer, ann, bob } = await twoNodes();
    ann.sendJson({ type: 'control.request', mode: 'controlled' });
    const request = await until(customer, 'consent.request');
    customer.sendJson({
      type: 'consent.response',
      requestId: request.requestId,
      decision: 'allow',
    });
    await stateIn(ann, 'controlled', 'ann');
    customer.sendJson({ type: 'control.set', mode: 'view_only' });
    await stateIn(ann, 'view_only', null);
    await stateIn(bob, 'view_only', null);
    ann.sendJson({
      type: 'control.command',
      commandId: 'late',
      tabId: 'tab-1',
      action: { kind: 'click', nodeId: 7 },
    });
    expect(await until(ann, 'control.result')).toMatchObject({ outcome: 'refused', code: 3018 });
  });

  it('gives one pending step when two agents on two nodes ask together', async () => {
    const { a, session, customer, ann, bob } = await twoNodes();
    ann.sendJson({ type: 'control.request', mode: 'controlled' });
    bob.sendJson({ type: 'control.request', mode: 'controlled' });
    const pending = await until(customer, 'control.state', (s) => s.pending !== null);
    const winner = pending.pending?.agent.userId;
    const loser = winner === 'ann' ? bob : ann;
    expect(await until(loser, 'session.error')).toMatchObject({ code: 3019 });
    const requested = await auditOf(a, session.sessionId, 'control_requested');
    expect(requested).toHaveLength(1);
    expect(requested[0]?.actor).toBe(`agent:${winner}`);
    // The question reaches the customer once, and its answer moves the mode for everyone.
    const request = await until(customer, 'consent.request');
    customer.sendJson({
      type: 'consent.response',
      requestId: request.requestId,
      decision: 'allow',
    });
    await stateIn(ann, 'controlled', winner);
    await stateIn(bob, 'controlled', winner);
  });

  it('drops to guided when the controller, on the other node, leaves', async () => {
    const { customer, ann, bob } = await twoNodes();
    ann.sendJson({ type: 'control.request', mode: 'controlled' });
    const request = await until(customer, 'consent.request');
    customer.sendJson({
      type: 'consent.response',
      requestId: request.requestId,
      decision: 'allow',
    });
    await stateIn(bob, 'controlled', 'ann');
    ann.close();
    await stateIn(bob, 'guided', null);
    await stateIn(customer, 'guided', null);
  });
});
