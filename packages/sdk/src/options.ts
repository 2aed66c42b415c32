/**
 * @module
 * Customer SDK settings: what `Sightline.init(settings)` accepts (a partial, with Zoom Cobrowse's
 * names), the one {@link DEFAULTS} object, and {@link resolveSettings}, which turns the partial
 * into the complete settings the rest of the SDK reads. Resolution happens once, in `init`.
 */
import { RemoteAssistType, SightlineError } from '@sightline/protocol';
import { parseMaskAttributes } from './privacy/masking.js';
import type { PiiDetection } from './privacy/pii/redact.js';
import { resolvePiiDetection, type PiiDetectionSettings } from './privacy/pii/settings.js';

/**
 * How inputs and text are masked.
 * - `all_input`: every input, textarea and select value is masked, and editable text, and every
 *   radio button and checkbox is sent unchecked (a ticked answer is personal data too).
 * - `custom_input`: only the elements matched by `maskCssSelectors` / `maskHTMLAttributes`
 *   (values, and the checked state of radios and checkboxes).
 * - `all_text` (Sightline's allow-list mode): every input value and checked state and all the
 *   page's text, the title included, is masked, except what `unmaskCssSelectors` matches.
 *
 * In every mode password inputs, payment inputs (`autocomplete="cc-*"`), hidden inputs and
 * anything inside `[data-sightline-mask]` are always masked, and `maskCssSelectors` /
 * `maskHTMLAttributes` matches are masked (text and values).
 */
export type MaskType = 'all_input' | 'custom_input' | 'all_text';

/** Zoom Cobrowse's `piiMask` setting. */
export interface PiiMaskSettings {
  /**
   * Which inputs are masked. A masked radio button or checkbox is sent as unchecked (ADR 0011).
   * @default 'all_input'
   */
  maskType?: MaskType;
  /**
   * CSS selectors (comma-separated) of elements to mask: input values inside them, and their
   * text. An element is matched when it or an ancestor matches.
   * @default ''
   */
  maskCssSelectors?: string;
  /**
   * Attributes (comma-separated `attr=value`, or a bare `attr` for any value) that mark elements
   * to mask, as `maskCssSelectors` does. Example: `"data-sensitive=true, data-pii"`.
   * @default ''
   */
  maskHTMLAttributes?: string;
  /**
   * With `maskType: 'all_text'`: CSS selectors (comma-separated) of what stays readable, text
   * and input values, for an element matching or inside a match. Ignored in the other modes.
   * It never unmasks what is always masked, nor what the mask settings or server rules match.
   * @default ''
   */
  unmaskCssSelectors?: string;
}

/** Zoom Cobrowse's `multiTabSessionPersistence` setting. */
export interface MultiTabSettings {
  /**
   * Whether the session follows the customer across the site's tabs: the session is kept in
   * `localStorage` (first-party, no cookie) instead of the tab's `sessionStorage`, so every tab of
   * the site can `join()` it, each with its own stream, and agents follow the tab in front.
   * Without it, one tab holds the session and another tab's `start()` is refused (1004).
   * @default false
   */
  enable?: boolean;
  /**
   * The storage key the shared session is kept under (Zoom calls it a cookie key; nothing here
   * is a cookie).
   * @default 'sightline.session'
   */
  stateCookieKey?: string;
}

/**
 * Zoom Cobrowse's `remoteAssist` setting: whether, and how far, agents may act on the page in the
 * control modes `controlled` and `full_control` (ADR 0012). Annotations are `allowAgentAnnotation`.
 */
export interface RemoteAssistSettings {
  /**
   * Whether an agent may ask for control at all. Off, the server refuses every step up past
   * `guided` (3018), and the SDK refuses every command that reaches it anyway.
   * @default false
   */
  enable?: boolean;
  /**
   * Zoom's: whether the customer is asked before `controlled` starts. `false` lets it start
   * without the question (audited as pre-approved by the page); each action in `controlled` is
   * still approved in the SDK's prompt, and `full_control` is always asked.
   * @default true
   */
  enableCustomerConsent?: boolean;
  /**
   * What agents may do: any of `'scroll_page'`, `'click'` (also double-click and focus),
   * `'hover'`, `'type'`, `'select'` (also check boxes and radios), `'key'` and `'navigate'`.
   * Zoom's `['scroll_page']` allows scrolling only. At least one.
   * @default every type
   */
  remoteAssistTypes?: RemoteAssistType[];
  /**
   * Zoom's: the customer confirms before Stop in the banner ends control.
   * @default false
   */
  requireStopConfirmation?: boolean;
  /**
   * CSS selectors of elements no command may target, an element inside one included, whatever
   * the mode: buttons such as "Place order" or "Delete account". Example: `['#place-order']`.
   * Masked and blocked elements are never targets anyway.
   * @default []
   */
  denySelectors?: string[];
}

/** What `Sightline.init(settings)` accepts. Every key is optional. */
export interface SightlineSettings {
  /**
   * The Sightline server, e.g. `https://cobrowse.example.com` (a path prefix is kept).
   * @default the origin of the `<script src>` that loaded the IIFE build, else `location.origin`
   */
  serverUrl?: string;
  /**
   * Privacy masking. Masking always runs in the browser, before anything is sent.
   * @default { maskType: 'all_input', maskCssSelectors: '', maskHTMLAttributes: '' }
   */
  piiMask?: PiiMaskSettings;
  /**
   * PII detection: values that look like personal data are found in text, attribute values,
   * link and resource URLs and input values, and replaced by asterisks before they leave the
   * browser, whatever `piiMask` says. Each detector can be switched off; server rules can only
   * switch them on.
   * @default { cardNumbers: true, ssn: true, iban: true, email: true, phone: true }
   */
  piiDetection?: PiiDetectionSettings;
  /**
   * CSS selectors (comma-separated) of elements the agent sees only as a grey box of the same
   * size: no content, text, `src`, `srcset`, `poster` or background image of theirs is sent.
   * `[data-sightline-block]` is always blocked.
   * @default ''
   */
  blockSelectors?: string;
  /**
   * Names of URL query (and fragment) parameters whose values are masked wherever the page's
   * URL or a link or resource URL is recorded, e.g. `['token', 'email']`. Case-insensitive.
   * @default []
   */
  maskUrlParams?: string[];
  /**
   * While the page is shared, outline on the customer's own screen every area the agent sees
   * masked or blocked, labelled "Hidden from the agent". The outlines are the SDK's (never
   * captured) and let every click through.
   * @default false
   */
  showMaskedAreas?: boolean;
  /**
   * What an agent is, shown in brackets after their name in the consent prompt:
   * "Jane Doe (Support) wants to see this page". An empty string leaves the brackets out.
   * @default 'Support'
   */
  agentLabel?: string;
  /**
   * Keep the session across the site's tabs. `allowSessionContinuation` is accepted as an alias.
   * @default { enable: false, stateCookieKey: 'sightline.session' }
   */
  multiTabSessionPersistence?: MultiTabSettings;
  /** An older name of `multiTabSessionPersistence`, seen in Zoom samples. */
  allowSessionContinuation?: MultiTabSettings;
  /**
   * Whether `init` takes up an agent's invitation link: when the page's address has a
   * `sightline_invite` parameter, the SDK removes it from the address bar, redeems it and
   * connects, and the customer is asked for consent as an agent waits. A used or expired link
   * is explained in the SDK's own notice. Off, the page may call `session.acceptInvite()` itself.
   * @default true
   */
  acceptInvites?: boolean;
  /**
   * Remote assist: agents scroll, click and type for the customer, each step up in control
   * acknowledged by the customer. Off by default.
   * @default { enable: false, enableCustomerConsent: true, remoteAssistTypes: every type, requireStopConfirmation: false, denySelectors: [] }
   */
  remoteAssist?: RemoteAssistSettings;
  /**
   * Zoom's: whether agents may draw on the page (in `guided` mode and above).
   * @default true
   */
  allowAgentAnnotation?: boolean;
  /**
   * Zoom's: whether the customer may draw on the page too (a Draw button in the banner).
   * @default true
   */
  allowCustomerAnnotation?: boolean;
}

/** Settings after resolution: complete, validated, with derived URLs. */
export interface ResolvedSettings {
  /** Base URL of the HTTP API, without a trailing slash. */
  serverUrl: string;
  /** The WebSocket endpoint: `serverUrl` with `ws(s):` and `/ws`. */
  wsUrl: string;
  piiMask: Required<PiiMaskSettings>;
  piiDetection: PiiDetection;
  blockSelectors: string;
  maskUrlParams: string[];
  showMaskedAreas: boolean;
  agentLabel: string;
  multiTabSessionPersistence: Required<MultiTabSettings>;
  acceptInvites: boolean;
  remoteAssist: Required<RemoteAssistSettings>;
  allowAgentAnnotation: boolean;
  allowCustomerAnnotation: boolean;
}

/** The default of every setting. `serverUrl` has none here: it comes from where the SDK loaded. */
export const DEFAULTS = {
  piiMask: {
    maskType: 'all_input',
    maskCssSelectors: '',
    maskHTMLAttributes: '',
    unmaskCssSelectors: '',
  },
  blockSelectors: '',
  maskUrlParams: [],
  showMaskedAreas: false,
  piiDetection: { cardNumbers: true, ssn: true, iban: true, email: true, phone: true },
  agentLabel: 'Support',
  multiTabSessionPersistence: { enable: false, stateCookieKey: 'sightline.session' },
  acceptInvites: true,
  remoteAssist: {
    enable: false,
    enableCustomerConsent: true,
    remoteAssistTypes: RemoteAssistType.options,
    requireStopConfirmation: false,
    denySelectors: [],
  },
  allowAgentAnnotation: true,
  allowCustomerAnnotation: true,
} as const satisfies Omit<Required<SightlineSettings>, 'serverUrl' | 'allowSessionContinuation'>;

/** Where the SDK runs, for the `serverUrl` default. */
export interface SettingsContext {
  /** Origin of the script that loaded the IIFE build (`document.currentScript.src`), if known. */
  scriptOrigin?: string;
  /** `location.origin` of the page, if there is a page. */
  pageOrigin?: string;
  /** Whether the browser accepts a CSS selector. Without it, selectors are not checked. */
  isValidSelector?: (selector: string) => boolean;
}

const MASK_TYPES: readonly MaskType[] = ['all_input', 'custom_input', 'all_text'];

function invalid(reason: string): SightlineError {
  return new SightlineError('REQUEST_INVALID', `Invalid Sightline settings: ${reason}`);
}

function optionalString(value: unknown, name: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw invalid(`${name} must be a string.`);
  return value.trim();
}

function resolveServerUrl(raw: unknown, context: SettingsContext): string {
  const base = context.pageOrigin && context.pageOrigin !== 'null' ? context.pageOrigin : undefined;
  const chosen = raw ?? context.scriptOrigin ?? base;
  if (chosen === undefined) {
    throw invalid('serverUrl is required when the SDK is not loaded from a page.');
  }
  if (typeof chosen !== 'string' || chosen.trim() === '') {
    throw invalid('serverUrl must be a non-empty string.');
  }
  let url: URL;
  try {
    url = new URL(chosen.trim(), base);
  } catch {
    throw invalid(`serverUrl "${chosen}" is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid('serverUrl must be an http: or https: URL.');
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** The WebSocket URL for an HTTP base URL: same host and path prefix, `ws:`/`wss:`, then `/ws`. */
export function webSocketUrlOf(serverUrl: string): string {
  return `${serverUrl.replace(/^http/, 'ws')}/ws`;
}

/**
 * Resolves `settings` against {@link DEFAULTS} and `context`. Unknown keys (Zoom settings that
 * mean nothing here, such as `appKey`) are ignored, so Zoom integrations keep working unchanged.
 *
 * @throws SightlineError `REQUEST_INVALID` when a setting has the wrong type or value.
 */
export function resolveSettings(
  settings: SightlineSettings | undefined,
  context: SettingsContext,
): ResolvedSettings {
  if (settings !== undefined && (typeof settings !== 'object' || settings === null)) {
    throw invalid('settings must be an object.');
  }
  const given: SightlineSettings = settings ?? {};
  const piiMask: PiiMaskSettings | undefined = given.piiMask;
  if (piiMask !== undefined && (typeof piiMask !== 'object' || piiMask === null)) {
    throw invalid('piiMask must be an object.');
  }
  const maskType = piiMask?.maskType ?? DEFAULTS.piiMask.maskType;
  if (!MASK_TYPES.includes(maskType)) {
    throw invalid(`piiMask.maskType must be one of ${MASK_TYPES.join(', ')}.`);
  }
  const maskCssSelectors = optionalString(
    piiMask?.maskCssSelectors,
    'piiMask.maskCssSelectors',
    DEFAULTS.piiMask.maskCssSelectors,
  );
  const unmaskCssSelectors = optionalString(
    piiMask?.unmaskCssSelectors,
    'piiMask.unmaskCssSelectors',
    DEFAULTS.piiMask.unmaskCssSelectors,
  );
  const blockSelectors = optionalString(
    given.blockSelectors,
    'blockSelectors',
    DEFAULTS.blockSelectors,
  );
  // An unusable selector would silently do nothing, so it is refused up front.
  for (const [name, selector] of [
    ['piiMask.maskCssSelectors', maskCssSelectors],
    ['piiMask.unmaskCssSelectors', unmaskCssSelectors],
    ['blockSelectors', blockSelectors],
  ] as const) {
    if (selector && context.isValidSelector && !context.isValidSelector(selector)) {
      throw invalid(`${name} "${selector}" is not a valid CSS selector.`);
    }
  }
  const maskUrlParams = resolveUrlParams(given.maskUrlParams);
  const showMaskedAreas = given.showMaskedAreas ?? DEFAULTS.showMaskedAreas;
  if (typeof showMaskedAreas !== 'boolean') throw invalid('showMaskedAreas must be true or false.');
  const maskHTMLAttributes = optionalString(
    piiMask?.maskHTMLAttributes,
    'piiMask.maskHTMLAttributes',
    DEFAULTS.piiMask.maskHTMLAttributes,
  );
  const rules = parseMaskAttributes(maskHTMLAttributes);
  if ('error' in rules) throw invalid(`piiMask.maskHTMLAttributes: ${rules.error}`);
  const piiDetection = resolvePiiDetection(given.piiDetection);
  if ('error' in piiDetection) throw invalid(piiDetection.error);
  const serverUrl = resolveServerUrl(given.serverUrl, context);
  const agentLabel = optionalString(given.agentLabel, 'agentLabel', DEFAULTS.agentLabel);
  if (agentLabel.length > 40) throw invalid('agentLabel must be at most 40 characters.');
  const multiTabSessionPersistence = resolveMultiTab(
    given.multiTabSessionPersistence ?? given.allowSessionContinuation,
  );
  const acceptInvites = given.acceptInvites ?? DEFAULTS.acceptInvites;
  if (typeof acceptInvites !== 'boolean') throw invalid('acceptInvites must be true or false.');
  const remoteAssist = resolveRemoteAssist(given.remoteAssist, context);
  const allowAgentAnnotation = flag(
    given.allowAgentAnnotation,
    'allowAgentAnnotation',
    DEFAULTS.allowAgentAnnotation,
  );
  const allowCustomerAnnotation = flag(
    given.allowCustomerAnnotation,
    'allowCustomerAnnotation',
    DEFAULTS.allowCustomerAnnotation,
  );
  return {
    serverUrl,
    wsUrl: webSocketUrlOf(serverUrl),
    piiMask: { maskType, maskCssSelectors, maskHTMLAttributes, unmaskCssSelectors },
    blockSelectors,
    maskUrlParams,
    showMaskedAreas,
    piiDetection,
    agentLabel,
    multiTabSessionPersistence,
    acceptInvites,
    remoteAssist,
    allowAgentAnnotation,
    allowCustomerAnnotation,
  };
}

function flag(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalid(`${name} must be true or false.`);
  return value;
}

function resolveRemoteAssist(
  given: RemoteAssistSettings | undefined,
  context: SettingsContext,
): Required<RemoteAssistSettings> {
  const defaults = DEFAULTS.remoteAssist;
  if (given === undefined)
    return { ...defaults, remoteAssistTypes: [...defaults.remoteAssistTypes] };
  if (typeof given !== 'object' || given === null) throw invalid('remoteAssist must be an object.');
  const types: unknown = given.remoteAssistTypes ?? defaults.remoteAssistTypes;
  if (
    !Array.isArray(types) ||
    types.length === 0 ||
    !types.every((type) => RemoteAssistType.safeParse(type).success)
  ) {
    throw invalid(
      `remoteAssist.remoteAssistTypes must be a non-empty array of ${RemoteAssistType.options.join(', ')}.`,
    );
  }
  const denySelectors: unknown = given.denySelectors ?? [];
  if (
    !Array.isArray(denySelectors) ||
    !denySelectors.every((selector) => typeof selector === 'string' && selector.trim() !== '')
  ) {
    throw invalid('remoteAssist.denySelectors must be an array of CSS selectors.');
  }
  const selectors = denySelectors.map((selector: string) => selector.trim());
  // A deny selector the browser rejects would deny nothing: refused up front, like the others.
  for (const selector of selectors) {
    if (context.isValidSelector && !context.isValidSelector(selector)) {
      throw invalid(`remoteAssist.denySelectors "${selector}" is not a valid CSS selector.`);
    }
  }
  return {
    enable: flag(given.enable, 'remoteAssist.enable', defaults.enable),
    enableCustomerConsent: flag(
      given.enableCustomerConsent,
      'remoteAssist.enableCustomerConsent',
      defaults.enableCustomerConsent,
    ),
    remoteAssistTypes: [...new Set(types as RemoteAssistType[])],
    requireStopConfirmation: flag(
      given.requireStopConfirmation,
      'remoteAssist.requireStopConfirmation',
      defaults.requireStopConfirmation,
    ),
    denySelectors: selectors,
  };
}

function resolveMultiTab(given: MultiTabSettings | undefined): Required<MultiTabSettings> {
  const defaults = DEFAULTS.multiTabSessionPersistence;
  if (given === undefined) return { ...defaults };
  if (typeof given !== 'object' || given === null) {
    throw invalid('multiTabSessionPersistence must be an object.');
  }
  const enable = given.enable ?? defaults.enable;
  if (typeof enable !== 'boolean')
    throw invalid('multiTabSessionPersistence.enable must be true or false.');
  const key = optionalString(
    given.stateCookieKey,
    'multiTabSessionPersistence.stateCookieKey',
    defaults.stateCookieKey,
  );
  if (key === '' || key.length > 100) {
    throw invalid('multiTabSessionPersistence.stateCookieKey must be 1–100 characters.');
  }
  return { enable, stateCookieKey: key };
}

function resolveUrlParams(given: unknown): string[] {
  if (given === undefined) return [];
  if (!Array.isArray(given) || !given.every((name) => typeof name === 'string' && name.trim())) {
    throw invalid('maskUrlParams must be an array of parameter names.');
  }
  return given.map((name: string) => name.trim().toLowerCase());
}
