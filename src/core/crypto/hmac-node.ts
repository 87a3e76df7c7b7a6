/**
 * HMAC-SHA256 on `node:crypto`, with the secret imported into a KeyObject once per key string: HS256 then
 * costs about what a bare `createHmac` does.
 */

import type * as NodeCrypto from 'node:crypto';
import { utf8Encode } from '../encoding';
import { createKeyCache } from './key-cache';
import type { NodeCryptoModule } from './node-module';
import type { HmacSha256 } from './types';

/**
 * HMAC-SHA256 on the given `node:crypto` module.
 *
 * @example
 * ```ts
 * const nodeCrypto = loadNodeCrypto();
 * if (nodeCrypto) await createNodeHmac(nodeCrypto).hmacSha256Base64Url(apiKey, 'header.payload');
 * ```
 */
export function createNodeHmac(crypto: Pick<NodeCryptoModule, 'createHmac' | 'createSecretKey'>): HmacSha256 {
  const secretKeys = createKeyCache<NodeCrypto.KeyObject>();
  return {
    async hmacSha256Base64Url(key, data) {
      const secret = secretKeys.get(key) ?? secretKeys.set(key, crypto.createSecretKey(utf8Encode(key)));
      return crypto.createHmac('sha256', secret).update(data, 'utf8').digest('base64url');
    },
  };
}
