// Builds @sightline/sdk: the ESM bundle for npm, the minified IIFE the server serves as
// /sdk/sightline.js (with an SRI manifest), and the type declarations. Prints bundle sizes.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = (path) => new URL(path, import.meta.url).pathname;

const pkg = JSON.parse(readFileSync(here('package.json'), 'utf8'));

const common = {
  bundle: true,
  platform: 'browser',
  // Private class fields and `??=` stay native: Chrome/Edge 94+, Firefox 93+, Safari 15.4+.
  target: 'es2022',
  // @sightline/protocol is bundled from its TypeScript source.
  conditions: ['@sightline/source'],
  define: { __SIGHTLINE_VERSION__: JSON.stringify(pkg.version) },
  legalComments: 'none',
  logLevel: 'warning',
};

rmSync(here('dist'), { recursive: true, force: true });

const [esm] = await Promise.all([
  build({
    ...common,
    entryPoints: [here('src/index.ts')],
    format: 'esm',
    outfile: here('dist/esm/index.js'),
    sourcemap: true,
    metafile: true,
  }),
  build({
    ...common,
    entryPoints: [here('src/iife.ts')],
    format: 'iife',
    outfile: here('dist/iife/sightline.js'),
    minify: true,
    // The map is written for debugging but not linked, so browsers never request it.
    sourcemap: 'external',
  }),
]);

// The ESM file is not minified (consumers' bundlers do that); measure what it minifies to.
const esmMinified = await build({
  ...common,
  entryPoints: [here('src/index.ts')],
  format: 'esm',
  minify: true,
  write: false,
});

const iife = readFileSync(here('dist/iife/sightline.js'));
const integrity = `sha384-${createHash('sha384').update(iife).digest('base64')}`;
writeFileSync(
  here('dist/iife/manifest.json'),
  `${JSON.stringify({ file: 'sightline.js', version: pkg.version, bytes: iife.length, integrity }, null, 2)}\n`,
);

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', here('tsconfig.build.json')], { stdio: 'inherit' });

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const row = (name, code) =>
  `  ${name.padEnd(24)} ${kb(code.length).padStart(9)} min ${kb(gzipSync(code, { level: 9 }).length).padStart(9)} gzip`;
console.log(`@sightline/sdk ${pkg.version}`);
console.log(row('dist/iife/sightline.js', iife));
console.log(row('dist/esm/index.js', esmMinified.outputFiles[0].contents));
console.log(`  IIFE integrity: ${integrity}`);

// Where the bytes come from, by package (minified sizes are roughly proportional).
const byPackage = new Map();
const esmInputs =
  esm.metafile.outputs[Object.keys(esm.metafile.outputs).find((f) => f.endsWith('index.js'))]
    .inputs;
for (const [file, { bytesInOutput }] of Object.entries(esmInputs)) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  const name = match
    ? match[1]
    : file.startsWith('src/')
      ? '@sightline/sdk'
      : file.startsWith('../client/')
        ? '@sightline/client'
        : '@sightline/protocol';
  byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
}
const total = [...byPackage.values()].reduce((a, b) => a + b, 0);
console.log('  share of the unminified ESM bundle:');
for (const [name, bytes] of [...byPackage].sort((a, b) => b[1] - a[1])) {
  console.log(`    ${name.padEnd(22)} ${((100 * bytes) / total).toFixed(0).padStart(3)}%`);
}
