/** JSON values compared as JSON: what a signed payload and the body beside it must agree on. */

/**
 * Strict JSON equality: same types, same keys (in any order), same values; `1` and `"1"` differ.
 *
 * @example
 * ```ts
 * jsonEqual({ a: 1, b: [true] }, { b: [true], a: 1 }); // true
 * jsonEqual({ amount: 1000 }, { amount: '1000' }); // false
 * ```
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ak = Object.keys(a as object);
  const bk = Object.keys(b as object);
  if (ak.length !== bk.length) return false;
  const bo = b as Record<string, unknown>;
  return ak.every((k) => Object.hasOwn(bo, k) && jsonEqual((a as Record<string, unknown>)[k], bo[k]));
}
