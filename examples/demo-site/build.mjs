// Builds the demo shop's one bundled script: the React gift note (src/gift-note.js) with React
// itself, into public/dist/, which the server serves with the rest of public/. Everything else
// in public/ is plain HTML, CSS and JavaScript.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const here = (path) => new URL(path, import.meta.url).pathname;

rmSync(here('public/dist'), { recursive: true, force: true });
await build({
  entryPoints: [here('src/gift-note.js')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'none',
  logLevel: 'warning',
  outfile: here('public/dist/gift-note.js'),
});
console.log('@sightline/demo-site: public/dist/gift-note.js');
