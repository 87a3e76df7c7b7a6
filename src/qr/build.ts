/**
 * Building PromptPay QR payloads with promptparse's generators: for tests, the sandbox and merchants who
 * show their own PromptPay QR. The amount is handed over as an exact decimal and read back to be sure.
 */
import { anyId, billPayment } from 'promptparse/generate';
import { InvalidRequestError } from '../core/errors';
import { formatBaht, parseAmount } from '../core/money';
import { parsePromptPayPayload } from './parse';

/** Whom a built QR pays. */
export type PromptPayPayee =
  /** A PromptPay mobile number: `0812345678`, `081-234-5678`, `+66812345678`. */
  | {
      /** Pays a PromptPay mobile number. */
      type: 'mobile';
      /** The number, local or international form; spaces and dashes ignored. */
      value: string;
    }
  /** A 13-digit national id or tax id. */
  | {
      /** Pays a national id or tax id. */
      type: 'nationalId';
      /** 13 digits; spaces and dashes ignored. */
      value: string;
    }
  /** A 15-digit e-wallet id. */
  | {
      /** Pays an e-wallet id. */
      type: 'eWallet';
      /** 15 digits; spaces and dashes ignored. */
      value: string;
    }
  /** A 15-digit biller id (tax id + suffix) with its references: PromptPay bill payment. */
  | {
      /** A bill payment to a biller id. */
      type: 'billerId';
      /** 15 digits: the biller's tax id and a 2-digit suffix. */
      value: string;
      /** Reference 1 (customer or invoice number): 1–20 capital letters or digits. */
      ref1: string;
      /** Reference 2, when the biller uses one: 1–20 capital letters or digits. */
      ref2?: string;
    };

/** Input of {@link buildPromptPayPayload}. Give at most one of `amount` and `amountSatang`. */
export interface BuildPromptPayPayloadInput {
  /** Whom the QR pays. */
  target: PromptPayPayee;
  /**
   * Amount in baht, read like every thaipay amount ({@link parseAmount}): `'300.00'`, `'300'` or `300`.
   * Without an amount the QR is static: the payer types it.
   */
  amount?: number | string;
  /** Amount in satang, `30000`. */
  amountSatang?: number;
}

// Tag 54 holds at most 13 characters: "9999999999.99".
const MAX_SATANG = 999_999_999_999;
const REFERENCE = /^[A-Z0-9]{1,20}$/;

function digits(value: unknown, field: string, count: number, what: string): string {
  const clean = typeof value === 'string' ? value.replace(/[\s-]/g, '') : '';
  if (!new RegExp(`^\\d{${count}}$`).test(clean)) throw InvalidRequestError.field(field, `must be ${what}`);
  return clean;
}

function mobileNumber(value: unknown): string {
  const clean = typeof value === 'string' ? value.replace(/[\s-]/g, '') : '';
  // Thai numbers are 10 digits starting with 0; +66 / 66 / 0066 replace that 0.
  const local = clean.replace(/^(?:\+66|0066|66)(?=\d{9}$)/, '0');
  if (!/^0\d{9}$/.test(local)) {
    throw InvalidRequestError.field(
      'target.value',
      'must be a Thai mobile number: 10 digits starting with 0',
    );
  }
  return local;
}

function satangOf(input: BuildPromptPayPayloadInput): number | undefined {
  if (input.amount !== undefined && input.amountSatang !== undefined) {
    throw InvalidRequestError.field('amount', 'give either amount or amountSatang, not both');
  }
  let satang: number | undefined;
  if (input.amount !== undefined) satang = parseAmount(input.amount, { field: 'amount' });
  if (input.amountSatang !== undefined) {
    if (!Number.isSafeInteger(input.amountSatang)) {
      throw InvalidRequestError.field('amountSatang', 'must be a whole number of satang');
    }
    satang = input.amountSatang;
  }
  const field = input.amount === undefined ? 'amountSatang' : 'amount';
  if (satang !== undefined && (satang <= 0 || satang > MAX_SATANG)) {
    throw InvalidRequestError.field(field, 'must be more than 0 and at most 9999999999.99 baht');
  }
  return satang;
}

/**
 * Build a PromptPay QR payload (EMVCo, with CRC) that pays a mobile number, national id, e-wallet or
 * biller, optionally for a fixed amount (a dynamic QR).
 *
 * @returns The payload text, ready for {@link renderQrSvg}.
 * @throws InvalidRequestError on a malformed target or amount.
 *
 * @example
 * ```ts
 * import { buildPromptPayPayload, renderQrSvg } from 'thaipay/qr';
 *
 * const payload = buildPromptPayPayload({ target: { type: 'mobile', value: '0812345678' }, amount: '300.00' });
 * const svg = renderQrSvg(payload);
 * ```
 */
export function buildPromptPayPayload(input: BuildPromptPayPayloadInput): string {
  const target = input?.target;
  if (target === null || typeof target !== 'object') {
    throw InvalidRequestError.field('target', 'must be { type, value }');
  }
  const satang = satangOf(input);
  // promptparse formats with Number(amount).toFixed(2): a number parsed from an exact two-decimal string
  // always prints back as that string, so no float arithmetic happens on the way.
  const amount = satang === undefined ? undefined : Number(formatBaht(satang));

  let payload: string;
  switch (target.type) {
    case 'mobile':
      payload = anyId({ type: 'MSISDN', target: mobileNumber(target.value), amount });
      break;
    case 'nationalId':
      payload = anyId({
        type: 'NATID',
        target: digits(target.value, 'target.value', 13, '13 digits'),
        amount,
      });
      break;
    case 'eWallet':
      payload = anyId({
        type: 'EWALLETID',
        target: digits(target.value, 'target.value', 15, '15 digits'),
        amount,
      });
      break;
    case 'billerId': {
      const billerId = digits(target.value, 'target.value', 15, '15 digits (tax id and suffix)');
      if (typeof target.ref1 !== 'string' || !REFERENCE.test(target.ref1)) {
        throw InvalidRequestError.field('target.ref1', 'must be 1 to 20 uppercase letters or digits');
      }
      if (target.ref2 !== undefined && (typeof target.ref2 !== 'string' || !REFERENCE.test(target.ref2))) {
        throw InvalidRequestError.field('target.ref2', 'must be 1 to 20 uppercase letters or digits');
      }
      payload = billPayment({ billerId, ref1: target.ref1, ref2: target.ref2, amount });
      break;
    }
    default:
      throw InvalidRequestError.field(
        'target.type',
        "must be 'mobile', 'nationalId', 'eWallet' or 'billerId'",
      );
  }

  // Read the result back: the QR a customer pays must say exactly what was asked for.
  const check = parsePromptPayPayload(payload);
  if (!check.crcValid || check.amountSatang !== satang) {
    throw InvalidRequestError.field('amount', 'could not be written exactly into the QR payload');
  }
  return payload;
}
