/**
 * The JWT gateway's request signature: an HS256 JWT over the request parameters sorted by key, keyed
 * with the API key, exactly as the provider's documented code makes it with
 * `jsonwebtoken.sign(sortedParams, apiKey, { algorithm: 'HS256', noTimestamp: true })`.
 *
 * We build the token ourselves instead of calling a JWT library: the header never changes, so it is a
 * constant, and the rest is one JSON.stringify, one Base64URL and one HMAC on a cached key.
 */
import { sortedKeys } from '../core/canonical';
import { getDefaultHmac } from '../core/crypto/default-hmac';
import type { HmacSha256 } from '../core/crypto/types';
import { base64UrlEncodeUtf8 } from '../core/encoding';
import { InvalidRequestError } from '../core/errors';

/** Base64URL of `{"alg":"HS256","typ":"JWT"}`, the header jsonwebtoken writes for an object payload. */
export const JWT_HS256_HEADER = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';

/** Claims jsonwebtoken insists are numbers when present; it throws otherwise, so we refuse them too. */
const NUMERIC_CLAIMS = ['iat', 'exp', 'nbf'] as const;

/**
 * The JSON payload the gateway signs: every parameter but `signature`, inserted in sorted key order
 * into a fresh object (so JavaScript's own ordering of integer-like keys applies, as in the provider's
 * code), without `iat` (jsonwebtoken drops it under `noTimestamp`).
 *
 * @example
 * ```ts
 * jwtGatewayPayload({ b: 1, a: 'x', signature: 'old' }); // '{"a":"x","b":1}'
 * ```
 */
export function jwtGatewayPayload(params: Record<string, unknown>): string {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw InvalidRequestError.field('params', 'must be a plain object of request parameters');
  }
  for (const claim of NUMERIC_CLAIMS) {
    const value = params[claim];
    if (value !== undefined && typeof value !== 'number') {
      throw InvalidRequestError.field(claim, 'must be a number of seconds (a registered JWT claim)');
    }
  }
  // The same object `sortParams` builds (canonical.ts), minus `signature` and `iat`, made in one pass:
  // plain assignment is several times faster than a rest copy plus `defineProperty` per key, and this
  // runs on every request. Only `__proto__` needs defining: assigning it would replace the prototype.
  const sorted: Record<string, unknown> = {};
  for (const key of sortedKeys(params)) {
    if (key === 'signature' || key === 'iat') continue;
    if (key === '__proto__') {
      Object.defineProperty(sorted, key, {
        value: params[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      sorted[key] = params[key];
    }
  }
  try {
    return JSON.stringify(sorted);
  } catch (error) {
    throw new InvalidRequestError(
      [{ field: 'params', rule: 'must be JSON-serialisable (no BigInt, no cycles)' }],
      {
        cause: error,
      },
    );
  }
}

/**
 * Sign request parameters for the JWT gateway.
 *
 * Byte-identical to `jsonwebtoken.sign(sortedParams, apiKey, { algorithm: 'HS256', noTimestamp: true })`.
 *
 * @example
 * ```ts
 * const signature = await signJwtGatewayParams(
 *   { merchantId: 'M1', transactionId: 'T1', amount: 1000, timestamp: 1640995200 },
 *   process.env.GATEWAY_API_KEY!,
 * );
 * ```
 */
export async function signJwtGatewayParams(
  params: Record<string, unknown>,
  apiKey: string,
  crypto: HmacSha256 = getDefaultHmac(),
): Promise<string> {
  if (typeof apiKey !== 'string' || apiKey.length === 0) {
    throw InvalidRequestError.field('apiKey', 'must be a non-empty string');
  }
  const signingInput = `${JWT_HS256_HEADER}.${base64UrlEncodeUtf8(jwtGatewayPayload(params))}`;
  return `${signingInput}.${await crypto.hmacSha256Base64Url(apiKey, signingInput)}`;
}
