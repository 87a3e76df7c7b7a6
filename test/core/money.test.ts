import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError, InvalidRequestError } from '../../src/core/errors';
import {
  formatBaht,
  MAX_EXACT_NUMBER_SATANG,
  parseAmount,
  parseProviderAmount,
  satangToNumber,
} from '../../src/core/money';

/** THB collect's documented QR and TrueMoney ranges (thb-collect/constants.ts has them as defaults). */
const THB_QR = { minSatang: 100, maxSatang: 800_000 };
const THB_TM = { minSatang: 100, maxSatang: 100_000 };

const field = 'amount';

function refusal(fn: () => unknown): InvalidRequestError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return error as InvalidRequestError;
  }
  throw new Error('expected an InvalidRequestError');
}

/** The exact decimal of `satang / 100`, without trailing zeros: the reference for satangToNumber. */
function canonicalDecimal(satang: number): string {
  const whole = Math.trunc(satang / 100);
  const cents = satang % 100;
  if (cents === 0) return String(whole);
  return `${whole}.${String(cents).padStart(2, '0')}`.replace(/0$/, '');
}

describe('parseAmount', () => {
  it.each([
    ['300', 30_000],
    ['300.00', 30_000],
    ['10.5', 1050],
    ['19.99', 1999],
    ['0.01', 1],
    ['  42.10\n', 4210],
    ['007', 700],
    [10.5, 1050],
    [19.99, 1999],
    [1000, 100_000],
    [0.07, 7],
    [1.1, 110],
    [8000, 800_000],
  ])('reads %j as %i satang', (input, satang) => {
    expect(parseAmount(input, { field })).toBe(satang);
  });

  it('reads numbers through their decimal text, never a float multiply', () => {
    // 19.99 * 100 = 1998.9999999999998 and 1.1 * 100 = 110.00000000000001: a multiply would be wrong.
    expect(19.99 * 100).not.toBe(1999);
    expect(parseAmount(19.99, { field })).toBe(1999);
    expect(parseAmount(0.29, { field })).toBe(29);
    expect(parseAmount(1.15, { field })).toBe(115);
  });

  it.each([
    ['0.1 + 0.2', 0.1 + 0.2],
    ['1e21', 1e21],
    ['1e-7', 1e-7],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['negative number', -5],
    ['3 decimals (number)', 1.234],
    ['3 decimals (string)', '1.234'],
    ['thousands separator', '1,000'],
    ['inner space', '1 000'],
    ['space before decimals', '10 .50'],
    ['exponent string', '1e3'],
    ['negative string', '-5'],
    ['leading +', '+5'],
    ['empty', ''],
    ['blank', '   '],
    ['trailing dot', '5.'],
    ['leading dot', '.5'],
    ['hex', '0x10'],
    ['currency sign', '฿100'],
    ['Thai digits', '๑๐๐'],
    ['full-width digits', '１００'],
    ['baht suffix', '100 THB'],
  ])('refuses %s', (_name, input) => {
    const error = refusal(() => parseAmount(input as number | string, { field }));
    expect(error.issues).toEqual([
      {
        field,
        rule: 'must be a positive amount in baht with at most 2 decimals, without thousands separators',
      },
    ]);
    expect(error.code).toBe('invalid_request');
  });

  it.each([null, undefined, true, {}, [], 100n, new Number(5), ['5']])(
    'refuses the non-amount %o',
    (input) => {
      const error = refusal(() => parseAmount(input as unknown as string, { field: 'payout.amount' }));
      expect(error.issues[0]?.field).toBe('payout.amount');
    },
  );

  it('treats -0 as 0', () => {
    expect(parseAmount(-0, { field, allowZero: true })).toBe(0);
    expect(Object.is(parseAmount(-0, { field, allowZero: true }), 0)).toBe(true);
  });

  it('refuses zero unless allowZero', () => {
    for (const zero of [0, -0, '0', '0.00', '000.0']) {
      expect(refusal(() => parseAmount(zero, { field })).issues[0]?.rule).toBe('must be more than 0.00 THB');
      expect(parseAmount(zero, { field, allowZero: true })).toBe(0);
    }
  });

  it('names the limits in baht', () => {
    const qr = { field, ...THB_QR };
    expect(parseAmount('1', qr)).toBe(100);
    expect(parseAmount('8000.00', qr)).toBe(800_000);
    expect(refusal(() => parseAmount('8000.01', qr)).message).toBe(
      'Invalid request: amount: must be between 1.00 and 8000.00 THB',
    );
    expect(refusal(() => parseAmount('0.99', qr)).issues[0]?.rule).toBe(
      'must be between 1.00 and 8000.00 THB',
    );
    expect(refusal(() => parseAmount(5, { field, minSatang: 1000 })).issues[0]?.rule).toBe(
      'must be at least 10.00 THB',
    );
    expect(refusal(() => parseAmount(5, { field, maxSatang: 250 })).issues[0]?.rule).toBe(
      'must be at most 2.50 THB',
    );
    expect(refusal(() => parseAmount(0, { field, allowZero: true, minSatang: 100 })).issues[0]?.rule).toBe(
      'must be at least 1.00 THB',
    );
  });

  it('refuses amounts beyond Number.MAX_SAFE_INTEGER satang', () => {
    expect(parseAmount('90071992547409.91', { field })).toBe(Number.MAX_SAFE_INTEGER);
    for (const input of ['90071992547409.92', '90071992547410', '1' + '0'.repeat(30)]) {
      expect(refusal(() => parseAmount(input, { field })).issues[0]?.rule).toBe(
        'must be at most 90071992547409.91 THB',
      );
    }
  });

  it("names the caller's own limit for amounts beyond a safe integer", () => {
    const huge = '9'.repeat(40);
    expect(refusal(() => parseAmount(huge, { field, ...THB_TM })).issues[0]?.rule).toBe(
      'must be between 1.00 and 1000.00 THB',
    );
  });

  it('rejects limit options that are not satang integers', () => {
    expect(() => parseAmount('1', { field, minSatang: 1.5 })).toThrow(RangeError);
    expect(() => parseAmount('1', { field, maxSatang: -1 })).toThrow(RangeError);
  });

  it('round-trips formatBaht for every safe satang integer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (satang) => {
        expect(parseAmount(formatBaht(satang), { field })).toBe(satang);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips satangToNumber', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_EXACT_NUMBER_SATANG }), (satang) => {
        expect(parseAmount(satangToNumber(satang), { field })).toBe(satang);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses decimal strings with more than two decimals', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,12}$/), fc.stringMatching(/^\d{3,8}$/), (whole, decimals) => {
        expect(() => parseAmount(`${whole}.${decimals}`, { field, allowZero: true })).toThrow(
          InvalidRequestError,
        );
      }),
    );
  });

  it('refuses every float that is not exactly a two-decimal amount', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e12, noNaN: true }), (value) => {
        const twoDecimal = /^\d+(\.\d{1,2})?$/.test(String(value));
        fc.pre(!twoDecimal);
        expect(() => parseAmount(value, { field, allowZero: true })).toThrow(InvalidRequestError);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads every two-decimal double as the amount it prints as', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999 }), (satang) => {
        // The double a programmer gets by writing the decimal literal, e.g. 12.34
        const value = Number(formatBaht(satang));
        expect(parseAmount(value, { field, allowZero: true })).toBe(satang);
      }),
    );
  });
});

describe('formatBaht', () => {
  it.each([
    [30_000, '300.00'],
    [5, '0.05'],
    [0, '0.00'],
    [50, '0.50'],
    [123_450, '1234.50'],
    [100, '1.00'],
    [-1230, '-12.30'],
    [-5, '-0.05'],
    [Number.MAX_SAFE_INTEGER, '90071992547409.91'],
  ])('formats %i as %s', (satang, text) => {
    expect(formatBaht(satang)).toBe(text);
  });

  it('matches the THB collect amount pattern', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (satang) => {
        expect(formatBaht(satang)).toMatch(/^\d+\.\d{2}$/);
      }),
    );
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('refuses %o', (satang) => {
    expect(() => formatBaht(satang)).toThrow(RangeError);
  });
});

describe('satangToNumber', () => {
  it.each([
    [100_050, 1000.5],
    [1999, 19.99],
    [100_000, 1000],
    [5, 0.05],
    [0, 0],
    [-250, -2.5],
  ])('converts %i to %d', (satang, value) => {
    expect(satangToNumber(satang)).toBe(value);
  });

  it('prints as the exact decimal without trailing zeros, for all satang up to 1e12', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (satang) => {
        expect(String(satangToNumber(satang))).toBe(canonicalDecimal(satang));
        expect(JSON.stringify(satangToNumber(satang))).toBe(canonicalDecimal(satang));
      }),
      { numRuns: 5000 },
    );
  });

  it('prints exactly up to MAX_EXACT_NUMBER_SATANG', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_EXACT_NUMBER_SATANG }), (satang) => {
        expect(String(satangToNumber(satang))).toBe(canonicalDecimal(satang));
      }),
      { numRuns: 5000 },
    );
    expect(String(satangToNumber(MAX_EXACT_NUMBER_SATANG))).toBe('9999999999999.99');
  });

  it('refuses amounts a JSON number cannot carry exactly', () => {
    expect(() => satangToNumber(MAX_EXACT_NUMBER_SATANG + 1)).toThrow(RangeError);
    expect(() => satangToNumber(Number.MAX_SAFE_INTEGER)).toThrow(RangeError);
    expect(() => satangToNumber(0.5)).toThrow(RangeError);
  });
});

describe('parseProviderAmount', () => {
  it.each([
    ['50000.00', 5_000_000],
    ['0.00', 0],
    ['300', 30_000],
    ['1003.00', 100_300],
    [' 12.5 ', 1250],
    ['1.500', 150],
    [995, 99_500],
    [995.5, 99_550],
    [0, 0],
    [-0, 0],
    [19.99, 1999],
  ])('reads %j as %i satang', (value, satang) => {
    expect(parseProviderAmount(value, 'amount')).toBe(satang);
  });

  it('reads negative amounts only when allowed', () => {
    expect(parseProviderAmount('-12.30', 'balance', { allowNegative: true })).toBe(-1230);
    expect(parseProviderAmount(-7.5, 'balance', { allowNegative: true })).toBe(-750);
    expect(Object.is(parseProviderAmount('-0.00', 'balance', { allowNegative: true }), 0)).toBe(true);
    expect(() => parseProviderAmount('-12.30', 'balance')).toThrow(ApiError);
  });

  it.each([
    undefined,
    null,
    '',
    'abc',
    '1,000.00',
    '1.005',
    0.1 + 0.2,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '1e3',
    1e21,
    true,
    {},
    '90071992547410.00',
  ])('refuses %o with an invalid_response ApiError naming the field', (value) => {
    try {
      parseProviderAmount(value, 'data.actualAmount');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('invalid_response');
      expect((error as ApiError).message).toContain('data.actualAmount');
    }
  });

  it('agrees with formatBaht and satangToNumber', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_EXACT_NUMBER_SATANG }), (satang) => {
        expect(parseProviderAmount(formatBaht(satang), 'amount')).toBe(satang);
        expect(parseProviderAmount(satangToNumber(satang), 'amount')).toBe(satang);
      }),
    );
  });
});
