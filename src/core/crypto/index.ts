/**
 * One CryptoProvider per process, chosen by what the runtime offers: node:crypto where it can be reached
 * without a static import (fastest), else WebCrypto. node-forge is never chosen by detection: a runtime
 * without crypto.subtle (an insecure browser page) opts in with
 * `setDefaultCryptoProvider(createForgeCryptoProvider())`, so ~80 KB of node-forge enters only the
 * bundles that ask for it — even single-file bundlers that inline dynamic imports.
 */

import { cryptoDefaults, detectCrypto } from './defaults';
import { createNodeCryptoProvider } from './node';
import type { CryptoProvider } from './types';
import { createWebCryptoProvider } from './web';

export { getDefaultHmac } from './default-hmac';
export { createForgeCryptoProvider } from './forge';
export { type ParsedRsaKey, parseRsaKey, type RsaKeyKind } from './keys';
export { createNodeCryptoProvider, loadNodeCrypto, type NodeCryptoModule } from './node';
export { getDefaultRsaVerifier } from './rsa-verify';
export type { CryptoProvider, HmacSha256, RsaSha256Verifier } from './types';
export { createWebCryptoProvider } from './web';

/**
 * The provider thaipay signs and verifies with unless told otherwise: `node` on Node, Bun and Deno, `web`
 * on edge workers and secure browser pages. Chosen once, then reused (its key caches with it). Elsewhere
 * it throws a `ThaiPayError` with code `crypto_unavailable` that says how to opt in to node-forge.
 *
 * @example
 * ```ts
 * const crypto = getDefaultCryptoProvider();
 * crypto.name; // 'node' on Node 20.16+
 * ```
 */
export function getDefaultCryptoProvider(): CryptoProvider {
  cryptoDefaults.provider ??= detectCrypto(createNodeCryptoProvider, createWebCryptoProvider);
  return cryptoDefaults.provider;
}

/**
 * Replace the default provider (to force the WebCrypto path, or a test double); `undefined` goes back to
 * detection on the next {@link getDefaultCryptoProvider} call.
 *
 * @example
 * ```ts
 * setDefaultCryptoProvider(createWebCryptoProvider());
 * // ...
 * setDefaultCryptoProvider(undefined);
 * ```
 */
export function setDefaultCryptoProvider(provider: CryptoProvider | undefined): void {
  cryptoDefaults.provider = provider;
  // An HMAC or RSA verifier detected alone follows the new choice too.
  cryptoDefaults.hmac = undefined;
  cryptoDefaults.rsaVerifier = undefined;
}
