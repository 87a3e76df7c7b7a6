import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ApiError,
  THAIPAY_ERROR_CODES,
  ThaiPayError,
  type ThaiPayErrorCode,
  type ThaiPayErrorJSON,
  type ThaiPayErrorOptions,
} from '../../src/core/errors';
import * as jwtEntry from '../../src/jwt-gateway/index';
import { THB_ERROR_TABLE } from '../../src/thb-collect/errors';
import * as thbEntry from '../../src/thb-collect/index';

const SRC = join(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'cli' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Literals that look like codes but are not error codes, each with the reason. */
const NOT_ERROR_CODES = new Map([
  // zod issue codes (`ctx.issues.push({ code: 'custom' })`), not errors thaipay throws.
  ['jwt-gateway/schemas.ts:custom', 'a zod issue code'],
  ['jwt-gateway/schemas.ts:invalid_type', 'a zod issue code (the custom container checks)'],
  ['jwt-gateway/schemas.ts:invalid_value', 'a zod issue code (the custom enum check)'],
  ['thb-collect/schemas.ts:custom', 'a zod issue code (the cross-field checks)'],
]);

/** Every code literal an error of src can be built with: `code: '…'`, `… ?? '…'` defaults, `…_CODE = '…'` and the THB table's entries. */
function emittedCodes(): Set<string> {
  const found = new Set<string>();
  const patterns = [
    /\bcode:\s*'([a-z_]+)'/g,
    /\bcode \?\? '([a-z_]+)'/g,
    /_CODE = '([a-z_]+)'/g,
    /\bentry\(\s*'[a-z]+',\s*'([a-z_]+)'/g,
  ];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const where = relative(SRC, file);
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        if (!NOT_ERROR_CODES.has(`${where}:${match[1]}`)) found.add(match[1]!);
      }
    }
  }
  return found;
}

describe('ThaiPayErrorCode', () => {
  it('lists exactly the codes src emits, each once', () => {
    const emitted = emittedCodes();
    expect([...emitted].sort()).toEqual([...THAIPAY_ERROR_CODES].sort());
    expect(new Set(THAIPAY_ERROR_CODES).size).toBe(THAIPAY_ERROR_CODES.length);
  });

  it("includes every code of THB collect's error table", () => {
    for (const entry of Object.values(THB_ERROR_TABLE)) {
      expect(THAIPAY_ERROR_CODES as readonly string[]).toContain(entry.code);
    }
  });

  it('types err.code with the union, still a string at runtime', () => {
    const error = new ApiError('x', { code: 'rate_limited' });
    expectTypeOf(error.code).toEqualTypeOf<ThaiPayErrorCode>();
    expectTypeOf<ThaiPayErrorJSON['code']>().toEqualTypeOf<ThaiPayErrorCode>();
    expectTypeOf<NonNullable<ThaiPayErrorOptions['code']>>().toEqualTypeOf<ThaiPayErrorCode>();
    expectTypeOf<'rate_limited'>().toExtend<ThaiPayErrorCode>();
    expectTypeOf<'http_error'>().not.toExtend<ThaiPayErrorCode>();
    expectTypeOf<ThaiPayErrorCode>().toExtend<string>();
    // @ts-expect-error a code outside the union is refused at compile time
    new ThaiPayError('x', { code: 'http_error' });
    expect(typeof error.code).toBe('string');
    expect(error.toJSON().code).toBe('rate_limited');
  });

  it('is exported from both provider entries', () => {
    expect(jwtEntry.THAIPAY_ERROR_CODES).toBe(THAIPAY_ERROR_CODES);
    expect(thbEntry.THAIPAY_ERROR_CODES).toBe(THAIPAY_ERROR_CODES);
    expectTypeOf<jwtEntry.ThaiPayErrorCode>().toEqualTypeOf<ThaiPayErrorCode>();
    expectTypeOf<thbEntry.ThaiPayErrorCode>().toEqualTypeOf<ThaiPayErrorCode>();
  });
});
