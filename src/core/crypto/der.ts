/**
 * The smallest ASN.1 DER reader and writer RSA keys need: SEQUENCE, INTEGER, OBJECT IDENTIFIER, NULL,
 * OCTET STRING and BIT STRING, with definite lengths only (DER has no other kind).
 *
 * Reading never goes past the data it was given: a length that points beyond the end is reported as
 * truncated instead of being trusted.
 */

/** Universal tags used by key structures. */
export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
} as const;

/** Why some bytes are not the DER they should be. Carries no bytes, only the reason. */
export class DerError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'DerError';
  }
}

/** One tag-length-value element: `bytes.subarray(start, end)` is its content. */
export interface DerElement {
  tag: number;
  /** Offset of the tag byte (the element's first byte). */
  offset: number;
  /** Offset of the first content byte. */
  start: number;
  /** Offset just past the last content byte. */
  end: number;
}

/**
 * Read the element starting at `offset`, refusing lengths that run past `limit`.
 *
 * @example
 * ```ts
 * const seq = readElement(der, 0); // the outer SEQUENCE of a key
 * ```
 */
export function readElement(bytes: Uint8Array, offset: number, limit = bytes.length): DerElement {
  if (offset + 2 > limit) throw new DerError('the DER data is truncated');
  const tag = bytes[offset]!;
  // High tag numbers (low five bits all set) never occur in key structures.
  if ((tag & 0x1f) === 0x1f) throw new DerError('the DER data uses an unsupported tag form');
  let length = bytes[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    // 0x80 is BER's indefinite length, not DER; more than four length bytes is no key we could hold.
    if (count === 0 || count > 4) throw new DerError('the DER data has an invalid length');
    if (start + count > limit) throw new DerError('the DER data is truncated');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i]!;
    start += count;
  }
  const end = start + length;
  if (end > limit) throw new DerError('the DER data is truncated');
  return { tag, offset, start, end };
}

/**
 * The elements directly inside a constructed element (a SEQUENCE), which must fill it exactly.
 *
 * @example
 * ```ts
 * const [version, algorithm, privateKey] = readChildren(der, readElement(der, 0));
 * ```
 */
export function readChildren(bytes: Uint8Array, parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  let offset = parent.start;
  while (offset < parent.end) {
    const child = readElement(bytes, offset, parent.end);
    children.push(child);
    offset = child.end;
  }
  return children;
}

/**
 * Dotted text of an OBJECT IDENTIFIER element, e.g. `1.2.840.113549.1.1.1`.
 *
 * @example
 * ```ts
 * readOid(der, algorithmChildren[0]); // '1.2.840.113549.1.1.1'
 * ```
 */
export function readOid(bytes: Uint8Array, element: DerElement): string {
  if (element.tag !== TAG.OID || element.end === element.start)
    throw new DerError('an object identifier is malformed');
  const arcs: number[] = [];
  let value = 0;
  for (let i = element.start; i < element.end; i++) {
    const byte = bytes[i]!;
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (arcs.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        arcs.push(first, value - first * 40);
      } else {
        arcs.push(value);
      }
      value = 0;
    }
  }
  if (bytes[element.end - 1]! & 0x80) throw new DerError('an object identifier is truncated');
  return arcs.join('.');
}

/**
 * Number of significant bits of a non-negative INTEGER element (an RSA modulus: 2048 for a 2048-bit key).
 *
 * @example
 * ```ts
 * integerBitLength(der, modulus); // 2048
 * ```
 */
export function integerBitLength(bytes: Uint8Array, element: DerElement): number {
  if (element.tag !== TAG.INTEGER || element.end === element.start)
    throw new DerError('an integer is malformed');
  if (bytes[element.start]! & 0x80) return 0; // negative: no valid modulus
  let i = element.start;
  while (i < element.end && bytes[i] === 0) i++;
  if (i === element.end) return 0;
  return (element.end - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  const out: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) out.unshift(rest % 256);
  return [0x80 | out.length, ...out];
}

/**
 * One DER element of the given tag around the concatenated parts.
 *
 * @example
 * ```ts
 * encodeElement(TAG.SEQUENCE, encodeElement(TAG.INTEGER, new Uint8Array([0])));
 * ```
 */
export function encodeElement(tag: number, ...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const contentLength = parts.reduce((sum, part) => sum + part.length, 0);
  const header = [tag, ...encodeLength(contentLength)];
  const out = new Uint8Array(header.length + contentLength);
  out.set(header, 0);
  let offset = header.length;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL } as DER. */
const RSA_ALGORITHM_IDENTIFIER = new Uint8Array([
  0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
]);

/**
 * Wrap a PKCS#1 RSAPrivateKey into a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption), the form
 * `crypto.subtle.importKey('pkcs8', ...)` requires.
 *
 * @example
 * ```ts
 * const pkcs8 = wrapPkcs1PrivateKey(pkcs1Der);
 * ```
 */
export function wrapPkcs1PrivateKey(pkcs1: Uint8Array): Uint8Array<ArrayBuffer> {
  return encodeElement(
    TAG.SEQUENCE,
    new Uint8Array([TAG.INTEGER, 0x01, 0x00]),
    RSA_ALGORITHM_IDENTIFIER,
    encodeElement(TAG.OCTET_STRING, pkcs1),
  );
}

/**
 * Wrap a PKCS#1 RSAPublicKey into an X.509 SubjectPublicKeyInfo, the form
 * `crypto.subtle.importKey('spki', ...)` requires.
 *
 * @example
 * ```ts
 * const spki = wrapPkcs1PublicKey(pkcs1PublicDer);
 * ```
 */
export function wrapPkcs1PublicKey(pkcs1: Uint8Array): Uint8Array<ArrayBuffer> {
  // The leading 0 of the BIT STRING says no bits of the last byte are unused.
  return encodeElement(
    TAG.SEQUENCE,
    RSA_ALGORITHM_IDENTIFIER,
    encodeElement(TAG.BIT_STRING, new Uint8Array([0]), pkcs1),
  );
}
