/**
 * @module
 * One session of the load bench, from the clients' side: a customer socket and two agent
 * sockets, each on its own node when there are several (session `i`'s customer on node `i`, its
 * agents on the next two, modulo the node count, as a round-robin balancer would spread them).
 *
 * Against Sightline a session is made the real way: the customer's SDK JWT starts it over HTTP,
 * the customer socket says hello with the resume token, each agent trades its JWT and the PIN for
 * a join token and says hello with it, and is allowed (the app pre-approves viewing). Against the
 * floor the sockets just connect. Either way, agents count what they receive, in order.
 */
import { performance } from 'node:perf_hooks';
import { SignJWT } from 'jose';
import { WebSocket } from 'ws';
import {
  PROTOCOL_VERSION,
  decodeBinaryFrame,
  encodeBinaryFrame,
  type AgentConnectResponse,
  type StartSessionResponse,
} from '@sightline/protocol';
import { readStamp } from './mix.js';

/** Where the sessions go. Sightline nodes share the SDK key and secret; the floor is one URL. */
export type Target =
  | { kind: 'floor'; urls: string[] }
  | { kind: 'sightline'; urls: string[]; sdkKey: string; sdkSecret: string; origin: string };

/** What an agent socket received, checked in order by batch number. */
export interface Received {
  /** The next batch number expected. */
  next: number;
  /** Batches that arrived after a missing one. */
  gaps: number;
  /** Batches that arrived twice or late. */
  duplicates: number;
}

/** One delivery to an agent, as the worker records it. */
export type Delivery = (seq: number, latencyMs: number) => void;

/** A set-up session. */
export interface LoadSession {
  customer: WebSocket;
  agents: WebSocket[];
  received: Received[];
  /** Sends batch `seq` (from 1); the payload is stamped with the time of this call. */
  send(seq: number, payload: Uint8Array, full: boolean): void;
  /** Whether the server asked for a full snapshot since the last one sent. */
  snapshotWanted(): boolean;
  /** Close codes of sockets that closed, for the report. */
  closes: number[];
}

const TAB = 'bench';

function open(url: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { origin, perMessageDeflate: false });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with the first text frame whose type is `type`; rejects on `session.error`. */
function expectText(socket: WebSocket, type: string, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no ${type} in ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const message = JSON.parse(data.toString()) as { type: string; code?: number };
      if (message.type === type) finish();
      else if (message.type === 'session.error') finish(new Error(`session.error ${message.code}`));
    };
    const onClose = (code: number) => finish(new Error(`closed ${code} before ${type}`));
    function finish(error?: Error) {
      clearTimeout(timer);
      socket.off('message', onMessage);
      socket.off('close', onClose);
      if (error) reject(error);
      else resolve();
    }
    socket.on('message', onMessage);
    socket.on('close', onClose);
  });
}

async function token(target: Extract<Target, { kind: 'sightline' }>, role: 1 | 2, user: string) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ app_key: target.sdkKey, role_type: role, user_id: user, user_name: user })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(target.sdkSecret));
}

async function post<T>(url: string, bearer: string, origin: string, body: object): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', origin },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const wsUrl = (base: string) => base.replace(/^http/, 'ws');

/** Counts batch `seq` into `received` and reports its latency, read from the payload's stamp. */
function deliver(received: Received, payload: Uint8Array, onDelivery: Delivery): void {
  const stamp = readStamp(payload);
  if (!stamp) return;
  if (stamp.seq === received.next) received.next += 1;
  else if (stamp.seq < received.next) {
    received.duplicates += 1;
    return;
  } else {
    received.gaps += 1;
    received.next = stamp.seq + 1;
  }
  onDelivery(stamp.seq, performance.now() - stamp.sentAt);
}

function watch(session: LoadSession, onDelivery: Delivery, unwrap: (data: Buffer) => Uint8Array) {
  for (const socket of [session.customer, ...session.agents]) {
    socket.on('close', (code) => session.closes.push(code));
    socket.on('error', () => undefined);
  }
  session.agents.forEach((agent, index) => {
    const received = session.received[index]!;
    agent.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) deliver(received, unwrap(data), onDelivery);
    });
  });
}

async function floorSession(target: Target, index: number, onDelivery: Delivery) {
  const base = wsUrl(target.urls[0] ?? '');
  const agents = [
    await open(`${base}/?session=${index}&role=agent`, 'http://floor'),
    await open(`${base}/?session=${index}&role=agent`, 'http://floor'),
  ];
  const customer = await open(`${base}/?session=${index}&role=customer`, 'http://floor');
  const session: LoadSession = {
    customer,
    agents,
    received: agents.map(() => ({ next: 1, gaps: 0, duplicates: 0 })),
    send: (_seq, payload) => customer.send(payload),
    snapshotWanted: () => false,
    closes: [],
  };
  watch(session, onDelivery, (data) => data);
  return session;
}

async function sightlineSession(
  target: Extract<Target, { kind: 'sightline' }>,
  index: number,
  run: string,
  onDelivery: Delivery,
): Promise<LoadSession> {
  const node = (offset: number) => target.urls[(index + offset) % target.urls.length] ?? '';
  const started = await post<StartSessionResponse>(
    `${node(0)}/api/customer/start`,
    await token(target, 1, `customer-${run}-${index}`),
    target.origin,
    {},
  );
  const customer = await open(`${wsUrl(node(0))}/ws`, target.origin);
  const welcomed = expectText(customer, 'session.welcome');
  const hello = { type: 'session.hello', protocolVersion: PROTOCOL_VERSION };
  customer.send(JSON.stringify({ ...hello, resumeToken: started.resumeToken, tabId: TAB }));
  await welcomed;
  let wanted = false;
  customer.on('message', (data: Buffer, isBinary: boolean) => {
    // Acks are most of what a customer hears: look before parsing.
    if (isBinary || !data.includes('dom.snapshot_request')) return;
    const message = JSON.parse(data.toString()) as { type: string; reason?: string };
    // The initial request (agent_joined) is what the first batch answers.
    if (message.type === 'dom.snapshot_request' && message.reason === 'checkout_tail') {
      wanted = true;
    }
  });
  const agents: WebSocket[] = [];
  for (const offset of [1, 2]) {
    const joined = await post<AgentConnectResponse>(
      `${node(offset)}/api/agent/connect`,
      await token(target, 2, `agent-${run}-${index}-${offset}`),
      target.origin,
      { pin: started.pin },
    );
    const agent = await open(`${wsUrl(node(offset))}/ws`, target.origin);
    const allowed = expectText(agent, 'consent.allowed');
    agent.send(JSON.stringify({ ...hello, joinToken: joined.joinToken }));
    await allowed;
    agents.push(agent);
  }
  const session: LoadSession = {
    customer,
    agents,
    received: agents.map(() => ({ next: 1, gaps: 0, duplicates: 0 })),
    send(seq, payload, full) {
      if (full) wanted = false;
      customer.send(encodeBinaryFrame({ type: 'dom.batch', tabId: TAB, seq, full }, payload));
    },
    snapshotWanted: () => wanted,
    closes: [],
  };
  watch(session, onDelivery, (data) => {
    const frame = decodeBinaryFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return frame?.payload ?? new Uint8Array(0);
  });
  return session;
}

/**
 * Sets up session `index` against `target` (`run` keeps user ids apart between runs). Every
 * batch an agent receives is passed to `onDelivery` with its latency.
 */
export function startLoadSession(
  target: Target,
  index: number,
  run: string,
  onDelivery: Delivery,
): Promise<LoadSession> {
  return target.kind === 'floor'
    ? floorSession(target, index, onDelivery)
    : sightlineSession(target, index, run, onDelivery);
}
