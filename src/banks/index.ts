/**
 * `thaipay/banks`: the Thai bank table of THB collect payouts, with correctly spelled Thai names, and its
 * lookups.
 *
 * @example
 * ```ts
 * import { BANKS, getBank, isBankCode } from 'thaipay/banks';
 *
 * if (isBankCode(input.bankCode)) console.log(getBank(input.bankCode)?.nameTh);
 * ```
 */

export * from '../core/errors';
export type { Bank, BankCode, BankMerger } from './banks';
export { BANK_CODES, BANKS, getBank, isBankCode } from './banks';
