/**
 * The HMAC-SHA256 the JWT gateway signs and verifies with by default: the chosen provider's when there is
 * one, else node:crypto's or crypto.subtle's alone, without the RSA half of a provider.
 */

import { cryptoDefaults, detectCrypto } from './defaults';
import { createNodeHmac } from './hmac-node';
import { createWebHmac } from './hmac-web';
import type { HmacSha256 } from './types';

/**
 * HMAC-SHA256 as `getDefaultCryptoProvider()` would do it (and by it, when one was set or detected), for
 * code that needs nothing else.
 *
 * @example
 * ```ts
 * const mac = await getDefaultHmac().hmacSha256Base64Url(apiKey, 'header.payload');
 * ```
 */
export function getDefaultHmac(): HmacSha256 {
  if (cryptoDefaults.provider) return cryptoDefaults.provider;
  cryptoDefaults.hmac ??= detectCrypto(createNodeHmac, createWebHmac);
  return cryptoDefaults.hmac;
}
