/**
 * Reading the parameters a command works on: a JSON object (both providers), or a form-encoded body
 * (THB collect notifications may arrive either way).
 */
import { CliError } from './io';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** How {@link parseParams} reads its text. */
export interface ParseParamsOptions {
  /** Accept `a=1&b=2` bodies too. */
  allowForm?: boolean;
  /** The input's name in error messages, e.g. `parameters` or `callback body`. */
  what?: string;
}

/**
 * Parse parameters given as a JSON object (or, with `allowForm`, as a form-encoded body) into a plain
 * object, refusing anything else with a one-line {@link CliError}.
 *
 * @example
 * ```ts
 * parseParams('{"amount":1000}'); // { amount: 1000 }
 * parseParams('orderId=M1&status=2', { allowForm: true }); // { orderId: 'M1', status: '2' }
 * ```
 */
export function parseParams(text: string, options: ParseParamsOptions = {}): Record<string, unknown> {
  const what = options.what ?? 'parameters';
  const trimmed = text.trim();
  if (trimmed === '') throw new CliError(`the ${what} are empty`);
  if (trimmed.startsWith('{') || !options.allowForm) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed, (key, item: unknown) => {
        if (FORBIDDEN_KEYS.has(key)) throw new CliError(`the ${what} have a forbidden field name "${key}"`);
        return item;
      });
    } catch (error) {
      if (error instanceof CliError) throw error;
      // The parser's message quotes the text around the error: a key file given by mistake would be shown.
      const position = /position (\d+)/.exec((error as Error).message)?.[1];
      throw new CliError(
        `the ${what} are not valid JSON${position === undefined ? '' : ` (at character ${position})`}`,
      );
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new CliError(`the ${what} must be a JSON object of fields`);
    }
    return value as Record<string, unknown>;
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(trimmed)) {
    if (FORBIDDEN_KEYS.has(key)) throw new CliError(`the ${what} have a forbidden field name "${key}"`);
    if (Object.hasOwn(fields, key)) throw new CliError(`the ${what} repeat the field "${key}"`);
    fields[key] = value;
  }
  return fields;
}
