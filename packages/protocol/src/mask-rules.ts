/**
 * @module
 * Server-managed mask rules: extra masking an app's managers keep on the server, scoped by URL
 * pattern, which the customer SDK applies before its first snapshot. A rule can only add masking
 * (more masked selectors, more blocked selectors, more masked URL parameters, PII detectors
 * switched on); nothing in it can unmask what the page configured. Managed through `GET|POST /api/mask-rules` and
 * `PUT|DELETE /api/mask-rules/:id`; read by the SDK through `GET /api/customer/mask-rules`.
 */
import * as z from 'zod';
import {
  MASK_RULE_LIST_MAX_ENTRIES,
  MASK_RULE_PARAM_MAX_LENGTH,
  MASK_RULE_SELECTOR_MAX_LENGTH,
  MASK_RULE_URL_PATTERN_MAX_LENGTH,
} from './limits.js';

/**
 * Where a rule applies: a glob on the page's path (`location.pathname`, no query or fragment).
 * `*` matches within one path segment, `**` matches across segments, and a trailing `/**` also
 * matches the bare prefix: `/account/**` covers `/account`, `/account/` and `/account/cards/2`;
 * `/**` covers every page. Anything else matches literally, case-sensitively.
 */
export const MaskRuleUrlPattern = z
  .string()
  .trim()
  .min(1)
  .max(MASK_RULE_URL_PATTERN_MAX_LENGTH)
  .regex(/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/, 'a path starting with "/" (with * or ** globs)');

/**
 * A CSS selector, as the page's browser will parse it. The server cannot check CSS syntax; the
 * SDK does, and a selector its browser refuses masks all text on the page (fail closed). Braces,
 * semicolons and control characters are refused here, since no selector needs them.
 */
export const MaskRuleSelector = z
  .string()
  .trim()
  .min(1)
  .max(MASK_RULE_SELECTOR_MAX_LENGTH)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^{};\u0000-\u001f\u007f]+$/, 'a CSS selector (no braces, semicolons or controls)');

/** A URL query parameter name whose value is masked, such as `token` or `email`. */
export const MaskRuleUrlParam = z
  .string()
  .trim()
  .min(1)
  .max(MASK_RULE_PARAM_MAX_LENGTH)
  .regex(/^[A-Za-z0-9_.[\]-]+$/, 'letters, digits and _ . - [ ] only');

/** The PII detectors of the customer SDK, by the names of its `piiDetection` setting. */
export const PII_DETECTOR_NAMES = ['cardNumbers', 'ssn', 'iban', 'email', 'phone'] as const;
export type PiiDetectorName = (typeof PII_DETECTOR_NAMES)[number];

/**
 * Detectors a rule switches on, whatever the page's `piiDetection` says: `{ email: true }`. Only
 * `true` is accepted; a rule cannot switch a detector off.
 */
export const MaskRuleDetectors = z
  .object(
    Object.fromEntries(PII_DETECTOR_NAMES.map((name) => [name, z.literal(true).optional()])) as {
      [K in PiiDetectorName]: z.ZodOptional<z.ZodLiteral<true>>;
    },
  )
  .strict();
export type MaskRuleDetectors = z.infer<typeof MaskRuleDetectors>;

const list = <T extends z.ZodType>(item: T) =>
  z.array(item).max(MASK_RULE_LIST_MAX_ENTRIES).default([]);

/**
 * `POST /api/mask-rules` and `PUT /api/mask-rules/:id`: a rule as a manager writes it. At least
 * one list must have an entry, or one detector be switched on.
 */
export const MaskRuleInput = z
  .object({
    urlPattern: MaskRuleUrlPattern,
    /** Elements whose text and input values are masked, with everything inside them. */
    maskSelectors: list(MaskRuleSelector),
    /** Elements replaced by a same-size placeholder. */
    blockSelectors: list(MaskRuleSelector),
    /** Query parameters whose values are masked in the URLs the SDK sends. */
    maskUrlParams: list(MaskRuleUrlParam),
    /** PII detectors switched on for these pages. */
    detectors: MaskRuleDetectors.default({}),
    /** A note for the app's managers, never sent to the page. */
    description: z.string().trim().max(200).optional(),
  })
  .strict()
  .refine(
    (rule) =>
      rule.maskSelectors.length +
        rule.blockSelectors.length +
        rule.maskUrlParams.length +
        Object.keys(rule.detectors).length >
      0,
    {
      message: 'a rule must mask, block, mask a URL parameter or switch a detector on',
      path: ['maskSelectors'],
    },
  );
export type MaskRuleInput = z.infer<typeof MaskRuleInput>;

/** A stored rule's id: `mr_` and 16 or more URL-safe characters. */
export const MaskRuleId = z.string().regex(/^mr_[A-Za-z0-9_-]{16,64}$/, 'a mask rule id');

/** A stored rule, as the management endpoints answer. Times are ISO 8601. */
export const MaskRule = z.object({
  id: MaskRuleId,
  urlPattern: z.string(),
  maskSelectors: z.array(z.string()),
  blockSelectors: z.array(z.string()),
  maskUrlParams: z.array(z.string()),
  detectors: MaskRuleDetectors,
  description: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MaskRule = z.infer<typeof MaskRule>;

/** `GET /api/mask-rules`: the app's rules, oldest first. */
export const MaskRuleListResponse = z.object({ rules: z.array(MaskRule) });
export type MaskRuleListResponse = z.infer<typeof MaskRuleListResponse>;

/** `DELETE /api/mask-rules/:id`. */
export const MaskRuleDeletedResponse = z.object({ id: MaskRuleId, deleted: z.literal(true) });
export type MaskRuleDeletedResponse = z.infer<typeof MaskRuleDeletedResponse>;

/**
 * One rule as the customer SDK receives it: what it needs to match and apply, nothing else (no
 * description, no times).
 */
export const PageMaskRule = z.object({
  urlPattern: z.string().max(MASK_RULE_URL_PATTERN_MAX_LENGTH),
  maskSelectors: z
    .array(z.string().max(MASK_RULE_SELECTOR_MAX_LENGTH))
    .max(MASK_RULE_LIST_MAX_ENTRIES),
  blockSelectors: z
    .array(z.string().max(MASK_RULE_SELECTOR_MAX_LENGTH))
    .max(MASK_RULE_LIST_MAX_ENTRIES),
  maskUrlParams: z
    .array(z.string().max(MASK_RULE_PARAM_MAX_LENGTH))
    .max(MASK_RULE_LIST_MAX_ENTRIES),
  /** Detectors to switch on. Read leniently (a newer server's unknown names are ignored). */
  detectors: z
    .object(
      Object.fromEntries(PII_DETECTOR_NAMES.map((name) => [name, z.literal(true).optional()])) as {
        [K in PiiDetectorName]: z.ZodOptional<z.ZodLiteral<true>>;
      },
    )
    .default({}),
});
export type PageMaskRule = z.infer<typeof PageMaskRule>;

/**
 * `GET /api/customer/mask-rules`, with the session's resume token as the bearer token: every rule
 * of the session's app. The page's URL is not sent (nothing about the page leaves before consent);
 * the SDK matches each rule's pattern against its own path, again after every navigation.
 */
export const CustomerMaskRulesResponse = z.object({ rules: z.array(PageMaskRule) });
export type CustomerMaskRulesResponse = z.infer<typeof CustomerMaskRulesResponse>;

/**
 * Whether `pathname` matches a rule's {@link MaskRuleUrlPattern}. Pure; shared by the SDK (which
 * matches) and tests.
 */
export function maskRulePatternMatches(pattern: string, pathname: string): boolean {
  let source = '';
  let rest = pattern;
  let tail = '';
  if (rest.endsWith('/**')) {
    rest = rest.slice(0, -3);
    tail = '(?:/.*)?';
  }
  for (let i = 0; i < rest.length; i += 1) {
    const char = rest[i]!;
    if (char === '*' && rest[i + 1] === '*') {
      source += '.*';
      i += 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else {
      source += char.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}${tail}$`).test(pathname);
}
