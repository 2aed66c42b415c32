// Builds @sightline/agent: an ESM bundle with its stylesheet (dist/esm/index.js + index.css),
// then type declarations (dist/types) with tsc. Prints the sizes.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
rmSync(dist, { recursive: true, force: true });

await esbuild.build({
  absWorkingDir: here,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist/esm',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  conditions: ['@sightline/source'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

execFileSync(
  process.execPath,
  [join(here, '../../node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  { cwd: here, stdio: 'inherit' },
);

for (const file of ['esm/index.js', 'esm/index.css', 'types/index.d.ts']) {
  const path = join(dist, file);
  const bytes = statSync(path).size;
  const gzip = gzipSync(readFileSync(path)).length;
  console.log(
    `${file.padEnd(18)} ${(bytes / 1024).toFixed(1).padStart(7)} KB  (${(gzip / 1024).toFixed(1)} KB gzip)`,
  );
}
