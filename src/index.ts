/**
 * thaipay: the merchant-side SDK for Thai payments (PromptPay QR, TrueMoney, bank payouts) through the
 * JWT gateway and THB collect. This root entry re-exports the public API; the subpath entries
 * (`thaipay/jwt-gateway`, `thaipay/thb-collect`, `thaipay/banks`, `thaipay/qr`, `thaipay/testing`,
 * `thaipay/redis`) give smaller bundles.
 *
 * @example
 * ```ts
 * import { JwtGatewayClient, ThbCollectClient, isFinalStatus } from 'thaipay';
 * ```
 *
 * @packageDocumentation
 */
export * from './banks';
export {
  type CryptoProvider,
  createForgeCryptoProvider,
  createNodeCryptoProvider,
  createWebCryptoProvider,
  getDefaultCryptoProvider,
  type HmacSha256,
  type RsaSha256Verifier,
  setDefaultCryptoProvider,
} from './core/crypto';
export * from './core/entry';
export {
  type AmountLimit,
  formatBaht,
  MAX_EXACT_NUMBER_SATANG,
  parseAmount,
  parseProviderAmount,
  satangToNumber,
} from './core/money';
export { formatThailandTime, parseThailandTime } from './core/time';
export * from './jwt-gateway/index';
export * from './status';
export * from './thb-collect/index';
