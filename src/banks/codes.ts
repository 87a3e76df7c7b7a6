/**
 * The bank codes alone, without the names: what validation needs. Kept apart from `banks.ts` so that a
 * client checking a payout's `bankCode` does not carry every bank's English and Thai names in its bundle.
 */

/**
 * The 22 bank codes THB collect accepts for bank-account payouts, in the order of its table.
 *
 * @example
 * ```ts
 * import { BANK_CODES } from 'thaipay/banks';
 *
 * BANK_CODES.length; // 22
 * ```
 */
export const BANK_CODES = /* @__PURE__ */ Object.freeze([
  'BAAC',
  'BAY',
  'BBL',
  'CIMB',
  'CITI',
  'GHB',
  'GSB',
  'HSBC',
  'ICBC',
  'IBANK',
  'KBANK',
  'KKP',
  'KTB',
  'LHB',
  'SCB',
  'SCBT',
  'TBANK',
  'TISCO',
  'TMB',
  'UOB',
  'ABN',
  'MHCB',
] as const);

/**
 * A THB collect bank code, for example `KBANK`.
 *
 * @example
 * ```ts
 * import type { BankCode } from 'thaipay/banks';
 *
 * const bankCode: BankCode = 'SCB';
 * ```
 */
export type BankCode = (typeof BANK_CODES)[number];

const CODE_SET: ReadonlySet<string> = new Set(BANK_CODES);

/**
 * Whether `code` is exactly one of the {@link BANK_CODES} (upper case, no surrounding spaces).
 * Strict on purpose: after this check `code` can be sent as it is.
 *
 * @example
 * ```ts
 * import { isBankCode } from 'thaipay/banks';
 *
 * isBankCode('KBANK'); // true
 * isBankCode('kbank'); // false (use getBank to look it up leniently)
 * ```
 */
export function isBankCode(code: unknown): code is BankCode {
  return typeof code === 'string' && CODE_SET.has(code);
}
