/**
 * Issue 6: docs/deployment.md shows the nginx configuration the multi-node e2e suite runs
 * (deploy/nginx/sightline.conf) word for word, and names only environment variables the server
 * reads, so the page cannot drift from what is tested.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_NAMES } from '../src/options.js';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('docs/deployment.md', () => {
  const doc = read('docs/deployment.md');

  it('quotes deploy/nginx/sightline.conf whole, as the e2e suite runs it', () => {
    const conf = read('deploy/nginx/sightline.conf');
    expect(conf).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(doc).toContain(`\`\`\`nginx\n${conf}\`\`\``);
  });

  it('names only SIGHTLINE_* variables the server reads', () => {
    const known = new Set<string>(Object.values(ENV_NAMES));
    const named = new Set(doc.match(/SIGHTLINE_[A-Z_]+/g));
    expect(named.size).toBeGreaterThan(10);
    expect([...named].filter((name) => !known.has(name))).toEqual([]);
  });
});
