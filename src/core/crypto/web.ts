/**
 * The portable CryptoProvider, on `crypto.subtle` (browsers on secure pages, Deno, Bun, edge workers,
 * Node).
 *
 * Importing a key is the slow step of WebCrypto, so each key string is imported once. The cache holds the
 * import's Promise, not its result: concurrent first calls with a new key share one import.
 */

import { base64Encode, utf8Encode } from '../encoding';
import { ThaiPayError } from '../errors';
import { createWebHmac } from './hmac-web';
import { cachedImport, createKeyCache } from './key-cache';
import { parseRsaKey } from './keys';
import { createWebRsaVerifier, WEB_RSA } from './rsa-verify';
import type { CryptoProvider } from './types';

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

  const privateKeyOf = (key: string) =>
    cachedImport(privateKeys, key, async () => {
      const { der, format } = parseRsaKey(key, 'private', 'privateKey');
      return webCrypto.importKey(format, der, WEB_RSA, false, ['sign']);
    });

  return {
    name: 'web',

    hmacSha256Base64Url: hmac.hmacSha256Base64Url,

    async rsaSha256Sign(privateKey, data) {
      const signature = await webCrypto.sign(WEB_RSA, await privateKeyOf(privateKey), utf8Encode(data));
      return base64Encode(new Uint8Array(signature));
    },

    rsaSha256Verify: createWebRsaVerifier(webCrypto).rsaSha256Verify,
  };
}
