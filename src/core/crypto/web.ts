/**
 * The portable CryptoProvider, on `crypto.subtle` (browsers on secure pages, Deno, Bun, edge workers,
 * Node).
 *
 * Importing a key is the slow step of WebCrypto, so each key string is imported once. The cache holds the
 * import's Promise, not its result: concurrent first calls with a new key share one import.
 */

import { base64Decode, base64Encode, base64UrlEncode, utf8Encode } from '../encoding';
import { ThaiPayError } from '../errors';
import { createKeyCache, type KeyCache } from './key-cache';
import { parseRsaKey } from './keys';
import type { CryptoProvider } from './types';

const HMAC: HmacImportParams = { name: 'HMAC', hash: 'SHA-256' };
const RSA: RsaHashedImportParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

/**
 * HMAC pads a short key with zeros to the hash's 64-byte block, so an empty key and 64 zero bytes give
 * the same MAC. WebCrypto refuses zero-length keys; this keeps its output equal to node:crypto's.
 */
const EMPTY_HMAC_KEY_EQUIVALENT = new Uint8Array(64);

/** Share one import per key string; forget failed imports so a later call reports the error afresh. */
function cachedImport(
  cache: KeyCache<Promise<CryptoKey>>,
  key: string,
  importKey: () => Promise<CryptoKey>,
): Promise<CryptoKey> {
  const hit = cache.get(key);
  if (hit) return hit;
  const pending = importKey();
  cache.set(key, pending);
  pending.catch(() => {
    if (cache.get(key) === pending) cache.delete(key);
  });
  return pending;
}

/**
 * A CryptoProvider on WebCrypto (`crypto.subtle`).
 *
 * @param subtle - the SubtleCrypto to use; `globalThis.crypto.subtle` when omitted.
 * @throws ThaiPayError (`crypto_unavailable`) when there is no `crypto.subtle` (an insecure browser page:
 * use `createForgeCryptoProvider()` there).
 * @example
 * ```ts
 * setDefaultCryptoProvider(createWebCryptoProvider());
 * const ok = await createWebCryptoProvider().rsaSha256Verify(platformPublicKey, signString, sign);
 * ```
 */
export function createWebCryptoProvider(
  subtle: typeof globalThis.crypto.subtle | undefined = globalThis.crypto?.subtle,
): CryptoProvider {
  if (!subtle) {
    throw new ThaiPayError(
      'crypto.subtle is not available in this runtime (browsers offer it only on https pages); use createForgeCryptoProvider()',
      { code: 'crypto_unavailable' },
    );
  }
  const webCrypto = subtle;
  const secretKeys = createKeyCache<Promise<CryptoKey>>();
  const privateKeys = createKeyCache<Promise<CryptoKey>>();
  const publicKeys = createKeyCache<Promise<CryptoKey>>();

  const hmacKey = (key: string) =>
    cachedImport(secretKeys, key, async () => {
      const raw = key === '' ? EMPTY_HMAC_KEY_EQUIVALENT : utf8Encode(key);
      return webCrypto.importKey('raw', raw, HMAC, false, ['sign']);
    });

  const privateKeyOf = (key: string) =>
    cachedImport(privateKeys, key, async () => {
      const { der, format } = parseRsaKey(key, 'private', 'privateKey');
      return webCrypto.importKey(format, der, RSA, false, ['sign']);
    });

  const publicKeyOf = (key: string) =>
    cachedImport(publicKeys, key, async () => {
      const { der, format } = parseRsaKey(key, 'public', 'publicKey');
      return webCrypto.importKey(format, der, RSA, false, ['verify']);
    });

  return {
    name: 'web',

    async hmacSha256Base64Url(key, data) {
      const mac = await webCrypto.sign('HMAC', await hmacKey(key), utf8Encode(data));
      return base64UrlEncode(new Uint8Array(mac));
    },

    async rsaSha256Sign(privateKey, data) {
      const signature = await webCrypto.sign(RSA, await privateKeyOf(privateKey), utf8Encode(data));
      return base64Encode(new Uint8Array(signature));
    },

    async rsaSha256Verify(publicKey, data, signatureBase64) {
      // Key problems are the caller's configuration and reject; only the signature decides true/false.
      const key = await publicKeyOf(publicKey);
      if (typeof signatureBase64 !== 'string') return false;
      try {
        return await webCrypto.verify(RSA, key, base64Decode(signatureBase64), utf8Encode(data));
      } catch {
        return false;
      }
    },
  };
}
