/**
 * @module
 * Server-managed mask rules in the customer's browser: fetched once per page with the session's
 * resume token (`GET /api/customer/mask-rules`), matched against the page's own path, and added to
 * the page's masking policy before the recorder captures anything.
 *
 * - **Before the first snapshot.** The fetch starts when the session connects, long before an
 *   agent can be allowed to watch; {@link RuleGate.snapshot} waits for it before the recorder
 *   starts.
 * - **Only adds.** Rules reach the policy through the merge function the caller passes (the
 *   masking engine's `withExtraRules`, a pure union): nothing here can unmask what the page
 *   configured. Detectors a rule names are switched on (`mergeServerDetection`), never off.
 * - **Fails closed.** If the rules cannot be had (network failures and 5xx answers are retried;
 *   a refusal, a malformed body, or no answer within {@link RULES_FETCH_TIMEOUT_MS} are final),
 *   the page's body is blocked, every text masked and every PII detector on for this page
 *   ({@link FAIL_CLOSED_RULES}), rather than anything being sent without the app's rules.
 * - **Per page.** The page's URL never leaves the browser for this: the server sends every rule
 *   of the app, and the SDK matches. A reload or a same-site navigation loads the SDK again and
 *   matches its new path; a single-page app's route change that changes which rules apply
 *   restarts capture under the new rules (a fresh full snapshot), dropping whatever was captured
 *   under the old ones after the change.
 */
import type { Clock } from '@sightline/client';
import {
  CustomerMaskRulesResponse,
  PII_DETECTOR_NAMES,
  maskRulePatternMatches,
  type MaskRuleDetectors,
  type PageMaskRule,
} from '@sightline/protocol';

/** How long the SDK waits for the rules before it fails closed. */
export const RULES_FETCH_TIMEOUT_MS = 10_000;

/**
 * What server rules add: the shape of the masking engine's `ExtraMaskRules`, and the detectors
 * to switch on.
 */
export interface AddedRules {
  maskSelectors: readonly string[];
  blockSelectors: readonly string[];
  maskUrlParams: readonly string[];
  detectors: MaskRuleDetectors;
}

/**
 * Added when the rules could not be had. Masking every text is not enough, since rules may block
 * images or elements whose attributes carry data: the whole body is blocked (the agent sees an
 * empty page of the right size), every text is masked and every detector is on.
 */
export const FAIL_CLOSED_RULES: AddedRules = {
  maskSelectors: ['*'],
  blockSelectors: ['body'],
  maskUrlParams: [],
  detectors: Object.fromEntries(PII_DETECTOR_NAMES.map((name) => [name, true])),
};

/** The rules of `rules` whose pattern matches `path`, as one addition (lists in order, once). */
export function rulesForPath(rules: readonly PageMaskRule[], path: string): AddedRules {
  const matching = rules.filter((rule) => maskRulePatternMatches(rule.urlPattern, path));
  const all = (pick: (rule: PageMaskRule) => readonly string[]) => [
    ...new Set(matching.flatMap(pick)),
  ];
  const detectors: MaskRuleDetectors = {};
  for (const name of PII_DETECTOR_NAMES) {
    if (matching.some((rule) => rule.detectors[name] === true)) detectors[name] = true;
  }
  return {
    maskSelectors: all((rule) => rule.maskSelectors),
    blockSelectors: all((rule) => rule.blockSelectors),
    maskUrlParams: all((rule) => rule.maskUrlParams),
    detectors,
  };
}

/** What {@link fetchPageRules} needs. */
export interface FetchRulesOptions {
  serverUrl: string;
  /** The session's resume token: the customer's credential, scoped to its session. */
  resumeToken: string;
  fetch: typeof globalThis.fetch;
  clock: Clock;
  /** The time all attempts together may take. @default RULES_FETCH_TIMEOUT_MS */
  timeoutMs?: number;
  /** Attempts when the network or the server fails (not when it refuses). @default 3 */
  attempts?: number;
  /** Wait before the first retry; doubles after each. @default 300 */
  retryDelayMs?: number;
}

/**
 * The app's rules, or `undefined` if they could not be had in time. Network failures and 5xx
 * answers are retried. Never throws.
 */
export async function fetchPageRules(
  options: FetchRulesOptions,
): Promise<PageMaskRule[] | undefined> {
  const abort = new AbortController();
  const timer = options.clock.setTimeout(
    () => abort.abort(),
    options.timeoutMs ?? RULES_FETCH_TIMEOUT_MS,
  );
  let delay = options.retryDelayMs ?? 300;
  try {
    for (let attempt = 1; ; attempt += 1) {
      const response = await options
        .fetch(`${options.serverUrl}/api/customer/mask-rules`, {
          headers: { authorization: `Bearer ${options.resumeToken}` },
          credentials: 'omit',
          referrerPolicy: 'no-referrer',
          cache: 'no-store',
          signal: abort.signal,
        })
        .catch(() => undefined);
      // A refusal (a bad token, an ended session) will not change: only failures are retried.
      const retry = !response || response.status >= 500;
      if (!retry) {
        if (!response.ok) return undefined;
        const parsed = CustomerMaskRulesResponse.safeParse(await response.json());
        return parsed.success ? parsed.data.rules : undefined;
      }
      if (abort.signal.aborted || attempt >= (options.attempts ?? 3)) return undefined;
      await new Promise<void>((resolve) => {
        options.clock.setTimeout(resolve, delay);
      });
      delay *= 2;
    }
  } catch {
    return undefined;
  } finally {
    options.clock.clearTimeout(timer);
  }
}

/** The rules for one path, worked out once. */
interface Resolved<P> {
  path: string;
  /** Identifies the addition, to tell whether a route change changed it. */
  key: string;
  policy: P;
  detectors: MaskRuleDetectors;
}

/** How a {@link RuleGate} builds policies. `P` is the masking engine's policy type. */
export interface RuleGateOptions<P> {
  /** The page's own policy, from its settings. */
  base: P;
  /** Adds rules to a policy; must only ever add (the masking engine's `withExtraRules`). */
  merge: (policy: P, rules: AddedRules) => P;
  /** The app's rules, or `undefined` when they could not be had (then it fails closed). */
  rules: Promise<PageMaskRule[] | undefined>;
  /** The page's path now. @default location.pathname */
  path?: () => string;
}

/** The recorder as the gate drives it. */
export interface GatedRecorder {
  readonly recording: boolean;
  snapshot(): void;
  stop(): void;
}

/**
 * Holds capture back until the server rules are in, gives the recorder the policy for the page's
 * path, and restarts capture when a route change changes which rules apply.
 */
export class RuleGate<P> {
  readonly #base: P;
  readonly #merge: (policy: P, rules: AddedRules) => P;
  readonly #path: () => string;
  #recorder: GatedRecorder | undefined;
  /** `undefined` until the fetch settled; `'failed'` when it did not bring rules. */
  #rules: readonly PageMaskRule[] | 'failed' | undefined;
  /** Which rules the running capture applies (a key of the addition), and for which path. */
  #applied: { key: string; path: string } | undefined;
  #current: Resolved<P> | undefined;
  #restarting = false;
  #waiting = false;
  #disposed = false;

  constructor(options: RuleGateOptions<P>) {
    this.#base = options.base;
    this.#merge = options.merge;
    this.#path = options.path ?? (() => globalThis.location?.pathname ?? '/');
    void options.rules.then((rules) => {
      this.#rules = rules ?? 'failed';
      if (this.#waiting && !this.#disposed) {
        this.#waiting = false;
        this.#start();
      }
    });
  }

  /** Connects the recorder this gate drives (it is built with {@link RuleGate.policy}). */
  attach(recorder: GatedRecorder): void {
    this.#recorder = recorder;
  }

  /** Whether the rules are in (or failed, and the gate fails closed). */
  get settled(): boolean {
    return this.#rules !== undefined;
  }

  /**
   * The policy for the page's path now: the page's own plus the matching rules, or plus
   * {@link FAIL_CLOSED_RULES} when the rules failed or are not in yet.
   */
  policy(): P {
    return this.#resolve().policy;
  }

  /**
   * The detectors the rules for the page's path switch on (all of them when the rules failed or
   * are not in yet). Cheap: asked for every event.
   */
  detectors(): MaskRuleDetectors {
    return this.#resolve().detectors;
  }

  /** Starts or refreshes capture once the rules are in (at once if they are). */
  snapshot(): void {
    if (this.#disposed) return;
    if (!this.settled) {
      this.#waiting = true;
      return;
    }
    this.#start();
  }

  /**
   * Whether an event the recorder just produced was captured under the rules for the page's path
   * now. When a route change changed them, it answers false (drop the event) until capture has
   * restarted under the new rules.
   */
  admit(): boolean {
    const applied = this.#applied;
    if (this.#restarting) return false;
    if (!applied) return true;
    const path = this.#path();
    if (path === applied.path) return true;
    const { key } = this.#resolve();
    if (key === applied.key) {
      this.#applied = { key, path };
      return true;
    }
    this.#restarting = true;
    // Not from inside rrweb's emit: stop and start again once it has returned.
    queueMicrotask(() => {
      this.#restarting = false;
      if (this.#disposed || !this.#recorder?.recording) return;
      this.#recorder.stop();
      this.#start();
    });
    return false;
  }

  /** Capture stopped (nobody may watch): the next snapshot waits for nothing but the rules. */
  stopped(): void {
    this.#applied = undefined;
    this.#waiting = false;
  }

  /** Starts nothing any more. */
  dispose(): void {
    this.#disposed = true;
    this.#waiting = false;
  }

  #start(): void {
    const recorder = this.#recorder;
    if (!recorder) return;
    const { key, path } = this.#resolve();
    // Noted first: rrweb emits the new snapshot from inside `snapshot()`, and `admit` must know
    // it was taken under these rules.
    if (!recorder.recording) this.#applied = { key, path };
    recorder.snapshot();
  }

  #resolve(): Resolved<P> {
    const path = this.#path();
    const rules = this.#rules;
    const cached = this.#current;
    if (cached && cached.path === path && rules !== undefined) return cached;
    const added =
      rules === undefined || rules === 'failed' ? FAIL_CLOSED_RULES : rulesForPath(rules, path);
    const key = rules === undefined || rules === 'failed' ? 'failed' : JSON.stringify(added);
    const resolved = {
      path,
      key,
      policy: this.#merge(this.#base, added),
      detectors: added.detectors,
    };
    if (rules !== undefined) this.#current = resolved;
    return resolved;
  }
}
