/**
 * The portable CryptoProvider, on `crypto.subtle` (browsers on secure pages, Deno, Bun, edge workers,
 * Node).
 *
 * Importing a key is the slow step of WebCrypto, so each key string is imported once. The cache holds the
 * import's Promise, not its result: concurrent first calls with a new key share one import.
 */

import { base64Decode, base64Encode, utf8Encode } from '../encoding';
import { ThaiPayError } from '../errors';
import { createWebHmac } from './hmac-web';
import { cachedImport, createKeyCache } from './key-cache';
import { parseRsaKey } from './keys';
import type { CryptoProvider } from './types';

const RSA: RsaHashedImportParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

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
  const hmac = createWebHmac(webCrypto);
  const privateKeys = createKeyCache<Promise<CryptoKey>>();
  const publicKeys = createKeyCache<Promise<CryptoKey>>();

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

    hmacSha256Base64Url: hmac.hmacSha256Base64Url,

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
