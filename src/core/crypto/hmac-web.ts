/**
 * HMAC-SHA256 on `crypto.subtle`, each key string imported once (the import is the slow step).
 */

import { base64UrlEncode, utf8Encode } from '../encoding';
import { cachedImport, createKeyCache } from './key-cache';
import type { HmacSha256 } from './types';

const HMAC: HmacImportParams = { name: 'HMAC', hash: 'SHA-256' };

/**
 * HMAC pads a short key with zeros to the hash's 64-byte block, so an empty key and 64 zero bytes give
 * the same MAC. WebCrypto refuses zero-length keys; this keeps its output equal to node:crypto's.
 */
const EMPTY_HMAC_KEY_EQUIVALENT = new Uint8Array(64);

/**
 * HMAC-SHA256 on the given `crypto.subtle`.
 *
 * @example
 * ```ts
 * await createWebHmac(crypto.subtle).hmacSha256Base64Url(apiKey, 'header.payload');
 * ```
 */
export function createWebHmac(subtle: typeof globalThis.crypto.subtle): HmacSha256 {
  const secretKeys = createKeyCache<Promise<CryptoKey>>();
  const hmacKey = (key: string) =>
    cachedImport(secretKeys, key, async () => {
      const raw = key === '' ? EMPTY_HMAC_KEY_EQUIVALENT : utf8Encode(key);
      return subtle.importKey('raw', raw, HMAC, false, ['sign']);
    });
  return {
    async hmacSha256Base64Url(key, data) {
      const mac = await subtle.sign('HMAC', await hmacKey(key), utf8Encode(data));
      return base64UrlEncode(new Uint8Array(mac));
    },
  };
}
