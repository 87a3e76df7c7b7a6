import { createPrivateKey } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CryptoProvider, createWebCryptoProvider } from '../../src/core/crypto';
import { InvalidRequestError } from '../../src/core/errors';
import {
  signThbParams,
  thbSignString,
  thbSignStringAmbiguity,
  verifyThbParams,
} from '../../src/thb-collect/signing';
import { couldBeMerged } from '../helpers/resplit';
import {
  bareBase64,
  loadVectors,
  MERCHANT_PRIVATE_PEM,
  MERCHANT_PUBLIC_PEM,
  PLATFORM,
  referenceSignString,
  referenceVerify,
  SECRET_KEY,
  STRANGER,
} from './helpers';

const merchantKeys = { secretKey: SECRET_KEY, privateKey: MERCHANT_PRIVATE_PEM };
const merchantPublic = { secretKey: SECRET_KEY, publicKey: MERCHANT_PUBLIC_PEM };

describe('thbSignString', () => {
  it('sorts by code unit, leaves out empty values, sign and sign_type, appends the key', () => {
    expect(
      thbSignString(
        {
          orderId: 'M1',
          appId: 1054,
          notifyUrl: '',
          body: null,
          subject: undefined,
          Zeta: 'z',
          sign: 'old',
          sign_type: 'RSA2',
        },
        'secret',
      ),
    ).toBe('Zeta=z&appId=1054&orderId=M1&key=secret');
  });

  it('writes values as plain text: no URL-encoding, no trimming, booleans, numbers, JSON for objects', () => {
    expect(
      thbSignString(
        {
          url: 'https://m.example/a?b=c&d=%20e',
          name: '  two  spaces ',
          flag: true,
          off: false,
          ratio: 12.5,
          zero: 0,
          big: 10n,
          nested: { b: 1, a: ['x'] },
        },
        'k',
      ),
    ).toBe(
      'big=10&flag=true&name=  two  spaces &nested={"b":1,"a":["x"]}&off=false&ratio=12.5&url=https://m.example/a?b=c&d=%20e&zero=0&key=k',
    );
  });

  it('puts "10" before "9" (code units, not numbers) and capitals before lower case', () => {
    expect(thbSignString({ 9: 'n', 10: 't', a: 'a', B: 'b' }, 'k')).toBe('10=t&9=n&B=b&a=a&key=k');
  });

  it('refuses an empty secret key and values that have no text form', () => {
    expect(() => thbSignString({ a: '1' }, '')).toThrow(InvalidRequestError);
    expect(() => thbSignString({ a: Number.NaN }, 'k')).toThrow(/params\.a/);
    expect(() => thbSignString({ a: Number.POSITIVE_INFINITY }, 'k')).toThrow(/finite/);
    expect(() => thbSignString({ a: () => 1 }, 'k')).toThrow(InvalidRequestError);
    expect(() => thbSignString(null as unknown as Record<string, unknown>, 'k')).toThrow(/params/);
  });

  it('equals an independent implementation for any parameters', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1 }),
          fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant('')),
        ),
        fc.string({ minLength: 1 }),
        (params, secret) => {
          // __proto__ as a dictionary key would not be an own property of a literal; skip it.
          fc.pre(!Object.hasOwn(params, '__proto__'));
          expect(thbSignString(params, secret)).toBe(referenceSignString(params, secret));
        },
      ),
    );
  });
});

describe.each(['node-vectors.json', 'java-vectors.json'] as const)('interop vectors from %s', (file) => {
  const vectors = loadVectors(file);

  it('has the cases, Thai and astral text included, and values holding "&name=" that still verify', () => {
    expect(
      vectors
        .filter((v) => Object.values(v.params).some((x) => /&[^&=]+=/.test(String(x))))
        .map((v) => v.name),
    ).toStrictEqual([
      'document collection apply',
      'payout with Thai and astral text',
      'spaces kept, no trimming, no URL-encoding',
    ]);
    // None could be a merge of other fields (their query names sort elsewhere), so none is refused.
    expect(vectors.filter((v) => couldBeMerged(v.params))).toStrictEqual([]);
    expect(vectors.length).toBeGreaterThanOrEqual(10);
    expect(vectors.some((v) => /[\u0E00-\u0E7F]/.test(v.signString))).toBe(true);
    expect(vectors.some((v) => /\uD83D\uDE00/.test(v.signString))).toBe(true);
  });

  for (const vector of vectors) {
    it(`matches "${vector.name}": same sign string, same signature, verifies both ways`, async () => {
      expect(thbSignString(vector.params, vector.secretKey)).toBe(vector.signString);
      const ours = await signThbParams(vector.params, {
        secretKey: vector.secretKey,
        privateKey: MERCHANT_PRIVATE_PEM,
      });
      // PKCS#1 v1.5 is deterministic: an independent signer must give the very same bytes.
      expect(ours).toBe(vector.signature);
      // Verifying refuses fields that could be a merge of other signed fields (a value holding "&name="
      // where that name sorts between its neighbours): the same sign string verifies both readings.
      const resplittable = couldBeMerged(vector.params);
      await expect(
        verifyThbParams(
          { ...vector.params, sign: vector.signature },
          { secretKey: vector.secretKey, publicKey: MERCHANT_PUBLIC_PEM },
        ),
      ).resolves.toBe(!resplittable);
      expect(referenceVerify(vector.params, ours, MERCHANT_PUBLIC_PEM, vector.secretKey)).toBe(true);
    });
  }
});

describe('signThbParams', () => {
  const params = { appId: 1054, orderId: 'M22222000028', subject: 'ชำระเงิน 😀' };

  it('makes a signature node:crypto verifies over the reference sign string', async () => {
    const sign = await signThbParams(params, merchantKeys);
    expect(sign).toMatch(/^[A-Za-z0-9+/]{342}==$/);
    expect(referenceVerify(params, sign)).toBe(true);
    expect(referenceVerify({ ...params, orderId: 'M2' }, sign)).toBe(false);
  });

  it('accepts the key as bare Base64, as PKCS#1 PEM and with escaped newlines, all signing alike', async () => {
    const expected = await signThbParams(params, merchantKeys);
    const pkcs1 = createPrivateKey(MERCHANT_PRIVATE_PEM).export({ type: 'pkcs1', format: 'pem' }).toString();
    for (const privateKey of [
      bareBase64(MERCHANT_PRIVATE_PEM),
      pkcs1,
      MERCHANT_PRIVATE_PEM.replace(/\n/g, '\\n'),
    ]) {
      await expect(signThbParams(params, { secretKey: SECRET_KEY, privateKey })).resolves.toBe(expected);
    }
  });

  it('signs alike on WebCrypto (edge runtimes, browsers)', async () => {
    const web = createWebCryptoProvider();
    const expected = await signThbParams(params, merchantKeys);
    await expect(signThbParams(params, merchantKeys, web)).resolves.toBe(expected);
    await expect(verifyThbParams({ ...params, sign: expected }, merchantPublic, web)).resolves.toBe(true);
  });

  it('refuses unusable keys with the option name, never echoing key material', async () => {
    await expect(signThbParams(params, { secretKey: '', privateKey: MERCHANT_PRIVATE_PEM })).rejects.toThrow(
      /secretKey/,
    );
    await expect(signThbParams(params, { secretKey: SECRET_KEY, privateKey: '' })).rejects.toThrow(
      /privateKey/,
    );
    const error = await signThbParams(params, {
      secretKey: SECRET_KEY,
      privateKey: MERCHANT_PUBLIC_PEM,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toMatch(/privateKey.*public key/);
    expect((error as Error).message).not.toContain(bareBase64(MERCHANT_PUBLIC_PEM).slice(40, 80));
  });
});

describe('verifyThbParams', () => {
  const data = { orderId: 'M1', orderNo: '6023042811314347', amount: '50000.00', status: 1 };

  it('is true for the signer, false for anything else, and never throws for a bad signature', async () => {
    const sign = await signThbParams(data, merchantKeys);
    await expect(verifyThbParams({ ...data, sign }, merchantPublic)).resolves.toBe(true);
    // sign_type is not covered, like sign.
    await expect(verifyThbParams({ ...data, sign, sign_type: 'RSA2' }, merchantPublic)).resolves.toBe(true);
    for (const tampered of [
      { ...data, sign, amount: '50001.00' },
      { ...data, sign, extra: 'x' },
      { orderId: 'M1', orderNo: data.orderNo, amount: data.amount, sign },
      { ...data },
      { ...data, sign: '' },
      { ...data, sign: 42 },
      { ...data, sign: 'not base64 $$$' },
      { ...data, sign: sign.slice(0, 100) },
      { ...data, sign: Buffer.from('x'.repeat(256)).toString('base64') },
    ]) {
      await expect(verifyThbParams(tampered, merchantPublic)).resolves.toBe(false);
    }
    await expect(verifyThbParams({ ...data, sign }, { ...merchantPublic, secretKey: 'other' })).resolves.toBe(
      false,
    );
    await expect(
      verifyThbParams({ ...data, sign }, { ...merchantPublic, publicKey: PLATFORM.publicPem }),
    ).resolves.toBe(false);
  });

  it('throws InvalidRequestError for a bad key, even when the sign is missing', async () => {
    for (const publicKey of [MERCHANT_PRIVATE_PEM, 'garbage', '']) {
      await expect(verifyThbParams({ ...data }, { secretKey: SECRET_KEY, publicKey })).rejects.toBeInstanceOf(
        InvalidRequestError,
      );
    }
    await expect(
      verifyThbParams({ ...data }, { secretKey: '', publicKey: STRANGER.publicPem }),
    ).rejects.toThrow(/secretKey/);
  });
});

describe('verifyThbParams and values holding "&name="', () => {
  const verify = async (params: Record<string, unknown>) =>
    verifyThbParams({ ...params, sign: await signThbParams(params, merchantKeys) }, merchantPublic);

  it('refuses a value that hides a field sorting between it and the next one (a merge)', async () => {
    // Genuine: { amount, currency: 'THB', fee: '3.00', orderId }; forged: fee moved into currency.
    await expect(verify({ amount: '100.00', currency: 'THB&fee=3.00', orderId: 'M1' })).resolves.toBe(false);
    // The last field has no next one: any later name is a possible merge.
    await expect(verify({ amount: '100.00', status: '2&zz=1' })).resolves.toBe(false);
  });

  it('accepts query strings whose names could not have been fields there (they sort elsewhere)', async () => {
    // "b" and "c" sort before "payUrl": no signed message puts them after it.
    await expect(
      verify({ orderId: 'M1', payUrl: 'https://pay.example/c?b=1&c=2', status: '1' }),
    ).resolves.toBe(true);
    // "orderNo" is present, so it cannot also be hidden inside "orderId".
    await expect(verify({ orderId: 'M1&orderNo=X', orderNo: 'P1', status: '1' })).resolves.toBe(true);
    // sign and sign_type are never in a sign string, so they cannot have been merged.
    await expect(verify({ payUrl: 'https://pay.example/?x=1&sign=abc', status: '1' })).resolves.toBe(true);
  });

  it('agrees with the independent check of test/helpers/resplit.ts on random shapes', async () => {
    const name = fc.constantFrom('amount', 'currency', 'fee', 'orderId', 'payUrl', 'status', 'zz', 'b');
    const value = fc
      .array(fc.oneof(name, fc.constantFrom('&', '=', 'x', '1')), { minLength: 1, maxLength: 6 })
      .map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(name, value, { minKeys: 1, maxKeys: 4 }), async (params) => {
        await expect(verify(params)).resolves.toBe(!couldBeMerged(params));
      }),
      { numRuns: 150 },
    );
  });
});

describe('verifyThbParams checks exactly thbSignString of what thbSignStringAmbiguity accepts', () => {
  /** A provider that records the text it is asked to verify and accepts every signature. */
  function recording(): { seen: string[]; crypto: CryptoProvider } {
    const seen: string[] = [];
    const refuse = async (): Promise<never> => {
      throw new Error('not used');
    };
    return {
      seen,
      crypto: {
        name: 'node',
        hmacSha256Base64Url: refuse,
        rsaSha256Sign: refuse,
        rsaSha256Verify: async (_key, data) => {
          seen.push(data);
          return true;
        },
      },
    };
  }

  /** Own properties only, `__proto__` included (as JSON.parse makes it). */
  function own(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of entries) {
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  it('on random fields: names with "&", "=", "__proto__" and "", values that are not text', async () => {
    // Upper-case names sort before `__proto__`, lower-case ones after it.
    const name = fc.constantFrom(
      'Z',
      'amount',
      'fee',
      'orderId',
      'zz',
      'b',
      '__proto__',
      '',
      'a&b',
      'x=y',
      'sign_type',
    );
    const value = fc.oneof(
      fc
        .array(fc.oneof(name, fc.constantFrom('&', '=', 'x', '1')), { minLength: 0, maxLength: 6 })
        .map((parts) => parts.join('')),
      fc.constantFrom<unknown>(null, undefined, '', 0, 12.5, Number.NaN, Number.POSITIVE_INFINITY, true, 10n),
      fc.constantFrom<unknown>({ a: 1 }, ['x&fee=1'], () => 1, Symbol('s')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(name, value), { maxLength: 5 }), async (entries) => {
        const params = own(entries);
        const { seen, crypto } = recording();
        let expected: string | undefined;
        if (thbSignStringAmbiguity(params) === undefined) {
          try {
            expected = thbSignString(params, SECRET_KEY);
          } catch {
            expected = undefined;
          }
        }
        const valid = await verifyThbParams({ ...params, sign: 'c2lnbg==' }, merchantPublic, crypto);
        expect(valid).toBe(expected !== undefined);
        expect(seen).toEqual(expected === undefined ? [] : [expected]);
      }),
      { numRuns: 400 },
    );
  });

  it('a __proto__ field is signed but, as in thbSignStringAmbiguity, neither checked nor the next field', async () => {
    const { seen, crypto } = recording();
    // Its own value is not checked for split points ("zz" would sort after it, with no field next)...
    const unchecked = own([
      ['A', '1'],
      ['__proto__', 'v&zz=1'],
    ]);
    expect(thbSignStringAmbiguity(unchecked)).toBeUndefined();
    await expect(verifyThbParams({ ...unchecked, sign: 'c2lnbg==' }, merchantPublic, crypto)).resolves.toBe(
      true,
    );
    expect(seen).toEqual([`A=1&__proto__=v&zz=1&key=${SECRET_KEY}`]);
    // ...and the field before it has no next field: "a" sorts after "Z", so "Z" could hide it.
    const hidden = own([
      ['Z', 'v&a=1'],
      ['__proto__', 'x'],
    ]);
    expect(thbSignStringAmbiguity(hidden)).toMatch(/"Z"/);
    await expect(verifyThbParams({ ...hidden, sign: 'c2lnbg==' }, merchantPublic, crypto)).resolves.toBe(
      false,
    );
    expect(seen).toHaveLength(1);
  });
});
