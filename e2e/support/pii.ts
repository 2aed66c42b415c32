/**
 * @module
 * The PII corpus harness: reads the fixture pages of `e2e/fixtures/pii/` with the secrets each one
 * plants, serves them under the test server's origin, and searches every captured frame for those
 * secrets in the encodings a leak could take, naming the frame and the path inside the rrweb event.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { SentFrame } from './frames.js';

/** The corpus folder. */
export const CORPUS_DIR = new URL('../fixtures/pii/', import.meta.url).pathname;

/** One thing the test does on the customer page once the agent sees it. */
export type Step =
  | { type: [selector: string, text: string] }
  | { click: string }
  | { call: string }
  | { typeInFrame: [frame: string, selector: string, text: string] }
  /** A second agent joins (the customer allows): the SDK sends a fresh snapshot of the page. */
  | { secondAgent: true };

/** Where a masked or blocked element sits: in the page, in a same-origin iframe, or a shadow root. */
export interface Placed {
  selector: string;
  /** Selector of the iframe (in the top document) the element lives in. */
  frame?: string;
  /** Selector of the open shadow host (in the top document) the element lives in. */
  shadow?: string;
}

/**
 * An element the agent must see at the customer's place: masked (`input`: asterisks; `text`:
 * asterisks and spaces), `block`ed (an empty box of the same size), or only in `place` (its
 * detected parts masked: the leak search checks its content).
 */
export interface MaskedElement extends Placed {
  kind: 'input' | 'text' | 'block' | 'place';
}

/** A corpus case: `<name>.secrets.json` next to `<name>.html`. */
export interface CorpusCase {
  name: string;
  /** What the page shows, for the test's title. */
  about: string;
  /** Strings that must never leave the page, in any encoding. */
  secrets: string[];
  /** Harmless text the page shows: it must reach the agent, which proves the capture works. */
  visible: string[];
  /** Appended to the page's address (`?token=…#access_token=…`). */
  query: string;
  steps: Step[];
  masked: MaskedElement[];
}

/** Every case in `dir` (the corpus folder unless given), sorted by name. */
export function loadCorpus(dir = CORPUS_DIR): CorpusCase[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.secrets.json'))
    .sort()
    .map((file) => {
      const parsed = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Partial<CorpusCase>;
      return {
        name: file.replace(/\.secrets\.json$/, ''),
        about: parsed.about ?? '',
        secrets: parsed.secrets ?? [],
        visible: parsed.visible ?? [],
        query: parsed.query ?? '',
        steps: parsed.steps ?? [],
        masked: parsed.masked ?? [],
      };
    });
}

/** Vendor scripts the pages may load from `/fixture/vendor/`, out of `node_modules`. */
const VENDOR: Record<string, string> = {
  'preact.umd.js': 'node_modules/preact/dist/preact.umd.js',
  'hooks.umd.js': 'node_modules/preact/hooks/dist/hooks.umd.js',
};

/**
 * Serves preact's UMD builds at `${origin}/fixture/vendor/` for `page`. The corpus pages
 * themselves come from the real server (as its demo site folder): a page the browser got from a
 * route handler has no address, and Chromium's local-network checks then refuse its WebSocket
 * to the server on 127.0.0.1.
 */
export async function serveVendor(page: Page, origin: string): Promise<void> {
  const root = new URL('../../', import.meta.url).pathname;
  await page.context().route(`${origin}/fixture/vendor/*`, async (route) => {
    const name = new URL(route.request().url()).pathname.slice('/fixture/vendor/'.length);
    const file = VENDOR[name];
    if (!file) {
      await route.fulfill({ status: 404, body: 'not found' });
      return;
    }
    await route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(root, file)) });
  });
}

/**
 * The forms a secret could take on the wire: as written, lower case (the search is
 * case-insensitive), URL-encoded, JSON-escaped, and for secrets with digits in them (cards, SSNs,
 * IBANs, phones), with spaces, dashes and dots removed, and a card number in groups of four.
 */
export function secretVariants(secret: string): string[] {
  const variants = new Set<string>([
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
  ]);
  variants.add(secret.replace(/ /g, '+'));
  const compact = secret.replace(/[\s.\-()/]/g, '');
  if (/\d{4}/.test(compact) && compact.length >= 8) {
    variants.add(compact);
    if (/^\d{13,19}$/.test(compact)) variants.add(compact.replace(/(\d{4})(?=\d)/g, '$1 '));
  }
  return [...variants].map((variant) => variant.toLowerCase());
}

/** One place a secret was found. */
export interface Leak {
  secret: string;
  /** The form it was found in. */
  as: string;
  /** Index of the frame among those captured. */
  frame: number;
  /** The frame's `type` (text frames) or `dom.batch` (binary). */
  frameType: string;
  /** Where: `raw bytes`, the frame's address, or every JSON path in it (inflated rrweb events). */
  where: string;
}

/** A text's forms to search, lower-cased: as is, and without spaces, dashes and dots. */
function haystacks(text: string): string[] {
  const lower = text.toLowerCase();
  // `\s` takes no-break and thin spaces too, and `\p{Pd}` every dash (the non-breaking hyphen),
  // which pages put between the groups of a number.
  return [lower, lower.replace(/[\s\p{Pd}.]/gu, '')];
}

/** Every path in `value` (parsed JSON) to a string, number or key holding `needle` (lower case). */
function pathsTo(value: unknown, needle: string, path = '$'): string[] {
  if (typeof value === 'string') {
    return haystacks(value).some((text) => text.includes(needle)) ? [path] : [];
  }
  if (typeof value === 'number') return String(value).includes(needle) ? [path] : [];
  if (Array.isArray(value))
    return value.flatMap((inner, i) => pathsTo(inner, needle, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => [
      ...(key.toLowerCase().includes(needle) ? [`${path} (key ${key})`] : []),
      ...pathsTo(inner, needle, `${path}.${key}`),
    ]);
  }
  return [];
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The frame's `type`, as far as it can be read. */
function frameType(frame: SentFrame): string {
  if (frame.inflated !== undefined) return 'dom.batch';
  if (typeof frame.raw !== 'string') return 'binary';
  const parsed = parseOrText(frame.raw) as { type?: unknown };
  return typeof parsed?.type === 'string' ? parsed.type : 'text';
}

/** Every place any of `secrets` occurs in `frames`, in any of its {@link secretVariants}. */
export function findLeaks(frames: readonly SentFrame[], secrets: readonly string[]): Leak[] {
  const leaks: Leak[] = [];
  frames.forEach((frame, index) => {
    const raw = typeof frame.raw === 'string' ? frame.raw : frame.raw.toString('latin1');
    const texts: Array<[string, string]> = [
      ['raw', raw],
      ['socket address', frame.url],
    ];
    if (frame.inflated !== undefined) texts.push(['inflated', frame.inflated]);
    for (const secret of secrets) {
      for (const variant of secretVariants(secret)) {
        const hit = texts.find(([, text]) => haystacks(text).some((h) => h.includes(variant)));
        if (!hit) continue;
        const [kind, text] = hit;
        const paths =
          kind === 'socket address'
            ? ['the address the frame was sent to']
            : kind === 'inflated' || typeof frame.raw === 'string'
              ? pathsTo(parseOrText(text), variant)
              : ['raw bytes'];
        const where = paths.length > 0 ? paths.join(', ') : `${kind} (across separators)`;
        leaks.push({ secret, as: variant, frame: index, frameType: frameType(frame), where });
        break;
      }
    }
  });
  return leaks;
}

/** The box of an element, rounded, in its own document's viewport. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Where an element is, by position: for the element (and the iframe or shadow host it lives in),
 * the index of each ancestor among its parent's element children, from the `<body>` (or the
 * shadow root) down. Inside a masked element ids and other attributes are masked, so the mirror
 * cannot be searched with the customer page's selectors; positions are the same on both sides.
 * Scripts (rrweb drops them) and the SDK's own host do not count. `null` parts: not in a body.
 */
export interface PlacePath {
  frame: number[] | null;
  shadow: number[] | null;
  element: number[] | null;
}

/** What the agent or the customer sees of one {@link MaskedElement}. */
export interface Seen {
  box: Box;
  /** The input's value, or the element's text. */
  content: string;
  /** Child elements (a blocked element has none in the mirror). */
  children: number;
  /** The element's local name. */
  tag: string;
  /** Where it is, to find it in the mirror (read on the customer page). */
  path: PlacePath;
}

/**
 * Reads `element` inside `doc`, as a source string the page can evaluate: the same code reads the
 * customer page and the mirror's document. With `path` (what the customer page's reading
 * returned), the element, its frame and its shadow host are found by position instead of by
 * selector, falling back to the selector for a part without a path.
 */
export function readPlacedSource(docExpression: string, element: Placed, path?: PlacePath): string {
  return `(() => {
    const top = ${docExpression};
    if (!top) return null;
    const placed = ${JSON.stringify(element)};
    const path = ${JSON.stringify(path ?? null)};
    const counts = (el) => el.localName !== 'script' && el.localName !== 'sightline-ui';
    const kids = (at) => Array.from(at.children).filter(counts);
    const pathFrom = (base, el) => {
      if (!base || !el) return null;
      const steps = [];
      for (let at = el; at !== base; at = at.parentNode) {
        const parent = at.parentNode;
        if (!parent || !parent.children) return null;
        steps.unshift(kids(parent).indexOf(at));
      }
      return steps;
    };
    const follow = (base, steps) =>
      steps.reduce((at, index) => (at ? kids(at)[index] || null : null), base);
    let root = top;
    let frame = null;
    let host = null;
    if (placed.frame) {
      frame = path && path.frame ? follow(top.body, path.frame) : top.querySelector(placed.frame);
      root = frame && frame.contentDocument;
    } else if (placed.shadow) {
      host = path && path.shadow ? follow(top.body, path.shadow) : top.querySelector(placed.shadow);
      root = host && host.shadowRoot;
    }
    const base = root && (root.body || (root.host ? root : null));
    const el = path && path.element ? follow(base, path.element) : root && root.querySelector(placed.selector);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    const content = 'value' in el && typeof el.value === 'string' && el.localName !== 'button'
      ? el.value : (el.textContent || '');
    return {
      box: { x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height) },
      content,
      children: el.children.length,
      tag: el.localName,
      path: { frame: pathFrom(top.body, frame), shadow: pathFrom(top.body, host), element: pathFrom(base, el) },
    };
  })()`;
}

/** The mirror's document, as an expression in the console page. */
export const MIRROR_DOC = `(document.querySelector('#mirror iframe') || {}).contentDocument`;

/**
 * Everything the mirror shows as text, as an expression in the console page: the rendered text
 * of its document, of same-origin frames and open shadow roots in it, and every field's value.
 * A secret split over several nodes (`<b>4111 1111</b> 1111 1111`) shows here whole.
 */
export const MIRROR_SHOWN_TEXT = `(() => {
  const parts = [];
  const walk = (root) => {
    if (!root) return;
    if (root.body) parts.push(root.body.innerText);
    for (const el of root.querySelectorAll('*')) {
      if ('value' in el && typeof el.value === 'string') parts.push(el.value);
      if (el.shadowRoot) { parts.push(el.shadowRoot.textContent); walk(el.shadowRoot); }
      if (el.localName === 'iframe') { try { walk(el.contentDocument); } catch {} }
    }
  };
  walk(${MIRROR_DOC});
  return parts.join('\\n');
})()`;
