// Builds the console into dist/: index.html and favicon (copied from public/), console.js and
// console.css (esbuild, bundling @sightline/agent from source). No inline script or style, so
// the server's CSP can stay `script-src 'self'`.
import { cpSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
rmSync(dist, { recursive: true, force: true });

await esbuild.build({
  absWorkingDir: here,
  entryPoints: { console: 'src/main.tsx' },
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  conditions: ['@sightline/source'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
cpSync(join(here, 'public'), dist, { recursive: true });

for (const file of ['index.html', 'console.js', 'console.css']) {
  const path = join(dist, file);
  const bytes = statSync(path).size;
  const gzip = gzipSync(readFileSync(path)).length;
  console.log(
    `${file.padEnd(12)} ${(bytes / 1024).toFixed(1).padStart(7)} KB  (${(gzip / 1024).toFixed(1)} KB gzip)`,
  );
}
