/**
 * @module
 * Reading a node's `/metrics` in tests: a real HTTP scrape, and the Prometheus text format read
 * into one number per series.
 */
import { expect } from 'vitest';

/** One scrape: each series (`name{label="value",…}`, labels as the server wrote them) and its value. */
export type Scrape = Map<string, number>;

/** Reads the Prometheus text format: one sample per line, comments skipped. */
export function parseMetrics(text: string): Scrape {
  const samples: Scrape = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

/** Scrapes `url`'s `/metrics` over a real socket; expects 200. */
export async function scrape(
  url: string,
  token?: string,
): Promise<{ text: string; samples: Scrape }> {
  const response = await fetch(`${url}/metrics`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return { text, samples: parseMetrics(text) };
}

/** The value of `series` in `samples`, which must be there. */
export function valueOf(samples: Scrape, series: string): number {
  const value = samples.get(series);
  if (value === undefined) throw new Error(`no series ${series} in the scrape`);
  return value;
}
