/**
 * Tests written against mutants of src/jwt-gateway/signing.ts that survived the rest of the suite
 * (MUTATION.md lists each one): exact payloads, exact refusals (class, field, rule) and the exact input
 * handed to the HMAC.
 */
import { describe, expect, it } from 'vitest';
import type { HmacSha256 } from '../../src/core/crypto/types';
import { InvalidRequestError } from '../../src/core/errors';
import { JWT_HS256_HEADER, jwtGatewayPayload, signJwtGatewayParams } from '../../src/jwt-gateway/signing';

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidRequestError)
      return { invalid: error.issues, cause: error.cause !== undefined };
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

describe('jwtGatewayPayload', () => {
  it('is the header of {"alg":"HS256","typ":"JWT"}', () => {
    expect(Buffer.from(JWT_HS256_HEADER, 'base64url').toString('utf8')).toBe('{"alg":"HS256","typ":"JWT"}');
  });

  it('leaves out signature and iat only, sorted', () => {
    expect(jwtGatewayPayload({ z: 1, signature: 's', iat: 5, exp: 9, nbf: 3, a: 'x', signatures: 2 })).toBe(
      '{"a":"x","exp":9,"nbf":3,"signatures":2,"z":1}',
    );
  });

  it('keeps a __proto__ parameter as an own field, never as the prototype', () => {
    const params = JSON.parse('{"__proto__":{"polluted":1},"b":2}') as Record<string, unknown>;
    expect(jwtGatewayPayload(params)).toBe('{"__proto__":{"polluted":1},"b":2}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses non-numeric iat, exp and nbf, naming the claim; numbers and absent claims pass', () => {
    for (const claim of ['iat', 'exp', 'nbf']) {
      expect(refusal(() => jwtGatewayPayload({ [claim]: '5' }))).toEqual({
        invalid: [{ field: claim, rule: 'must be a number of seconds (a registered JWT claim)' }],
        cause: false,
      });
      expect(refusal(() => jwtGatewayPayload({ [claim]: null }))).toEqual({
        invalid: [{ field: claim, rule: 'must be a number of seconds (a registered JWT claim)' }],
        cause: false,
      });
    }
    expect(jwtGatewayPayload({ exp: 1, iat: 2, nbf: 3 })).toBe('{"exp":1,"nbf":3}');
    expect(jwtGatewayPayload({ exp: undefined })).toBe('{}');
  });

  it('refuses what is not a plain object, and what JSON cannot write, with the cause', () => {
    const notObject = {
      invalid: [{ field: 'params', rule: 'must be a plain object of request parameters' }],
      cause: false,
    };
    expect(refusal(() => jwtGatewayPayload(null as never))).toEqual(notObject);
    expect(refusal(() => jwtGatewayPayload([] as never))).toEqual(notObject);
    expect(refusal(() => jwtGatewayPayload('a' as never))).toEqual(notObject);
    expect(refusal(() => jwtGatewayPayload({ big: 10n }))).toEqual({
      invalid: [{ field: 'params', rule: 'must be JSON-serialisable (no BigInt, no cycles)' }],
      cause: true,
    });
  });
});

describe('signJwtGatewayParams', () => {
  it('HMACs header.payload with the API key and appends the result', async () => {
    const calls: Array<[string, string]> = [];
    const crypto: HmacSha256 = {
      async hmacSha256Base64Url(key, data) {
        calls.push([key, data]);
        return 'MAC';
      },
    };
    const payload = Buffer.from('{"a":1}', 'utf8').toString('base64url');
    await expect(signJwtGatewayParams({ a: 1, signature: 'x' }, 'api-key', crypto)).resolves.toBe(
      `${JWT_HS256_HEADER}.${payload}.MAC`,
    );
    expect(calls).toStrictEqual([['api-key', `${JWT_HS256_HEADER}.${payload}`]]);
  });

  it('refuses an empty or non-string API key before anything is signed', async () => {
    const calls: string[] = [];
    const crypto: HmacSha256 = {
      async hmacSha256Base64Url(key) {
        calls.push(key);
        return 'MAC';
      },
    };
    const bad = { invalid: [{ field: 'apiKey', rule: 'must be a non-empty string' }] };
    expect(await asyncRefusal(() => signJwtGatewayParams({ a: 1 }, '', crypto))).toEqual(bad);
    expect(await asyncRefusal(() => signJwtGatewayParams({ a: 1 }, 5 as never, crypto))).toEqual(bad);
    expect(await asyncRefusal(() => signJwtGatewayParams({ a: 1 }, undefined as never, crypto))).toEqual(bad);
    expect(calls).toStrictEqual([]);
  });
});
