/**
 * Field checks shared by the two providers' routes. Each returns an error message naming the field and
 * the rule, or `undefined` when the field is fine; routes wrap the message in their provider's envelope.
 */

/**
 * A required string: present, a string, not blank.
 *
 * @example
 * ```ts
 * requireString(body, 'name'); // "name is required" | "name must be a string" | undefined
 * ```
 */
export function requireString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') return `${field} is required`;
  if (typeof value !== 'string') return `${field} must be a string`;
  if (value.trim() === '') return `${field} is required`;
  return undefined;
}

/**
 * An optional string: absent, or a string.
 *
 * @example
 * ```ts
 * optionalString(body, 'body');
 * ```
 */
export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? undefined : `${field} must be a string`;
}

/**
 * A required JSON number.
 *
 * @example
 * ```ts
 * requireNumber(body, 'timestamp');
 * ```
 */
export function requireNumber(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') return `${field} is required`;
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${field} must be a number`;
  return undefined;
}

/**
 * The first message of a list of checks.
 *
 * @example
 * ```ts
 * firstError([requireString(body, 'a'), requireNumber(body, 'b')]);
 * ```
 */
export function firstError(checks: ReadonlyArray<string | undefined>): string | undefined {
  return checks.find((message) => message !== undefined);
}
