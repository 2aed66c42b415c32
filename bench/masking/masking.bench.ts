/**
 * PII detection cost: a large page (about 10,000 nodes, most rows of a customer table, one row in
 * ten with planted card numbers, emails, phones, SSNs and IBANs) recorded in real headless
 * Chromium by the SDK's own recorder (rrweb with the masking options, the event policy and PII
 * detection in its emit path). Measures, with detection on and off in the same page, alternating:
 * - a full snapshot (rrweb serialises the whole page; detection scans every text and attribute);
 * - a burst of mutations (1,000 text edits, 500 attribute edits, 200 rows added and 200 removed),
 *   from the first DOM change to rrweb's mutation event;
 * - detection alone on the same snapshot and mutation events.
 * Prints medians and p90 in ms, and on/off ratios.
 *
 *   node --import tsx bench/masking/masking.bench.ts
 *   MASKING_ROUNDS=50 MASKING_ROWS=2000 node --import tsx bench/masking/masking.bench.ts
 */
import { build } from 'esbuild';
import { launchChromium } from '../../e2e/support/browser.js';
import { percentile } from '../relay/load.js';

const ROWS = Number(process.env.MASKING_ROWS ?? 1450);
const ROUNDS = Number(process.env.MASKING_ROUNDS ?? 30);
const WARMUP = 3;

/** A row: `tr`, 3 cells, 3 texts (7 nodes). One row in ten carries planted PII. */
function row(i: number): string {
  if (i % 10 === 0) {
    const planted = [
      `jane.doe${i}@example.com`,
      '4111 1111 1111 1111',
      `+44 20 7946 ${String(1000 + i).slice(-4)}`,
      'SSN 536-22-1234',
      'IBAN DE89 3704 0044 0532 0130 00',
    ][(i / 10) % 5];
    return `<tr><td class="name">Customer ${i}</td><td class="note">Contact: ${planted}</td><td>2024-11-22</td></tr>`;
  }
  return `<tr><td class="name">Customer ${i}</td><td class="note">Ordered ${i % 7} items, total $${i}.50, order #A-${100000 + i}</td><td>2024-11-22</td></tr>`;
}

function pageHtml(): string {
  const rows = Array.from({ length: ROWS }, (_, i) => row(i)).join('');
  return `<!doctype html><html><head><title>masking bench</title></head><body>
<h1>Customers</h1><table><thead><tr><th>Name</th><th>Note</th><th>Date</th></tr></thead>
<tbody>${rows}</tbody></table></body></html>`;
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

interface Bench {
  start(): void;
  snapshot(on: boolean): number;
  burst(on: boolean): Promise<number>;
  scrubOnly(): { snapshot: number; mutation: number };
  check(): { plantedInRaw: boolean; plantedInScrubbed: boolean };
  stop(): void;
}
type Win = { maskingBench: Bench };

const browser = await launchChromium();
try {
  const page = await (await browser.newContext()).newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.setContent(pageHtml());
  await page.addScriptTag({ content: bundle.outputFiles[0]?.text ?? '' });
  const nodes = await page.evaluate(() => {
    const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
    let all = 0;
    let texts = 0;
    while (walker.nextNode()) {
      all += 1;
      if (walker.currentNode.nodeType === Node.TEXT_NODE) texts += 1;
    }
    return { all, texts };
  });
  await page.evaluate(() => (window as unknown as Win).maskingBench.start());

  const samples = {
    snapshot: { off: [] as number[], on: [] as number[] },
    burst: { off: [] as number[], on: [] as number[] },
  };
  const scrub = { snapshot: [] as number[], mutation: [] as number[] };
  for (let i = 0; i < WARMUP + ROUNDS; i += 1) {
    // Alternate which goes first, so drift and GC pressure fall on both alike.
    for (const on of i % 2 === 0 ? [false, true] : [true, false]) {
      const snapshot = await page.evaluate(
        (o) => (window as unknown as Win).maskingBench.snapshot(o),
        on,
      );
      const burst = await page.evaluate(
        (o) => (window as unknown as Win).maskingBench.burst(o),
        on,
      );
      if (i >= WARMUP) {
        samples.snapshot[on ? 'on' : 'off'].push(snapshot);
        samples.burst[on ? 'on' : 'off'].push(burst);
      }
    }
    // The last snapshot and mutation taken with detection off, scrubbed on their own.
    await page.evaluate(() => {
      const bench = (window as unknown as Win).maskingBench;
      bench.snapshot(false);
      return bench.burst(false);
    });
    const alone = await page.evaluate(() => (window as unknown as Win).maskingBench.scrubOnly());
    if (i >= WARMUP) {
      scrub.snapshot.push(alone.snapshot);
      scrub.mutation.push(alone.mutation);
    }
  }
  const check = await page.evaluate(() => (window as unknown as Win).maskingBench.check());
  await page.evaluate(() => (window as unknown as Win).maskingBench.stop());

  const fmt = (values: number[]) =>
    `${percentile(values, 50).toFixed(1)} / ${percentile(values, 90).toFixed(1)}`;
  const ratio = (on: number[], off: number[]) =>
    `${(percentile(on, 50) / percentile(off, 50)).toFixed(2)}×`;
  const share = (alone: number[], off: number[]) =>
    `${((100 * percentile(alone, 50)) / percentile(off, 50)).toFixed(0)} %`;
  console.log(
    `masking bench: ${nodes.all} nodes (${nodes.texts} text nodes), ${ROWS} rows, 1 in 10 with planted PII; ${ROUNDS} rounds after ${WARMUP} of warm-up, on/off alternating`,
  );
  console.log(
    `planted values in the raw snapshot: ${check.plantedInRaw ? 'yes' : 'NO'}; after detection: ${check.plantedInScrubbed ? 'YES (leak)' : 'no'}`,
  );
  console.log('\nms, median / p90:\n');
  console.log(
    '| measure | detection off | detection on | ratio (median) | detection alone | alone / off |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  console.log(
    `| full snapshot | ${fmt(samples.snapshot.off)} | ${fmt(samples.snapshot.on)} | ${ratio(samples.snapshot.on, samples.snapshot.off)} | ${fmt(scrub.snapshot)} | ${share(scrub.snapshot, samples.snapshot.off)} |`,
  );
  console.log(
    `| mutation burst | ${fmt(samples.burst.off)} | ${fmt(samples.burst.on)} | ${ratio(samples.burst.on, samples.burst.off)} | ${fmt(scrub.mutation)} | ${share(scrub.mutation, samples.burst.off)} |`,
  );
} finally {
  await browser.close();
}
