/**
 * The Thai banks THB collect pays out to (`bankCode` of a `BANK_ACCOUNT` payout).
 *
 * The codes and their order are those of the "Payment Code" table of the THB collect API document. The
 * document's Thai names came out of a PDF with stray spaces and lost tone marks ("กรุ งศรี", "เซี ยงไฮ้");
 * the names here are spelled correctly. Where a bank was renamed, the names are the current ones and the
 * name the provider's table shows is kept in `formerNames`; where a bank merged into another, the code
 * keeps its own name and `mergedInto` says where it went.
 */

import { BANK_CODES, type BankCode, isBankCode } from './codes';

export { BANK_CODES, type BankCode, isBankCode };

/** The bank a code's bank was merged into. */
export interface BankMerger {
  /** English name of the bank that took over the business. */
  readonly nameEn: string;
  /** Thai name of the bank that took over the business. */
  readonly nameTh: string;
  /** Year the merger took effect. */
  readonly year: number;
}

/**
 * One bank of the table.
 *
 * @example
 * ```ts
 * import { getBank } from 'thaipay/banks';
 *
 * const bank = getBank('TMB');
 * console.log(bank?.nameTh, bank?.mergedInto?.nameEn); // "บมจ.ธนาคารทหารไทย" "TMBThanachart Bank ..."
 * ```
 */
export interface Bank {
  /** The code to send as `bankCode`. */
  readonly code: BankCode;
  /** English name. */
  readonly nameEn: string;
  /** Thai name, spelled correctly. */
  readonly nameTh: string;
  /** Earlier names, including the one the provider's table still shows when it is outdated. */
  readonly formerNames?: readonly string[];
  /** Set when the bank no longer exists on its own. */
  readonly mergedInto?: BankMerger;
  /** A fact about the bank a merchant paying out to it should know. */
  readonly note?: string;
}

const TTB: BankMerger = /* @__PURE__ */ Object.freeze({
  nameEn: 'TMBThanachart Bank Public Company Limited (ttb)',
  nameTh: 'ธนาคารทหารไทยธนชาต จำกัด (มหาชน)',
  year: 2021,
});

const BANK_LIST: readonly Bank[] = [
  {
    code: 'BAAC',
    nameEn: 'Bank for Agriculture and Agricultural Cooperatives',
    nameTh: 'ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร',
  },
  {
    code: 'BAY',
    nameEn: 'Bank of Ayudhya Public Company Limited (Krungsri)',
    nameTh: 'บมจ.ธนาคารกรุงศรีอยุธยา',
  },
  { code: 'BBL', nameEn: 'Bangkok Bank Public Company Limited', nameTh: 'บมจ.ธนาคารกรุงเทพ' },
  { code: 'CIMB', nameEn: 'CIMB Thai Bank Public Company Limited', nameTh: 'ธนาคารซีไอเอ็มบี ไทย จำกัด (มหาชน)' },
  {
    code: 'CITI',
    nameEn: 'Citibank, N.A.',
    nameTh: 'ธนาคารซิตี้แบงก์',
    note: "Citibank's Thai consumer banking moved to UOB Thailand in 2022; Citibank, N.A. still serves corporate clients in Bangkok.",
  },
  { code: 'GHB', nameEn: 'Government Housing Bank', nameTh: 'ธนาคารอาคารสงเคราะห์' },
  { code: 'GSB', nameEn: 'Government Savings Bank', nameTh: 'ธนาคารออมสิน' },
  {
    code: 'HSBC',
    nameEn: 'The Hongkong and Shanghai Banking Corporation Limited',
    nameTh: 'ธนาคารฮ่องกงและเซี่ยงไฮ้แบงกิ้งคอร์ปอเรชั่น',
  },
  {
    code: 'ICBC',
    nameEn: 'Industrial and Commercial Bank of China (Thai) Public Company Limited',
    nameTh: 'ธนาคารไอซีบีซี (ไทย) จำกัด (มหาชน)',
  },
  { code: 'IBANK', nameEn: 'Islamic Bank of Thailand', nameTh: 'ธนาคารอิสลามแห่งประเทศไทย' },
  { code: 'KBANK', nameEn: 'Kasikornbank Public Company Limited', nameTh: 'บมจ.ธนาคารกสิกรไทย' },
  {
    code: 'KKP',
    nameEn: 'Kiatnakin Phatra Bank Public Company Limited',
    nameTh: 'ธนาคารเกียรตินาคินภัทร จำกัด (มหาชน)',
    formerNames: ['Kiatnakin Bank Public Company Limited', 'ธนาคารเกียรตินาคิน จำกัด (มหาชน)'],
  },
  { code: 'KTB', nameEn: 'Krung Thai Bank Public Company Limited', nameTh: 'ธนาคารกรุงไทย' },
  {
    code: 'LHB',
    nameEn: 'Land and Houses Bank Public Company Limited',
    nameTh: 'ธนาคารแลนด์ แอนด์ เฮ้าส์ จำกัด (มหาชน)',
  },
  { code: 'SCB', nameEn: 'The Siam Commercial Bank Public Company Limited', nameTh: 'บมจ.ธนาคารไทยพาณิชย์' },
  {
    code: 'SCBT',
    nameEn: 'Standard Chartered Bank (Thai) Public Company Limited',
    nameTh: 'ธนาคารสแตนดาร์ดชาร์เตอร์ด (ไทย) จำกัด (มหาชน)',
    formerNames: ['Standard Chartered Nakornthon Bank', 'ธนาคารสแตนดาร์ดชาร์เตอร์ด นครธน'],
  },
  {
    code: 'TBANK',
    nameEn: 'Thanachart Bank Public Company Limited',
    nameTh: 'ธนาคารธนชาต จำกัด (มหาชน)',
    mergedInto: TTB,
    note: 'Thanachart Bank and TMB Bank merged in 2021 into TMBThanachart Bank (ttb).',
  },
  { code: 'TISCO', nameEn: 'TISCO Bank Public Company Limited', nameTh: 'บมจ.ธนาคารทิสโก้' },
  {
    code: 'TMB',
    nameEn: 'TMB Bank Public Company Limited',
    nameTh: 'บมจ.ธนาคารทหารไทย',
    mergedInto: TTB,
    note: 'TMB Bank and Thanachart Bank merged in 2021 into TMBThanachart Bank (ttb).',
  },
  {
    code: 'UOB',
    nameEn: 'United Overseas Bank (Thai) Public Company Limited',
    nameTh: 'บมจ.ธนาคารยูโอบี',
  },
  { code: 'ABN', nameEn: 'ABN AMRO Bank N.V.', nameTh: 'ธนาคารเอบีเอ็น แอมโร เอ็น.วี.' },
  {
    code: 'MHCB',
    nameEn: 'Mizuho Bank, Ltd.',
    nameTh: 'ธนาคารมิซูโฮ จำกัด',
    formerNames: ['Mizuho Corporate Bank, Ltd.', 'ธนาคารมิซูโฮ คอร์ปอเรต จำกัด'],
    note: 'Mizuho Corporate Bank merged into Mizuho Bank in 2013; the provider still lists the old name.',
  },
];

/**
 * Every bank of the THB collect table (22), in the table's order. Frozen.
 *
 * @example
 * ```ts
 * import { BANKS } from 'thaipay/banks';
 *
 * const options = BANKS.map((bank) => ({ value: bank.code, label: bank.nameTh }));
 * ```
 */
export const BANKS: readonly Bank[] = /* @__PURE__ */ Object.freeze(
  BANK_LIST.map((bank) =>
    /* @__PURE__ */ Object.freeze(
      bank.formerNames
        ? { ...bank, formerNames: /* @__PURE__ */ Object.freeze([...bank.formerNames]) }
        : { ...bank },
    ),
  ),
);

const BY_CODE: ReadonlyMap<string, Bank> = new Map(BANKS.map((bank) => [bank.code, bank]));

/**
 * Look a bank up by code. Lower or mixed case is accepted (`kbank` finds `KBANK`); surrounding spaces are
 * not trimmed. Unknown codes and non-strings give `undefined`.
 *
 * @example
 * ```ts
 * import { getBank } from 'thaipay/banks';
 *
 * getBank('bay')?.nameTh; // "บมจ.ธนาคารกรุงศรีอยุธยา"
 * getBank('XYZ'); // undefined
 * ```
 */
export function getBank(code: string): Bank | undefined {
  return typeof code === 'string' ? BY_CODE.get(code.toUpperCase()) : undefined;
}
