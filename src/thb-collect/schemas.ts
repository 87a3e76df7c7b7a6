/**
 * Local validation of THB collect requests, before anything is signed or sent.
 *
 * zod (`zod/mini`) checks the shape: the right types, no unknown fields (a misspelt `notifyURL` would
 * otherwise be dropped without a word). Then the document's rules are checked one by one, every broken
 * rule collected, and the whole list thrown as one InvalidRequestError naming each field and its rule.
 * The result is the wire form: amount as `"300.00"`, `inBankCode` filled in, empty optionals left out.
 *
 * Rules the document leaves open, and what thaipay does:
 * - Names: one or more words separated by single spaces; the document's own example is one word
 *   (`"test"`), so a middle and last name are not required.
 * - Collection phone: the provider's phone guide (Thai numbers, 10 digits starting with 0), as for payouts.
 * - `CASHIER` amounts: the QR range, 1.00–8,000.00 (see `LIMITS`); `EWALLET` payouts: no documented
 *   limit, so only "more than 0.00".
 * - `accountNo`: digits only for `BANK_ACCOUNT` (Thai bank account numbers are numeric; dashes as printed
 *   on passbooks are refused rather than guessed away); for `EWALLET`, any text without spaces.
 * - `bankCode` for `EWALLET` payouts: the document lists no e-wallet codes, so any code of capital
 *   letters, digits and `_` is passed on.
 */
import * as z from 'zod/mini';
import { isBankCode } from '../banks/codes';
import { type FieldIssue, InvalidRequestError } from '../core/errors';
import { type AmountLimit, formatBaht, LIMITS, parseAmount } from '../core/money';
import {
  THB_ACCOUNT_TYPES,
  THB_PAY_TYPES,
  type ThbAccountType,
  type ThbInBankCode,
  type ThbPayType,
} from './constants';

/** A collection to create (`/thb/collect/apply`). Field names are the document's. */
export interface ThbCreateCollectionInput {
  /** Your order id, unique, 1–48 characters. Re-sends after a lost answer reuse it. */
  orderId: string;
  /** Baht, at most 2 decimals: `300`, `"300"`, `"300.5"`. QR 1–8000, TrueMoney 1–1000, cashier 1–8000. */
  amount: number | string;
  /** `QR` (PromptPay QR), `PAYMENT_GATEWAY` (TrueMoney) or `CASHIER` (hosted page, QR and TrueMoney). */
  payType: ThbPayType;
  /** Filled in from `payType` when left out; when given it must be the pair's (`QR`, `TM`, `CASHIER`). */
  inBankCode?: ThbInBankCode;
  /** Payer name: English letters and spaces, `!` and `-` allowed, 1–30 characters. */
  name: string;
  /** Payer phone: Thai, 10 digits starting with 0 (`0812345678`). */
  phone: string;
  /** Payer email. */
  email: string;
  /** Where the payer is sent after paying (http or https). */
  callBackUrl: string;
  /** Where the payer is sent after a failed payment (http or https). */
  callBackFailUrl: string;
  /** Where the platform POSTs the notification (http or https). */
  notifyUrl?: string;
  /** Payment note, required. */
  subject: string;
  /** Remark details. */
  body?: string;
  /** Your stable id of the payer, for the provider's risk control: letters, digits and `-~!@#$%&*()_`. */
  partnerUserId: string;
}

/** A payout (disbursement) to create (`/thb/pay/apply`). Field names are the document's. */
export interface ThbCreatePayoutInput {
  /** Your order id, unique, 1–48 characters. */
  orderId: string;
  /** Baht, at most 2 decimals; bank payouts 1–49,999. */
  amount: number | string;
  /** `BANK_ACCOUNT` or `EWALLET`. */
  accountType: ThbAccountType;
  /** For `BANK_ACCOUNT` a code of the bank table (`KBANK`, `SCB`, ...; see `thaipay/banks`). */
  bankCode: string;
  /** The beneficiary's account number (digits only for bank accounts). */
  accountNo: string;
  /** Beneficiary name: English letters and spaces, `'`, `.` and `-` allowed, 1–30 characters. */
  name: string;
  /** Beneficiary phone: 10 digits starting with 0. */
  phone: string;
  /** Beneficiary email. */
  email: string;
  /** Where the platform POSTs the notification (http or https). */
  notifyUrl?: string;
  /** Payment note (title, product, reason). */
  subject?: string;
  /** Detailed note. */
  body?: string;
  /** Your stable id of the beneficiary: letters, digits and `-~!@#$%&*()_`. */
  partnerUserId: string;
}

/** Which order to query. `orderNo` (the platform's number) makes the answer faster. */
export interface ThbOrderQuery {
  /** Your order id, the one the order was created with. */
  orderId: string;
  /** The platform's order number from the create answer, when you have it. */
  orderNo?: string;
}

/** A request ready to sign: the wire parameters without `appId` and `sign`. */
export interface ThbWireRequest {
  orderId: string;
  params: Record<string, string>;
}

const MAX_ORDER_ID = 48;
const MAX_NAME = 30;
const MAX_EMAIL = 254;
const MAX_PARTNER_USER_ID = 128;
const MAX_ORDER_NO = 64;

const COLLECTION_NAME = /^[A-Za-z!-]+(?: [A-Za-z!-]+)*$/;
const PAYOUT_NAME = /^[A-Za-z'.-]+(?: [A-Za-z'.-]+)*$/;
const THAI_PHONE = /^0\d{9}$/;
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const PARTNER_USER_ID = /^[A-Za-z0-9\-~!@#$%&*()_]+$/;
const DIGITS = /^\d+$/;
const NO_SPACE = /^\S+$/;
const EWALLET_CODE = /^[A-Z0-9_]{1,32}$/;

const amountShape = z.union([z.number(), z.string()]);

const collectionShape = z.strictObject({
  orderId: z.string(),
  amount: amountShape,
  payType: z.string(),
  inBankCode: z.optional(z.string()),
  name: z.string(),
  phone: z.string(),
  email: z.string(),
  callBackUrl: z.string(),
  callBackFailUrl: z.string(),
  notifyUrl: z.optional(z.string()),
  subject: z.string(),
  body: z.optional(z.string()),
  partnerUserId: z.string(),
});

const payoutShape = z.strictObject({
  orderId: z.string(),
  amount: amountShape,
  accountType: z.string(),
  bankCode: z.string(),
  accountNo: z.string(),
  name: z.string(),
  phone: z.string(),
  email: z.string(),
  notifyUrl: z.optional(z.string()),
  subject: z.optional(z.string()),
  body: z.optional(z.string()),
  partnerUserId: z.string(),
});

const queryShape = z.strictObject({
  orderId: z.string(),
  orderNo: z.optional(z.string()),
});

/** The shape check: zod's issues in the words of {@link FieldIssue}. */
function checkShape<T>(schema: z.ZodMiniType<T>, input: unknown, what: string): T {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw InvalidRequestError.field('input', `must be an object describing the ${what}`);
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const record = input as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({ field: key, rule: `is not a field of the ${what} (check its spelling)` });
      }
      continue;
    }
    const field = issue.path.map(String).join('.') || 'input';
    const value = record[field];
    if (value === undefined) issues.push({ field, rule: 'is required' });
    else if (field === 'amount') issues.push({ field, rule: 'must be a number or a string of baht' });
    else issues.push({ field, rule: 'must be a string' });
  }
  throw new InvalidRequestError(issues);
}

/** Collects rule violations so every broken rule is reported at once. */
class Issues {
  readonly list: FieldIssue[] = [];

  add(field: string, rule: string): void {
    this.list.push({ field, rule });
  }

  /** Run a check that throws InvalidRequestError (parseAmount) and keep its issues. */
  catch<T>(run: () => T): T | undefined {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof InvalidRequestError)) throw error;
      this.list.push(...error.issues);
      return undefined;
    }
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new InvalidRequestError(this.list);
  }
}

function checkOrderId(issues: Issues, orderId: string): void {
  if (orderId.trim() === '' || orderId.length > MAX_ORDER_ID) {
    issues.add('orderId', `must be 1-${MAX_ORDER_ID} characters and not blank`);
  }
}

function checkName(issues: Issues, name: string, pattern: RegExp, specials: string): void {
  if (name.length < 1 || name.length > MAX_NAME || !pattern.test(name) || !/[A-Za-z]/.test(name)) {
    issues.add(
      'name',
      `must be 1-${MAX_NAME} characters of English letters, single spaces between words and ${specials} ("firstName middleName lastName")`,
    );
  }
}

function checkPhone(issues: Issues, phone: string): void {
  if (!THAI_PHONE.test(phone))
    issues.add('phone', 'must be 10 digits starting with 0 (0812345678), no spaces or +66');
}

function checkEmail(issues: Issues, email: string): void {
  if (email.length > MAX_EMAIL || !EMAIL.test(email))
    issues.add('email', 'must be an email address (name@example.com)');
}

function checkPartnerUserId(issues: Issues, id: string): void {
  if (id.length < 1 || id.length > MAX_PARTNER_USER_ID || !PARTNER_USER_ID.test(id)) {
    issues.add(
      'partnerUserId',
      `must be 1-${MAX_PARTNER_USER_ID} characters of letters, digits and -~!@#$%&*()_ (your stable user id)`,
    );
  }
}

function checkUrl(issues: Issues, field: string, value: string): void {
  let ok = false;
  if (NO_SPACE.test(value)) {
    try {
      const url = new URL(value);
      ok = (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
    } catch {
      ok = false;
    }
  }
  if (!ok) issues.add(field, 'must be an absolute http(s) URL');
}

function checkNotBlank(issues: Issues, field: string, value: string): void {
  if (value.trim() === '') issues.add(field, 'must not be empty');
}

/** Copy the optional fields that carry something; empty ones are left out of the wire and sign string. */
function putOptional(params: Record<string, string>, field: string, value: string | undefined): void {
  if (value !== undefined && value !== '') params[field] = value;
}

function amountText(
  issues: Issues,
  amount: number | string,
  limit: Partial<AmountLimit>,
): string | undefined {
  const satang = issues.catch(() => parseAmount(amount, { field: 'amount', ...limit }));
  return satang === undefined ? undefined : formatBaht(satang);
}

function isPayType(value: string): value is ThbPayType {
  return Object.hasOwn(THB_PAY_TYPES, value);
}

const COLLECTION_LIMITS: Record<ThbPayType, AmountLimit> = {
  QR: LIMITS.thbCollect.QR,
  PAYMENT_GATEWAY: LIMITS.thbCollect.TM,
  CASHIER: LIMITS.thbCollect.CASHIER,
};

/**
 * Validate a collection and return its wire parameters (`appId` and `sign` are added by the client).
 *
 * @throws {InvalidRequestError} listing every field that breaks a rule.
 * @example
 * ```ts
 * const { params } = collectionRequest({ orderId: 'M1', amount: 300, payType: 'QR', ...payer });
 * params.amount; // "300.00"
 * params.inBankCode; // "QR"
 * ```
 */
export function collectionRequest(input: ThbCreateCollectionInput): ThbWireRequest {
  const value = checkShape(collectionShape, input, 'collection');
  const issues = new Issues();
  checkOrderId(issues, value.orderId);

  let inBankCode: string | undefined;
  let amount: string | undefined;
  if (isPayType(value.payType)) {
    inBankCode = THB_PAY_TYPES[value.payType];
    if (value.inBankCode !== undefined && value.inBankCode !== inBankCode) {
      issues.add('inBankCode', `must be ${inBankCode} when payType is ${value.payType} (or be left out)`);
    }
    amount = amountText(issues, value.amount, COLLECTION_LIMITS[value.payType]);
  } else {
    issues.add('payType', `must be one of ${Object.keys(THB_PAY_TYPES).join(', ')}`);
    issues.catch(() => parseAmount(value.amount, { field: 'amount' }));
  }

  checkName(issues, value.name, COLLECTION_NAME, '! -');
  checkPhone(issues, value.phone);
  checkEmail(issues, value.email);
  checkUrl(issues, 'callBackUrl', value.callBackUrl);
  checkUrl(issues, 'callBackFailUrl', value.callBackFailUrl);
  if (value.notifyUrl !== undefined && value.notifyUrl !== '') checkUrl(issues, 'notifyUrl', value.notifyUrl);
  checkNotBlank(issues, 'subject', value.subject);
  checkPartnerUserId(issues, value.partnerUserId);
  issues.throwIfAny();

  const params: Record<string, string> = {
    orderId: value.orderId,
    amount: amount!,
    payType: value.payType,
    inBankCode: inBankCode!,
    name: value.name,
    phone: value.phone,
    email: value.email,
    callBackUrl: value.callBackUrl,
    callBackFailUrl: value.callBackFailUrl,
    subject: value.subject,
    partnerUserId: value.partnerUserId,
  };
  putOptional(params, 'notifyUrl', value.notifyUrl);
  putOptional(params, 'body', value.body);
  return { orderId: value.orderId, params };
}

/**
 * Validate a payout and return its wire parameters (`appId` and `sign` are added by the client).
 *
 * @throws {InvalidRequestError} listing every field that breaks a rule.
 * @example
 * ```ts
 * const { params } = payoutRequest({ orderId: 'P1', amount: '500', accountType: 'BANK_ACCOUNT', bankCode: 'KBANK', ...rest });
 * params.amount; // "500.00"
 * ```
 */
export function payoutRequest(input: ThbCreatePayoutInput): ThbWireRequest {
  const value = checkShape(payoutShape, input, 'payout');
  const issues = new Issues();
  checkOrderId(issues, value.orderId);

  let amount: string | undefined;
  const accountType = value.accountType;
  if (accountType === 'BANK_ACCOUNT') {
    amount = amountText(issues, value.amount, LIMITS.thbCollect.BANK_ACCOUNT);
    if (!isBankCode(value.bankCode)) {
      issues.add(
        'bankCode',
        'must be a bank code of the THB collect table (KBANK, SCB, BBL, ...; see thaipay/banks)',
      );
    }
    if (!DIGITS.test(value.accountNo) || value.accountNo.length > 32) {
      issues.add(
        'accountNo',
        'must be the bank account number in digits only (no dashes or spaces), at most 32',
      );
    }
  } else if (accountType === 'EWALLET') {
    amount = amountText(issues, value.amount, {});
    if (!EWALLET_CODE.test(value.bankCode)) {
      issues.add('bankCode', 'must be the e-wallet code given by the provider (capital letters, digits, _)');
    }
    if (!NO_SPACE.test(value.accountNo) || value.accountNo.length > 64) {
      issues.add('accountNo', 'must be the wallet account, 1-64 characters without spaces');
    }
  } else {
    issues.add('accountType', `must be one of ${THB_ACCOUNT_TYPES.join(', ')}`);
    issues.catch(() => parseAmount(value.amount, { field: 'amount' }));
  }

  checkName(issues, value.name, PAYOUT_NAME, "' . -");
  checkPhone(issues, value.phone);
  checkEmail(issues, value.email);
  if (value.notifyUrl !== undefined && value.notifyUrl !== '') checkUrl(issues, 'notifyUrl', value.notifyUrl);
  checkPartnerUserId(issues, value.partnerUserId);
  issues.throwIfAny();

  const params: Record<string, string> = {
    orderId: value.orderId,
    amount: amount!,
    accountType,
    bankCode: value.bankCode,
    accountNo: value.accountNo,
    name: value.name,
    phone: value.phone,
    email: value.email,
    partnerUserId: value.partnerUserId,
  };
  putOptional(params, 'notifyUrl', value.notifyUrl);
  putOptional(params, 'subject', value.subject);
  putOptional(params, 'body', value.body);
  return { orderId: value.orderId, params };
}

/**
 * Validate an order query and return its wire parameters.
 *
 * @throws {InvalidRequestError} naming `orderId` or `orderNo`.
 * @example
 * ```ts
 * queryRequest({ orderId: 'M1' }).params; // { orderId: 'M1' }
 * ```
 */
export function queryRequest(input: ThbOrderQuery): ThbWireRequest {
  const value = checkShape(queryShape, input, 'order query');
  const issues = new Issues();
  checkOrderId(issues, value.orderId);
  if (value.orderNo !== undefined && value.orderNo !== '') {
    if (!NO_SPACE.test(value.orderNo) || value.orderNo.length > MAX_ORDER_NO) {
      issues.add('orderNo', `must be the platform order number, 1-${MAX_ORDER_NO} characters without spaces`);
    }
  }
  issues.throwIfAny();
  const params: Record<string, string> = { orderId: value.orderId };
  putOptional(params, 'orderNo', value.orderNo);
  return { orderId: value.orderId, params };
}
