/**
 * The two providers' signature schemes, written directly on node:crypto.
 *
 * Deliberately independent of the SDK's signing code: if the SDK and the sandbox shared one, a bug in it
 * would sign and verify consistently and no test would notice. Each function here is a transcription of
 * the provider's documented recipe.
 */
import { createHmac, type KeyObject, sign, timingSafeEqual, verify } from 'node:crypto';

/**
 * The JSON payload of the JWT gateway signature: every parameter except `signature`, inserted in sorted
 * key order into a fresh object, then `JSON.stringify` — exactly the doc's `sortedParams`. jsonwebtoken
 * deletes `iat` under `noTimestamp`, so it is dropped too.
 *
 * @example
 * ```ts
 * jwtGatewayPayloadJson({ b: 1, a: 'x', signature: 's' }); // '{"a":"x","b":1}'
 * ```
 */
export function jwtGatewayPayloadJson(params: Record<string, unknown>): string {
  return JSON.stringify(jwtGatewaySortedParams(params));
}

/**
 * The doc's `sortedParams` object (what the `/sign` helper returns as `payload`).
 *
 * @example
 * ```ts
 * Object.keys(jwtGatewaySortedParams({ b: 1, a: 2 })); // ["a", "b"]
 * ```
 */
export function jwtGatewaySortedParams(params: Record<string, unknown>): Record<string, unknown> {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(params).sort()) {
    if (key === 'signature' || key === 'iat') continue;
    sorted[key] = params[key];
  }
  return sorted;
}

/** Base64URL of `{"alg":"HS256","typ":"JWT"}`: jsonwebtoken's header for an object payload. */
const HS256_HEADER = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');

/**
 * `jsonwebtoken.sign(sortedParams, apiKey, { algorithm: 'HS256', noTimestamp: true })`, byte for byte.
 *
 * @example
 * ```ts
 * const signature = signJwtGatewayParams({ amount: 1000, timestamp: 1640995200 }, apiKey);
 * ```
 */
export function signJwtGatewayParams(params: Record<string, unknown>, apiKey: string): string {
  const signingInput = `${HS256_HEADER}.${Buffer.from(jwtGatewayPayloadJson(params)).toString('base64url')}`;
  return `${signingInput}.${createHmac('sha256', apiKey).update(signingInput).digest('base64url')}`;
}

/**
 * Whether `params.signature` is exactly the token {@link signJwtGatewayParams} makes for the rest.
 *
 * @example
 * ```ts
 * verifyJwtGatewayParams(body, apiKey); // true or false
 * ```
 */
export function verifyJwtGatewayParams(params: Record<string, unknown>, apiKey: string): boolean {
  const received = params.signature;
  if (typeof received !== 'string') return false;
  return constantTimeEqual(received, signJwtGatewayParams(params, apiKey));
}

/**
 * THB collect's sign string: non-empty parameters (not `""`, `null`, `undefined`) except `sign` and
 * `sign_type`, sorted by key in code-unit order, `k=v` joined by `&`, then `&key=<secretKey>`.
 *
 * @example
 * ```ts
 * thbSignString({ b: '2', a: 1, c: '' }, 'S'); // "a=1&b=2&key=S"
 * ```
 */
export function thbSignString(params: Record<string, unknown>, secretKey: string): string {
  const pairs: string[] = [];
  // Default sort compares UTF-16 code units, the "plain code-unit order" of the provider's Java code.
  for (const key of Object.keys(params).sort()) {
    if (key === 'sign' || key === 'sign_type') continue;
    const value = params[key];
    if (value === undefined || value === null || value === '') continue;
    pairs.push(`${key}=${plainString(value)}`);
  }
  return `${pairs.join('&')}&key=${secretKey}`;
}

function plainString(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * SHA256withRSA over the sign string, standard Base64.
 *
 * @example
 * ```ts
 * const sign = signThbParams(data, secretKey, platformPrivateKey);
 * ```
 */
export function signThbParams(
  params: Record<string, unknown>,
  secretKey: string,
  privateKey: KeyObject,
): string {
  return sign('sha256', Buffer.from(thbSignString(params, secretKey), 'utf8'), privateKey).toString('base64');
}

/**
 * Whether `params.sign` is a valid SHA256withRSA signature of the sign string by `publicKey`.
 *
 * @example
 * ```ts
 * verifyThbParams(body, secretKey, merchantPublicKey); // true or false
 * ```
 */
export function verifyThbParams(
  params: Record<string, unknown>,
  secretKey: string,
  publicKey: KeyObject,
): boolean {
  const received = params.sign;
  if (typeof received !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(received)) return false;
  try {
    return verify(
      'sha256',
      Buffer.from(thbSignString(params, secretKey), 'utf8'),
      publicKey,
      Buffer.from(received, 'base64'),
    );
  } catch {
    return false;
  }
}

/**
 * Compares two strings without an early exit on the first difference.
 *
 * @example
 * ```ts
 * constantTimeEqual('a', 'a'); // true
 * ```
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
