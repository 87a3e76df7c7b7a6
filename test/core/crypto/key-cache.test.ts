import * as nodeCrypto from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createForgeCryptoProvider } from '../../../src/core/crypto/forge';
import { createKeyCache, KEY_CACHE_LIMIT } from '../../../src/core/crypto/key-cache';
import * as keys from '../../../src/core/crypto/keys';
import { createNodeCryptoProvider, type NodeCryptoModule } from '../../../src/core/crypto/node';
import { createWebCryptoProvider } from '../../../src/core/crypto/web';
import { generateRsaFixture, type RsaFixture, referenceHmac, referenceSign } from './fixtures';

// Every provider reaches the key parsers through the keys module (public keys through the verify-only
// parser): wrap both to count parses.
vi.mock('../../../src/core/crypto/keys', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/core/crypto/keys')>();
  return {
    ...original,
    parseRsaKey: vi.fn(original.parseRsaKey),
    parsePublicRsaKey: vi.fn(original.parsePublicRsaKey),
  };
});
const parseRsaKey = vi.mocked(keys.parseRsaKey);
const parsePublicRsaKey = vi.mocked(keys.parsePublicRsaKey);
const parses = () => parseRsaKey.mock.calls.length + parsePublicRsaKey.mock.calls.length;
function clearParses(): void {
  parseRsaKey.mockClear();
  parsePublicRsaKey.mockClear();
}

let rsa: RsaFixture;
let privatePem: string;
let publicPem: string;
beforeAll(() => {
  rsa = generateRsaFixture();
  privatePem = rsa.privateForms['PEM PKCS#1 (RSA PRIVATE KEY)']!;
  publicPem = rsa.publicForms['bare Base64 SPKI']!;
});

/** node:crypto with its key constructors counted. */
function countingNodeCrypto() {
  const counts = { createSecretKey: 0, createPrivateKey: 0, createPublicKey: 0 };
  const wrapped: NodeCryptoModule = {
    ...nodeCrypto,
    createSecretKey: ((...args: Parameters<typeof nodeCrypto.createSecretKey>) => {
      counts.createSecretKey++;
      return (nodeCrypto.createSecretKey as (...a: unknown[]) => nodeCrypto.KeyObject)(...args);
    }) as typeof nodeCrypto.createSecretKey,
    createPrivateKey: (input) => {
      counts.createPrivateKey++;
      return nodeCrypto.createPrivateKey(input);
    },
    createPublicKey: (input) => {
      counts.createPublicKey++;
      return nodeCrypto.createPublicKey(input);
    },
  };
  return { wrapped, counts };
}

describe('key caching', () => {
  it('node: each key string is parsed and imported once, however many calls use it', async () => {
    const { wrapped, counts } = countingNodeCrypto();
    const provider = createNodeCryptoProvider(wrapped);
    clearParses();
    for (let i = 0; i < 5; i++) {
      const data = `order-${i}`;
      const signature = await provider.rsaSha256Sign(privatePem, data);
      expect(signature).toBe(referenceSign(rsa.privateKey, data));
      expect(await provider.rsaSha256Verify(publicPem, data, signature)).toBe(true);
      expect(await provider.hmacSha256Base64Url('api-key', data)).toBe(referenceHmac('api-key', data));
    }
    expect(counts).toEqual({ createSecretKey: 1, createPrivateKey: 1, createPublicKey: 1 });
    expect(parses()).toBe(2);

    // A different string for the same key is a different cache entry.
    await provider.rsaSha256Sign(rsa.privateForms['PEM PKCS#8']!, 'x');
    expect(counts.createPrivateKey).toBe(2);
    expect(parses()).toBe(3);
  });

  it('node: the cache is bounded and drops the oldest key first', async () => {
    const { wrapped, counts } = countingNodeCrypto();
    const provider = createNodeCryptoProvider(wrapped);
    for (let i = 0; i <= KEY_CACHE_LIMIT; i++) await provider.hmacSha256Base64Url(`key-${i}`, 'd');
    expect(counts.createSecretKey).toBe(KEY_CACHE_LIMIT + 1);
    await provider.hmacSha256Base64Url(`key-${KEY_CACHE_LIMIT}`, 'd'); // newest: still cached
    expect(counts.createSecretKey).toBe(KEY_CACHE_LIMIT + 1);
    expect(await provider.hmacSha256Base64Url('key-0', 'd')).toBe(referenceHmac('key-0', 'd')); // evicted
    expect(counts.createSecretKey).toBe(KEY_CACHE_LIMIT + 2);
  });

  it('node: a key that fails to parse is not cached, and throws again', async () => {
    const provider = createNodeCryptoProvider();
    clearParses();
    await expect(provider.rsaSha256Sign('garbage!', 'x')).rejects.toThrow(/privateKey/);
    await expect(provider.rsaSha256Sign('garbage!', 'x')).rejects.toThrow(/privateKey/);
    expect(parses()).toBe(2);
  });

  it('web: concurrent first calls share one import; later calls import nothing', async () => {
    const subtle = globalThis.crypto.subtle;
    const importKey = vi.fn(subtle.importKey.bind(subtle));
    const wrapped = Object.assign(Object.create(subtle) as SubtleCrypto, {
      importKey,
      sign: subtle.sign.bind(subtle),
      verify: subtle.verify.bind(subtle),
    });
    const provider = createWebCryptoProvider(wrapped);
    clearParses();
    const signatures = await Promise.all(
      Array.from({ length: 8 }, (_, i) => provider.rsaSha256Sign(privatePem, `order-${i}`)),
    );
    expect(signatures).toEqual(signatures.map((_, i) => referenceSign(rsa.privateKey, `order-${i}`)));
    await Promise.all(Array.from({ length: 8 }, () => provider.hmacSha256Base64Url('api-key', 'd')));
    await Promise.all(signatures.map((s, i) => provider.rsaSha256Verify(publicPem, `order-${i}`, s)));
    await provider.rsaSha256Sign(privatePem, 'later');
    expect(importKey).toHaveBeenCalledTimes(3);
    expect(parses()).toBe(2);
  });

  it('web: a failed import is forgotten, so the next call tries again', async () => {
    const provider = createWebCryptoProvider();
    clearParses();
    await expect(provider.rsaSha256Verify('bad', 'x', 'AAAA')).rejects.toThrow(/publicKey/);
    await expect(provider.rsaSha256Verify('bad', 'x', 'AAAA')).rejects.toThrow(/publicKey/);
    expect(parses()).toBe(2);
  });

  it('forge: each key string is parsed once', async () => {
    const provider = createForgeCryptoProvider();
    clearParses();
    for (let i = 0; i < 3; i++) {
      const signature = await provider.rsaSha256Sign(privatePem, `o${i}`);
      expect(await provider.rsaSha256Verify(publicPem, `o${i}`, signature)).toBe(true);
    }
    expect(parses()).toBe(2);
  });
});

describe('createKeyCache', () => {
  it('keeps at most the limit, evicting in insertion order; re-setting a key does not evict', () => {
    const cache = createKeyCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('b', 3);
    expect([cache.get('a'), cache.get('b')]).toEqual([1, 3]);
    cache.set('c', 4);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 3, 4]);
    cache.delete('b');
    expect(cache.get('b')).toBeUndefined();
  });
});
