/**
 * Money as satang integers.
 *
 * Every amount inside thaipay is a whole number of satang (1 THB = 100 satang) held in a safe integer.
 * Amounts enter through {@link parseAmount} (the merchant's input) or {@link parseProviderAmount} (what a
 * provider sent) and leave through {@link formatBaht} (THB collect's `"300.00"` strings) or
 * {@link satangToNumber} (the JWT gateway's JSON numbers). None of these multiply or add floats: a number is
 * read through its shortest decimal text, which is exactly what the person who typed it meant, and decimal
 * text is turned into satang digit by digit.
 */
import { ApiError, InvalidRequestError } from './errors';

/** The inclusive range of amounts a product accepts, in satang. */
export interface AmountLimit {
  /** Smallest accepted amount, in satang. */
  readonly minSatang: number;
  /** Largest accepted amount, in satang. */
  readonly maxSatang: number;
}

/** Options of {@link parseAmount}. */
export interface ParseAmountOptions {
  /** Name of the input field, used in the error (for example `amount`). */
  field: string;
  /** Smallest accepted amount in satang (inclusive). */
  minSatang?: number;
  /** Largest accepted amount in satang (inclusive). */
  maxSatang?: number;
  /** Accept `0`. Off by default: a payment of nothing is almost always a bug. */
  allowZero?: boolean;
}

/** Options of {@link parseProviderAmount}. */
export interface ParseProviderAmountOptions {
  /** Accept a leading `-` (a balance can be negative; an order amount cannot). Off by default. */
  allowNegative?: boolean;
}

/**
 * The largest amount {@link satangToNumber} converts: 9,999,999,999,999.99 THB. Up to 15 significant
 * digits a double always prints back as the decimal it came from; beyond that it may not.
 */
export const MAX_EXACT_NUMBER_SATANG = 999_999_999_999_999;

const AMOUNT_RULE = 'must be a positive amount in baht with at most 2 decimals, without thousands separators';
const AMOUNT_OR_ZERO_RULE =
  'must be an amount in baht of 0 or more with at most 2 decimals, without thousands separators';

/** Plain digits with at most two decimals: no sign, exponent, separator or space. */
const MERCHANT_AMOUNT = /^(\d+)(?:\.(\d{1,2}))?$/;
/** What providers send: an optional minus sign, digits, any number of decimals (checked afterwards). */
const PROVIDER_AMOUNT = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Satang from the integer and (at most two) decimal digits; undefined when beyond a safe integer. */
function digitsToSatang(integerDigits: string, decimalDigits: string): number | undefined {
  const digits = (integerDigits + decimalDigits.padEnd(2, '0')).replace(/^0+(?=\d)/, '');
  // Sixteen digits or fewer parse exactly up to 2^53; Number.isSafeInteger catches the rest.
  if (digits.length > 16) return undefined;
  const satang = Number(digits);
  return Number.isSafeInteger(satang) ? satang : undefined;
}

function checkLimitOption(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
    throw new RangeError(`parseAmount: ${name} must be a non-negative safe integer of satang`);
  }
}

function rangeRule(minSatang: number | undefined, maxSatang: number | undefined): string {
  if (minSatang !== undefined && maxSatang !== undefined) {
    return `must be between ${formatBaht(minSatang)} and ${formatBaht(maxSatang)} THB`;
  }
  if (minSatang !== undefined) return `must be at least ${formatBaht(minSatang)} THB`;
  return `must be at most ${formatBaht(maxSatang ?? Number.MAX_SAFE_INTEGER)} THB`;
}

/**
 * Read an amount in baht given by the merchant and return it in satang.
 *
 * Accepted: a string of plain digits with at most two decimals (`"300"`, `"10.5"`, `"19.99"`, surrounding
 * whitespace ignored) or a finite number whose shortest decimal form is such a string (`10.5`, `19.99`).
 * A number is read through `String(n)`, never multiplied, so `19.99` is 1999 satang and not 1998.
 * `-0` counts as `0`.
 *
 * Refused with an {@link InvalidRequestError} naming `options.field`: other types, NaN, Infinity, negative
 * amounts, signs, exponents (`1e21`, `1e-7`), thousands separators (`"1,000"`), inner spaces, an empty
 * string, more than two decimals (including float noise such as `0.1 + 0.2`), zero unless `allowZero`,
 * amounts outside `minSatang`–`maxSatang` (the rule names the range in baht) and amounts beyond
 * `Number.MAX_SAFE_INTEGER` satang.
 *
 * @throws {InvalidRequestError} when the input is refused.
 * @throws {RangeError} when `minSatang` or `maxSatang` is not a non-negative safe integer (a programming
 *   error, not bad input).
 * @example
 * ```ts
 * import { parseAmount } from 'thaipay';
 *
 * parseAmount('300', { field: 'amount' }); // 30000
 * parseAmount(19.99, { field: 'amount' }); // 1999
 * parseAmount('9000', { field: 'amount', minSatang: 100, maxSatang: 800_000 });
 * // throws InvalidRequestError: "amount: must be between 1.00 and 8000.00 THB"
 * ```
 */
export function parseAmount(input: number | string, options: ParseAmountOptions): number {
  const { field, minSatang, maxSatang, allowZero = false } = options;
  checkLimitOption('minSatang', minSatang);
  checkLimitOption('maxSatang', maxSatang);

  const formatRule = allowZero ? AMOUNT_OR_ZERO_RULE : AMOUNT_RULE;
  let text: string;
  if (typeof input === 'string') {
    text = input.trim();
  } else if (typeof input === 'number' && Number.isFinite(input)) {
    // String(n) is the shortest text that reads back as n: what the caller wrote, or the float noise
    // (0.30000000000000004) that proves the value is not a two-decimal amount.
    text = Object.is(input, -0) ? '0' : String(input);
  } else {
    throw InvalidRequestError.field(field, formatRule);
  }

  const match = MERCHANT_AMOUNT.exec(text);
  if (!match) throw InvalidRequestError.field(field, formatRule);
  const satang = digitsToSatang(match[1] ?? '', match[2] ?? '');
  if (satang === undefined)
    throw InvalidRequestError.field(field, rangeRule(minSatang, maxSatang ?? Number.MAX_SAFE_INTEGER));

  if (satang === 0 && !allowZero) throw InvalidRequestError.field(field, 'must be more than 0.00 THB');
  if ((minSatang !== undefined && satang < minSatang) || (maxSatang !== undefined && satang > maxSatang)) {
    throw InvalidRequestError.field(field, rangeRule(minSatang, maxSatang));
  }
  return satang;
}

function checkSatang(satang: number, fn: string): void {
  if (!Number.isSafeInteger(satang)) {
    throw new RangeError(`${fn}: satang must be a safe integer, got ${String(satang)}`);
  }
}

/**
 * Format satang as baht with exactly two decimals and no separators: THB collect's wire form.
 * Negative amounts get a leading `-`.
 *
 * @throws {RangeError} when `satang` is not a safe integer.
 * @example
 * ```ts
 * import { formatBaht } from 'thaipay';
 *
 * formatBaht(30000); // "300.00"
 * formatBaht(5); // "0.05"
 * formatBaht(123450); // "1234.50"
 * ```
 */
export function formatBaht(satang: number): string {
  checkSatang(satang, 'formatBaht');
  // String arithmetic on the digits: exact for every safe integer, no float division involved.
  const digits = String(Math.abs(satang)).padStart(3, '0');
  const sign = satang < 0 ? '-' : '';
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/**
 * Convert satang to a JSON number of baht, the form the JWT gateway expects (`1000.5`, `995`).
 *
 * `satang / 100` is one correctly rounded division, so the result is the double nearest the exact
 * amount, and for amounts up to {@link MAX_EXACT_NUMBER_SATANG} that double prints (in `String` and
 * `JSON.stringify`) as the exact decimal without trailing zeros.
 *
 * @throws {RangeError} when `satang` is not a safe integer or its magnitude exceeds
 *   {@link MAX_EXACT_NUMBER_SATANG}.
 * @example
 * ```ts
 * import { satangToNumber } from 'thaipay';
 *
 * satangToNumber(100050); // 1000.5
 * satangToNumber(1999); // 19.99
 * JSON.stringify({ amount: satangToNumber(100000) }); // '{"amount":1000}'
 * ```
 */
export function satangToNumber(satang: number): number {
  checkSatang(satang, 'satangToNumber');
  if (Math.abs(satang) > MAX_EXACT_NUMBER_SATANG) {
    throw new RangeError(
      `satangToNumber: ${satang} satang has more digits than a JSON number carries exactly (max ${MAX_EXACT_NUMBER_SATANG})`,
    );
  }
  return satang / 100;
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * Read an amount a provider sent and return it in satang.
 *
 * Tolerant of both styles the providers use: decimal strings (`"50000.00"`, `"300"`, `"0.00"`) and JSON
 * numbers (`995`, `995.5`). Decimals beyond the second are accepted only when they are zeros
 * (`"1.500"`), since a provider never means a fraction of a satang. Surrounding whitespace is ignored.
 * A missing value (`undefined`, `null`, `""`) is refused like any other garbage: check optional fields
 * before calling.
 *
 * @param field Name of the provider field, used in the error (for example `data.actualAmount`).
 * @throws {ApiError} with code `invalid_response` when the value is not an amount.
 * @example
 * ```ts
 * import { parseProviderAmount } from 'thaipay';
 *
 * parseProviderAmount('50000.00', 'amount'); // 5000000
 * parseProviderAmount(995.5, 'depositAmount'); // 99550
 * parseProviderAmount('-12.30', 'balance', { allowNegative: true }); // -1230
 * ```
 */
export function parseProviderAmount(
  value: unknown,
  field: string,
  options: ParseProviderAmountOptions = {},
): number {
  const satang = providerAmountSatang(value, options.allowNegative);
  if (satang !== undefined) return satang;
  throw new ApiError(
    `The provider sent an invalid amount in "${field}": ${preview(value)} is not a baht amount with at most 2 decimals`,
    { code: 'invalid_response' },
  );
}

/**
 * {@link parseProviderAmount} without the error: the satang, or `undefined` when `value` is not an amount.
 * For a caller that words its own refusal (a webhook verifier), so its bundle does not carry ApiError.
 *
 * @internal
 * @example
 * ```ts
 * providerAmountSatang('100.5'); // 10050
 * providerAmountSatang('1.234'); // undefined
 * ```
 */
export function providerAmountSatang(value: unknown, allowNegative?: boolean): number | undefined {
  let text: string | undefined;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number' && Number.isFinite(value))
    text = Object.is(value, -0) ? '0' : String(value);

  const match = text === undefined ? null : PROVIDER_AMOUNT.exec(text);
  if (match) {
    const [, sign = '', integerDigits = '', decimals = ''] = match;
    const extra = decimals.slice(2);
    if (/^0*$/.test(extra) && (sign === '' || allowNegative)) {
      const satang = digitsToSatang(integerDigits, decimals.slice(0, 2));
      if (satang !== undefined) return sign === '-' && satang !== 0 ? -satang : satang;
    }
  }
  return undefined;
}
