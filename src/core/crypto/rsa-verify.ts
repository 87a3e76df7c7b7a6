/**
 * RSA-SHA256 verification alone, for the notification verifier: what a provider's `rsaSha256Verify` does,
 * without the signing half (private keys, their parsing and PKCS#1 wrapping) or HMAC, so a bundle that only
 * verifies stays small. The providers in node.ts and web.ts verify through these too.
 */

import type * as NodeCrypto from 'node:crypto';
import { base64Decode, utf8Encode } from '../encoding';
import { cryptoDefaults, detectCrypto } from './defaults';
import { cachedImport, createKeyCache } from './key-cache';
import { type ParsedRsaKey, parsePublicRsaKey } from './keys';
import type { NodeCryptoModule } from './node-module';
import type { RsaSha256Verifier } from './types';

/** The WebCrypto parameters of RSASSA-PKCS1-v1_5 with SHA-256. */
export const WEB_RSA: RsaHashedImportParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

/**
 * A verifier on one crypto API: `importKey` imports a parsed public key (once per key string, failures
 * forgotten), `check` verifies. Key problems are the caller's configuration and reject; only the
 * signature decides true/false.
 */
function verifierOn<K>(
  importKey: (key: ParsedRsaKey) => K | Promise<K>,
  check: (
    key: K,
    data: Uint8Array<ArrayBuffer>,
    signature: Uint8Array<ArrayBuffer>,
  ) => boolean | Promise<boolean>,
): RsaSha256Verifier {
  const keys = createKeyCache<Promise<K>>();
  return {
    async rsaSha256Verify(publicKey, data, signatureBase64) {
      const key = await cachedImport(keys, publicKey, async () =>
        importKey(parsePublicRsaKey(publicKey, 'publicKey')),
      );
      if (typeof signatureBase64 !== 'string') return false;
      try {
        return await check(key, utf8Encode(data), base64Decode(signatureBase64));
      } catch {
        return false;
      }
    },
  };
}

/**
 * `rsaSha256Verify` on `node:crypto`, each public key imported once.
 *
 * @example
 * ```ts
 * const { rsaSha256Verify } = createNodeRsaVerifier(loadNodeCrypto()!);
 * await rsaSha256Verify(publicKeyPem, signString, signatureBase64); // true or false
 * ```
 */
export function createNodeRsaVerifier(crypto: NodeCryptoModule): RsaSha256Verifier {
  return verifierOn(
    // node:crypto reads any ArrayBufferView at run time; its types only name Buffer.
    ({ der, format }) =>
      crypto.createPublicKey({
        key: der,
        format: 'der',
        type: format,
      } as unknown as NodeCrypto.PublicKeyInput),
    (key, data, signature) => crypto.verify('sha256', data, key, signature),
  );
}

/**
 * `rsaSha256Verify` on `crypto.subtle`, each public key imported once.
 *
 * @example
 * ```ts
 * const { rsaSha256Verify } = createWebRsaVerifier(crypto.subtle);
 * ```
 */
export function createWebRsaVerifier(subtle: typeof globalThis.crypto.subtle): RsaSha256Verifier {
  return verifierOn(
    ({ der, format }) => subtle.importKey(format, der, WEB_RSA, false, ['verify']),
    (key, data, signature) => subtle.verify(WEB_RSA, key, signature, data),
  );
}

/**
 * The default provider's `rsaSha256Verify` when one is chosen (set, or detected by a client), else
 * node:crypto's or crypto.subtle's alone, detected once; like `getDefaultHmac` for HMAC.
 *
 * @example
 * ```ts
 * await getDefaultRsaVerifier().rsaSha256Verify(platformPublicKey, signString, sign);
 * ```
 */
export function getDefaultRsaVerifier(): RsaSha256Verifier {
  if (cryptoDefaults.provider) return cryptoDefaults.provider;
  cryptoDefaults.rsaVerifier ??= detectCrypto(createNodeRsaVerifier, createWebRsaVerifier);
  return cryptoDefaults.rsaVerifier;
}
