/**
 * The one crypto interface both signing schemes use. Implementations: node (node:crypto, the fast path),
 * web (crypto.subtle) and an opt-in node-forge fallback, loaded lazily, for runtimes without crypto.subtle.
 *
 * Keys are passed as the user gave them (PEM PKCS#8 / PKCS#1, bare Base64 DER, escaped newlines...);
 * implementations parse each distinct key once and cache the imported key.
 */
export interface CryptoProvider {
  /** Which implementation this is, for diagnostics and benchmarks. */
  readonly name: 'node' | 'web' | 'forge';
  /** HMAC-SHA256 of the UTF-8 bytes of `data` keyed with the UTF-8 bytes of `key`, as base64url (no padding). */
  hmacSha256Base64Url(key: string, data: string): Promise<string>;
  /** RSASSA-PKCS1-v1_5 SHA-256 over the UTF-8 bytes of `data`, as standard Base64 (with padding). */
  rsaSha256Sign(privateKey: string, data: string): Promise<string>;
  /** Verify a standard-Base64 RSASSA-PKCS1-v1_5 SHA-256 signature over the UTF-8 bytes of `data`. */
  rsaSha256Verify(publicKey: string, data: string, signatureBase64: string): Promise<boolean>;
}

/**
 * HMAC alone: all the JWT gateway needs. Code that signs or verifies HS256 asks for this, so its bundle
 * does not carry RSA key parsing.
 */
export type HmacSha256 = Pick<CryptoProvider, 'hmacSha256Base64Url'>;

/**
 * The verifying half of a {@link CryptoProvider}: what checking a THB collect notification needs.
 */
export type RsaSha256Verifier = Pick<CryptoProvider, 'rsaSha256Verify'>;
