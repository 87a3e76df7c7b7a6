/**
 * Read an RSA key in whatever form a merchant was handed it and turn it into the one DER form every
 * crypto provider can import: PKCS#8 for private keys, X.509 SubjectPublicKeyInfo for public keys.
 *
 * Providers' dashboards and samples are inconsistent: bare Base64 with no PEM lines, PKCS#8 bodies under
 * `RSA PRIVATE KEY` lines, keys pasted into env vars with literal `\n`. The label is only a hint; the DER
 * structure decides what the key is. Every refusal says in words what is wrong with the format and never
 * repeats any of the key.
 */

import { base64Decode } from '../encoding';
import { InvalidRequestError } from '../errors';
import {
  type DerElement,
  DerError,
  integerBitLength,
  readChildren,
  readElement,
  readOid,
  TAG,
  wrapPkcs1PrivateKey,
  wrapPkcs1PublicKey,
} from './der';

/** Which half of a key pair a caller needs. */
export type RsaKeyKind = 'private' | 'public';

/** An RSA key ready for import: PKCS#8 DER for a private key, SPKI DER for a public key. */
export interface ParsedRsaKey {
  der: Uint8Array<ArrayBuffer>;
  format: 'pkcs8' | 'spki';
  /** Size of the modulus, 2048 for a 2048-bit key. */
  modulusBits: number;
}

/** THB collect requires 2048-bit keys, and anything smaller is breakable today. */
export const MIN_RSA_MODULUS_BITS = 2048;

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';

/** Algorithms people paste by mistake, named so the error can say which one it is. */
const OTHER_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.10': 'an RSA-PSS key (id-RSASSA-PSS), which cannot make PKCS#1 v1.5 signatures',
  '1.2.840.10045.2.1': 'an EC key',
  '1.3.101.110': 'an X25519 key',
  '1.3.101.111': 'an X448 key',
  '1.3.101.112': 'an Ed25519 key',
  '1.3.101.113': 'an Ed448 key',
  '1.2.840.10040.4.1': 'a DSA key',
  '1.2.840.10046.2.1': 'a Diffie-Hellman key',
};

const ACCEPTED_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'PUBLIC KEY', 'RSA PUBLIC KEY']);

/** A refusal in plain words; signals `parseRsaKey` turns into an InvalidRequestError for the field. */
class KeyFormatError extends Error {}

function refuse(rule: string): never {
  throw new KeyFormatError(rule);
}

/** Undo the ways a key gets mangled on its way through env vars, JSON and copy-paste. */
function normalise(input: string): string {
  let text = input.trim();
  while (text.length >= 2 && /^["'`]/.test(text) && text.endsWith(text[0]!)) text = text.slice(1, -1).trim();
  // Literal backslash escapes (once or twice escaped): `\n` is a line break, `\r` is noise.
  return text.replace(/\\+r/g, '').replace(/\\+n/g, '\n').trim();
}

function refuseLabel(label: string): never {
  if (label === 'ENCRYPTED PRIVATE KEY') {
    refuse(
      'is an encrypted private key (ENCRYPTED PRIVATE KEY); decrypt it first, e.g. `openssl pkcs8 -in encrypted.pem -out key.pem`',
    );
  }
  if (label.includes('CERTIFICATE')) {
    refuse(
      'is an X.509 certificate, not a key; give its public key (BEGIN PUBLIC KEY), e.g. from `openssl x509 -pubkey -noout`',
    );
  }
  if (label === 'OPENSSH PRIVATE KEY')
    refuse('is in OpenSSH format; convert it to PKCS#8 PEM (BEGIN PRIVATE KEY) first');
  if (label.startsWith('EC ')) refuse('is an EC key; an RSA key is required');
  if (label.startsWith('DSA ')) refuse('is a DSA key; an RSA key is required');
  refuse(
    `has an unsupported PEM label (BEGIN ${label}); expected PRIVATE KEY, RSA PRIVATE KEY, PUBLIC KEY or RSA PUBLIC KEY`,
  );
}

/** The DER bytes of the input: the body of its first PEM block, or the whole input as bare Base64. */
function decodeToDer(text: string): Uint8Array {
  if (text.includes('-----BEGIN')) {
    const begin = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text);
    if (!begin) refuse('has a malformed PEM BEGIN line');
    const label = begin[1]!;
    if (!ACCEPTED_LABELS.has(label)) refuseLabel(label);
    const endLine = `-----END ${label}-----`;
    const bodyStart = begin.index + begin[0].length;
    const bodyEnd = text.indexOf(endLine, bodyStart);
    if (bodyEnd < 0) refuse(`has no "${endLine}" line matching its BEGIN line (was the key cut short?)`);
    let body = text.slice(bodyStart, bodyEnd);
    // Traditional OpenSSL encryption announces itself in RFC 1421 headers inside the block.
    if (/Proc-Type:\s*4,\s*ENCRYPTED/i.test(body)) {
      refuse(
        'is an encrypted private key (Proc-Type: 4,ENCRYPTED); decrypt it first, e.g. `openssl rsa -in encrypted.pem -out key.pem`',
      );
    }
    body = body.replace(/^[ \t]*[A-Za-z][A-Za-z-]*:.*$/gm, '');
    try {
      return base64Decode(body);
    } catch {
      refuse('has a PEM body that is not valid Base64');
    }
  }
  if (/^ssh-(rsa|ed25519|dss)\s/.test(text))
    refuse('is an OpenSSH public key line; give a PEM or Base64 DER key');
  try {
    return base64Decode(text);
  } catch {
    refuse('is neither PEM (-----BEGIN PRIVATE KEY-----) nor valid Base64 DER');
  }
}

function checkAlgorithm(der: Uint8Array, algorithm: DerElement): void {
  if (algorithm.tag !== TAG.SEQUENCE) refuse('is not an RSA key: its algorithm identifier is malformed');
  const [oid] = readChildren(der, algorithm);
  if (!oid || oid.tag !== TAG.OID) refuse('is not an RSA key: its algorithm identifier is malformed');
  const name = readOid(der, oid);
  if (name === RSA_ENCRYPTION) return;
  const known = OTHER_ALGORITHMS[name];
  refuse(known ? `is ${known}; an RSA key is required` : `is not an RSA key (its algorithm is ${name})`);
}

/** Modulus size of an RSAPrivateKey (PKCS#1): version, n, e, d, p, q, dP, dQ, qInv. */
function pkcs1PrivateModulusBits(der: Uint8Array, children: DerElement[]): number {
  if (children.length < 9 || children.slice(0, 9).some((c) => c.tag !== TAG.INTEGER)) {
    refuse('is not a valid RSA private key: some of its numbers are missing');
  }
  return integerBitLength(der, children[1]!);
}

/** Read an element that must fill `bytes[start, end)` exactly and be a SEQUENCE. */
function readWholeSequence(der: Uint8Array, start: number, end: number, what: string): DerElement {
  const element = readElement(der, start, end);
  if (element.tag !== TAG.SEQUENCE || element.end !== end)
    refuse(`is not a valid ${what}: its inner structure is malformed`);
  return element;
}

interface Classified {
  kind: RsaKeyKind;
  format: 'pkcs8' | 'spki';
  /** DER ready for import (the input itself, or the input wrapped from PKCS#1). */
  der: Uint8Array;
  modulusBits: number;
}

/**
 * Reads a private key's numbers: PKCS#8 (`pkcs8`, the RSAPrivateKey in its third element) or PKCS#1
 * (wrapped into PKCS#8). Passed by {@link parseRsaKey} only, so a bundle that parses public keys alone
 * (the notification verifiers) leaves it and PKCS#1 wrapping out.
 */
type PrivateReader = (der: Uint8Array, children: DerElement[], pkcs8: boolean) => Classified;

const readPrivateKey: PrivateReader = (der, children, pkcs8) => {
  if (pkcs8) {
    const octets = children[2]!;
    const inner = readWholeSequence(der, octets.start, octets.end, 'PKCS#8 RSA private key');
    return {
      kind: 'private',
      format: 'pkcs8',
      der,
      modulusBits: pkcs1PrivateModulusBits(der, readChildren(der, inner)),
    };
  }
  const modulusBits = pkcs1PrivateModulusBits(der, children);
  return { kind: 'private', format: 'pkcs8', der: wrapPkcs1PrivateKey(der), modulusBits };
};

/** A private key where only a public one is parsed: refused by kind, so its numbers are never read. */
const PRIVATE_KEY = { kind: 'private' } as Classified;

/** Decide from the DER structure alone what the key is; private keys are read by `readPrivate`. */
function classify(der: Uint8Array, readPrivate?: PrivateReader): Classified {
  // Every key structure is a SEQUENCE; checked before reading lengths so text is not called "truncated".
  if (der[0] !== TAG.SEQUENCE) refuse('is not a key: its data is not an ASN.1 DER structure');
  const outer = readElement(der, 0);
  if (outer.end !== der.length) refuse('has unexpected bytes after the end of the key');
  const children = readChildren(der, outer);
  const [first, second, third] = children;
  if (!first || !second) refuse('is not a key: its structure is too short');

  if (first.tag === TAG.INTEGER) {
    // PKCS#8 PrivateKeyInfo: version, AlgorithmIdentifier, OCTET STRING holding an RSAPrivateKey.
    if (second.tag === TAG.SEQUENCE && third?.tag === TAG.OCTET_STRING) {
      checkAlgorithm(der, second);
      return readPrivate?.(der, children, true) ?? PRIVATE_KEY;
    }
    // SEC1 ECPrivateKey: version 1, OCTET STRING private key, [0] curve, [1] public key.
    if (second.tag === TAG.OCTET_STRING) refuse('is an EC key; an RSA key is required');
    if (children.every((c) => c.tag === TAG.INTEGER)) {
      if (children.length === 2) {
        const modulusBits = integerBitLength(der, first);
        return { kind: 'public', format: 'spki', der: wrapPkcs1PublicKey(der), modulusBits };
      }
      if (children.length >= 9) return readPrivate?.(der, children, false) ?? PRIVATE_KEY;
      if (children.length === 6) refuse('is a DSA key; an RSA key is required');
    }
    refuse('is not a recognisable RSA key structure');
  }

  if (first.tag === TAG.SEQUENCE) {
    // EncryptedPrivateKeyInfo: encryption AlgorithmIdentifier, OCTET STRING ciphertext.
    if (children.length === 2 && second.tag === TAG.OCTET_STRING) {
      refuse('is an encrypted private key (PKCS#8 EncryptedPrivateKeyInfo); decrypt it first');
    }
    // Certificate (and CSR, CRL): a signed body, the signature algorithm, the signature.
    if (children.length === 3 && second.tag === TAG.SEQUENCE && third?.tag === TAG.BIT_STRING) {
      refuse('is an X.509 certificate, not a key; give its public key (BEGIN PUBLIC KEY) instead');
    }
    // SubjectPublicKeyInfo: AlgorithmIdentifier, BIT STRING holding an RSAPublicKey.
    if (children.length === 2 && second.tag === TAG.BIT_STRING) {
      checkAlgorithm(der, first);
      if (second.end - second.start < 2 || der[second.start] !== 0)
        refuse('is not a valid public key: its key bits are malformed');
      const inner = readWholeSequence(der, second.start + 1, second.end, 'RSA public key');
      const numbers = readChildren(der, inner);
      if (numbers.length !== 2 || numbers.some((n) => n.tag !== TAG.INTEGER)) {
        refuse('is not a valid RSA public key: it must hold exactly a modulus and an exponent');
      }
      return { kind: 'public', format: 'spki', der, modulusBits: integerBitLength(der, numbers[0]!) };
    }
  }
  refuse('is not a recognisable RSA key structure');
}

/**
 * Read an RSA key given as PEM (PKCS#8, PKCS#1, SPKI — whatever its label claims), or as bare Base64 DER,
 * tolerating surrounding quotes and whitespace, CRLF, indentation and literal `\n` escapes from env vars.
 *
 * PKCS#1 keys are wrapped into PKCS#8 / SPKI so `crypto.subtle` can import them. Refuses, with an
 * {@link InvalidRequestError} for `field` that names the problem and never contains key material: empty
 * input, bad Base64, truncated DER, encrypted keys, certificates, non-RSA keys, keys under 2048 bits, and
 * a public key where a private one is needed (or the reverse).
 *
 * @param input - the key as the user gave it.
 * @param kind - which half of the pair the caller needs.
 * @param field - the option name to blame in the error, e.g. `privateKey`.
 * @example
 * ```ts
 * const { der, format, modulusBits } = parseRsaKey(process.env.THB_PRIVATE_KEY ?? '', 'private', 'privateKey');
 * await crypto.subtle.importKey(format, der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
 * ```
 */
export function parseRsaKey(input: string, kind: RsaKeyKind, field: string): ParsedRsaKey {
  // A private key where a public one is wanted is refused by kind, whatever its numbers.
  return parseKey(input, kind, field, kind === 'private' ? readPrivateKey : undefined);
}

/**
 * {@link parseRsaKey} for a public key, without the code that reads private keys (a private key is still
 * recognised and refused, with the same words). Internal: for the verify-only crypto path.
 *
 * @example
 * ```ts
 * parsePublicRsaKey(process.env.THB_PLATFORM_PUBLIC_KEY!, 'platformPublicKey').format; // 'spki'
 * ```
 */
export function parsePublicRsaKey(input: string, field: string): ParsedRsaKey {
  return parseKey(input, 'public', field);
}

function parseKey(input: string, kind: RsaKeyKind, field: string, readPrivate?: PrivateReader): ParsedRsaKey {
  try {
    if (typeof input !== 'string') refuse('must be a string holding a PEM or Base64 DER key');
    const text = normalise(input);
    if (text === '') refuse(`is empty; give the RSA ${kind} key as PEM or Base64 DER`);
    const key = classify(decodeToDer(text), readPrivate);
    if (key.kind !== kind) {
      refuse(
        kind === 'private'
          ? 'is a public key; a private key is required here'
          : 'is a private key; a public key is required here (a private key must never be shared)',
      );
    }
    if (key.modulusBits < MIN_RSA_MODULUS_BITS) {
      refuse(`is a ${key.modulusBits}-bit RSA key; at least ${MIN_RSA_MODULUS_BITS} bits are required`);
    }
    // A copy: the decoded bytes may sit in a shared Buffer pool, and callers may keep this for long.
    return { der: new Uint8Array(key.der), format: key.format, modulusBits: key.modulusBits };
  } catch (error) {
    if (error instanceof KeyFormatError) throw InvalidRequestError.field(field, error.message);
    if (error instanceof DerError)
      throw InvalidRequestError.field(
        field,
        `is not a complete, valid key: ${error.message} (was it copied in full?)`,
      );
    throw error;
  }
}
