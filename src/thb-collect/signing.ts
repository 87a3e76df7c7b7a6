/**
 * THB collect's `sign`: SHA256withRSA (RSASSA-PKCS1-v1_5, SHA-256) over the UTF-8 bytes of a sign string,
 * standard Base64. The merchant signs requests with its private key; the platform signs response `data`
 * and notifications with its own private key, checked here with the platform public key. Both sides use
 * the same merchant secret key inside the sign string.
 */
import { sortedKeys } from '../core/canonical';
import {
  type CryptoProvider,
  getDefaultCryptoProvider,
  getDefaultRsaVerifier,
  type RsaSha256Verifier,
} from '../core/crypto';
import { InvalidRequestError } from '../core/errors';
import { THB_UNSIGNED_FIELDS } from './constants';

/** Keys for {@link signThbParams}. */
export interface ThbSigningKeys {
  /** The merchant secret key (appended to the sign string as `&key=...`). */
  secretKey: string;
  /** The merchant RSA private key: PEM (PKCS#8 or PKCS#1) or bare Base64 DER. */
  privateKey: string;
}

/** Keys for {@link verifyThbParams}. */
export interface ThbVerifyingKeys {
  /** The merchant secret key, the same one used for signing. */
  secretKey: string;
  /** The signer's RSA public key (the platform public key for responses and notifications). */
  publicKey: string;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkSecretKey(secretKey: unknown): asserts secretKey is string {
  if (typeof secretKey !== 'string' || secretKey === '') {
    throw InvalidRequestError.field('secretKey', 'must be a non-empty string (the merchant secret key)');
  }
}

/**
 * The text form of one parameter value in the sign string. Strings as they are, numbers through
 * `String(n)` (`1054`, `12.5`), booleans `true`/`false`, bigints in decimal. Objects and arrays — which
 * no documented field carries — as compact `JSON.stringify` text, which is what a Java provider's JSON
 * object prints for a nested value.
 */
function valueText(key: string, value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      if (!Number.isFinite(value))
        throw InvalidRequestError.field(`params.${key}`, 'must be a finite number');
      return String(value);
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object': {
      let json: string | undefined;
      try {
        json = JSON.stringify(value);
      } catch {
        json = undefined;
      }
      if (json === undefined) throw InvalidRequestError.field(`params.${key}`, 'must be JSON-serialisable');
      return json;
    }
    default:
      throw InvalidRequestError.field(`params.${key}`, 'must be a string, number, boolean or JSON value');
  }
}

/**
 * Build THB collect's sign string: every non-empty parameter (`""`, `null` and `undefined` are left out),
 * `sign` and `sign_type` left out, sorted by key in UTF-16 code-unit order, joined as `k1=v1&k2=v2`, then
 * `&key=<secretKey>`. Values are plain text, never URL-encoded or trimmed. See the value rules above:
 * numbers `String(n)`, booleans `true`/`false`, objects compact JSON.
 *
 * @throws {InvalidRequestError} when `secretKey` is empty or a value cannot be written as text.
 * @example
 * ```ts
 * import { thbSignString } from 'thaipay/thb-collect';
 *
 * thbSignString({ orderId: 'M1', appId: 1054, notifyUrl: '', sign: 'old' }, 'secret');
 * // "appId=1054&orderId=M1&key=secret"
 * ```
 */
export function thbSignString(params: Record<string, unknown>, secretKey: string): string {
  if (!isPlainRecord(params))
    throw InvalidRequestError.field('params', 'must be a plain object of parameters');
  checkSecretKey(secretKey);
  let text = '';
  for (const key of sortedKeys(params)) {
    if (THB_UNSIGNED_FIELDS.has(key)) continue;
    const value = params[key];
    if (value === '' || value === null || value === undefined) continue;
    text += `${key}=${valueText(key, value)}&`;
  }
  return `${text}key=${secretKey}`;
}

/**
 * The fields the sign string covers, as received: every field but `sign`, `sign_type` and those whose
 * value is `""`, `null` or `undefined`. What is not in here is unsigned, and must decide nothing.
 *
 * @example
 * ```ts
 * import { thbSignedFields } from 'thaipay/thb-collect';
 *
 * thbSignedFields({ orderId: 'M1', hash: '', sign_type: 'RSA', sign: 'x' }); // { orderId: 'M1' }
 * ```
 */
export function thbSignedFields(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(params)) {
    if (THB_UNSIGNED_FIELDS.has(key)) continue;
    const value = params[key];
    if (value === '' || value === null || value === undefined) continue;
    out[key] = value;
  }
  return out;
}

/** In a value, `&name=`: a place where the sign string could also be cut into another field. */
const SPLIT_POINT = /&([^&=]+)=/g;

/**
 * Why the fields of `params` could be a merge of other signed fields, or `undefined` when they cannot.
 * The sign string joins sorted `name=value` pairs with `&` and escapes nothing, so `currency:
 * "THB&fee=3.00"` with `fee` removed has the sign string of a genuine `currency: "THB", fee: "3.00"`:
 * whoever holds one signed message could hide a field in its neighbour. A cut at `&name=` inside the value
 * of field K gives a valid signed message only if `name` sorts after K and before the field that follows K
 * (the sign string is sorted), and is not `sign` or `sign_type` (never in a sign string); only such values
 * are refused, so a URL whose query names sort elsewhere (`payUrl: "…?a=1&b=2"`) still verifies. A field
 * name holding `&` or `=` is refused outright. Signing is unaffected (the documented rule stays
 * byte-exact). The other direction, a genuine value holding `&name=` split into two fields, cannot be told
 * from a genuine pair by anyone: it needs the provider to sign such a value first.
 *
 * @example
 * ```ts
 * import { thbSignStringAmbiguity } from 'thaipay/thb-collect';
 *
 * thbSignStringAmbiguity({ currency: 'THB&fee=3.00' }); // 'the value of "currency" holds "&fee=", …'
 * thbSignStringAmbiguity({ currency: 'THB', fee: '3.00' }); // undefined
 * thbSignStringAmbiguity({ payUrl: 'https://p.example/?a=1&b=2', status: '1' }); // undefined: "b" < "payUrl"
 * ```
 */
export function thbSignStringAmbiguity(params: Record<string, unknown>): string | undefined {
  const fields = thbSignedFields(params);
  const keys = Object.keys(fields).sort();
  for (const [index, key] of keys.entries()) {
    if (key === '' || /[&=]/.test(key))
      return `the field name ${JSON.stringify(key)} is empty or holds "&" or "="`;
    let text: string;
    try {
      text = valueText(key, fields[key]);
    } catch {
      return `${JSON.stringify(key)} is not text`;
    }
    // Most values hold no "&": matchAll (a RegExp clone per call) runs only for those that do.
    if (!text.includes('&')) continue;
    const next = keys[index + 1];
    for (const [, name = ''] of text.matchAll(SPLIT_POINT)) {
      if (name > key && (next === undefined || name < next) && !THB_UNSIGNED_FIELDS.has(name)) {
        return `the value of ${JSON.stringify(key)} holds ${JSON.stringify(`&${name}=`)}, which could be a field of its own`;
      }
    }
  }
  return undefined;
}

/**
 * Sign parameters for THB collect: the Base64 SHA256withRSA signature of {@link thbSignString}, made
 * with the merchant private key. Put it in the `sign` field of the request.
 *
 * @throws {InvalidRequestError} naming `secretKey` or `privateKey` when either is unusable.
 * @example
 * ```ts
 * import { signThbParams } from 'thaipay/thb-collect';
 *
 * const params = { appId: 1054, orderId: 'M22222000028' };
 * const sign = await signThbParams(params, {
 *   secretKey: process.env.THB_SECRET_KEY!,
 *   privateKey: process.env.THB_PRIVATE_KEY!,
 * });
 * await fetch(url, { method: 'POST', body: JSON.stringify({ ...params, sign }) });
 * ```
 */
export async function signThbParams(
  params: Record<string, unknown>,
  keys: ThbSigningKeys,
  crypto: CryptoProvider = getDefaultCryptoProvider(),
): Promise<string> {
  const signString = thbSignString(params, keys?.secretKey);
  if (typeof keys.privateKey !== 'string' || keys.privateKey.trim() === '') {
    throw InvalidRequestError.field('privateKey', 'must be the merchant RSA private key (PEM or Base64 DER)');
  }
  return crypto.rsaSha256Sign(keys.privateKey, signString);
}

/**
 * Check the `sign` of parameters (a response's `data`, a notification) against the signer's public key.
 * Every non-empty field but `sign` and `sign_type` is covered, so a changed, added or removed non-empty
 * field fails; fields whose sign string could be re-split into other fields (see
 * `thbSignStringAmbiguity`) fail too. Empty and `null` fields and `sign_type` are not covered:
 * callers must drop them (the verifiers do, with `thbSignedFields`) before using the data.
 *
 * @returns `true` only for a valid signature over unambiguous fields; `false` for a missing, empty,
 *   malformed or wrong one, or fields that could be re-split.
 * @throws {InvalidRequestError} when `secretKey` or `publicKey` is unusable (a configuration error, not a
 *   bad signature).
 * @example
 * ```ts
 * import { verifyThbParams } from 'thaipay/thb-collect';
 *
 * const ok = await verifyThbParams(response.data, {
 *   secretKey: process.env.THB_SECRET_KEY!,
 *   publicKey: process.env.THB_PLATFORM_PUBLIC_KEY!,
 * });
 * ```
 */
export async function verifyThbParams(
  paramsWithSign: Record<string, unknown>,
  keys: ThbVerifyingKeys,
  crypto: RsaSha256Verifier = getDefaultRsaVerifier(),
): Promise<boolean> {
  // async: a runtime without crypto rejects (the default is chosen here), as every failure does.
  return verifyThbParamsWith(paramsWithSign, keys, crypto);
}

/**
 * {@link verifyThbParams} with the crypto given, for the client and the notification verifier: without a
 * default, so neither bundle carries the other's way of choosing one.
 *
 * @internal
 */
export async function verifyThbParamsWith(
  paramsWithSign: Record<string, unknown>,
  keys: ThbVerifyingKeys,
  crypto: RsaSha256Verifier,
): Promise<boolean> {
  checkSecretKey(keys?.secretKey);
  if (typeof keys.publicKey !== 'string' || keys.publicKey.trim() === '') {
    throw InvalidRequestError.field('publicKey', 'must be an RSA public key (PEM or Base64 DER)');
  }
  if (!isPlainRecord(paramsWithSign)) return false;
  // Fields that could be re-split into other fields prove nothing, whatever the signature says.
  if (thbSignStringAmbiguity(paramsWithSign) !== undefined) return false;
  let signString: string;
  try {
    signString = thbSignString(paramsWithSign, keys.secretKey);
  } catch {
    // Values no signer could have written as text cannot carry a valid signature.
    return false;
  }
  const sign = paramsWithSign.sign;
  // The key is still checked (and throws when bad) even without a signature: a configuration error must
  // not hide behind "unsigned".
  const signature = typeof sign === 'string' ? sign : '';
  const valid = await crypto.rsaSha256Verify(keys.publicKey, signString, signature);
  return signature !== '' && valid;
}
