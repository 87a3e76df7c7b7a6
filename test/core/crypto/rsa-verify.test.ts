/**
 * The verify-only crypto path (src/core/crypto/rsa-verify.ts) that `verifyThbNotification` uses: the same
 * answers as a full provider on node:crypto and crypto.subtle, the same key refusals, and the default
 * choice following `setDefaultCryptoProvider` like `getDefaultHmac` does.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createWebCryptoProvider,
  getDefaultCryptoProvider,
  getDefaultRsaVerifier,
  setDefaultCryptoProvider,
} from '../../../src/core/crypto';
import { cryptoUnavailable } from '../../../src/core/crypto/defaults';
import { parsePublicRsaKey, parseRsaKey } from '../../../src/core/crypto/keys';
import { loadNodeCrypto } from '../../../src/core/crypto/node-module';
import { createNodeRsaVerifier, createWebRsaVerifier } from '../../../src/core/crypto/rsa-verify';
import type { RsaSha256Verifier } from '../../../src/core/crypto/types';
import { InvalidRequestError, ThaiPayError } from '../../../src/core/errors';
import { generateRsaFixture, type RsaFixture, referenceSign } from './fixtures';

let rsa: RsaFixture;
beforeAll(() => {
  rsa = generateRsaFixture();
});
afterEach(() => {
  setDefaultCryptoProvider(undefined);
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function issues(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return (error as InvalidRequestError).issues;
  }
  throw new Error('expected a refusal');
}

describe('parsePublicRsaKey', () => {
  it('reads every public form exactly as parseRsaKey does', () => {
    for (const [form, key] of Object.entries(rsa.publicForms)) {
      expect(parsePublicRsaKey(key, 'k'), form).toEqual(parseRsaKey(key, 'public', 'k'));
    }
  });

  it('refuses every private form with the same words, naming the field, without reading it', () => {
    for (const [form, key] of Object.entries(rsa.privateForms)) {
      expect(
        issues(() => parsePublicRsaKey(key, 'platformPublicKey')),
        form,
      ).toEqual([
        {
          field: 'platformPublicKey',
          rule: 'is a private key; a public key is required here (a private key must never be shared)',
        },
      ]);
      expect(
        issues(() => parseRsaKey(key, 'public', 'platformPublicKey')),
        form,
      ).toEqual(issues(() => parsePublicRsaKey(key, 'platformPublicKey')));
    }
  });
});

describe('createNodeRsaVerifier and createWebRsaVerifier', () => {
  const verifiers: [string, () => RsaSha256Verifier][] = [
    ['node', () => createNodeRsaVerifier(loadNodeCrypto()!)],
    ['web', () => createWebRsaVerifier(globalThis.crypto.subtle)],
  ];

  it.each(verifiers)(
    '%s: true for a good signature only; a bad key rejects, naming publicKey',
    async (_, make) => {
      const { rsaSha256Verify } = make();
      const publicKey = rsa.publicForms['PEM SPKI (PUBLIC KEY)']!;
      const signature = referenceSign(rsa.privateKey, 'appId=1&key=s');
      expect(await rsaSha256Verify(publicKey, 'appId=1&key=s', signature)).toBe(true);
      expect(await rsaSha256Verify(publicKey, 'appId=2&key=s', signature)).toBe(false);
      expect(await rsaSha256Verify(publicKey, 'appId=1&key=s', 'not base64!')).toBe(false);
      expect(await rsaSha256Verify(publicKey, 'appId=1&key=s', undefined as unknown as string)).toBe(false);
      await expect(rsaSha256Verify('bad', 'x', signature)).rejects.toThrow(/publicKey/);
      await expect(rsaSha256Verify(rsa.privateForms['PEM PKCS#8']!, 'x', signature)).rejects.toThrow(
        /is a private key/,
      );
    },
  );
});

describe('getDefaultRsaVerifier', () => {
  it('is the chosen provider when there is one, else one detected alone, once', async () => {
    const web = createWebCryptoProvider();
    setDefaultCryptoProvider(web);
    expect(getDefaultRsaVerifier()).toBe(web);

    setDefaultCryptoProvider(undefined);
    const detected = getDefaultRsaVerifier();
    expect(detected).not.toBe(web);
    expect(getDefaultRsaVerifier()).toBe(detected);
    const signature = referenceSign(rsa.privateKey, 'd');
    expect(await detected.rsaSha256Verify(rsa.publicForms['bare Base64 SPKI']!, 'd', signature)).toBe(true);

    // A provider detected later (by a client) is used from then on; a new choice drops the detected one.
    const provider = getDefaultCryptoProvider();
    expect(getDefaultRsaVerifier()).toBe(provider);
    setDefaultCryptoProvider(undefined);
    expect(getDefaultRsaVerifier()).not.toBe(detected);
  });
});

describe('getDefaultRsaVerifier: detection', () => {
  it('node:crypto on Node (crypto.subtle untouched), crypto.subtle without it, and the opt-in named without either', async () => {
    const signature = referenceSign(rsa.privateKey, 'd');
    const key = rsa.publicForms['PEM SPKI (PUBLIC KEY)']!;
    const subtleVerify = vi.spyOn(globalThis.crypto.subtle, 'verify');
    expect(await getDefaultRsaVerifier().rsaSha256Verify(key, 'd', signature)).toBe(true);
    expect(subtleVerify).not.toHaveBeenCalled();

    vi.stubGlobal('process', undefined);
    setDefaultCryptoProvider(undefined);
    const web = getDefaultRsaVerifier();
    // Detection is done; vitest's own worker needs `process` while the test awaits.
    vi.unstubAllGlobals();
    expect(await web.rsaSha256Verify(key, 'd', signature)).toBe(true);
    expect(subtleVerify).toHaveBeenCalledTimes(1);

    vi.stubGlobal('process', undefined);
    for (const crypto of [{}, undefined]) {
      vi.stubGlobal('crypto', crypto);
      setDefaultCryptoProvider(undefined);
      expect(() => getDefaultRsaVerifier()).toThrow(/createForgeCryptoProvider/);
    }
  });
});

describe('the error of a runtime without crypto', () => {
  it('is a ThaiPayError with its code and the opt-in, word for word', () => {
    const error = cryptoUnavailable();
    expect(error).toBeInstanceOf(ThaiPayError);
    expect(error.code).toBe('crypto_unavailable');
    expect(error.message).toBe(
      'This runtime has neither node:crypto nor crypto.subtle (browsers expose crypto.subtle only on https ' +
        'or localhost pages). Serve the page securely, or opt in to the pure-JavaScript fallback: ' +
        "import { setDefaultCryptoProvider, createForgeCryptoProvider } from 'thaipay'; " +
        'setDefaultCryptoProvider(createForgeCryptoProvider());',
    );
  });
});
