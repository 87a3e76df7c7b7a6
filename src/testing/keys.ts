/**
 * RSA keys of the THB collect side: generating the platform's (and the merchant's, when none is given)
 * and reading keys given as PEM or as the bare Base64 DER providers hand out.
 */
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';

/** An RSA key pair as node:crypto key objects. */
export interface RsaKeyMaterial {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * A fresh 2048-bit RSA key pair (off the main thread).
 *
 * @example
 * ```ts
 * const { privateKey, publicKey } = await generateRsaKeyPair();
 * ```
 */
export function generateRsaKeyPair(): Promise<RsaKeyMaterial> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKey, privateKey) => {
      if (error) reject(error);
      else resolve({ privateKey, publicKey });
    });
  });
}

function isPem(text: string): boolean {
  return text.includes('-----BEGIN');
}

function der(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'base64');
}

/**
 * A public key from PEM (SPKI or PKCS#1) or bare Base64 DER (SPKI or PKCS#1).
 *
 * @example
 * ```ts
 * const key = readPublicKey('MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...');
 * ```
 */
export function readPublicKey(text: string): KeyObject {
  if (isPem(text)) return createPublicKey(text);
  try {
    return createPublicKey({ key: der(text), format: 'der', type: 'spki' });
  } catch {
    return createPublicKey({ key: der(text), format: 'der', type: 'pkcs1' });
  }
}

/**
 * A private key from PEM (PKCS#8 or PKCS#1) or bare Base64 DER (PKCS#8 or PKCS#1).
 *
 * @example
 * ```ts
 * const key = readPrivateKey('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ...');
 * ```
 */
export function readPrivateKey(text: string): KeyObject {
  if (isPem(text)) return createPrivateKey(text);
  try {
    return createPrivateKey({ key: der(text), format: 'der', type: 'pkcs8' });
  } catch {
    return createPrivateKey({ key: der(text), format: 'der', type: 'pkcs1' });
  }
}

/**
 * Bare Base64 SPKI (what providers hand out) and PEM of a public key.
 *
 * @example
 * ```ts
 * const { base64, pem } = exportPublicKey(publicKey);
 * ```
 */
export function exportPublicKey(key: KeyObject): { base64: string; pem: string } {
  return {
    base64: key.export({ format: 'der', type: 'spki' }).toString('base64'),
    pem: key.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/**
 * Bare Base64 PKCS#8 and PEM of a private key.
 *
 * @example
 * ```ts
 * const { base64, pem } = exportPrivateKey(privateKey);
 * ```
 */
export function exportPrivateKey(key: KeyObject): { base64: string; pem: string } {
  return {
    base64: key.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    pem: key.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}
