/**
 * @module
 * Validating request bodies and queries with the protocol's zod schemas. A failure is 4001
 * `REQUEST_INVALID`, naming the first few fields at fault.
 */
import type { z } from 'zod';
import { SightlineError } from '@sightline/protocol';

/** The part of a zod issue the messages use. */
export interface ZodLikeIssue {
  path: PropertyKey[];
  message: string;
}

/** `field: message; …` for the first three issues. */
export function describeIssues(issues: readonly ZodLikeIssue[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

/** Parses `value` with `schema`, or throws `REQUEST_INVALID`. A missing body counts as `{}`. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new SightlineError('REQUEST_INVALID', describeIssues(result.error.issues));
  }
  return result.data;
}
