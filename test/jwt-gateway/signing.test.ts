import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { createWebCryptoProvider } from '../../src/core/crypto';
import { InvalidRequestError } from '../../src/core/errors';
import { JWT_HS256_HEADER, jwtGatewayPayload, signJwtGatewayParams } from '../../src/jwt-gateway/signing';

/** The provider's documented code, verbatim in spirit: sort keys into a fresh object, sign with jsonwebtoken. */
function providerSign(params: Record<string, unknown>, apiKey: string): string {
  const sortedParams: Record<string, unknown> = {};
  for (const key of Object.keys(params).sort()) {
    if (key !== 'signature') sortedParams[key] = params[key];
  }
  return jwt.sign(sortedParams, apiKey, { algorithm: 'HS256', noTimestamp: true });
}

const docParams = {
  merchantId: 'your_merchant_id',
  transactionId: 'unique_transaction_id',
  bankAccountNumber: '1234567890',
  bankName: 'KBANK',
  name: 'John Doe',
  amount: 1000,
  callbackUrl: 'https://your-domain.com/callback',
  type: 'QR',
  timestamp: 1640995200,
};

// Keys the registered-claim rules of jsonwebtoken treat specially are covered separately below.
const paramKey = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 12 }),
    fc.constantFrom('0', '1', '10', '2', 'amount', 'ก', 'a_b'),
  )
  // jsonwebtoken itself breaks on names of Object.prototype members ("valueOf" → "validator.isValid is
  // not a function"), so those cannot be compared against it.
  .filter((k) => !['iat', 'exp', 'nbf', 'signature'].includes(k) && !(k in Object.prototype));
const paramValue = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string(),
  fc.constant(''),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: 1, max: 10_000_000 }).map((s) => s / 100),
  fc.boolean(),
  fc.constant(null),
);

describe('signJwtGatewayParams', () => {
  it('matches jsonwebtoken on the document example', async () => {
    const apiKey = 'test-api-key';
    const ours = await signJwtGatewayParams(docParams, apiKey);
    expect(ours).toBe(providerSign(docParams, apiKey));
    expect(ours.startsWith(`${JWT_HS256_HEADER}.`)).toBe(true);
  });

  it('is byte-identical to jsonwebtoken for random parameter sets (node and web crypto)', async () => {
    const web = createWebCryptoProvider();
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(paramKey, paramValue, { maxKeys: 12 }),
        fc.string({ minLength: 1, maxLength: 64 }),
        async (params, apiKey) => {
          const expected = providerSign(params, apiKey);
          expect(await signJwtGatewayParams(params, apiKey)).toBe(expected);
          expect(await signJwtGatewayParams(params, apiKey, web)).toBe(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('leaves the signature field out and orders integer-like keys as JavaScript does', async () => {
    const params = { b: 1, 10: 'ten', a: 'x', 2: 'two', signature: 'stale' };
    expect(jwtGatewayPayload(params)).toBe('{"2":"two","10":"ten","a":"x","b":1}');
    expect(await signJwtGatewayParams(params, 'k')).toBe(providerSign(params, 'k'));
  });

  it('drops iat like jsonwebtoken under noTimestamp and refuses claims jsonwebtoken refuses', async () => {
    expect(await signJwtGatewayParams({ a: 1, iat: 5 }, 'k')).toBe(providerSign({ a: 1, iat: 5 }, 'k'));
    expect(() => providerSign({ exp: 'soon' }, 'k')).toThrow();
    await expect(signJwtGatewayParams({ exp: 'soon' }, 'k')).rejects.toThrow(InvalidRequestError);
  });

  it('signs with HMAC-SHA256 of the signing input, checked with node:crypto directly', async () => {
    const token = await signJwtGatewayParams(docParams, 'key-1');
    const [h, p, s] = token.split('.');
    expect(s).toBe(createHmac('sha256', 'key-1').update(`${h}.${p}`).digest('base64url'));
    expect(JSON.parse(Buffer.from(p, 'base64url').toString())).toEqual(docParams);
  });

  it('refuses an empty key and non-object params before signing', async () => {
    await expect(signJwtGatewayParams(docParams, '')).rejects.toThrow(/apiKey/);
    await expect(signJwtGatewayParams([] as unknown as Record<string, unknown>, 'k')).rejects.toThrow(
      InvalidRequestError,
    );
    await expect(signJwtGatewayParams({ big: 10n }, 'k')).rejects.toThrow(/JSON-serialisable/);
  });
});
