/**
 * Local validation of THB collect requests, before anything is signed or sent.
 *
 * zod (`zod/mini`) checks the shape: the right types, no unknown fields (a misspelt `notifyURL` would
 * otherwise be dropped without a word). Then the provider's documented rules are checked, every broken
 * rule collected, and the whole list thrown as one InvalidRequestError naming each field and its rule.
 * The result is the wire form: amount as `"300.00"`, `inBankCode` filled in, empty optionals left out.
 *
 * Only rules the provider documents are enforced (`Thailand.mdx`, `thb.openapi.json`,
 * `thb-collect-api.txt`): required fields, orderId at most 48, the amount pattern `^\d+\.\d{2}$` (the
 * wire form), the name patterns and 1–30 length, the payout phone `^0\d{9}$` (the collection phone is
 * documented with the same format), email and URI formats, the partnerUserId characters, the payType /
 * inBankCode pairs, the account types and the bank-code table. Amount ranges are the merchant's
 * contract: defaults in `THB_DEFAULT_LIMITS`, replaced by the client's `limits` option. Nothing else
 * (account-number digits or lengths, name spacing, id lengths) is refused here: the provider decides.
 */
import * as z from 'zod/mini';
import { isBankCode } from '../banks/codes';
import { type FieldIssue, InvalidRequestError } from '../core/errors';
import { formatBaht, parseAmount } from '../core/money';
import {
  THB_ACCOUNT_TYPES,
  THB_DEFAULT_LIMITS,
  THB_PAY_TYPES,
  THB_STATEMENT_TYPES,
  type ThbAccountType,
  type ThbAmountLimit,
  type ThbInBankCode,
  type ThbLimits,
  type ThbPayType,
  type ThbStatementType,
} from './constants';

/** A collection to create (`/thb/collect/apply`). Field names are the document's. */
export interface ThbCreateCollectionInput {
  /** Your order id, unique, at most 48 characters. Re-sends after a lost answer reuse it. */
  orderId: string;
  /**
   * Baht, at most 2 decimals: `300`, `"300"`, `"300.5"`; sent as `"300.00"`. Within the client's
   * `limits` (defaults: QR 1–8,000, TrueMoney 1–1,000, cashier 1–8,000).
   */
  amount: number | string;
  /** `QR` (PromptPay QR), `PAYMENT_GATEWAY` (TrueMoney) or `CASHIER` (hosted page, QR and TrueMoney). */
  payType: ThbPayType;
  /** Filled in from `payType` when left out; when given it must be the pair's (`QR`, `TM`, `CASHIER`). */
  inBankCode?: ThbInBankCode;
  /** Payer name: 1–30 characters of English letters, white space, `!` and `-` (`^[A-Za-z\s!-]+$`). */
  name: string;
  /** Payer phone: 10 digits starting with 0 (`0812345678`). */
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
  /** Your order id, unique, at most 48 characters. */
  orderId: string;
  /** Baht, at most 2 decimals; within the client's `limits` (default 1–8,000 for both account types). */
  amount: number | string;
  /** `BANK_ACCOUNT` or `EWALLET`. */
  accountType: ThbAccountType;
  /** For `BANK_ACCOUNT` a code of the bank table (`KBANK`, `SCB`, ...; see `thaipay/banks`); for `EWALLET` the provider's code. */
  bankCode: string;
  /** The beneficiary's account (bank account number or wallet id), as the provider should receive it. */
  accountNo: string;
  /** Beneficiary name: 1–30 characters of English letters, white space, `'`, `.` and `-` (`^[A-Za-z\s'.-]+$`). */
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

// The patterns of thb.openapi.json, as published.
const COLLECTION_NAME = /^[A-Za-z\s!-]+$/;
const PAYOUT_NAME = /^[A-Za-z\s'.-]+$/;
const PHONE = /^0\d{9}$/;
const PARTNER_USER_ID = /^[A-Za-z0-9\-~!@#$%&*()_]+$/;
// `format: email`: one @, something on each side, a dot in the domain; no white space.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const STATEMENT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

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
  if (orderId.trim() === '') issues.add('orderId', 'is required');
  else if (orderId.length > MAX_ORDER_ID) issues.add('orderId', `must be at most ${MAX_ORDER_ID} characters`);
}

function checkName(issues: Issues, name: string, pattern: RegExp, specials: string): void {
  if (name.length < 1 || name.length > MAX_NAME || !pattern.test(name)) {
    issues.add('name', `must be 1-${MAX_NAME} characters of English letters, spaces and ${specials}`);
  }
}

function checkPhone(issues: Issues, phone: string): void {
  if (!PHONE.test(phone)) issues.add('phone', 'must be 10 digits starting with 0 (0812345678)');
}

function checkEmail(issues: Issues, email: string): void {
  if (!EMAIL.test(email)) issues.add('email', 'must be an email address (name@example.com)');
}

function checkPartnerUserId(issues: Issues, id: string): void {
  if (!PARTNER_USER_ID.test(id)) {
    issues.add('partnerUserId', 'must be letters, digits and -~!@#$%&*()_ (your stable user id)');
  }
}

function checkUrl(issues: Issues, field: string, value: string): void {
  let ok = false;
  if (!/\s/.test(value)) {
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
  if (value.trim() === '') issues.add(field, 'is required');
}

/** Copy the optional fields that carry something; empty ones are left out of the wire and sign string. */
function putOptional(params: Record<string, string>, field: string, value: string | undefined): void {
  if (value !== undefined && value !== '') params[field] = value;
}

function amountText(issues: Issues, amount: number | string, limit: ThbAmountLimit): string | undefined {
  const satang = issues.catch(() => parseAmount(amount, { field: 'amount', ...limit }));
  return satang === undefined ? undefined : formatBaht(satang);
}

function isPayType(value: string): value is ThbPayType {
  return Object.hasOwn(THB_PAY_TYPES, value);
}

function isAccountType(value: string): value is ThbAccountType {
  return (THB_ACCOUNT_TYPES as readonly string[]).includes(value);
}

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
export function collectionRequest(
  input: ThbCreateCollectionInput,
  limits: ThbLimits = THB_DEFAULT_LIMITS,
): ThbWireRequest {
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
    amount = amountText(issues, value.amount, limits.collection[value.payType]);
  } else {
    issues.add('payType', `must be one of ${Object.keys(THB_PAY_TYPES).join(', ')}`);
    issues.catch(() => parseAmount(value.amount, { field: 'amount' }));
  }

  checkName(issues, value.name, COLLECTION_NAME, '! and -');
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
export function payoutRequest(
  input: ThbCreatePayoutInput,
  limits: ThbLimits = THB_DEFAULT_LIMITS,
): ThbWireRequest {
  const value = checkShape(payoutShape, input, 'payout');
  const issues = new Issues();
  checkOrderId(issues, value.orderId);

  let amount: string | undefined;
  const accountType = value.accountType;
  if (isAccountType(accountType)) {
    amount = amountText(issues, value.amount, limits.payout[accountType]);
  } else {
    issues.add('accountType', `must be one of ${THB_ACCOUNT_TYPES.join(', ')}`);
    issues.catch(() => parseAmount(value.amount, { field: 'amount' }));
  }
  if (accountType === 'BANK_ACCOUNT' && !isBankCode(value.bankCode)) {
    issues.add(
      'bankCode',
      'must be a bank code of the THB collect table (KBANK, SCB, BBL, ...; see thaipay/banks)',
    );
  } else if (value.bankCode.trim() === '') {
    issues.add('bankCode', 'is required');
  }
  checkNotBlank(issues, 'accountNo', value.accountNo);

  checkName(issues, value.name, PAYOUT_NAME, "', . and -");
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
  issues.throwIfAny();
  const params: Record<string, string> = { orderId: value.orderId };
  putOptional(params, 'orderNo', value.orderNo);
  return { orderId: value.orderId, params };
}

/** Which statement file to link (`/common/document/download`). */
export interface ThbStatementQuery {
  /** `collection` (type 20), `payout` (type 15) or `fundFlow` (type 40). */
  type: ThbStatementType;
  /** The day, `yyyyMMdd` (`"20260301"`). A day's file is ready the next day after 13:00. */
  date: string;
}

/** Which payout's voucher to fetch (`/common/voucher`). */
export interface ThbVoucherQuery {
  /** The platform's order number of the payout (`orderNo` of the create or query answer). */
  orderNo: string;
}

/** Signed parameters of a read (no order id): the wire form without `appId` and `sign`. */
export type ThbReadParams = Record<string, string | number>;

const statementShape = z.strictObject({ type: z.string(), date: z.string() });
const voucherShape = z.strictObject({ orderNo: z.string() });

/**
 * Validate a statement query and return its wire parameters (`type` as the documented number).
 *
 * @throws {InvalidRequestError} naming `type` and `date` when they are wrong.
 * @example
 * ```ts
 * statementRequest({ type: 'collection', date: '20260301' }); // { type: 20, date: "20260301" }
 * ```
 */
export function statementRequest(input: ThbStatementQuery): ThbReadParams {
  const value = checkShape(statementShape, input, 'statement query');
  const issues = new Issues();
  const type = Object.hasOwn(THB_STATEMENT_TYPES, value.type)
    ? THB_STATEMENT_TYPES[value.type as ThbStatementType]
    : undefined;
  if (type === undefined) {
    issues.add('type', `must be one of ${Object.keys(THB_STATEMENT_TYPES).join(', ')}`);
  }
  const m = STATEMENT_DATE.exec(value.date);
  const day = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !day || day.getUTCDate() !== Number(m[3]) || day.getUTCMonth() !== Number(m[2]) - 1) {
    issues.add('date', 'must be a calendar day written yyyyMMdd (20260301)');
  }
  issues.throwIfAny();
  return { type: type!, date: value.date };
}

/**
 * Validate a voucher query. `orderNo` is a Long in the document: sent as a JSON number when it is one
 * JavaScript holds exactly, else as its digits (the sign string is the same text either way).
 *
 * @throws {InvalidRequestError} naming `orderNo` when it is not the platform's digits.
 * @example
 * ```ts
 * voucherRequest({ orderNo: '3023062014149637' }); // { orderNo: 3023062014149637 }
 * ```
 */
export function voucherRequest(input: ThbVoucherQuery): ThbReadParams {
  const value = checkShape(voucherShape, input, 'voucher query');
  if (!/^\d{1,19}$/.test(value.orderNo)) {
    throw InvalidRequestError.field('orderNo', "must be the platform's order number (digits)");
  }
  const n = Number(value.orderNo);
  return { orderNo: Number.isSafeInteger(n) && String(n) === value.orderNo ? n : value.orderNo };
}

/** What a `limits` option may hold: partial ranges per product, merged over the defaults. */
export interface ThbLimitsOption {
  /** Collections, by `payType`. */
  collection?: Partial<Record<ThbPayType, ThbAmountLimit>>;
  /** Payouts, by `accountType`. */
  payout?: Partial<Record<ThbAccountType, ThbAmountLimit>>;
}

/**
 * Merge a `limits` option over {@link THB_DEFAULT_LIMITS}, checking every range given.
 *
 * @throws {InvalidRequestError} naming each bad entry (`limits.payout.BANK_ACCOUNT.maxSatang`, ...).
 * @example
 * ```ts
 * resolveLimits({ payout: { BANK_ACCOUNT: { minSatang: 100, maxSatang: 4_999_900 } } });
 * ```
 */
export function resolveLimits(option: ThbLimitsOption | undefined): ThbLimits {
  if (option === undefined) return THB_DEFAULT_LIMITS;
  const issues = new Issues();
  if (option === null || typeof option !== 'object') {
    throw InvalidRequestError.field('limits', 'must be an object: { collection?, payout? }');
  }
  const merge = <K extends string>(
    group: 'collection' | 'payout',
    defaults: Readonly<Record<K, ThbAmountLimit>>,
    given: unknown,
  ): Record<K, ThbAmountLimit> => {
    const out = { ...defaults } as Record<K, ThbAmountLimit>;
    if (given === undefined) return out;
    if (given === null || typeof given !== 'object') {
      issues.add(`limits.${group}`, `must be an object keyed by ${Object.keys(defaults).join(', ')}`);
      return out;
    }
    for (const [key, range] of Object.entries(given as Record<string, unknown>)) {
      const field = `limits.${group}.${key}`;
      if (!Object.hasOwn(defaults, key)) {
        issues.add(field, `is not a product; one of ${Object.keys(defaults).join(', ')}`);
        continue;
      }
      const r = range as Partial<ThbAmountLimit> | null;
      const min = r?.minSatang;
      const max = r?.maxSatang;
      const minOk = typeof min === 'number' && Number.isSafeInteger(min) && min >= 1;
      const maxOk = typeof max === 'number' && Number.isSafeInteger(max) && max >= 1;
      if (!minOk) issues.add(`${field}.minSatang`, 'must be a whole number of satang, 1 or more');
      if (!maxOk) issues.add(`${field}.maxSatang`, 'must be a whole number of satang, 1 or more');
      if (minOk && maxOk && min > max) issues.add(field, 'minSatang must not be more than maxSatang');
      if (minOk && maxOk && min <= max)
        out[key as K] = /* @__PURE__ */ Object.freeze({ minSatang: min, maxSatang: max });
    }
    return out;
  };
  const collection = merge('collection', THB_DEFAULT_LIMITS.collection, option.collection);
  const payout = merge('payout', THB_DEFAULT_LIMITS.payout, option.payout);
  issues.throwIfAny();
  return /* @__PURE__ */ Object.freeze({
    collection: /* @__PURE__ */ Object.freeze(collection),
    payout: /* @__PURE__ */ Object.freeze(payout),
  });
}
