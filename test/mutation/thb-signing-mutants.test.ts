/**
 * Tests written against mutants of src/thb-collect/signing.ts that survived the rest of the suite
 * (MUTATION.md lists each one). They pin exact sign strings, exact refusals and the exact arguments handed
 * to the crypto provider, so a dropped check or a flipped comparison fails here.
 */
import { describe, expect, it } from 'vitest';
import type { CryptoProvider } from '../../src/core/crypto';
import { InvalidRequestError } from '../../src/core/errors';
import {
  signThbParams,
  thbSignedFields,
  thbSignString,
  thbSignStringAmbiguity,
  verifyThbParams,
} from '../../src/thb-collect/signing';
import { MERCHANT_PRIVATE_PEM, MERCHANT_PUBLIC_PEM, SECRET_KEY } from '../thb-collect/helpers';

/** The refusal `run` throws, as plain data: its class and every field/rule it names. */
function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidRequestError) return { invalid: error.issues };
    return { other: error instanceof Error ? error.name : String(error) };
  }
  return 'no error';
}

async function asyncRefusal(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    if (error instanceof InvalidRequestError) return { invalid: error.issues };
    return { other: error instanceof Error ? error.name : String(error) };
  }
  return 'no error';
}

/** A crypto provider that records what it is asked and answers `verifies` to every check. */
function recordingCrypto(verifies: boolean): {
  crypto: CryptoProvider;
  calls: Array<{ op: string; key: string; text: string; signature?: string }>;
} {
  const calls: Array<{ op: string; key: string; text: string; signature?: string }> = [];
  const crypto = {
    async rsaSha256Sign(key: string, text: string) {
      calls.push({ op: 'sign', key, text });
      return 'SIGNED';
    },
    async rsaSha256Verify(key: string, text: string, signature: string) {
      calls.push({ op: 'verify', key, text, signature });
      return verifies;
    },
  } as unknown as CryptoProvider;
  return { crypto, calls };
}

describe('thbSignString: value text and refusals', () => {
  it('writes booleans, bigints, finite numbers and objects exactly', () => {
    expect(
      thbSignString({ b: true, c: false, d: 10n, e: 12.5, f: { x: [1, 'y'] }, g: [1, 2], h: 0 }, 'k'),
    ).toBe('b=true&c=false&d=10&e=12.5&f={"x":[1,"y"]}&g=[1,2]&h=0&key=k');
  });

  it('refuses non-finite numbers, cycles, functions and symbols, naming the field', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(refusal(() => thbSignString({ amount: Number.NaN }, 'k'))).toEqual({
      invalid: [{ field: 'params.amount', rule: 'must be a finite number' }],
    });
    expect(refusal(() => thbSignString({ amount: Number.POSITIVE_INFINITY }, 'k'))).toEqual({
      invalid: [{ field: 'params.amount', rule: 'must be a finite number' }],
    });
    expect(refusal(() => thbSignString({ data: cycle }, 'k'))).toEqual({
      invalid: [{ field: 'params.data', rule: 'must be JSON-serialisable' }],
    });
    expect(refusal(() => thbSignString({ fn: () => 1 }, 'k'))).toEqual({
      invalid: [{ field: 'params.fn', rule: 'must be a string, number, boolean or JSON value' }],
    });
    expect(refusal(() => thbSignString({ s: Symbol('x') }, 'k'))).toEqual({
      invalid: [{ field: 'params.s', rule: 'must be a string, number, boolean or JSON value' }],
    });
  });

  it('refuses what is not a plain object of parameters, and an empty or missing secret key', () => {
    const params = { invalid: [{ field: 'params', rule: 'must be a plain object of parameters' }] };
    expect(refusal(() => thbSignString(null as never, 'k'))).toEqual(params);
    expect(refusal(() => thbSignString([] as never, 'k'))).toEqual(params);
    expect(refusal(() => thbSignString('a=1' as never, 'k'))).toEqual(params);
    const secret = {
      invalid: [{ field: 'secretKey', rule: 'must be a non-empty string (the merchant secret key)' }],
    };
    expect(refusal(() => thbSignString({ a: 1 }, ''))).toEqual(secret);
    expect(refusal(() => thbSignString({ a: 1 }, 5 as never))).toEqual(secret);
  });

  it('keeps 0 and false, which are not empty', () => {
    expect(thbSignString({ a: 0, b: false, c: '', d: null }, 'k')).toBe('a=0&b=false&key=k');
  });
});

describe('thbSignedFields', () => {
  it('keeps every non-empty field but sign and sign_type, in their own order', () => {
    expect(
      thbSignedFields({ z: 'z', sign: 'x', a: 0, sign_type: 'RSA', e: '', n: null, u: undefined, f: false }),
    ).toStrictEqual({ z: 'z', a: 0, f: false });
  });
});

describe('thbSignStringAmbiguity: only cuts that make another valid sign string', () => {
  it('names a field name that is empty or holds "&" or "="', () => {
    expect(thbSignStringAmbiguity({ '': 'x' })).toBe('the field name "" is empty or holds "&" or "="');
    expect(thbSignStringAmbiguity({ 'a&b': 'x' })).toBe('the field name "a&b" is empty or holds "&" or "="');
    expect(thbSignStringAmbiguity({ 'a=b': 'x' })).toBe('the field name "a=b" is empty or holds "&" or "="');
  });

  it('names a value that cannot be text', () => {
    expect(thbSignStringAmbiguity({ amount: Number.NaN })).toBe('"amount" is not text');
  });

  it('names the cut, with the exact split point', () => {
    expect(thbSignStringAmbiguity({ currency: 'THB&fee=3.00' })).toBe(
      'the value of "currency" holds "&fee=", which could be a field of its own',
    );
    // A cut inside a non-string value counts too: its JSON text is what is signed.
    expect(thbSignStringAmbiguity({ a: { v: 'x&b=1' }, c: '1' })).toBe(
      'the value of "a" holds "&b=", which could be a field of its own',
    );
    // The first cut that fits is named, after ones that do not.
    expect(thbSignStringAmbiguity({ b: 'x&a=1&c=2', d: '1' })).toBe(
      'the value of "b" holds "&c=", which could be a field of its own',
    );
  });

  it('accepts a cut naming the field itself, or the next field (a field cannot appear twice)', () => {
    expect(thbSignStringAmbiguity({ currency: 'THB&currency=x' })).toBeUndefined();
    expect(thbSignStringAmbiguity({ a: 'x&b=1', b: '2' })).toBeUndefined();
  });

  it('accepts a cut naming sign or sign_type, which no sign string holds', () => {
    expect(thbSignStringAmbiguity({ a: 'x&sign=1', z: '1' })).toBeUndefined();
    expect(thbSignStringAmbiguity({ a: 'x&sign_type=1', z: '1' })).toBeUndefined();
  });

  it('refuses a cut in the last field for any later name, and accepts earlier names', () => {
    expect(thbSignStringAmbiguity({ m: 'x&z=1' })).toBe(
      'the value of "m" holds "&z=", which could be a field of its own',
    );
    expect(thbSignStringAmbiguity({ m: 'x&a=1' })).toBeUndefined();
  });

  it('needs a name between "&" and "=": "&=" and "&&" are no cut', () => {
    expect(thbSignStringAmbiguity({ a: 'x&=1&&=2', z: '1' })).toBeUndefined();
    expect(thbSignStringAmbiguity({ a: 'x&b', z: '1' })).toBeUndefined();
    expect(thbSignStringAmbiguity({ a: 'x=b&', z: '1' })).toBeUndefined();
  });

  it('reads multi-character names whole', () => {
    // "&mm=" sorts between "m" and "n"; a one-character read ("&m=") would not.
    expect(thbSignStringAmbiguity({ m: 'x&mm=1', n: '1' })).toBe(
      'the value of "m" holds "&mm=", which could be a field of its own',
    );
  });

  it('ignores fields that are not signed', () => {
    expect(thbSignStringAmbiguity({ a: '1', sign: 'x&b=1', sign_type: 'x&b=1', e: '' })).toBeUndefined();
  });
});

describe('signThbParams', () => {
  it('signs the sign string with the private key, through the provider', async () => {
    const { crypto, calls } = recordingCrypto(true);
    await expect(
      signThbParams({ b: '2', a: 1, sign: 'old' }, { secretKey: 's', privateKey: 'PK' }, crypto),
    ).resolves.toBe('SIGNED');
    expect(calls).toStrictEqual([{ op: 'sign', key: 'PK', text: 'a=1&b=2&key=s' }]);
  });

  it('refuses a missing, blank or non-string private key, and missing keys', async () => {
    const { crypto, calls } = recordingCrypto(true);
    const bad = {
      invalid: [{ field: 'privateKey', rule: 'must be the merchant RSA private key (PEM or Base64 DER)' }],
    };
    expect(
      await asyncRefusal(() => signThbParams({ a: 1 }, { secretKey: 's', privateKey: '' }, crypto)),
    ).toEqual(bad);
    expect(
      await asyncRefusal(() => signThbParams({ a: 1 }, { secretKey: 's', privateKey: ' \n ' }, crypto)),
    ).toEqual(bad);
    expect(
      await asyncRefusal(() => signThbParams({ a: 1 }, { secretKey: 's', privateKey: 7 as never }, crypto)),
    ).toEqual(bad);
    expect(await asyncRefusal(() => signThbParams({ a: 1 }, undefined as never, crypto))).toEqual({
      invalid: [{ field: 'secretKey', rule: 'must be a non-empty string (the merchant secret key)' }],
    });
    expect(calls).toStrictEqual([]);
  });
});

describe('verifyThbParams', () => {
  const keys = { secretKey: 's', publicKey: 'PUB' };

  it('checks the sign string against the signature with the public key', async () => {
    const { crypto, calls } = recordingCrypto(true);
    await expect(
      verifyThbParams({ b: '2', a: 1, sign: 'SIG', sign_type: 'RSA' }, keys, crypto),
    ).resolves.toBe(true);
    expect(calls).toStrictEqual([{ op: 'verify', key: 'PUB', text: 'a=1&b=2&key=s', signature: 'SIG' }]);
  });

  it('is false without a string signature even when the provider would say yes, yet checks the key', async () => {
    for (const sign of [undefined, '', 5, null]) {
      const { crypto, calls } = recordingCrypto(true);
      await expect(verifyThbParams({ a: 1, sign }, keys, crypto)).resolves.toBe(false);
      expect(calls).toStrictEqual([{ op: 'verify', key: 'PUB', text: 'a=1&key=s', signature: '' }]);
    }
  });

  it('is false when the provider says no', async () => {
    const { crypto } = recordingCrypto(false);
    await expect(verifyThbParams({ a: 1, sign: 'SIG' }, keys, crypto)).resolves.toBe(false);
  });

  it('is false, without asking the provider, for fields that are not a plain object, ambiguous or not text', async () => {
    const { crypto, calls } = recordingCrypto(true);
    await expect(verifyThbParams(null as never, keys, crypto)).resolves.toBe(false);
    await expect(verifyThbParams([] as never, keys, crypto)).resolves.toBe(false);
    await expect(verifyThbParams({ currency: 'THB&fee=3.00', sign: 'SIG' }, keys, crypto)).resolves.toBe(
      false,
    );
    await expect(verifyThbParams({ amount: Number.NaN, sign: 'SIG' }, keys, crypto)).resolves.toBe(false);
    expect(calls).toStrictEqual([]);
  });

  it('refuses unusable keys as configuration errors, naming them', async () => {
    const { crypto } = recordingCrypto(true);
    const publicKey = {
      invalid: [{ field: 'publicKey', rule: 'must be an RSA public key (PEM or Base64 DER)' }],
    };
    expect(
      await asyncRefusal(() => verifyThbParams({ a: 1 }, { secretKey: 's', publicKey: '' }, crypto)),
    ).toEqual(publicKey);
    expect(
      await asyncRefusal(() => verifyThbParams({ a: 1 }, { secretKey: 's', publicKey: '  ' }, crypto)),
    ).toEqual(publicKey);
    expect(
      await asyncRefusal(() => verifyThbParams({ a: 1 }, { secretKey: 's', publicKey: 1 as never }, crypto)),
    ).toEqual(publicKey);
    expect(await asyncRefusal(() => verifyThbParams({ a: 1 }, undefined as never, crypto))).toEqual({
      invalid: [{ field: 'secretKey', rule: 'must be a non-empty string (the merchant secret key)' }],
    });
  });

  it('round-trips with real keys through the default provider', async () => {
    const params = { appId: 1054, orderId: 'M1', amount: '100.00' };
    const sign = await signThbParams(params, { secretKey: SECRET_KEY, privateKey: MERCHANT_PRIVATE_PEM });
    await expect(
      verifyThbParams({ ...params, sign }, { secretKey: SECRET_KEY, publicKey: MERCHANT_PUBLIC_PEM }),
    ).resolves.toBe(true);
    await expect(
      verifyThbParams(
        { ...params, amount: '100.01', sign },
        { secretKey: SECRET_KEY, publicKey: MERCHANT_PUBLIC_PEM },
      ),
    ).resolves.toBe(false);
  });
});
