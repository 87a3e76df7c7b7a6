/**
 * The fast CryptoProvider, on `node:crypto` (Node, Bun, Deno).
 *
 * Shared code must not import Node built-ins, so `node:crypto` is obtained at run time through
 * `process.getBuiltinModule` (Node 20.16+, Bun, Deno) and only its types are imported. Keys are imported
 * into KeyObjects once per key string: HS256 then costs about what a bare `createHmac` does.
 */

import type * as NodeCrypto from 'node:crypto';
import { utf8Encode } from '../encoding';
import { ThaiPayError } from '../errors';
import { createNodeHmac } from './hmac-node';
import { createKeyCache } from './key-cache';
import { parseRsaKey } from './keys';
import { loadNodeCrypto, type NodeCryptoModule } from './node-module';
import { createNodeRsaVerifier } from './rsa-verify';
import type { CryptoProvider } from './types';

export { loadNodeCrypto, type NodeCryptoModule } from './node-module';

type NodeKeyObject = NodeCrypto.KeyObject;
type DerKeyInput = NodeCrypto.PrivateKeyInput & NodeCrypto.PublicKeyInput;

/**
 * A CryptoProvider on `node:crypto`, the fastest on Node and Bun.
 *
 * @param nodeCrypto - the `node:crypto` module; found through `process.getBuiltinModule` when omitted.
 * @throws ThaiPayError (`crypto_unavailable`) when the runtime has no `node:crypto`.
 * @example
 * ```ts
 * const crypto = createNodeCryptoProvider();
 * const mac = await crypto.hmacSha256Base64Url(apiKey, 'header.payload');
 * const sign = await crypto.rsaSha256Sign(privateKeyPem, signString);
 * ```
 */
export function createNodeCryptoProvider(
  nodeCrypto: NodeCryptoModule | undefined = loadNodeCrypto(),
): CryptoProvider {
  if (!nodeCrypto) {
    throw new ThaiPayError(
      'node:crypto is not available in this runtime (process.getBuiltinModule needs Node 20.16+, Bun or Deno); use createWebCryptoProvider()',
      { code: 'crypto_unavailable' },
    );
  }
  const crypto = nodeCrypto;
  const hmac = createNodeHmac(crypto);
  const privateKeys = createKeyCache<NodeKeyObject>();
  const verifier = createNodeRsaVerifier(crypto);

  function privateKeyObject(key: string): NodeKeyObject {
    const cached = privateKeys.get(key);
    if (cached) return cached;
    const { der, format } = parseRsaKey(key, 'private', 'privateKey');
    // node:crypto reads any ArrayBufferView at run time; its types only name Buffer.
    const input = { key: der, format: 'der', type: format } as unknown as DerKeyInput;
    return privateKeys.set(key, crypto.createPrivateKey(input));
  }

  return {
    name: 'node',

    hmacSha256Base64Url: hmac.hmacSha256Base64Url,

    async rsaSha256Sign(privateKey, data) {
      return crypto.sign('sha256', utf8Encode(data), privateKeyObject(privateKey)).toString('base64');
    },

    rsaSha256Verify: verifier.rsaSha256Verify,
  };
}
