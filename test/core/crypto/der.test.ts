import { describe, expect, it } from 'vitest';
import {
  DerError,
  encodeElement,
  integerBitLength,
  readChildren,
  readElement,
  readOid,
  TAG,
  wrapPkcs1PrivateKey,
  wrapPkcs1PublicKey,
} from '../../../src/core/crypto/der';

describe('DER reader and writer', () => {
  it.each([0, 1, 127, 128, 255, 256, 65_535, 70_000])('writes and reads back a %d-byte element', (size) => {
    const content = new Uint8Array(size).map((_, i) => i % 251);
    const element = encodeElement(TAG.OCTET_STRING, content);
    const read = readElement(element, 0);
    expect(read.tag).toBe(TAG.OCTET_STRING);
    expect(read.end).toBe(element.length);
    expect(read.end - read.start).toBe(size);
    expect(Buffer.from(element.subarray(read.start, read.end)).equals(Buffer.from(content))).toBe(true);
  });

  it('uses the shortest DER length form', () => {
    expect([...encodeElement(TAG.SEQUENCE, new Uint8Array(127)).subarray(0, 2)]).toEqual([0x30, 0x7f]);
    expect([...encodeElement(TAG.SEQUENCE, new Uint8Array(128)).subarray(0, 3)]).toEqual([0x30, 0x81, 0x80]);
    expect([...encodeElement(TAG.SEQUENCE, new Uint8Array(256)).subarray(0, 4)]).toEqual([0x30, 0x82, 1, 0]);
  });

  it('refuses lengths past the end, indefinite lengths and high tag numbers', () => {
    expect(() => readElement(new Uint8Array([0x30, 0x05, 1, 2]), 0)).toThrow(DerError);
    expect(() => readElement(new Uint8Array([0x30, 0x82, 0x01]), 0)).toThrow(/truncated/);
    expect(() => readElement(new Uint8Array([0x30, 0x80, 0, 0]), 0)).toThrow(/invalid length/);
    expect(() => readElement(new Uint8Array([0x1f, 0x01, 0]), 0)).toThrow(/unsupported tag/);
    expect(() => readElement(new Uint8Array([0x30]), 0)).toThrow(/truncated/);
    // A child may not run past its parent even if the buffer is longer.
    const bytes = new Uint8Array([0x30, 0x02, 0x04, 0x03, 0, 0, 0]);
    expect(() => readChildren(bytes, readElement(bytes, 0, 4))).toThrow(/truncated/);
  });

  it('reads object identifiers', () => {
    const rsa = new Uint8Array([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]);
    expect(readOid(rsa, readElement(rsa, 0))).toBe('1.2.840.113549.1.1.1');
    const ed25519 = new Uint8Array([0x06, 0x03, 0x2b, 0x65, 0x70]);
    expect(readOid(ed25519, readElement(ed25519, 0))).toBe('1.3.101.112');
    const big = new Uint8Array([0x06, 0x03, 0x88, 0x37, 0x01]);
    expect(readOid(big, readElement(big, 0))).toBe('2.999.1');
    const cut = new Uint8Array([0x06, 0x02, 0x2a, 0x86]);
    expect(() => readOid(cut, readElement(cut, 0))).toThrow(/truncated/);
  });

  it('measures integers in bits, ignoring the sign byte', () => {
    const bits = (bytes: number[]) => {
      const element = encodeElement(TAG.INTEGER, new Uint8Array(bytes));
      return integerBitLength(element, readElement(element, 0));
    };
    expect(bits([0x00, 0x80, ...new Array(255).fill(0)])).toBe(2048);
    expect(bits([0x7f])).toBe(7);
    expect(bits([0x01, 0x00])).toBe(9);
    expect(bits([0x00])).toBe(0);
    expect(bits([0xff])).toBe(0);
  });

  it('wraps PKCS#1 into PKCS#8 and SPKI with rsaEncryption and NULL parameters', () => {
    const inner = encodeElement(TAG.SEQUENCE, new Uint8Array([2, 1, 5, 2, 1, 3]));
    const pkcs8 = wrapPkcs1PrivateKey(inner);
    const [version, algorithm, octets] = readChildren(pkcs8, readElement(pkcs8, 0));
    expect([...pkcs8.subarray(version!.offset, version!.end)]).toEqual([2, 1, 0]);
    const [oid, params] = readChildren(pkcs8, algorithm!);
    expect(readOid(pkcs8, oid!)).toBe('1.2.840.113549.1.1.1');
    expect(params!.tag).toBe(TAG.NULL);
    expect(Buffer.from(pkcs8.subarray(octets!.start, octets!.end)).equals(Buffer.from(inner))).toBe(true);

    const spki = wrapPkcs1PublicKey(inner);
    const [, bits] = readChildren(spki, readElement(spki, 0));
    expect(bits!.tag).toBe(TAG.BIT_STRING);
    expect(spki[bits!.start]).toBe(0);
    expect(Buffer.from(spki.subarray(bits!.start + 1, bits!.end)).equals(Buffer.from(inner))).toBe(true);
  });
});
