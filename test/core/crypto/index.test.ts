import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createForgeCryptoProvider,
  createNodeCryptoProvider,
  createWebCryptoProvider,
  getDefaultCryptoProvider,
  getDefaultHmac,
  parseRsaKey,
  setDefaultCryptoProvider,
} from '../../../src/core/crypto/index';
import type { CryptoProvider } from '../../../src/core/crypto/types';
import { ThaiPayError } from '../../../src/core/errors';
import { referenceHmac } from './fixtures';

afterEach(() => {
  setDefaultCryptoProvider(undefined);
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('getDefaultCryptoProvider', () => {
  it('is the node provider on Node, and the same instance every time', async () => {
    const provider = getDefaultCryptoProvider();
    expect(provider.name).toBe('node');
    expect(getDefaultCryptoProvider()).toBe(provider);
    expect(await provider.hmacSha256Base64Url('k', 'd')).toBe(referenceHmac('k', 'd'));
  });

  it('is overridden by setDefaultCryptoProvider, and undefined restores detection', () => {
    const web = createWebCryptoProvider();
    setDefaultCryptoProvider(web);
    expect(getDefaultCryptoProvider()).toBe(web);
    setDefaultCryptoProvider(undefined);
    expect(getDefaultCryptoProvider().name).toBe('node');
  });

  it('falls back to web without process.getBuiltinModule; without crypto.subtle, node-forge is opt-in', async () => {
    vi.spyOn(process, 'getBuiltinModule').mockImplementation(() => {
      throw new Error('No such built-in module');
    });
    setDefaultCryptoProvider(undefined);
    expect(getDefaultCryptoProvider().name).toBe('web');

    vi.stubGlobal('process', undefined);
    setDefaultCryptoProvider(undefined);
    expect(getDefaultCryptoProvider().name).toBe('web');

    vi.stubGlobal('crypto', {});
    setDefaultCryptoProvider(undefined);
    // Detection never picks node-forge (it would enter every bundle); the error says how to opt in.
    expect(() => getDefaultCryptoProvider()).toThrow(/createForgeCryptoProvider/);
    setDefaultCryptoProvider(createForgeCryptoProvider());
    const forge = getDefaultCryptoProvider();
    expect(forge.name).toBe('forge');
    vi.unstubAllGlobals();
    expect(await forge.hmacSha256Base64Url('k', 'd')).toBe(referenceHmac('k', 'd'));
  });
});

describe('the factories', () => {
  it('are re-exported with their names', () => {
    const made: CryptoProvider[] = [
      createNodeCryptoProvider(),
      createWebCryptoProvider(),
      createForgeCryptoProvider(),
    ];
    expect(made.map((p) => p.name)).toEqual(['node', 'web', 'forge']);
    expect(typeof parseRsaKey).toBe('function');
  });

  it('say clearly when their runtime support is missing', () => {
    vi.stubGlobal('process', undefined);
    expect(() => createNodeCryptoProvider()).toThrow(ThaiPayError);
    expect(() => createNodeCryptoProvider()).toThrow(/node:crypto is not available/);
    vi.stubGlobal('crypto', {});
    expect(() => createWebCryptoProvider()).toThrow(
      /crypto\.subtle is not available.*createForgeCryptoProvider/,
    );
  });
});

describe('getDefaultHmac', () => {
  it('detects HMAC alone (node:crypto on Node) and matches createHmac', async () => {
    const hmac = getDefaultHmac();
    expect(getDefaultHmac()).toBe(hmac);
    expect(await hmac.hmacSha256Base64Url('k', 'data')).toBe(referenceHmac('k', 'data'));
  });

  it('follows the provider set with setDefaultCryptoProvider, and detection again after undefined', async () => {
    const detected = getDefaultHmac();
    const web = createWebCryptoProvider();
    setDefaultCryptoProvider(web);
    expect(getDefaultHmac()).toBe(web);
    setDefaultCryptoProvider(undefined);
    expect(getDefaultHmac()).not.toBe(web);
    expect(getDefaultHmac()).not.toBe(detected); // detected afresh, as the provider is
    expect(await getDefaultHmac().hmacSha256Base64Url('k', 'd')).toBe(referenceHmac('k', 'd'));
  });

  it('uses the provider getDefaultCryptoProvider detected, once there is one', () => {
    const provider = getDefaultCryptoProvider();
    expect(getDefaultHmac()).toBe(provider);
  });

  it('falls back to crypto.subtle, and without it names the opt-in', async () => {
    vi.stubGlobal('process', undefined);
    setDefaultCryptoProvider(undefined);
    const hmac = getDefaultHmac();
    // Detection is done; vitest's own worker needs `process` while the test awaits.
    vi.unstubAllGlobals();
    expect(await hmac.hmacSha256Base64Url('', 'd')).toBe(referenceHmac('', 'd'));
    vi.stubGlobal('process', undefined);
    vi.stubGlobal('crypto', {});
    setDefaultCryptoProvider(undefined);
    expect(() => getDefaultHmac()).toThrow(/createForgeCryptoProvider/);
  });
});
