/**
 * A small bounded cache from a key string to its imported form, so a key is parsed and imported once
 * however many requests it signs. Insertion order decides eviction (the oldest entry goes first): a
 * process holds a handful of keys, so the bound only guards against callers that make up keys per call.
 */

/** How many distinct keys each provider keeps imported. */
export const KEY_CACHE_LIMIT = 64;

/** The cache operations providers use. */
export interface KeyCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): V;
  delete(key: string): void;
}

/**
 * Create a cache holding at most `limit` entries.
 *
 * @example
 * ```ts
 * const cache = createKeyCache<CryptoKey>();
 * const imported = cache.get(pem) ?? cache.set(pem, await importIt(pem));
 * ```
 */
export function createKeyCache<V>(limit = KEY_CACHE_LIMIT): KeyCache<V> {
  const entries = new Map<string, V>();
  return {
    get: (key) => entries.get(key),
    set(key, value) {
      if (entries.size >= limit && !entries.has(key)) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      entries.set(key, value);
      return value;
    },
    delete(key) {
      entries.delete(key);
    },
  };
}

/**
 * Share one import per key string; forget failed imports so a later call reports the error afresh. The
 * cache holds the Promise, so concurrent first calls with a new key share one import.
 *
 * @example
 * ```ts
 * const key = await cachedImport(cache, pem, () => subtle.importKey('spki', der, RSA, false, ['verify']));
 * ```
 */
export function cachedImport<K = CryptoKey>(
  cache: KeyCache<Promise<K>>,
  key: string,
  importKey: () => Promise<K>,
): Promise<K> {
  const hit = cache.get(key);
  if (hit) return hit;
  const pending = importKey();
  cache.set(key, pending);
  pending.catch(() => {
    if (cache.get(key) === pending) cache.delete(key);
  });
  return pending;
}
