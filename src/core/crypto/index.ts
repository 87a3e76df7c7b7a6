/**
 * One CryptoProvider per process, chosen by what the runtime offers: node:crypto where it can be reached
 * without a static import (fastest), else WebCrypto, else node-forge loaded on demand.
 */

import { createForgeCryptoProvider } from './forge';
import { createNodeCryptoProvider, loadNodeCrypto } from './node';
import type { CryptoProvider } from './types';
import { createWebCryptoProvider } from './web';

export { createForgeCryptoProvider } from './forge';
export { type ParsedRsaKey, parseRsaKey, type RsaKeyKind } from './keys';
export { createNodeCryptoProvider, loadNodeCrypto, type NodeCryptoModule } from './node';
export type { CryptoProvider } from './types';
export { createWebCryptoProvider } from './web';

let defaultProvider: CryptoProvider | undefined;

function detectCryptoProvider(): CryptoProvider {
  const nodeCrypto = loadNodeCrypto();
  if (nodeCrypto) return createNodeCryptoProvider(nodeCrypto);
  if (globalThis.crypto?.subtle) return createWebCryptoProvider(globalThis.crypto.subtle);
  return createForgeCryptoProvider();
}

/**
 * The provider thaipay signs and verifies with unless told otherwise: `node` on Node, Bun and Deno, `web`
 * on edge workers and secure browser pages, `forge` elsewhere. Chosen once, then reused (its key caches
 * with it).
 *
 * @example
 * ```ts
 * const crypto = getDefaultCryptoProvider();
 * crypto.name; // 'node' on Node 20.16+
 * ```
 */
export function getDefaultCryptoProvider(): CryptoProvider {
  defaultProvider ??= detectCryptoProvider();
  return defaultProvider;
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
  defaultProvider = provider;
}
