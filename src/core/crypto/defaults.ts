/**
 * Which crypto thaipay uses when a caller passes none: the provider set with `setDefaultCryptoProvider`,
 * or the one detected. Kept apart from the providers themselves, so that code needing only HMAC (the JWT
 * gateway) can follow the same choice without pulling RSA key parsing into its bundle.
 */

import { ThaiPayError } from '../errors';
import { loadNodeCrypto, type NodeCryptoModule } from './node-module';
import type { CryptoProvider, HmacSha256, RsaSha256Verifier } from './types';

/**
 * The current choice: `provider` (set, or detected by `getDefaultCryptoProvider`), and `hmac` and
 * `rsaVerifier` (detected by `getDefaultHmac` and `getDefaultRsaVerifier` when no provider has been chosen yet).
 *
 * @internal
 */
export const cryptoDefaults: {
  provider?: CryptoProvider;
  hmac?: HmacSha256;
  rsaVerifier?: RsaSha256Verifier;
} = {};

/**
 * The error for a runtime with neither node:crypto nor crypto.subtle, naming the way out.
 *
 * @internal
 * @example
 * ```ts
 * throw cryptoUnavailable();
 * ```
 */
export function cryptoUnavailable(): ThaiPayError {
  return new ThaiPayError(
    'This runtime has neither node:crypto nor crypto.subtle (browsers expose crypto.subtle only on https ' +
      'or localhost pages). Serve the page securely, or opt in to the pure-JavaScript fallback: ' +
      "import { setDefaultCryptoProvider, createForgeCryptoProvider } from 'thaipay'; " +
      'setDefaultCryptoProvider(createForgeCryptoProvider());',
    { code: 'crypto_unavailable' },
  );
}

/**
 * What the runtime offers, in order of speed: `onNode` with node:crypto (reached without a static import),
 * else `onWeb` with crypto.subtle; neither is the error naming the opt-in. The one detection the default
 * provider, the default HMAC and the default RSA verifier share.
 *
 * @internal
 */
export function detectCrypto<T>(
  onNode: (crypto: NodeCryptoModule) => T,
  onWeb: (subtle: typeof globalThis.crypto.subtle) => T,
): T {
  const nodeCrypto = loadNodeCrypto();
  if (nodeCrypto) return onNode(nodeCrypto);
  const subtle = globalThis.crypto?.subtle;
  if (subtle) return onWeb(subtle);
  throw cryptoUnavailable();
}
