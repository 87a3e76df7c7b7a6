/**
 * The known mistakes, as changes to the parameters or to the way they are written, shared by both
 * providers' debuggers. Each mistake rebuilds what a signer with that bug would have signed; a mistake
 * whose rebuild reproduces the given signature is the diagnosis. Only exact reproductions count, so a
 * diagnosis is never a guess.
 */
import type { DiagnosisCode, Finding } from './types';

/** How a signer may have ordered the keys. `code-unit` is what both providers do. */
export type KeyOrder = 'code-unit' | 'insertion' | 'locale' | 'case-insensitive';

/** How a signer may have changed every string value before signing. */
export type ValueEncoding = 'uri' | 'form' | 'uri-decode' | 'form-decode' | 'trim';

/** The ways a rebuilt signed text may differ from the correct one; each provider uses its part. */
export interface VariantOptions {
  order?: KeyOrder;
  encoding?: ValueEncoding;
  /** Fields whose value the signer had differently (added when absent). */
  override?: Record<string, unknown>;
  /** Fields the signer did not have. */
  omit?: string[];
  /** JWT: the literal JSON text of a field's value, e.g. `1000.00`. */
  rawTokens?: Record<string, string>;
  /** JWT: another JSON writer's output (Python's separators and escapes, PHP's escapes). */
  style?: 'python' | 'php';
  /** THB: empty values kept in the sign string. */
  includeEmpty?: boolean;
  /** THB: `sign` and `sign_type` kept in the sign string. */
  includeSignFields?: boolean;
  /** THB: where the secret key went (default: appended as `&key=`). */
  secretPlacement?: 'none' | 'sorted-in';
}

/** One known mistake: what it is called, how it reads, and how to rebuild what its signer signed. */
export interface Mistake {
  code: DiagnosisCode;
  sentence: string;
  field?: string;
  /** For a pair: the two mistakes it combines. */
  parts?: DiagnosisCode[];
  options: VariantOptions;
}

/**
 * Order keys the way a signer with the given habit would.
 *
 * @example
 * ```ts
 * orderKeys(['b', 'B', 'a'], 'case-insensitive'); // ['a', 'b', 'B']
 * ```
 */
export function orderKeys(keys: readonly string[], order: KeyOrder): string[] {
  switch (order) {
    case 'code-unit':
      return [...keys].sort();
    case 'insertion':
      return [...keys];
    case 'locale':
      return [...keys].sort((a, b) => a.localeCompare(b));
    case 'case-insensitive':
      return [...keys].sort((a, b) => {
        const x = a.toLowerCase();
        const y = b.toLowerCase();
        return x < y ? -1 : x > y ? 1 : 0;
      });
  }
}

function tryDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * A string value as the given encoding leaves it; `undefined` when it cannot be decoded.
 *
 * @example
 * ```ts
 * encodeValue('John Doe', 'form'); // 'John+Doe'
 * ```
 */
export function encodeValue(value: string, encoding: ValueEncoding): string | undefined {
  switch (encoding) {
    case 'uri':
      return encodeURIComponent(value);
    case 'form':
      return new URLSearchParams({ v: value }).toString().slice(2);
    case 'uri-decode':
      return tryDecode(value);
    case 'form-decode':
      return tryDecode(value.replace(/\+/g, ' '));
    case 'trim':
      return value.trim();
  }
}

/**
 * The parameters as a signer with `options` had them, in their insertion order: fields left out,
 * values replaced, strings encoded. `undefined` when an encoding cannot apply.
 *
 * @example
 * ```ts
 * applyFieldOptions({ a: '1', b: 'x y' }, { omit: ['a'], encoding: 'uri' }); // [['b', 'x%20y']]
 * ```
 */
export function applyFieldOptions(
  params: Record<string, unknown>,
  options: VariantOptions,
): Array<[string, unknown]> | undefined {
  const omit = new Set(options.omit ?? []);
  const entries: Array<[string, unknown]> = [];
  for (const key of Object.keys(params)) {
    if (omit.has(key)) continue;
    entries.push([
      key,
      options.override && Object.hasOwn(options.override, key) ? options.override[key] : params[key],
    ]);
  }
  for (const [key, value] of Object.entries(options.override ?? {})) {
    if (!Object.hasOwn(params, key) && !omit.has(key)) entries.push([key, value]);
  }
  if (!options.encoding) return entries;
  const encoded: Array<[string, unknown]> = [];
  for (const [key, value] of entries) {
    if (typeof value !== 'string') {
      encoded.push([key, value]);
      continue;
    }
    const text = encodeValue(value, options.encoding);
    if (text === undefined) return undefined;
    encoded.push([key, text]);
  }
  return encoded;
}

/** A sentence without its advice (after ";") or final period, to join two into one. */
function coreOf(sentence: string): string {
  return (sentence.split(';')[0] ?? sentence).replace(/\.$/, '');
}

const MERGEABLE = new Set<keyof VariantOptions>(['override', 'omit', 'rawTokens']);

/**
 * One mistake per encoding that changes some value, naming the fields it changes (and `field` when it
 * is exactly one), so "the name was sent URL-encoded" is said of the name.
 *
 * @example
 * ```ts
 * encodingMistakes({ name: 'John Doe' }, [{ encoding: 'uri', code: 'url-encoded', sentence: 'the values were URL-encoded.' }]);
 * // [{ code: 'url-encoded', field: 'name', sentence: 'the values were URL-encoded (name).', ... }]
 * ```
 */
export function encodingMistakes(
  params: Record<string, unknown>,
  list: ReadonlyArray<{ encoding: ValueEncoding; code: DiagnosisCode; sentence: string }>,
): Mistake[] {
  const mistakes: Mistake[] = [];
  for (const { encoding, code, sentence } of list) {
    const changed: string[] = [];
    let applicable = true;
    for (const [key, value] of Object.entries(params)) {
      if (typeof value !== 'string') continue;
      const encoded = encodeValue(value, encoding);
      if (encoded === undefined) applicable = false;
      else if (encoded !== value) changed.push(key);
    }
    if (!applicable || changed.length === 0) continue;
    const cut = sentence.includes(';') ? sentence.indexOf(';') : sentence.length - 1;
    const mistake: Mistake = {
      code,
      sentence: `${sentence.slice(0, cut)} (${changed.join(', ')})${sentence.slice(cut)}`,
      options: { encoding },
    };
    if (changed.length === 1) mistake.field = changed[0]!;
    mistakes.push(mistake);
  }
  return mistakes;
}

/**
 * Two mistakes at once, when they change different things; `undefined` when they clash.
 *
 * @example
 * ```ts
 * combineMistakes(unsorted, emptyIncluded)?.code; // 'two-mistakes'
 * ```
 */
export function combineMistakes(a: Mistake, b: Mistake): Mistake | undefined {
  const merged: VariantOptions = { ...a.options };
  for (const [name, value] of Object.entries(b.options) as Array<[keyof VariantOptions, unknown]>) {
    const existing = merged[name];
    if (existing === undefined) {
      (merged as Record<string, unknown>)[name] = value;
      continue;
    }
    if (!MERGEABLE.has(name)) return undefined;
    if (Array.isArray(existing)) {
      const list = value as string[];
      if (list.some((field) => existing.includes(field))) return undefined;
      (merged as Record<string, unknown>)[name] = [...existing, ...list];
    } else {
      const record = value as Record<string, unknown>;
      if (Object.keys(record).some((field) => Object.hasOwn(existing as object, field))) return undefined;
      (merged as Record<string, unknown>)[name] = { ...(existing as object), ...record };
    }
  }
  if (a.field !== undefined && a.field === b.field) return undefined;
  return {
    code: 'two-mistakes',
    sentence: `two mistakes together: ${coreOf(a.sentence)}, and ${coreOf(b.sentence)}.`,
    parts: [a.code, b.code],
    options: merged,
  };
}

/**
 * Every single mistake, then every pair of them, each with the text `build` makes for it, skipping
 * those that change nothing and keeping the first description of each distinct text.
 *
 * @example
 * ```ts
 * const texts = candidateTexts(mistakes, (options) => jwtPayloadVariant(params, options));
 * texts.get(signedPayload)?.sentence;
 * ```
 */
export function candidateTexts(
  mistakes: readonly Mistake[],
  build: (options: VariantOptions) => string | undefined,
): Map<string, Mistake> {
  const baseline = build({});
  const texts = new Map<string, Mistake>();
  const add = (mistake: Mistake): void => {
    const text = build(mistake.options);
    if (text !== undefined && text !== baseline && !texts.has(text)) texts.set(text, mistake);
  };
  for (const mistake of mistakes) add(mistake);
  for (let i = 0; i < mistakes.length; i++) {
    for (let j = i + 1; j < mistakes.length; j++) {
      const pair = combineMistakes(mistakes[i]!, mistakes[j]!);
      if (pair) add(pair);
    }
  }
  return texts;
}

/**
 * The finding a reproduced mistake makes.
 *
 * @example
 * ```ts
 * findingOf({ code: 'field-added', field: 'remark', sentence: '...', options: {} }).field; // 'remark'
 * ```
 */
export function findingOf(mistake: Mistake): Finding {
  const finding: Finding = { code: mistake.code, sentence: mistake.sentence };
  if (mistake.field !== undefined) finding.field = mistake.field;
  if (mistake.parts) finding.parts = mistake.parts;
  return finding;
}

/**
 * A value in words, for sentences: `the number 1000`, `the string "1000"`.
 *
 * @example
 * ```ts
 * describeValue('1000'); // 'the string "1000"'
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string') return value === '' ? 'an empty string' : `the string ${quote(value)}`;
  if (value === null) return 'null';
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (Array.isArray(value)) return 'an array';
  return 'an object';
}

/**
 * JSON-quoted and shortened, so a long value cannot drown the sentence.
 *
 * @example
 * ```ts
 * quote('300.00'); // '"300.00"'
 * ```
 */
export function quote(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  return JSON.stringify(shown);
}

/**
 * A decimal number written as text: `1000`, `300.00`, `-1.5`.
 *
 * @example
 * ```ts
 * isNumericString('300.00'); // true
 * ```
 */
export function isNumericString(value: unknown): value is string {
  return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value);
}

/**
 * Other ways of writing the same amount: `"300"` ↔ `"300.00"`, `300` → `"300.00"`.
 *
 * @example
 * ```ts
 * amountSpellings('300'); // ['300.00', '300.0']
 * ```
 */
export function amountSpellings(value: unknown): string[] {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return [...new Set([value.toFixed(2), value.toFixed(1)])].filter((text) => text !== String(value));
  }
  if (!isNumericString(value) || value.startsWith('-')) return [];
  const number = Number(value);
  return [...new Set([number.toFixed(2), String(number), number.toFixed(1)])].filter(
    (text) => text !== value,
  );
}

/** Order names in words, for sentences. */
export const ORDER_SENTENCES: Record<
  Exclude<KeyOrder, 'code-unit'>,
  { code: DiagnosisCode; sentence: string }
> = {
  insertion: {
    code: 'key-order-unsorted',
    sentence:
      'the fields were signed in their original order, not sorted by key (sort the keys with a plain sort(), as the provider does).',
  },
  locale: {
    code: 'key-order-locale',
    sentence:
      'the keys were sorted with localeCompare, not by plain code-unit order (use sort() without a comparator: "_" and upper case sort differently).',
  },
  'case-insensitive': {
    code: 'key-order-case-insensitive',
    sentence:
      'the keys were sorted case-insensitively, not by plain code-unit order (upper case sorts before lower case: "Z" before "a").',
  },
};
