/**
 * Local validation: zod (mini) checks the shape, and each refusal becomes a field issue whose rule a
 * person can read. Nothing leaves before the input passes.
 */
import type * as z from 'zod/mini';
import { type FieldIssue, InvalidRequestError } from './errors';

type ZodIssue = z.core.$ZodIssue;

function ruleOf(issue: ZodIssue): string {
  // A custom check's own message is already a rule in words.
  if (issue.message && issue.message !== 'Invalid input') return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be a ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `must be at least ${issue.minimum} character${issue.minimum === 1 ? '' : 's'}`
        : `must be at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${issue.maximum} characters`
        : `must be at most ${issue.maximum}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return `must be a valid ${issue.format}`;
    case 'unrecognized_keys':
      return `has unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'has an invalid value';
    default:
      return 'is invalid';
  }
}

/** zod issues as thaipay field issues (the dotted path of each field and its rule). */
export function toFieldIssues(issues: readonly ZodIssue[], prefix = ''): FieldIssue[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return { field: [prefix, path].filter(Boolean).join('.') || prefix || 'input', rule: ruleOf(issue) };
  });
}

/**
 * Parse `input` with a zod schema or throw an InvalidRequestError naming every bad field.
 *
 * @example
 * ```ts
 * const input = validate(z.object({ orderId: z.string() }), { orderId: 1 });
 * // throws InvalidRequestError: "Invalid request: orderId: must be a string"
 * ```
 */
export function validate<T>(schema: z.ZodMiniType<T>, input: unknown): T {
  if (input === null || typeof input !== 'object') {
    throw InvalidRequestError.field('input', 'must be an object');
  }
  const result = schema.safeParse(input);
  if (!result.success) throw new InvalidRequestError(toFieldIssues(result.error.issues));
  return result.data;
}

/** http(s) URL that parses. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
