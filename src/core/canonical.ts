/**
 * Sorted-parameter canonicalisation, shared by both signing schemes.
 *
 * Both providers sort parameters by key with JavaScript's default `Array.prototype.sort`: plain UTF-16
 * code-unit order ("Z" before "a", "amount" before "appId"), never a locale collation, which would differ
 * between runtimes and from the providers' servers.
 */

/**
 * The own enumerable string keys of `params`, in UTF-16 code-unit order (what `Array.prototype.sort`
 * does by default; not `localeCompare`). THB collect builds its sign string in this order.
 *
 * @example
 * ```ts
 * import { sortedKeys } from 'thaipay';
 *
 * sortedKeys({ orderId: 'M1', amount: '300.00', Zeta: 1, appId: 1054 });
 * // ["Zeta", "amount", "appId", "orderId"]
 * ```
 */
export function sortedKeys(params: Record<string, unknown>): string[] {
  // With no comparator, sort compares strings by UTF-16 code units: exactly the providers' order.
  return Object.keys(params).sort();
}

/**
 * A fresh object with the entries of `params` inserted in {@link sortedKeys} order: the JWT gateway's
 * `sortedParams`, which it serialises into the JWT payload.
 *
 * JavaScript objects always list integer-like keys (`"0"`, `"42"`) first, in numeric order, whatever the
 * insertion order; so does the gateway's documented code (`Object.keys(params).sort().forEach(...)`),
 * and this mirrors it on purpose: `JSON.stringify` of both gives the same bytes. Values are kept as they
 * are (an `undefined` value stays and is dropped later by `JSON.stringify`, as on the gateway). Keys are
 * defined rather than assigned, so a `__proto__` key received in JSON stays an ordinary field instead of
 * replacing the prototype.
 *
 * @example
 * ```ts
 * import { sortParams } from 'thaipay';
 *
 * JSON.stringify(sortParams({ type: 'QR', amount: 1000, merchantId: 'm1' }));
 * // '{"amount":1000,"merchantId":"m1","type":"QR"}'
 * ```
 */
export function sortParams<T extends Record<string, unknown>>(params: T): T {
  const sorted: Record<string, unknown> = {};
  for (const key of sortedKeys(params)) {
    Object.defineProperty(sorted, key, {
      value: params[key],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return sorted as T;
}
