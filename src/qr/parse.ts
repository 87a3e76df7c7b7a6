/**
 * Reading a PromptPay / EMVCo merchant-presented QR payload: who it pays, how much, and whether its CRC
 * holds. A structural fault throws; a CRC mismatch does not, so a checkout can say what is wrong.
 */
import { checksum } from 'promptparse';
import { InvalidRequestError } from '../core/errors';
import { parseAmount } from '../core/money';
import { decodeEmvTags, isWellFormedTlv } from './tlv';
import type { EmvTag, PromptPayPayload, PromptPayTarget, PromptPayTargetType } from './types';

// EMVCo Merchant-Presented Mode caps a payload at 512 characters.
const MAX_PAYLOAD_LENGTH = 512;
const TAG_54_AMOUNT = /^(?=.{1,13}$)\d+(?:\.\d{1,2})?$/;

/** AID of PromptPay credit transfer (tag 29) and bill payment (tag 30). */
const PROMPTPAY_CREDIT_TRANSFER_AID = 'A000000677010111';
const PROMPTPAY_BILL_PAYMENT_AID = 'A000000677010112';

const CREDIT_TRANSFER_TARGETS: readonly (readonly [string, PromptPayTargetType])[] = [
  ['01', 'mobile'],
  ['02', 'nationalId'],
  ['03', 'eWallet'],
  ['04', 'bankAccount'],
];

// ISO 4217 numeric -> alpha for the currencies PromptPay and its cross-border links use.
const CURRENCIES: Readonly<Record<string, string>> = {
  '764': 'THB',
  '418': 'LAK',
  '116': 'KHR',
  '104': 'MMK',
  '704': 'VND',
  '458': 'MYR',
  '360': 'IDR',
  '702': 'SGD',
  '608': 'PHP',
  '156': 'CNY',
  '840': 'USD',
};

function refuse(rule: string): InvalidRequestError {
  return InvalidRequestError.field('payload', rule);
}

function tagValue(tags: readonly EmvTag[] | undefined, id: string): string | undefined {
  return tags?.find((tag) => tag.id === id)?.value;
}

/** The 13-digit PromptPay mobile form `0066812345678` back to the local `0812345678`. */
function localMobile(value: string): string | undefined {
  return /^0066\d{9}$/.test(value) ? `0${value.slice(4)}` : undefined;
}

function readTarget(tags: readonly EmvTag[]): PromptPayTarget | undefined {
  // Merchant account information lives in tags 02-51; the first one present is the payee.
  const account = tags.find((tag) => Number(tag.id) >= 2 && Number(tag.id) <= 51);
  if (!account) return undefined;
  const aid = tagValue(account.subTags, '00');
  const base = { tagId: account.id, ...(aid === undefined ? {} : { aid }) };

  if (account.id === '29' && aid === PROMPTPAY_CREDIT_TRANSFER_AID) {
    for (const [subId, type] of CREDIT_TRANSFER_TARGETS) {
      const value = tagValue(account.subTags, subId);
      if (value === undefined) continue;
      const mobileNumber = type === 'mobile' ? localMobile(value) : undefined;
      return { type, value, ...base, ...(mobileNumber === undefined ? {} : { mobileNumber }) };
    }
  }
  if (account.id === '30' && aid === PROMPTPAY_BILL_PAYMENT_AID) {
    const billerId = tagValue(account.subTags, '01');
    if (billerId !== undefined) {
      const ref1 = tagValue(account.subTags, '02');
      const ref2 = tagValue(account.subTags, '03');
      return {
        type: 'billerId',
        value: billerId,
        ...base,
        ...(ref1 === undefined ? {} : { ref1 }),
        ...(ref2 === undefined ? {} : { ref2 }),
      };
    }
  }
  // Another scheme: hand back its account id (sub-tag 01 by convention) or the whole template.
  return { type: 'other', value: tagValue(account.subTags, '01') ?? account.value, ...base };
}

/**
 * Read a PromptPay / EMVCo merchant-presented QR payload.
 *
 * A payload that is not EMVCo TLV (wrong lengths, truncated, no payload format indicator first, no CRC
 * last, no currency or country, an amount that is not a decimal) throws. A payload whose CRC does not
 * match comes back with `crcValid: false` and `valid: false` so the caller can show why; never pay it.
 *
 * @param payload - The text a scanner read, or a provider returned, for example `qrCode` of a deposit.
 * @returns The payload read, see {@link PromptPayPayload}.
 * @throws InvalidRequestError (field `payload`) when the structure is not EMVCo.
 *
 * @example
 * ```ts
 * import { parsePromptPayPayload } from 'thaipay/qr';
 *
 * const qr = parsePromptPayPayload(deposit.qrPayload);
 * if (!qr.valid) throw new Error(`QR CRC ${qr.crc} should be ${qr.expectedCrc}`);
 * console.log(qr.amount, qr.currency, qr.target?.type); // '300.00' 'THB' 'mobile'
 * ```
 */
export function parsePromptPayPayload(payload: string): PromptPayPayload {
  if (typeof payload !== 'string') throw refuse('must be a string');
  // A scanner may add a line end; nothing in a valid payload can begin or end with whitespace.
  const text = payload.trim();
  if (text.length === 0) throw refuse('must not be empty');
  if (text.length > MAX_PAYLOAD_LENGTH) {
    throw refuse(`is ${text.length} characters long; EMVCo allows at most ${MAX_PAYLOAD_LENGTH}`);
  }
  if (!isWellFormedTlv(text)) {
    throw refuse(
      'is not EMVCo TLV: each data object needs a two-digit id, a two-digit length and that many characters',
    );
  }
  const tags = decodeEmvTags(text);

  const first = tags[0];
  if (first?.id !== '00' || first.value !== '01') {
    throw refuse('must start with the payload format indicator 000201');
  }
  const last = tags[tags.length - 1];
  if (last?.id !== '63' || last.value.length !== 4)
    throw refuse('must end with the CRC data object 6304XXXX');
  if (tags.filter((tag) => tag.id === '63').length !== 1)
    throw refuse('must hold exactly one CRC data object');

  // The CRC covers everything up to and including its own "6304".
  const expectedCrc = checksum(text.slice(0, -4), true);
  const crc = last.value;
  const crcValid = crc.toUpperCase() === expectedCrc;

  const initiation = tagValue(tags, '01');
  if (initiation !== undefined && initiation !== '11' && initiation !== '12') {
    throw refuse(`has point of initiation ${initiation}; EMVCo defines 11 (static) and 12 (dynamic)`);
  }

  const currencyCode = tagValue(tags, '53');
  if (currencyCode === undefined || !/^\d{3}$/.test(currencyCode)) {
    throw refuse('must carry a three-digit transaction currency (tag 53), 764 for THB');
  }
  const countryCode = tagValue(tags, '58');
  if (countryCode === undefined || !/^[A-Z]{2}$/.test(countryCode)) {
    throw refuse('must carry a two-letter country code (tag 58), TH for Thailand');
  }

  const amount = tagValue(tags, '54');
  let amountSatang: number | undefined;
  if (amount !== undefined) {
    // EMVCo: up to 13 characters, digits and one optional point; THB has two minor digits.
    if (!TAG_54_AMOUNT.test(amount)) {
      throw refuse(`has amount "${amount}" (tag 54), which is not a decimal with at most two decimals`);
    }
    amountSatang = parseAmount(amount, { field: 'payload', allowZero: true });
  }

  const target = readTarget(tags);
  const merchantName = tagValue(tags, '59');
  const merchantCity = tagValue(tags, '60');
  return {
    valid: crcValid,
    crcValid,
    crc,
    expectedCrc,
    pointOfInitiation: initiation === '12' ? 'dynamic' : 'static',
    ...(amount === undefined ? {} : { amount, amountSatang }),
    currency: CURRENCIES[currencyCode] ?? currencyCode,
    currencyCode,
    countryCode,
    ...(target === undefined ? {} : { target }),
    ...(merchantName === undefined ? {} : { merchantName }),
    ...(merchantCity === undefined ? {} : { merchantCity }),
    tags,
  };
}
