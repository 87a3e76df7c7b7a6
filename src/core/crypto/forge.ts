/**
 * The last-resort CryptoProvider, in pure JavaScript on node-forge, for runtimes with neither
 * `node:crypto` nor `crypto.subtle` (a browser page served over plain http, some embedded engines).
 *
 * node-forge is large, so it is loaded with a dynamic `import()` on first use: a bundle that never calls
 * this provider never contains it. Outputs are byte-identical to the node and web providers.
 */

import type * as Forge from 'node-forge';
import {
  base64Decode,
  base64Encode,
  base64UrlEncode,
  binaryStringToBytes,
  bytesToBinaryString,
  utf8Encode,
} from '../encoding';
import { createKeyCache, type KeyCache } from './key-cache';
import { parseRsaKey } from './keys';
import type { CryptoProvider } from './types';

type ForgeModule = typeof Forge;
type ForgePrivateKey = Forge.pki.rsa.PrivateKey;
type ForgePublicKey = Forge.pki.rsa.PublicKey;

let forgeModule: Promise<ForgeModule> | undefined;

/** Load node-forge once per process; a failed load is retried on the next call. */
function loadForge(): Promise<ForgeModule> {
  if (!forgeModule) {
    // node-forge is CommonJS: depending on the loader or bundler it arrives as the default export or as
    // the namespace itself.
    const loading = import('node-forge').then(
      (m) => (m as { default?: ForgeModule }).default ?? (m as ForgeModule),
    );
    forgeModule = loading;
    loading.catch(() => {
      if (forgeModule === loading) forgeModule = undefined;
    });
  }
  return forgeModule;
}

/** UTF-8 bytes as the one-char-per-byte string node-forge works with. */
function utf8Binary(text: string): string {
  return bytesToBinaryString(utf8Encode(text));
}

function sha256(forge: ForgeModule, data: string): Forge.md.MessageDigest {
  return forge.md.sha256.create().update(utf8Binary(data));
}

/** Share one parse per key string; forget failures so the next call reports the error afresh. */
function cachedKey<K>(cache: KeyCache<Promise<K>>, key: string, make: () => Promise<K>): Promise<K> {
  const hit = cache.get(key);
  if (hit) return hit;
  const pending = make();
  cache.set(key, pending);
  pending.catch(() => {
    if (cache.get(key) === pending) cache.delete(key);
  });
  return pending;
}

/**
 * A CryptoProvider on node-forge, loaded lazily. Much slower than the others (RSA in JavaScript): use it
 * only where nothing native exists; {@link getDefaultCryptoProvider} picks it only then.
 *
 * @example
 * ```ts
 * const crypto = createForgeCryptoProvider();
 * const ok = await crypto.rsaSha256Verify(platformPublicKey, signString, sign);
 * ```
 */
export function createForgeCryptoProvider(): CryptoProvider {
  const secretKeys = createKeyCache<string>();
  const privateKeys = createKeyCache<Promise<ForgePrivateKey>>();
  const publicKeys = createKeyCache<Promise<ForgePublicKey>>();

  const privateKeyOf = (key: string) =>
    cachedKey(privateKeys, key, async () => {
      const { der } = parseRsaKey(key, 'private', 'privateKey');
      const forge = await loadForge();
      return forge.pki.privateKeyFromAsn1(forge.asn1.fromDer(bytesToBinaryString(der))) as ForgePrivateKey;
    });

  const publicKeyOf = (key: string) =>
    cachedKey(publicKeys, key, async () => {
      const { der } = parseRsaKey(key, 'public', 'publicKey');
      const forge = await loadForge();
      return forge.pki.publicKeyFromAsn1(forge.asn1.fromDer(bytesToBinaryString(der))) as ForgePublicKey;
    });

  return {
    name: 'forge',

    async hmacSha256Base64Url(key, data) {
      const forge = await loadForge();
      const secret = secretKeys.get(key) ?? secretKeys.set(key, utf8Binary(key));
      const hmac = forge.hmac.create();
      hmac.start('sha256', secret);
      hmac.update(utf8Binary(data));
      return base64UrlEncode(binaryStringToBytes(hmac.digest().getBytes()));
    },

    async rsaSha256Sign(privateKey, data) {
      const key = await privateKeyOf(privateKey);
      const forge = await loadForge();
      // forge's default scheme for sign and verify is RSASSA-PKCS1-v1_5.
      return base64Encode(binaryStringToBytes(key.sign(sha256(forge, data))));
    },

    async rsaSha256Verify(publicKey, data, signatureBase64) {
      // Key problems are the caller's configuration and reject; only the signature decides true/false.
      const key = await publicKeyOf(publicKey);
      const forge = await loadForge();
      if (typeof signatureBase64 !== 'string') return false;
      try {
        const signature = bytesToBinaryString(base64Decode(signatureBase64));
        return key.verify(sha256(forge, data).digest().getBytes(), signature);
      } catch {
        // forge throws, rather than answering false, on a signature of the wrong length or padding.
        return false;
      }
    },
  };
}
