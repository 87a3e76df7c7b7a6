import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortedKeys, sortParams } from '../../src/core/canonical';

/** Reference order: compare UTF-16 code units one by one, a shorter prefix first. */
function compareCodeUnits(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = a.charCodeAt(i) - b.charCodeAt(i);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

/** The JWT gateway's documented code, verbatim in spirit. */
function gatewaySortedParams(params: Record<string, unknown>): Record<string, unknown> {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(params).sort()) sorted[key] = params[key];
  return sorted;
}

const isIntegerLike = (key: string) => /^(0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;

const keyArbitrary = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    'amount',
    'appId',
    'Amount',
    'orderId',
    'order_id',
    'ชื่อ',
    'จำนวนเงิน',
    'ก',
    'ฮ',
    'a',
    'Z',
    '_',
  ),
  fc.nat({ max: 1000 }).map(String),
);

const paramsArbitrary = fc
  .dictionary(keyArbitrary, fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), {
    maxKeys: 20,
  })
  .filter((params) => !Object.hasOwn(params, '__proto__'));

describe('sortedKeys', () => {
  it('sorts by UTF-16 code units, not by locale', () => {
    expect(sortedKeys({ orderId: 1, amount: 2, Zeta: 3, appId: 4, _x: 5 })).toEqual([
      'Zeta',
      '_x',
      'amount',
      'appId',
      'orderId',
    ]);
    // localeCompare would put "a" before "B" and "é" next to "e".
    expect(sortedKeys({ a: 1, B: 2, é: 3, f: 4 })).toEqual(['B', 'a', 'f', 'é']);
    // Code units, not code points: U+FF5E sorts after the surrogate pair of U+1F600.
    expect(sortedKeys({ '\uFF5E': 1, '😀': 2 })).toEqual(['😀', '\uFF5E']);
    expect(sortedKeys({ '10': 1, '9': 2, '1': 3 })).toEqual(['1', '10', '9']);
  });

  it('orders Thai keys by code unit, consonants in alphabet order', () => {
    expect(sortedKeys({ ฮ: 1, ข: 2, ก: 3, amount: 4 })).toEqual(['amount', 'ก', 'ข', 'ฮ']);
    // A leading vowel (เ U+0E40) sorts after every consonant, whatever a Thai dictionary says.
    expect(sortedKeys({ เงิน: 1, ฮ: 2 })).toEqual(['ฮ', 'เงิน']);
  });

  it('matches the reference code-unit comparator for any keys', () => {
    fc.assert(
      fc.property(paramsArbitrary, (params) => {
        const keys = sortedKeys(params);
        expect(keys).toEqual([...Object.keys(params)].sort(compareCodeUnits));
        for (let i = 1; i < keys.length; i++) expect(compareCodeUnits(keys[i - 1], keys[i])).toBeLessThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on insertion order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(keyArbitrary, { maxLength: 15 }).filter((keys) => !keys.includes('__proto__')),
        (keys) => {
          const forward = Object.fromEntries(keys.map((k) => [k, 1]));
          const backward = Object.fromEntries([...keys].reverse().map((k) => [k, 1]));
          expect(sortedKeys(forward)).toEqual(sortedKeys(backward));
        },
      ),
    );
  });

  it('ignores symbol and non-enumerable keys', () => {
    const params: Record<string, unknown> = { b: 1, a: 2 };
    Object.defineProperty(params, 'hidden', { value: 3, enumerable: false });
    (params as Record<symbol, unknown>)[Symbol('s')] = 4;
    expect(sortedKeys(params)).toEqual(['a', 'b']);
  });
});

describe('sortParams', () => {
  it('returns a fresh object in sorted order with the same values', () => {
    const params = { type: 'QR', amount: 1000, merchantId: 'm1', nested: { z: 1, a: 2 } };
    const sorted = sortParams(params);
    expect(sorted).not.toBe(params);
    expect(Object.keys(sorted)).toEqual(['amount', 'merchantId', 'nested', 'type']);
    expect(JSON.stringify(sorted)).toBe(
      '{"amount":1000,"merchantId":"m1","nested":{"z":1,"a":2},"type":"QR"}',
    );
    expect(sorted.nested).toBe(params.nested);
    expect(Object.keys(params)).toEqual(['type', 'amount', 'merchantId', 'nested']);
  });

  it('lists integer-like keys first, as JavaScript objects (and the gateway) do', () => {
    const sorted = sortParams({ b: 1, '10': 2, a: 3, '9': 4 });
    expect(Object.keys(sorted)).toEqual(['9', '10', 'a', 'b']);
    expect(JSON.stringify(sorted)).toBe(JSON.stringify(gatewaySortedParams({ b: 1, '10': 2, a: 3, '9': 4 })));
  });

  it('serialises exactly like the gateway documented code for any params', () => {
    fc.assert(
      fc.property(paramsArbitrary, (params) => {
        const sorted = sortParams(params);
        expect(JSON.stringify(sorted)).toBe(JSON.stringify(gatewaySortedParams(params)));
        const keys = Object.keys(sorted);
        const integerKeys = keys.filter(isIntegerLike);
        // integer-like keys first, in numeric order; then the rest in code-unit order
        expect(integerKeys).toEqual([...integerKeys].sort((a, b) => Number(a) - Number(b)));
        expect(keys).toEqual([...integerKeys, ...sortedKeys(params).filter((k) => !isIntegerLike(k))]);
        expect(sorted).toEqual(params);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a "__proto__" field received in JSON as an ordinary field', () => {
    const params = JSON.parse('{"b":1,"__proto__":{"polluted":true},"a":2}') as Record<string, unknown>;
    const sorted = sortParams(params);
    expect(Object.keys(sorted)).toEqual(['__proto__', 'a', 'b']);
    expect(Object.getPrototypeOf(sorted)).toBe(Object.prototype);
    expect(JSON.stringify(sorted)).toBe('{"__proto__":{"polluted":true},"a":2,"b":1}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('keeps undefined values (JSON.stringify drops them later)', () => {
    const sorted = sortParams({ b: undefined, a: 1 });
    expect(Object.keys(sorted)).toEqual(['a', 'b']);
    expect(JSON.stringify(sorted)).toBe('{"a":1}');
  });
});
