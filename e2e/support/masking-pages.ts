/**
 * @module
 * The fixture pages of `masking.e2e.test.ts`: a page with every kind of blocked, masked and
 * dynamic content, an allow-list page, their iframes and images, written to a folder the test
 * server serves as its demo site. Every secret a page plants has `SECRET` or `secret` in it.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A 1×1 transparent PNG, for every image the fixtures name. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/** Starts a session as the demo shop does, and shows the PIN in `#pin`. */
function loader(settings: object): string {
  return `<script src="/sdk/sightline.js"></script>
<script>
  Sightline.init(${JSON.stringify(settings)}, async function (result) {
    var session = result.session;
    window.sightlineSession = session;
    session.on('pincode_updated', function (e) { document.querySelector('#pin').textContent = e.pincode; });
    var response = await fetch('/api/token', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 1, userName: 'Masking Fixture' }),
    });
    session.start({ sdkToken: (await response.json()).token });
  });
</script>`;
}

const STYLE = `<style>
  body { font: 16px/1.4 sans-serif; margin: 8px; }
  .bg-class { background-image: url(/demo/fixture/class-bg.png); width: 70px; height: 30px; }
  .b-bg { width: 50px; height: 40px; }
  span.blk { padding: 3px; }
</style>`;

/** Blocked, masked and dynamic content, with `all_input` (the default) plus every selector kind. */
const MASKED_PAGE = `<!doctype html><html><head><title>Account overview</title>${STYLE}</head><body>
<h1>Account</h1><output id="pin"></output>
<p class="secret-text">SECRET-SELECTOR-TEXT</p>
<p><span data-pii="yes">SECRET-ATTR-TEXT</span> next to readable text</p>
<div data-sightline-mask>SECRET-MARKER-TEXT <input id="marked" value="SECRET-MARKER-VALUE"></div>
<input id="password" type="password" value="SECRET-PASSWORD">
<input id="card" autocomplete="cc-number" value="4111111111111111">
<input id="expiry" autocomplete="billing cc-exp" value="SECRET-EXPIRY">
<input id="name" value="">
<div id="editor" contenteditable="true">editable</div>
<img class="blk b-img" src="/demo/fixture/secret-img.png?token=SECRET-IMG-SRC" srcset="/demo/fixture/secret-img-2x.png 2x" width="120" height="80" alt="SECRET-IMG-ALT">
<picture><source srcset="/demo/fixture/secret-picture.png 1x" type="image/png"><img class="blk b-pic" src="/demo/fixture/secret-picture-img.png" width="60" height="40"></picture>
<svg class="blk b-svg" width="100" height="50"><text x="0" y="20">SECRET-SVG-TEXT</text></svg>
<canvas class="blk b-canvas" width="90" height="60"></canvas>
<video class="blk b-video" poster="/demo/fixture/secret-poster.png" width="160" height="90"></video>
<iframe class="blk b-frame" src="/demo/fixture/inner-blocked.html" width="200" height="100"></iframe>
<div class="blk b-bg" style="background-image: url(/demo/fixture/secret-inline-bg.png)">SECRET-BLOCKED-TEXT</div>
<div class="blk bg-class b-class"></div>
<span class="blk b-inline">SECRET-INLINE-BLOCKED</span>
<div class="blk b-host" style="width: 80px; height: 20px"></div>
<iframe class="secret-text m-frame" src="/demo/fixture/inner-masked.html" width="300" height="80"></iframe>
<div id="masked-host" data-sightline-mask></div>
<a id="link" href="/demo/fixture/next?token=SECRET-LINK-TOKEN&amp;page=2">next</a>
${loader({
  piiMask: { maskCssSelectors: '.secret-text', maskHTMLAttributes: 'data-pii=yes' },
  blockSelectors: '.blk',
  maskUrlParams: ['token'],
  showMaskedAreas: true,
})}
<script>
  document.querySelector('#masked-host').attachShadow({ mode: 'open' }).innerHTML =
    '<p class="in-shadow">SECRET-SHADOW-TEXT</p>';
  window.blockedShadow = document.querySelector('.b-host').attachShadow({ mode: 'open' });
  window.blockedShadow.innerHTML = '<b>SECRET-BLOCKED-SHADOW</b>';
</script>
</body></html>`;

/** The strictest mode: all text masked, the title included, except `nav`. */
const ALLOW_LIST_PAGE = `<!doctype html><html><head><title>SECRET-TITLE Jane Roe</title></head><body>
<nav><a href="/demo/fixture/help">Readable help link</a> <input id="search" value="readable query"></nav>
<output id="pin"></output>
<p id="para">SECRET-ALLTEXT-PARAGRAPH</p>
<p class="acct">SECRET-ALLTEXT-ACCOUNT</p>
<input id="note" value="SECRET-ALLTEXT-INPUT"> <input type="submit" value="SECRET-BUTTON-LABEL">
<nav class="acct">SECRET-MASK-BEATS-ALLOW</nav>
${loader({
  piiMask: { maskType: 'all_text', unmaskCssSelectors: 'nav', maskCssSelectors: '.acct' },
})}
</body></html>`;

const IMAGES = [
  'secret-img.png',
  'secret-img-2x.png',
  'secret-poster.png',
  'secret-in-frame.png',
  'secret-inline-bg.png',
  'class-bg.png',
  'secret-picture.png',
  'secret-picture-img.png',
];

const PAGES: Record<string, string> = {
  '/fixture/masking.html': MASKED_PAGE,
  '/fixture/allow-list.html': ALLOW_LIST_PAGE,
  '/fixture/inner-blocked.html': `<!doctype html><p>SECRET-BLOCKED-IFRAME</p><input value="SECRET-BLOCKED-IFRAME-VALUE"><img src="/demo/fixture/secret-in-frame.png">`,
  '/fixture/inner-masked.html': `<!doctype html><p id="inner">SECRET-MASKED-IFRAME</p>`,
};

/** Writes the fixtures to a new folder, for the server to serve at `/demo/`, and returns it. */
export function writeMaskingFixtures(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-masking-'));
  for (const [path, html] of Object.entries(PAGES)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, html);
  }
  for (const name of IMAGES) writeFileSync(join(dir, 'fixture', name), PNG);
  // The server serves a demo folder only when it has an index page.
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>fixtures</title>');
  return dir;
}
