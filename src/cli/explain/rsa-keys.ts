/**
 * What is wrong with an RSA key as given, in the debugger's words: the refusals of `parseRsaKey`
 * (public where private is needed, encrypted, too short...), and the formats thaipay accepts but the
 * provider or its samples may not (PKCS#1 instead of PKCS#8 / SPKI, quotes, escaped newlines).
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { parseRsaKey, type RsaKeyKind } from '../../core/crypto';
import { InvalidRequestError } from '../../core/errors';

/** An RSA key as the debugger sees it. */
export interface InspectedRsaKey {
  /** The public key to verify with (the public half of a private key); absent when unusable. */
  publicKey?: KeyObject;
  /** Its X.509 SubjectPublicKeyInfo DER, to compare two keys. */
  spki?: Buffer;
  /** Why the key cannot be used at all, in parseRsaKey's words. */
  refusal?: string;
  /** The key was PKCS#1 (RSA PRIVATE KEY / RSA PUBLIC KEY) rather than PKCS#8 / SPKI. */
  pkcs1: boolean;
  /** Damage thaipay repaired while reading it, in words. */
  repaired: string[];
}

/** The raw DER of the key as written, before parseRsaKey wraps a PKCS#1 key. */
function rawDerLength(text: string): number {
  let body = text
    .trim()
    .replace(/^(["'`])([\s\S]*)\1$/, '$2')
    .replace(/\\+r/g, '')
    .replace(/\\+n/g, '\n');
  const pem = /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END/.exec(body);
  if (pem) body = pem[1]!.replace(/^[ \t]*[A-Za-z][A-Za-z-]*:.*$/gm, '');
  return Buffer.from(body.replace(/\s+/g, ''), 'base64').length;
}

/**
 * Read a key the way the SDK does and say what is wrong with it.
 *
 * @example
 * ```ts
 * const key = inspectRsaKey(pem, 'private');
 * if (key.refusal) console.log(`the private key ${key.refusal}`);
 * ```
 */
export function inspectRsaKey(text: string, kind: RsaKeyKind): InspectedRsaKey {
  const repaired: string[] = [];
  const trimmed = text.trim();
  if (/^(["'`])[\s\S]*\1$/.test(trimmed) && trimmed.length > 2) repaired.push('it is wrapped in quotes');
  if (/\\n/.test(text))
    repaired.push('it holds literal "\\n" escapes instead of line breaks (typical of an env var)');
  let parsed: ReturnType<typeof parseRsaKey>;
  try {
    parsed = parseRsaKey(text, kind, kind === 'private' ? 'privateKey' : 'publicKey');
  } catch (error) {
    if (error instanceof InvalidRequestError) {
      return { refusal: error.issues[0]?.rule ?? 'cannot be read', pkcs1: false, repaired };
    }
    throw error;
  }
  const der = Buffer.from(parsed.der);
  const publicKey =
    kind === 'private'
      ? createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }))
      : createPublicKey({ key: der, format: 'der', type: 'spki' });
  return {
    publicKey,
    spki: publicKey.export({ format: 'der', type: 'spki' }),
    // parseRsaKey wraps PKCS#1 into PKCS#8 / SPKI, which makes the DER longer than what was given.
    pkcs1: rawDerLength(text) < der.length,
    repaired,
  };
}
