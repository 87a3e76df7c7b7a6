import { beforeAll, describe, expect, it } from 'vitest';
import { createForgeCryptoProvider } from '../../../src/core/crypto/forge';
import { createNodeCryptoProvider } from '../../../src/core/crypto/node';
import { createWebCryptoProvider } from '../../../src/core/crypto/web';
import { generateRsaFixture, type RsaFixture, referenceSign, referenceVerify } from './fixtures';

let rsa: RsaFixture;
beforeAll(() => {
  rsa = generateRsaFixture();
});

const providers = [createNodeCryptoProvider(), createWebCryptoProvider(), createForgeCryptoProvider()];
const data = 'amount=100.00&appId=1001&currency=THB&orderId=ORD-ก-1&key=secret';

describe.each(providers)('every key format on the $name provider', (provider) => {
  it('signs identically with every private-key form', async () => {
    const expected = referenceSign(rsa.privateKey, data);
    const forms = Object.entries(rsa.privateForms);
    expect(forms.length).toBeGreaterThanOrEqual(15);
    for (const [name, key] of forms) {
      expect({ name, signature: await provider.rsaSha256Sign(key, data) }).toEqual({
        name,
        signature: expected,
      });
    }
  });

  it('verifies with every public-key form, and refuses a wrong signature with each', async () => {
    const signature = referenceSign(rsa.privateKey, data);
    expect(referenceVerify(rsa.publicKey, data, signature)).toBe(true);
    for (const [name, key] of Object.entries(rsa.publicForms)) {
      expect({ name, ok: await provider.rsaSha256Verify(key, data, signature) }).toEqual({ name, ok: true });
      expect({ name, ok: await provider.rsaSha256Verify(key, `${data}x`, signature) }).toEqual({
        name,
        ok: false,
      });
    }
  });
});
