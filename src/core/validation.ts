/**
 * Local validation: zod (mini) checks the shape, and each refusal becomes a field issue whose rule a
 * person can read. Nothing leaves before the input passes. Both providers' inputs and client options go
 * through {@link validate}, so a broken rule reads the same whichever provider refused it.
 */
import type * as z from 'zod/mini';
import { type FieldIssue, InvalidRequestError } from './errors';

type ZodIssue = z.core.$ZodIssue;

/** What was given at `path` (zod/mini keeps no input in its issues unless asked to). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function ruleOf(issue: ZodIssue, value: unknown): string {
  // A custom check's own message is already a rule in words. The schemas here check with refines, so
  // only the issues of zod's type checks, unions and unknown keys need words of their own.
  if (issue.message !== 'Invalid input') return issue.message;
  switch (issue.code) {
    case 'invalid_type':
    case 'invalid_union':
      return value === undefined
        ? 'is required'
        : issue.code === 'invalid_union'
          ? 'has an invalid value'
          : `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `has unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}`;
    default:
      return 'is invalid';
  }
}

/**
 * zod issues as thaipay field issues (the dotted path of each field and its rule). Given the `input` that
 * was parsed, a value of the wrong type reads "must be a string" and only a missing one "is required";
 * without it, every wrong type reads "is required".
 */
export function toFieldIssues(issues: readonly ZodIssue[], prefix = '', input?: unknown): FieldIssue[] {
  const name = (path: readonly PropertyKey[]) =>
    [prefix, ...path.map(String)].filter(Boolean).join('.') || prefix || 'input';
  return issues.flatMap((issue) => {
    // An object whose schema words its unknown-field rule (THB's "is not a field of the collection")
    // names each unknown field; otherwise the object itself is named with the list.
    if (issue.code === 'unrecognized_keys' && issue.message !== 'Invalid input') {
      return issue.keys.map((key) => ({ field: name([...issue.path, key]), rule: issue.message }));
    }
    const value = input === undefined ? (issue as { input?: unknown }).input : valueAt(input, issue.path);
    return [{ field: name(issue.path), rule: ruleOf(issue, value) }];
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
  if (!result.success) throw new InvalidRequestError(toFieldIssues(result.error.issues, '', input));
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
