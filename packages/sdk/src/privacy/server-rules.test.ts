import { systemClock } from '@sightline/client';
import type { PageMaskRule } from '@sightline/protocol';
import { describe, expect, it } from 'vitest';
import { mergeServerDetection } from './pii/redact.js';
import {
  compileMaskPolicy,
  shouldMaskInput,
  shouldMaskText,
  withExtraRules,
  type MaskPolicy,
  type MaskableElement,
} from './masking.js';
import {
  FAIL_CLOSED_RULES,
  RuleGate,
  fetchPageRules,
  rulesForPath,
  type AddedRules,
  type GatedRecorder,
} from './server-rules.js';

const rule = (urlPattern: string, extra: Partial<PageMaskRule> = {}): PageMaskRule => ({
  urlPattern,
  maskSelectors: [],
  blockSelectors: [],
  maskUrlParams: [],
  detectors: {},
  ...extra,
});

const RULES = [
  rule('/**', { maskSelectors: ['.pii'] }),
  rule('/account/**', { maskSelectors: ['#name', '.pii'], maskUrlParams: ['token'] }),
  rule('/shop/*', { blockSelectors: ['canvas'], detectors: { phone: true } }),
  rule('/shop/**', { detectors: { email: true, phone: true } }),
];

/** A policy as plain lists, merged by union: what the masking engine's policy does, in small. */
interface Lists {
  mask: string[];
  block: string[];
}
const mergeLists = (policy: Lists, added: AddedRules): Lists => ({
  mask: [...new Set([...policy.mask, ...added.maskSelectors])],
  block: [...new Set([...policy.block, ...added.blockSelectors])],
});

/**
 * A recorder that notes what the gate asked of it, and under which policy. Like rrweb, it emits
 * its snapshot from inside `snapshot()`, through the gate; `passed` counts what got through.
 */
class NotingRecorder implements GatedRecorder {
  recording = false;
  readonly starts: Lists[] = [];
  passed = 0;
  gate: RuleGate<Lists> | undefined;
  constructor(private readonly policy: () => Lists) {}
  snapshot(): void {
    if (!this.recording) this.starts.push(this.policy());
    this.recording = true;
    if (this.gate?.admit()) this.passed += 1;
  }
  stop(): void {
    this.recording = false;
  }
}

function gate(rules: Promise<PageMaskRule[] | undefined>, path: { now: string }) {
  const g = new RuleGate<Lists>({
    base: { mask: ['#page-own'], block: [] },
    merge: mergeLists,
    rules,
    path: () => path.now,
  });
  const recorder = new NotingRecorder(() => g.policy());
  recorder.gate = g;
  g.attach(recorder);
  return { g, recorder };
}

describe('rulesForPath', () => {
  it('unites the matching rules, each entry once, and nothing of the others', () => {
    expect(rulesForPath(RULES, '/account/cards')).toEqual({
      maskSelectors: ['.pii', '#name'],
      blockSelectors: [],
      maskUrlParams: ['token'],
      detectors: {},
    });
    expect(rulesForPath(RULES, '/shop/42')).toEqual({
      maskSelectors: ['.pii'],
      blockSelectors: ['canvas'],
      maskUrlParams: [],
      detectors: { email: true, phone: true },
    });
    expect(rulesForPath([], '/')).toEqual({
      detectors: {},
      maskSelectors: [],
      blockSelectors: [],
      maskUrlParams: [],
    });
  });
});

describe('RuleGate', () => {
  it('starts nothing until the rules are in, then starts under them', async () => {
    let deliver!: (rules: PageMaskRule[]) => void;
    const { g, recorder } = gate(new Promise((resolve) => (deliver = resolve)), {
      now: '/account/',
    });
    g.snapshot();
    expect(recorder.starts).toEqual([]);
    // Before the rules, the policy is the fail-closed one, should anything ask.
    expect(g.policy().mask).toContain('*');
    deliver(RULES);
    await Promise.resolve();
    await Promise.resolve();
    expect(recorder.starts).toEqual([{ mask: ['#page-own', '.pii', '#name'], block: [] }]);
  });

  it('fails closed: no rules means everything masked, never the page policy alone', async () => {
    const { g, recorder } = gate(Promise.resolve(undefined), { now: '/' });
    await Promise.resolve();
    g.snapshot();
    expect(recorder.starts).toEqual([
      {
        mask: ['#page-own', ...FAIL_CLOSED_RULES.maskSelectors],
        block: FAIL_CLOSED_RULES.blockSelectors,
      },
    ]);
    expect(FAIL_CLOSED_RULES.blockSelectors).toEqual(['body']);
  });

  it('keeps every selector of the page: rules only add', async () => {
    const { g } = gate(
      Promise.resolve([rule('/**', { maskSelectors: [], blockSelectors: ['x'] })]),
      { now: '/' },
    );
    await Promise.resolve();
    expect(g.policy()).toEqual({ mask: ['#page-own'], block: ['x'] });
  });

  it('restarts capture when a route change changes the rules, dropping events until then', async () => {
    const path = { now: '/shop/1' };
    const { g, recorder } = gate(Promise.resolve(RULES), path);
    await Promise.resolve();
    g.snapshot();
    expect(g.admit()).toBe(true);
    // Same rules on another product page: nothing to do.
    path.now = '/shop/2';
    expect(g.admit()).toBe(true);
    expect(recorder.starts).toHaveLength(1);
    // The account pages have more rules: events are dropped until capture restarts.
    path.now = '/account/';
    expect(g.admit()).toBe(false);
    expect(g.admit()).toBe(false);
    await Promise.resolve();
    await Promise.resolve();
    expect(recorder.starts.at(-1)).toEqual({ mask: ['#page-own', '.pii', '#name'], block: [] });
    // One restart, whose snapshot got through: the first and the new one passed.
    expect(recorder.starts).toHaveLength(2);
    expect(recorder.passed).toBe(2);
    expect(g.admit()).toBe(true);
  });
});

describe('fetchPageRules', () => {
  const respond =
    (status: number, body: unknown): typeof fetch =>
    async () =>
      new Response(JSON.stringify(body), { status });

  it('returns the rules of a good answer and nothing for anything else', async () => {
    const options = { serverUrl: 'https://s', resumeToken: 't', clock: systemClock };
    expect(await fetchPageRules({ ...options, fetch: respond(200, { rules: RULES }) })).toEqual(
      RULES,
    );
    expect(
      await fetchPageRules({ ...options, fetch: respond(410, { error: {} }) }),
    ).toBeUndefined();
    expect(
      await fetchPageRules({ ...options, fetch: respond(200, { rules: [{ urlPattern: 1 }] }) }),
    ).toBeUndefined();
    const offline: typeof fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    expect(await fetchPageRules({ ...options, fetch: offline, retryDelayMs: 1 })).toBeUndefined();
    const never: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    expect(await fetchPageRules({ ...options, fetch: never, timeoutMs: 20 })).toBeUndefined();
  });

  it('retries network failures and 5xx answers, never refusals', async () => {
    const options = {
      serverUrl: 'https://s',
      resumeToken: 't',
      clock: systemClock,
      retryDelayMs: 1,
    };
    const counted = (answers: (number | 'offline')[]) => {
      let calls = 0;
      const fetch: typeof globalThis.fetch = async () => {
        const answer = answers[Math.min(calls, answers.length - 1)];
        calls += 1;
        if (answer === 'offline') throw new TypeError('Failed to fetch');
        return new Response(JSON.stringify(answer === 200 ? { rules: RULES } : {}), {
          status: answer,
        });
      };
      return { fetch, calls: () => calls };
    };
    const flaky = counted(['offline', 503, 200]);
    expect(await fetchPageRules({ ...options, fetch: flaky.fetch })).toEqual(RULES);
    expect(flaky.calls()).toBe(3);
    const down = counted([503]);
    expect(await fetchPageRules({ ...options, fetch: down.fetch })).toBeUndefined();
    expect(down.calls()).toBe(3);
    const refused = counted([401]);
    expect(await fetchPageRules({ ...options, fetch: refused.fetch })).toBeUndefined();
    expect(refused.calls()).toBe(1);
  });
});

/** An input or paragraph with an id, as the masking decision sees it (`closest` by id or `*`). */
function byId(tagName: string, id: string): MaskableElement {
  return {
    tagName,
    type: tagName === 'INPUT' ? 'text' : undefined,
    getAttribute: () => null,
    closest: (selector: string) =>
      selector.split(',').some((part) => ['*', `#${id}`].includes(part.trim())) ? {} : null,
  };
}

describe('server rules on the masking engine: they only add', () => {
  const base = compileMaskPolicy({
    piiMask: {
      maskType: 'custom_input',
      maskCssSelectors: '#card',
      maskHTMLAttributes: 'data-pii',
      unmaskCssSelectors: '',
    },
    blockSelectors: '.avatar',
    maskUrlParams: ['token'],
  });
  const gateAt = async (rules: PageMaskRule[] | undefined, path: string) => {
    const g = new RuleGate<MaskPolicy>({
      base,
      merge: withExtraRules,
      rules: Promise.resolve(rules),
      path: () => path,
    });
    await Promise.resolve();
    return g.policy();
  };

  it.each([
    ['no rules', []],
    ['rules for other pages', [rule('/other/**', { maskSelectors: ['#x'] })]],
    ['empty additions', [rule('/**', { blockSelectors: [' '] })]],
    [
      'rules that repeat the page',
      [rule('/**', { maskSelectors: ['#card'], maskUrlParams: ['TOKEN'] })],
    ],
    ['a failed fetch', undefined],
  ])('keeps everything the page masks with %s', async (_label, rules) => {
    const policy = await gateAt(rules, '/account/');
    expect(policy.maskType).toBe(base.maskType);
    for (const key of ['maskSelectors', 'blockSelectors', 'maskUrlParams'] as const) {
      expect(policy[key]).toEqual(expect.arrayContaining([...base[key]]));
    }
    expect(shouldMaskInput(byId('INPUT', 'card'), policy)).toBe(true);
  });

  it('masks what a matching rule names, only on its pages', async () => {
    const rules = [rule('/account/**', { maskSelectors: ['#name', '#title'] })];
    const account = await gateAt(rules, '/account/profile');
    expect(shouldMaskInput(byId('INPUT', 'name'), account)).toBe(true);
    expect(shouldMaskText(byId('P', 'title'), account)).toBe(true);
    const shop = await gateAt(rules, '/shop/');
    expect(shouldMaskInput(byId('INPUT', 'name'), shop)).toBe(false);
    expect(shouldMaskText(byId('P', 'title'), shop)).toBe(false);
  });

  it('masks every text and value when the rules could not be had', async () => {
    const policy = await gateAt(undefined, '/shop/');
    expect(shouldMaskInput(byId('INPUT', 'name'), policy)).toBe(true);
    expect(shouldMaskText(byId('P', 'title'), policy)).toBe(true);
  });
});

describe('server rules on PII detection: they only switch detectors on', () => {
  const pageOff = { cardNumbers: false, ssn: false, iban: false, email: false, phone: false };

  it('switches on what matching rules name, leaves the rest as the page has it', async () => {
    const g = new RuleGate<Lists>({
      base: { mask: [], block: [] },
      merge: mergeLists,
      rules: Promise.resolve(RULES),
      path: () => '/shop/3',
    });
    await Promise.resolve();
    expect(mergeServerDetection(pageOff, g.detectors())).toEqual({
      ...pageOff,
      email: true,
      phone: true,
    });
    const pageOn = { ...pageOff, iban: true };
    expect(mergeServerDetection(pageOn, g.detectors()).iban).toBe(true);
  });

  it('switches every detector on while the rules are not in, or failed', async () => {
    const g = new RuleGate<Lists>({
      base: { mask: [], block: [] },
      merge: mergeLists,
      rules: Promise.resolve(undefined),
      path: () => '/',
    });
    expect(Object.values(mergeServerDetection(pageOff, g.detectors()))).toEqual(
      Array(5).fill(true),
    );
    await Promise.resolve();
    expect(Object.values(mergeServerDetection(pageOff, g.detectors()))).toEqual(
      Array(5).fill(true),
    );
  });
});
