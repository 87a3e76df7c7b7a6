/**
 * Scrubbing known secrets (API keys, secret keys, private keys) out of text and data before it reaches an
 * error, a hook, a log or `raw`. Internal: every entry point applies it for you.
 */
const REDACTED = '[REDACTED]';

/**
 * Replace every occurrence of the given secrets in a string with `[REDACTED]`. Secrets shorter than
 * four characters are left alone (they would redact ordinary words).
 *
 * @example
 * ```ts
 * redactSecrets('Invalid API key sk_live_123456', ['sk_live_123456', undefined]); // 'Invalid API key [REDACTED]'
 * ```
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    // Lengths, then `includes`, before splitting: a THB client scrubs ~30 forms of its keys (16 to 1,700
    // characters) from every field of every result, most fields are shorter than any of them, and
    // splitting by a long separator prepares a search table on every call even when it is absent.
    if (secret && secret.length >= 4 && secret.length <= out.length && out.includes(secret)) {
      out = out.split(secret).join(REDACTED);
    }
  }
  return out;
}

/**
 * Deep-copy JSON-like data with every string scrubbed of the given secrets, object keys included (a
 * provider may echo a key as a field name). Keys that become equal once scrubbed are kept apart as
 * `[REDACTED]`, `[REDACTED]#2`, ... so no value is lost; `__proto__` stays an ordinary key.
 *
 * @example
 * ```ts
 * redactDeep({ headers: { 'x-api-key': 'sk_live_123456' }, attempts: 2 }, ['sk_live_123456']);
 * // { headers: { 'x-api-key': '[REDACTED]' }, attempts: 2 }
 * redactDeep({ sk_live_123456: true }, ['sk_live_123456']); // { '[REDACTED]': true }
 * ```
 */
export function redactDeep<T>(value: T, secrets: readonly (string | undefined)[]): T {
  if (typeof value === 'string') return redactSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const scrubbed = redactSecrets(k, secrets);
      let key = scrubbed;
      for (let n = 2; Object.hasOwn(out, key); n += 1) key = `${scrubbed}#${n}`;
      // defineProperty, not assignment: a `__proto__` key must not replace the copy's prototype.
      Object.defineProperty(out, key, {
        value: redactDeep(v, secrets),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out as T;
  }
  return value;
}
