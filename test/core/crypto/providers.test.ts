import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createForgeCryptoProvider } from '../../../src/core/crypto/forge';
import { createNodeCryptoProvider } from '../../../src/core/crypto/node';
import type { CryptoProvider } from '../../../src/core/crypto/types';
import { createWebCryptoProvider } from '../../../src/core/crypto/web';
import { InvalidRequestError } from '../../../src/core/errors';
import {
  anyText,
  EDGE_TEXTS,
  generateRsaFixture,
  type RsaFixture,
  referenceHmac,
  referenceSign,
  referenceVerify,
} from './fixtures';

let rsa: RsaFixture;
let other: RsaFixture;
let privatePem: string;
let publicPem: string;
beforeAll(() => {
  rsa = generateRsaFixture();
  other = generateRsaFixture();
  privatePem = rsa.privateForms['PEM PKCS#8']!;
  publicPem = rsa.publicForms['PEM SPKI (PUBLIC KEY)']!;
});

const providers: Record<CryptoProvider['name'], CryptoProvider> = {
  node: createNodeCryptoProvider(),
  web: createWebCryptoProvider(),
  forge: createForgeCryptoProvider(),
};
/** RSA in forge is pure JavaScript (tens of ms per signature): fewer random runs, same properties. */
const rsaRuns: Record<CryptoProvider['name'], number> = { node: 100, web: 60, forge: 12 };

/** Flip one bit of a standard-Base64 signature, keeping it valid Base64 of the same length. */
function flipBit(signature: string, bit: number): string {
  const bytes = Buffer.from(signature, 'base64');
  bytes[Math.floor(bit / 8) % bytes.length]! ^= 1 << (bit % 8);
  return bytes.toString('base64');
}

describe.each(Object.values(providers))('$name provider', (provider) => {
  it('has its name', () => {
    expect(['node', 'web', 'forge']).toContain(provider.name);
  });

  it('HMAC-SHA256 base64url equals node:crypto on random keys and data', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, anyText, async (key, data) => {
        expect(await provider.hmacSha256Base64Url(key, data)).toBe(referenceHmac(key, data));
      }),
      { numRuns: provider.name === 'forge' ? 60 : 200 },
    );
  });

  it('HMAC-SHA256 handles the edge cases: empty key, empty data, keys longer than a block', async () => {
    for (const key of ['', 'k', 'ก'.repeat(40), 'x'.repeat(64), 'x'.repeat(65), '\uD800']) {
      for (const data of EDGE_TEXTS) {
        expect(await provider.hmacSha256Base64Url(key, data)).toBe(referenceHmac(key, data));
      }
    }
  });

  it('RSA-SHA256 signatures equal node:crypto (PKCS#1 v1.5 is deterministic) and verify', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, async (data) => {
        const signature = await provider.rsaSha256Sign(privatePem, data);
        expect(signature).toBe(referenceSign(rsa.privateKey, data));
        expect(await provider.rsaSha256Verify(publicPem, data, signature)).toBe(true);
      }),
      { numRuns: rsaRuns[provider.name] },
    );
  });

  it('signs and verifies the edge-case texts', async () => {
    for (const data of EDGE_TEXTS) {
      const signature = await provider.rsaSha256Sign(privatePem, data);
      expect(referenceVerify(rsa.publicKey, data, signature)).toBe(true);
      expect(await provider.rsaSha256Verify(publicPem, data, signature)).toBe(true);
    }
  });

  it('refuses tampered data, a tampered signature and another key', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, anyText, fc.nat(2047), async (data, otherData, bit) => {
        const signature = referenceSign(rsa.privateKey, data);
        if (otherData !== data)
          expect(await provider.rsaSha256Verify(publicPem, otherData, signature)).toBe(false);
        expect(await provider.rsaSha256Verify(publicPem, data, flipBit(signature, bit))).toBe(false);
        const otherPublic = other.publicForms['PEM SPKI (PUBLIC KEY)']!;
        expect(await provider.rsaSha256Verify(otherPublic, data, signature)).toBe(false);
      }),
      { numRuns: rsaRuns[provider.name] },
    );
  });

  it('answers false, never throws, for malformed signatures', async () => {
    const data = 'amount=100.00&key=secret';
    const good = referenceSign(rsa.privateKey, data);
    const malformed = [
      '',
      '!!!!',
      'not base64 at all',
      'abc',
      '====',
      good.slice(0, -4),
      good.slice(4),
      `${good}AAAA`,
      `*${good.slice(1)}`,
      good.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '-'),
      Buffer.alloc(256).toString('base64'),
      Buffer.alloc(256, 0xff).toString('base64'),
      Buffer.alloc(512, 1).toString('base64'),
      undefined as unknown as string,
      null as unknown as string,
    ];
    for (const signature of malformed) {
      await expect(provider.rsaSha256Verify(publicPem, data, signature)).resolves.toBe(false);
    }
    // The control: the genuine signature verifies, also when a MIME encoder wrapped it in lines.
    expect(await provider.rsaSha256Verify(publicPem, data, good)).toBe(true);
    expect(await provider.rsaSha256Verify(publicPem, data, good.replace(/(.{76})/g, '$1\r\n'))).toBe(true);
  });

  it('rejects a bad key with InvalidRequestError, in sign and in verify', async () => {
    await expect(provider.rsaSha256Sign(publicPem, 'x')).rejects.toThrow(InvalidRequestError);
    await expect(provider.rsaSha256Sign(publicPem, 'x')).rejects.toThrow(/privateKey: is a public key/);
    await expect(provider.rsaSha256Verify(privatePem, 'x', 'AAAA')).rejects.toThrow(
      /publicKey: is a private key/,
    );
    await expect(provider.rsaSha256Sign('', 'x')).rejects.toThrow(/privateKey: is empty/);
  });
});

describe('cross-verification', () => {
  const names = Object.keys(providers) as CryptoProvider['name'][];
  const pairs = names.flatMap((signer) => names.map((verifier) => [signer, verifier] as const));

  it.each(pairs)('%s signs, %s verifies (and refuses a changed text)', async (signer, verifier) => {
    for (const data of EDGE_TEXTS) {
      const signature = await providers[signer].rsaSha256Sign(privatePem, data);
      expect(await providers[verifier].rsaSha256Verify(publicPem, data, signature)).toBe(true);
      expect(await providers[verifier].rsaSha256Verify(publicPem, `${data}.`, signature)).toBe(false);
    }
  });

  it('all providers give the same HMAC and the same signature for the same input', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, anyText, async (key, data) => {
        const macs = await Promise.all(names.map((n) => providers[n].hmacSha256Base64Url(key, data)));
        expect(new Set(macs).size).toBe(1);
      }),
      { numRuns: 50 },
    );
    const signatures = await Promise.all(
      names.map((n) => providers[n].rsaSha256Sign(privatePem, 'บาท=1.00')),
    );
    expect(new Set(signatures).size).toBe(1);
  });
});

describe('HS256 on the node provider', () => {
  it('equals createHmac(sha256, key).update(data).digest("base64url") with string arguments', async () => {
    const node = providers.node;
    await fc.assert(
      fc.asyncProperty(anyText, anyText, async (key, data) => {
        expect(await node.hmacSha256Base64Url(key, data)).toBe(
          createHmac('sha256', key).update(data).digest('base64url'),
        );
      }),
      { numRuns: 300 },
    );
    // The JWT of jwt.io's HS256 example, as a fixed point.
    const signingInput =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ';
    expect(await node.hmacSha256Base64Url('your-256-bit-secret', signingInput)).toBe(
      'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    );
  });
});
