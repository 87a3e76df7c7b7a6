import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeElement, TAG } from '../../../src/core/crypto/der';
import { parseRsaKey } from '../../../src/core/crypto/keys';
import { InvalidRequestError } from '../../../src/core/errors';
import { testKeyPairOfKind } from '../../helpers/rsa-keys';
import { expectNoKeyMaterial, generateRsaFixture, pemBody, type RsaFixture } from './fixtures';

let rsa: RsaFixture;
beforeAll(() => {
  rsa = generateRsaFixture();
});

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('parseRsaKey: accepted forms', () => {
  it('reads every private form to the canonical PKCS#8 DER, 2048 bits', () => {
    const forms = Object.entries(rsa.privateForms);
    expect(forms.length).toBeGreaterThanOrEqual(15);
    for (const [name, input] of forms) {
      const parsed = parseRsaKey(input, 'private', 'privateKey');
      expect({ name, format: parsed.format, bits: parsed.modulusBits }).toEqual({
        name,
        format: 'pkcs8',
        bits: 2048,
      });
      expect(hex(parsed.der), name).toBe(rsa.pkcs8Der.toString('hex'));
    }
  });

  it('reads every public form to the canonical SPKI DER, 2048 bits', () => {
    const forms = Object.entries(rsa.publicForms);
    expect(forms.length).toBeGreaterThanOrEqual(15);
    for (const [name, input] of forms) {
      const parsed = parseRsaKey(input, 'public', 'publicKey');
      expect({ name, format: parsed.format, bits: parsed.modulusBits }).toEqual({
        name,
        format: 'spki',
        bits: 2048,
      });
      expect(hex(parsed.der), name).toBe(rsa.spkiDer.toString('hex'));
    }
  });

  it('reports larger moduli exactly', () => {
    const { privateKey, publicKey } = testKeyPairOfKind('rsa-3072');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs1' }) as string;
    expect(parseRsaKey(pem, 'private', 'k').modulusBits).toBe(3072);
    const spki = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    expect(parseRsaKey(spki, 'public', 'k').modulusBits).toBe(3072);
  });

  it('returns a standalone copy of the DER', () => {
    const parsed = parseRsaKey(rsa.privateForms['bare Base64 PKCS#8']!, 'private', 'k');
    expect(parsed.der.byteOffset).toBe(0);
    expect(parsed.der.buffer.byteLength).toBe(parsed.der.byteLength);
  });
});

/** Assert a refusal: an InvalidRequestError for the field, naming the problem, repeating none of the key. */
function expectRefusal(input: string, kind: 'private' | 'public', reason: RegExp): void {
  let caught: unknown;
  try {
    parseRsaKey(input, kind, 'merchantKey');
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidRequestError);
  const error = caught as InvalidRequestError;
  expect(error.issues).toHaveLength(1);
  expect(error.issues[0]!.field).toBe('merchantKey');
  expect(error.message).toMatch(reason);
  expect(error.message).toMatch(/^Invalid request: merchantKey: /);
  expectNoKeyMaterial(error.message, input);
  expectNoKeyMaterial(JSON.stringify(error.toJSON()), input);
  expect(error.cause).toBeUndefined();
}

describe('parseRsaKey: refusals', () => {
  it('refuses a 1024-bit key, private or public, in any format', () => {
    const small = generateRsaFixture(1024);
    expectRefusal(small.privateForms['PEM PKCS#8']!, 'private', /1024-bit RSA key; at least 2048 bits/);
    expectRefusal(small.privateForms['bare Base64 PKCS#1']!, 'private', /1024-bit/);
    expectRefusal(small.publicForms['PEM SPKI (PUBLIC KEY)']!, 'public', /1024-bit/);
    expectRefusal(small.publicForms['PEM PKCS#1 (RSA PUBLIC KEY)']!, 'public', /1024-bit/);
  });

  it('refuses a public key where a private key is needed, and the reverse', () => {
    for (const input of Object.values(rsa.publicForms)) {
      expectRefusal(input, 'private', /is a public key; a private key is required/);
    }
    for (const input of Object.values(rsa.privateForms)) {
      expectRefusal(input, 'public', /is a private key; a public key is required/);
    }
  });

  it('refuses EC keys in PKCS#8, SEC1 (PEM and bare) and SPKI', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pkcs8 = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const sec1 = privateKey.export({ format: 'pem', type: 'sec1' }) as string;
    const spki = publicKey.export({ format: 'pem', type: 'spki' }) as string;
    expectRefusal(pkcs8, 'private', /is an EC key; an RSA key is required/);
    expectRefusal(pkcs8.replace(/PRIVATE KEY/g, 'RSA PRIVATE KEY'), 'private', /is an EC key/);
    expectRefusal(sec1, 'private', /is an EC key/);
    expectRefusal(pemBody(sec1), 'private', /is an EC key/);
    expectRefusal(spki, 'public', /is an EC key/);
    expectRefusal(pemBody(spki), 'public', /is an EC key/);
  });

  it('refuses Ed25519, X25519 and RSA-PSS keys by their algorithm', () => {
    const ed = generateKeyPairSync('ed25519');
    expectRefusal(
      ed.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
      'private',
      /is an Ed25519 key/,
    );
    expectRefusal(
      ed.publicKey.export({ format: 'pem', type: 'spki' }) as string,
      'public',
      /is an Ed25519 key/,
    );
    const x = generateKeyPairSync('x25519');
    expectRefusal(x.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), 'public', /X25519/);
    const pss = testKeyPairOfKind('rsa-pss');
    expectRefusal(pss.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, 'private', /RSA-PSS/);
  });

  it('refuses encrypted keys: ENCRYPTED PRIVATE KEY, bare EncryptedPrivateKeyInfo, legacy Proc-Type', () => {
    const encrypted = rsa.privateKey.export({
      format: 'pem',
      type: 'pkcs8',
      cipher: 'aes-256-cbc',
      passphrase: 'correct horse',
    }) as string;
    expectRefusal(
      encrypted,
      'private',
      /is an encrypted private key \(ENCRYPTED PRIVATE KEY\); decrypt it first/,
    );
    expectRefusal(pemBody(encrypted), 'private', /is an encrypted private key/);
    const legacy = rsa.privateKey.export({
      format: 'pem',
      type: 'pkcs1',
      cipher: 'aes-256-cbc',
      passphrase: 'correct horse',
    }) as string;
    expect(legacy).toContain('Proc-Type: 4,ENCRYPTED');
    expectRefusal(legacy, 'private', /is an encrypted private key \(Proc-Type/);
  });

  it('refuses certificates, labelled or bare', () => {
    // The shape of an X.509 certificate: tbsCertificate, signatureAlgorithm, signature BIT STRING.
    const oid = new Uint8Array([TAG.OID, 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]);
    const certificate = encodeElement(
      TAG.SEQUENCE,
      encodeElement(TAG.SEQUENCE, new Uint8Array([0xa0, 3, 2, 1, 2]), new Uint8Array([TAG.INTEGER, 1, 7])),
      encodeElement(TAG.SEQUENCE, oid),
      encodeElement(TAG.BIT_STRING, new Uint8Array(257)),
    );
    const body = Buffer.from(certificate).toString('base64');
    expectRefusal(
      `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`,
      'public',
      /X\.509 certificate/,
    );
    expectRefusal(body, 'public', /is an X\.509 certificate, not a key/);
    expectRefusal(`-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----`, 'public', /certificate/);
  });

  it.each([
    ['empty', '', /is empty/],
    ['only whitespace', ' \r\n\t ', /is empty/],
    ['empty quotes', '""', /is empty/],
    ['only escaped newlines', '\\n\\n', /is empty/],
  ])('refuses an %s input', (_name, input, reason) => {
    expectRefusal(input, 'private', reason);
  });

  it('refuses text that is neither PEM nor Base64, and a PEM body that is not Base64', () => {
    expectRefusal('this is not a key!', 'private', /neither PEM .* nor valid Base64 DER/);
    expectRefusal('{"kty":"RSA","n":"abc"}', 'private', /neither PEM/);
    expectRefusal(
      '-----BEGIN PRIVATE KEY-----\nMIIE$$$$\n-----END PRIVATE KEY-----',
      'private',
      /PEM body that is not valid Base64/,
    );
    expectRefusal('ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC user@host', 'public', /OpenSSH public key/);
  });

  it('refuses PEM framing problems and unsupported labels', () => {
    const pem = rsa.privateForms['PEM PKCS#8']!;
    expectRefusal(
      pem.replace(/-----END PRIVATE KEY-----\n?/, ''),
      'private',
      /no "-----END PRIVATE KEY-----" line/,
    );
    expectRefusal(
      pem.replace('END PRIVATE KEY', 'END RSA PRIVATE KEY'),
      'private',
      /no "-----END PRIVATE KEY-----"/,
    );
    expectRefusal(pem.replace(/PRIVATE KEY/g, 'DSA PRIVATE KEY'), 'private', /DSA key/);
    expectRefusal(pem.replace(/PRIVATE KEY/g, 'OPENSSH PRIVATE KEY'), 'private', /OpenSSH format/);
    expectRefusal(pem.replace(/PRIVATE KEY/g, 'PGP PRIVATE KEY BLOCK'), 'private', /unsupported PEM label/);
  });

  it('refuses truncated DER, from PEM and bare Base64, at many cut points', () => {
    const der = rsa.pkcs8Der;
    for (const cut of [1, 2, 4, 30, 200, der.length - 100, der.length - 1]) {
      const truncated = der.subarray(0, cut).toString('base64');
      expectRefusal(truncated, 'private', /is not a complete, valid key: .*truncated.*copied in full/);
      expectRefusal(
        `-----BEGIN PRIVATE KEY-----\n${truncated}\n-----END PRIVATE KEY-----`,
        'private',
        /truncated/,
      );
    }
    const spki = rsa.spkiDer;
    expectRefusal(spki.subarray(0, spki.length - 10).toString('base64'), 'public', /truncated/);
  });

  it('refuses extra bytes after the key, and data that is not DER', () => {
    const padded = Buffer.concat([rsa.pkcs8Der, Buffer.from([0, 0])]).toString('base64');
    expectRefusal(padded, 'private', /unexpected bytes after the end of the key/);
    expectRefusal(
      Buffer.from('hello world, not DER').toString('base64'),
      'private',
      /not an ASN\.1 DER structure/,
    );
    // A SEQUENCE of three small INTEGERs: DER, but no key.
    const odd = encodeElement(TAG.SEQUENCE, new Uint8Array([2, 1, 1, 2, 1, 2, 2, 1, 3]));
    expectRefusal(Buffer.from(odd).toString('base64'), 'private', /not a recognisable RSA key structure/);
  });
});
