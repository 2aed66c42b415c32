/**
 * Annotations on the customer's page: what keeping them anchored costs per frame while the page
 * scrolls. A shop page of a few thousand nodes (`shop.ts`) in real headless Chromium runs the
 * SDK's real overlay (`CustomerOverlay` and the shared `AnnotationLayer`, bundled from source)
 * holding 0, 20 and 200 annotations on elements spread over the page (rectangles, 50-point pen
 * strokes, arrows and text labels in turn), while the page scrolls 24 px on every animation frame,
 * bouncing between top and bottom. The baseline, in the same page and alternating with it, reads
 * `getBoundingClientRect()` of the same elements once per frame and draws nothing.
 *
 * Prints, per frame: the layer's layout time (every layout it does in that frame: its frame
 * callback and its scroll listener) against the baseline's reads, mean / p50 / p95 / p99 and
 * ratios; then the frame intervals (animation-frame deltas), frames dropped against the still
 * page's interval, and the renderer main thread's busy share from the DevTools protocol.
 *
 *   node --import tsx bench/annotations/annotations.bench.ts
 *   ANNOTATIONS_ROUNDS=5 ANNOTATIONS_FRAMES=600 ANNOTATIONS_COUNTS=0,50,500 node --import tsx bench/annotations/annotations.bench.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { build } from 'esbuild';
import type { CDPSession } from 'playwright-core';
import { AuthoredAnnotation, type AnchoredPoint, type AnnotationTool } from '@sightline/protocol';
import { launchChromium } from '../../e2e/support/browser.js';
import { percentile } from '../relay/load.js';
import type { AnnotationsBench, PhaseKind, PhaseResult } from './page.js';
import { shopHtml } from './shop.js';

const COUNTS = (process.env.ANNOTATIONS_COUNTS ?? '0,20,200').split(',').map(Number);
const FRAMES = Number(process.env.ANNOTATIONS_FRAMES ?? 300);
const ROUNDS = Number(process.env.ANNOTATIONS_ROUNDS ?? 3);
const PRODUCTS = Number(process.env.ANNOTATIONS_PRODUCTS ?? 160);
const WARMUP = 30;

const AUTHORS = [
  { userId: 'agent-jane', userName: 'Jane Doe', role: 'agent' },
  { userId: 'agent-raj', userName: 'Raj Patel', role: 'agent' },
] as const;
const TOOLS: AnnotationTool[] = ['rectangle', 'pen', 'arrow', 'text'];

/** A wavy 50-point stroke under the element, as a hand underlines something. */
const PEN: AnchoredPoint[] = Array.from({ length: 50 }, (_, i) => ({
  x: -0.05 + (1.1 * i) / 49,
  y: Math.round((1.05 + 0.08 * Math.sin(i / 3)) * 1000) / 1000,
}));

const POINTS: Record<string, AnchoredPoint[]> = {
  rectangle: [
    { x: -0.05, y: -0.1 },
    { x: 1.05, y: 1.1 },
  ],
  pen: PEN,
  arrow: [
    { x: -0.6, y: -0.8 },
    { x: 0.1, y: 0.2 },
  ],
  text: [{ x: 1.05, y: 0 }],
};

/** The `count` annotations, one per anchor node id, tools in turn, validated as the wire would. */
function annotations(nodeIds: number[]): AuthoredAnnotation[] {
  return nodeIds.map((nodeId, i) => {
    const tool = TOOLS[i % TOOLS.length] ?? 'rectangle';
    return AuthoredAnnotation.parse({
      annotation: {
        id: `a${i}`,
        tool,
        tabId: 'tab-1',
        nodeId,
        points: POINTS[tool],
        color: i % 2 ? '#e5484d' : '#0b63ce',
        width: 3,
        ...(tool === 'text' ? { text: 'Pick this one' } : {}),
      },
      author: AUTHORS[i % AUTHORS.length],
    });
  });
}

/** Renderer main-thread time so far and the clock it is read on, seconds. */
async function mainThread(cdp: CDPSession): Promise<{ at: number; task: number; render: number }> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (name: string) => metrics.find((metric) => metric.name === name)?.value ?? 0;
  return {
    at: value('Timestamp'),
    task: value('TaskDuration'),
    render: value('LayoutDuration') + value('RecalcStyleDuration'),
  };
}

const bundle = await build({
  entryPoints: [new URL('./page.ts', import.meta.url).pathname],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  conditions: ['@sightline/source'],
  define: { __SIGHTLINE_VERSION__: '"bench"' },
  write: false,
  logLevel: 'warning',
});
const script = bundle.outputFiles[0]?.text ?? '';
const html = shopHtml(PRODUCTS, '/bench.js');

// Served cross-origin isolated, so `performance.now()` steps by microseconds, not 0.1 ms.
const server = createServer((request, response) => {
  const isScript = request.url === '/bench.js';
  response.writeHead(200, {
    'content-type': isScript ? 'text/javascript' : 'text/html; charset=utf-8',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
  });
  response.end(isScript ? script : html);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

type Win = { annotationsBench: AnnotationsBench };
interface Totals extends PhaseResult {
  /** Renderer main-thread seconds: all its tasks, and style and layout among them. */
  busy: number;
  render: number;
  /** Seconds the main-thread figures were taken over. */
  seconds: number;
}

const STILL_COUNT = Math.max(...COUNTS);
const loadBefore = loadavg()[0] ?? 0;
const browser = await launchChromium();
try {
  const page = await (await browser.newContext()).newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(`http://127.0.0.1:${port}/`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const setup = await page.evaluate(async () => {
    const bench = (window as unknown as Win).annotationsBench;
    return {
      nodes: bench.nodes(),
      scrollStep: bench.scrollStep,
      isolated: crossOriginIsolated,
      timerStep: bench.timerStep(),
      interval: await bench.idleInterval(120),
      viewport: `${innerWidth}×${innerHeight}`,
      height: document.documentElement.scrollHeight,
    };
  });

  const totals = new Map<string, Totals>();
  const key = (count: number, kind: PhaseKind) => `${count}:${kind}`;
  const run = async (count: number, kind: PhaseKind, items: AuthoredAnnotation[]) => {
    await page.evaluate(
      ([k, list, warmup]) => (window as unknown as Win).annotationsBench.start(k, list, warmup),
      [kind, kind === 'baseline' ? [] : items, WARMUP] as const,
    );
    const before = await mainThread(cdp);
    const result = await page.evaluate(
      (frames) => (window as unknown as Win).annotationsBench.measure(frames),
      FRAMES,
    );
    const after = await mainThread(cdp);
    await page.evaluate(() => (window as unknown as Win).annotationsBench.stop());
    const total = totals.get(key(count, kind)) ?? {
      work: [],
      layouts: 0,
      onScroll: 0,
      deltas: [],
      busy: 0,
      render: 0,
      seconds: 0,
    };
    total.work.push(...result.work);
    total.deltas.push(...result.deltas);
    total.layouts += result.layouts;
    total.onScroll += result.onScroll;
    total.busy += after.task - before.task;
    total.render += after.render - before.render;
    total.seconds += after.at - before.at;
    totals.set(key(count, kind), total);
  };
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [index, count] of COUNTS.entries()) {
      const ids = await page.evaluate(
        (n) => (window as unknown as Win).annotationsBench.anchors(n),
        count,
      );
      const items = annotations(ids);
      // Alternate which goes first, so drift and the machine's other work fall on both alike.
      const kinds: PhaseKind[] =
        (round + index) % 2 === 0 ? ['layer', 'baseline'] : ['baseline', 'layer'];
      if (count === STILL_COUNT) kinds.push('still');
      for (const kind of kinds) await run(count, kind, items);
    }
  }
  const loadAfter = loadavg()[0] ?? 0;

  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const stats = (values: number[]) => [
    sum(values) / values.length,
    percentile(values, 50),
    percentile(values, 95),
    percentile(values, 99),
  ];
  const rows: [number, PhaseKind][] = [
    ...COUNTS.map((count): [number, PhaseKind] => [count, 'layer']),
    [STILL_COUNT, 'still'],
  ];
  console.log(
    `annotations bench: ${setup.nodes} nodes, ${PRODUCTS} product cards, page ${setup.height} px tall, viewport ${setup.viewport}; ` +
      `scrolling ${setup.scrollStep} px a frame; ${ROUNDS} rounds of ${FRAMES} frames after ${WARMUP} of warm-up per phase, layer and baseline alternating`,
  );
  console.log(
    `timer step ${setup.timerStep.toFixed(4)} ms (cross-origin isolated: ${setup.isolated}); still page's frame interval ${setup.interval.toFixed(2)} ms; load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`,
  );
  console.log('\nLayout per frame, ms (mean / p50 / p95 / p99):\n');
  console.log(
    '| annotations | page | layouts/frame | layer | of it, on scroll | bare box reads (scrolling) | ratio |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const [count, kind] of rows) {
    const layer = totals.get(key(count, kind));
    const baseline = totals.get(key(count, 'baseline'));
    if (!layer || !baseline) continue;
    const l = stats(layer.work);
    const b = stats(baseline.work);
    // With no anchors the baseline reads nothing: there is nothing to divide by.
    const ratio = l.map((value, i) => (count > 0 ? `${(value / (b[i] ?? 0)).toFixed(1)}×` : '–'));
    console.log(
      `| ${count} | ${kind === 'still' ? 'still' : 'scrolling'} | ${(layer.layouts / layer.work.length).toFixed(2)} | ${l.map((v) => v.toFixed(3)).join(' / ')} | ${((100 * layer.onScroll) / sum(layer.work)).toFixed(0)} % | ${b.map((v) => v.toFixed(3)).join(' / ')} | ${ratio.join(' / ')} |`,
    );
  }
  console.log(
    `\nFrames: interval ms (mean / p50 / p95 / p99 / max); dropped = frames missed against the still page's ${setup.interval.toFixed(2)} ms; ` +
      'the renderer main thread busy, and in style and layout, as a share of the time:\n',
  );
  console.log('| phase | frames | interval | dropped | main thread | style + layout |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  const names: Record<PhaseKind, (count: number) => string> = {
    baseline: (count) =>
      count === 0 ? 'scrolling, no overlay' : `scrolling, bare reads of ${count}`,
    layer: (count) => `scrolling, overlay with ${count} annotations`,
    still: (count) => `still, overlay with ${count} annotations`,
  };
  for (const [count, kind] of [
    ...COUNTS.flatMap((count): [number, PhaseKind][] => [
      [count, 'baseline'],
      [count, 'layer'],
    ]),
    [STILL_COUNT, 'still'] as [number, PhaseKind],
  ]) {
    const total = totals.get(key(count, kind));
    if (!total) continue;
    const missed = sum(
      total.deltas.map((delta) => Math.max(0, Math.round(delta / setup.interval) - 1)),
    );
    const interval = [...stats(total.deltas), Math.max(...total.deltas)];
    const share = (seconds: number) => `${((100 * seconds) / total.seconds).toFixed(0)} %`;
    console.log(
      `| ${names[kind](count)} | ${total.deltas.length} | ${interval.map((v) => v.toFixed(1)).join(' / ')} | ${missed} (${((100 * missed) / (total.deltas.length + missed)).toFixed(1)} %) | ${share(total.busy)} | ${share(total.render)} |`,
    );
  }
} finally {
  await browser.close();
  server.close();
}
