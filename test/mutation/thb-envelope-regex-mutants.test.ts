/**
 * Tests written against the regular-expression mutants of src/thb-collect/envelope.ts (MUTATION.md): each
 * message below sits on one edge of a pattern (a space count, a word boundary, a distance, an optional
 * suffix), so a pattern that matches more or less than it should gives another answer here.
 */
import { describe, expect, it } from 'vitest';
import { DuplicateOrderError, ThaiPayError } from '../../src/core/errors';
import { readThbEnvelope } from '../../src/thb-collect/envelope';
import { classifyThbRefusal } from '../../src/thb-collect/errors';

type Operation = 'create' | 'query' | 'read';

const x = (n: number) => 'x'.repeat(n);

const CASES: ReadonlyArray<readonly [string, Operation, ReturnType<typeof classifyThbRefusal>]> = [
  // Duplicates (creates only).
  ['duplicate', 'create', 'duplicate'],
  ['DUPLICATED entry', 'create', 'duplicate'],
  ['orderexists', 'create', 'duplicate'],
  ['order   exists', 'create', 'duplicate'],
  ['order id exists', 'create', 'duplicate'],
  ['orderIdexist', 'create', 'duplicate'],
  ['order no  exist', 'create', 'duplicate'],
  ['order has already exists', 'create', 'duplicate'],
  ['order has  already  exists', 'create', 'duplicate'],
  ['order existsfoo', 'create', 'other'],
  ['order hasexists', 'create', 'other'],
  ['already exists', 'create', 'duplicate'],
  ['already   exist', 'create', 'duplicate'],
  ['already been used', 'create', 'duplicate'],
  ['already  been  submitted', 'create', 'duplicate'],
  ['alreadyused', 'create', 'other'],
  ['already usedup', 'create', 'other'],
  ['already beenused', 'create', 'other'],
  ['order was a repeat', 'create', 'duplicate'],
  [`order${x(23)} repeat`, 'create', 'duplicate'],
  [`order${x(24)} repeat`, 'create', 'other'],
  ['orderrepeat', 'create', 'other'],
  ['repeat order', 'create', 'duplicate'],
  ['repeated order', 'create', 'duplicate'],
  [`repeated ${x(23)}order`, 'create', 'duplicate'],
  [`repeated ${x(24)}order`, 'create', 'other'],
  ['repeatedly order', 'create', 'other'],
  ['unrepeated order', 'create', 'other'],
  ['订单重复', 'create', 'duplicate'],
  ['已存在', 'create', 'duplicate'],
  // Not found (queries only), unless something else is missing.
  ['order not exist', 'query', 'not_found'],
  ['order not  be  exists', 'query', 'not_found'],
  ['order notfound', 'query', 'other'],
  ['order not foundry', 'query', 'other'],
  ['order not existence', 'query', 'other'],
  ['order does not exist', 'query', 'not_found'],
  ["order doesn't exist", 'query', 'not_found'],
  ['order doesnot exist', 'query', 'not_found'],
  ['order does  not  exist', 'query', 'not_found'],
  ['no such order', 'query', 'not_found'],
  ['no  such  order', 'query', 'not_found'],
  ['nonexistent order', 'query', 'not_found'],
  ['non-existent order', 'query', 'not_found'],
  ['订单不存在', 'query', 'not_found'],
  ['订单未找到', 'query', 'not_found'],
  ['查无此单', 'query', 'not_found'],
  ['order not found for appid', 'query', 'other'],
  ['order not found for app id', 'query', 'other'],
  ['order not found in app', 'query', 'other'],
  ['order not found: happy path', 'query', 'not_found'],
  ['order not found: keyboard', 'query', 'not_found'],
  ['order not found: wrong key', 'query', 'other'],
  ['order not found: bank', 'query', 'other'],
  ['order not found: user', 'query', 'other'],
  ['order not found: account', 'query', 'other'],
  ['order not found: channel', 'query', 'other'],
  ['order not found: merchant', 'query', 'other'],
  ['商户订单不存在', 'query', 'other'],
  ['商家不存在', 'query', 'other'],
  ['通道不存在', 'query', 'other'],
  ['密钥不存在', 'query', 'other'],
  ['应用不存在', 'query', 'other'],
  // Signature refusals (any operation).
  ['sign error', 'read', 'signature'],
  ['signature invalid', 'read', 'signature'],
  ['signing failed', 'read', 'signature'],
  [`sign ${x(25)} wrong`, 'read', 'signature'],
  [`sign ${x(29)} wrong`, 'read', 'other'],
  ['signed error', 'read', 'other'],
  ['design error', 'read', 'other'],
  ['sign incorrect', 'read', 'signature'],
  ['sign mismatch', 'read', 'signature'],
  ['sign illegal', 'read', 'signature'],
  ['sign not  match', 'read', 'signature'],
  ['sign notmatch', 'read', 'other'],
  ['sign verification', 'read', 'signature'],
  ['invalid signature', 'read', 'signature'],
  ['wrong  sign', 'read', 'signature'],
  ['bad sign', 'read', 'signature'],
  ['illegal sign', 'read', 'signature'],
  ['incorrect signature', 'read', 'signature'],
  ['invalid signs', 'read', 'other'],
  ['invalidsign', 'read', 'other'],
  ['签名错误', 'read', 'signature'],
  ['验签失败', 'read', 'signature'],
];

describe('classifyThbRefusal on the edges of its patterns', () => {
  it.each(CASES)('%j on a %s is %s', (msg, operation, expected) => {
    expect(classifyThbRefusal(msg, operation)).toBe(expected);
  });
});

describe('readThbEnvelope: the table key', () => {
  function code(error: string): string {
    try {
      readThbEnvelope(
        { status: 200, headers: new Headers(), body: { status: '0', msg: 'x', error }, attempts: 1 },
        { path: '/p', operation: 'create', orderId: 'M1', secrets: [] },
      );
    } catch (thrown) {
      if (thrown instanceof DuplicateOrderError) return `duplicate:${thrown.providerCode}`;
      if (thrown instanceof ThaiPayError) return thrown.code;
    }
    return 'no error';
  }

  it('is digits only, from start to end, 1 to 12 of them', () => {
    expect(code('4005')).toBe('duplicate:4005');
    expect(code('4005 ')).toBe('api_error');
    expect(code('4005\n')).toBe('api_error');
    expect(code(' 4005')).toBe('api_error');
    expect(code('x4005')).toBe('api_error');
    expect(code('4005x')).toBe('api_error');
    expect(code('')).toBe('api_error');
    expect(code('000000004005')).toBe('duplicate:000000004005');
    expect(code('0000000004005')).toBe('api_error');
  });
});
