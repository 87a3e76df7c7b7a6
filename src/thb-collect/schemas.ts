/**
 * Local validation of THB collect requests and client options, before anything is signed or sent.
 *
 * Every rule is a zod (`zod/mini`) check, parsed with core's `validate`, so every broken rule is reported
 * at once in one InvalidRequestError naming each field, in the same words as the JWT gateway's. Unknown
 * fields are refused (a misspelt `notifyURL` would otherwise be dropped without a word). The public input
 * types are inferred from these schemas. The wire form (amount as `"300.00"`, `inBankCode` filled in,
 * empty optionals left out) is made from the parsed value by the `...Request` functions.
 *
 * Only rules the provider documents are enforced (`Thailand.mdx`, `thb.openapi.json`,
 * `thb-collect-api.txt`): required fields, orderId at most 48, the amount pattern `^\d+\.\d{2}$` (the
 * wire form), the name patterns and 1–30 length, the payout phone `^0\d{9}$` (the collection phone is
 * documented with the same format), email and URI formats, the partnerUserId characters, the payType /
 * inBankCode pairs, the account types and the bank-code table. Amount ranges are the merchant's
 * contract: defaults in `THB_DEFAULT_LIMITS`, replaced by the client's `limits` option. Nothing else
 * (account-number digits or lengths, name spacing, id lengths) is refused here: the provider decides.
 *
 * zod's enum, union, number, boolean and format schemas each pull their own part of zod's core into the
 * client bundle (issue 13's size budgets): every rule here is a refine on `z.custom()`.
 */
import * as z from 'zod/mini';
import { isBankCode } from '../banks/codes';
import { parseRsaKey } from '../core/crypto';
import { InvalidRequestError } from '../core/errors';
import { formatBaht, parseAmount } from '../core/money';
import { isHttpUrl, validate } from '../core/validation';
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

const MAX_ORDER_ID = 48;
const MAX_NAME = 30;
const REQUIRED = 'is required';
const URL_RULE = 'must be an absolute http(s) URL';

// The patterns of thb.openapi.json, as published.
const COLLECTION_NAME = /^[A-Za-z\s!-]+$/;
const PAYOUT_NAME = /^[A-Za-z\s'.-]+$/;
const PHONE = /^0\d{9}$/;
const PARTNER_USER_ID = /^[A-Za-z0-9\-~!@#$%&*()_]+$/;
// `format: email`: one @, something on each side, a dot in the domain; no white space.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const STATEMENT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

// ---- Field rules ----

/**
 * A field whose `rule` names what is wrong with a given value (or nothing); a missing one "is required".
 * One check per field: zod's string, number and enum schemas would each add their part of zod's core.
 */
function field<T>(rule: (value: unknown) => string | undefined) {
  return checked<T>((value) => (value === undefined ? REQUIRED : rule(value)));
}

/** A value whose `rule` names what is wrong with it, or nothing. */
function checked<T>(rule: (value: unknown) => string | undefined) {
  return z.custom<T>().check(
    z.superRefine((value, ctx) => {
      const broken = rule(value);
      if (broken !== undefined) ctx.addIssue(broken);
    }),
  );
}

/** A value that must pass `ok`, else `rule`. */
const where = <T>(rule: string, ok: (value: unknown) => boolean) =>
  checked<T>((value) => (ok(value) ? undefined : rule));

/** A string that must pass `ok` (another type "must be a string"). */
const textWhere = (rule: string, ok: (value: string) => boolean = () => true) =>
  field<string>((v) => (typeof v !== 'string' ? 'must be a string' : ok(v) ? undefined : rule));

/** One of `values`, whatever was given: anything else names the choices. */
function oneOf<T extends string>(values: readonly string[]) {
  const rule = `must be one of ${values.join(', ')}`;
  return field<T>((v) => (values.includes(v as string) ? undefined : rule));
}

/** The first rule `parseAmount` names for `value`, or undefined when it is an amount within `limit`. */
function amountRule(value: unknown, limit?: ThbAmountLimit): string | undefined {
  try {
    parseAmount(value as number | string, { field: 'amount', ...limit });
    return undefined;
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    return error.issues[0]?.rule;
  }
}

/** An http(s) URL with a host and no white space (a URL the platform can call back). */
const isUrl = (v: string) => !/\s/.test(v) && isHttpUrl(v) && new URL(v).hostname !== '';

const orderId = field<string>((v) =>
  typeof v !== 'string'
    ? 'must be a string'
    : v.trim() === ''
      ? REQUIRED
      : v.length > MAX_ORDER_ID
        ? `must be at most ${MAX_ORDER_ID} characters`
        : undefined,
);
/** Baht as a number or a string; its range depends on the product, checked on the whole input. */
const amount = field<number | string>((v) =>
  typeof v !== 'number' && typeof v !== 'string' ? 'must be a number or a string of baht' : amountRule(v),
);
const nonBlank = textWhere(REQUIRED, (v) => v.trim() !== '');
const name = (pattern: RegExp, specials: string) =>
  textWhere(
    `must be 1-${MAX_NAME} characters of English letters, spaces and ${specials}`,
    (v) => v.length >= 1 && v.length <= MAX_NAME && pattern.test(v),
  );
const phone = textWhere('must be 10 digits starting with 0 (0812345678)', (v) => PHONE.test(v));
const email = textWhere('must be an email address (name@example.com)', (v) => EMAIL.test(v));
const url = textWhere(URL_RULE, isUrl);
/** An optional URL: an empty one is left out of the wire. */
const optionalUrl = z.optional(textWhere(URL_RULE, (v) => v === '' || isUrl(v)));
const partnerUserId = textWhere('must be letters, digits and -~!@#$%&*()_ (your stable user id)', (v) =>
  PARTNER_USER_ID.test(v),
);
const optionalText = z.optional(textWhere(''));

/** zod's error for an object's unknown keys, in the words of what the object is. */
const objectRules = (unknownField: string, notObject?: string) => ({
  error: (issue: { code?: string }) => (issue.code === 'unrecognized_keys' ? unknownField : notObject),
});
const unknownFields = (what: string) => objectRules(`is not a field of the ${what} (check its spelling)`);

/**
 * A check on the whole input, run even when a field has the wrong type, so a rule that depends on two
 * fields (the amount's range on the product) is reported with every other broken rule, and listed at its
 * field in the order of the `fields`, as if the field had checked it.
 */
function crossCheck<T>(
  fields: readonly string[],
  check: (value: T, add: (field: string, rule: string) => void) => void,
) {
  const rank = (field: unknown) => fields.indexOf(field as string);
  return z.superRefine<T>(
    (value, ctx) =>
      check(value, (field, message) => {
        const at = ctx.issues.findIndex((issue) => rank(issue.path?.[0]) > rank(field));
        ctx.issues.splice(at === -1 ? ctx.issues.length : at, 0, {
          code: 'custom',
          message,
          path: [field],
          input: value,
        });
      }),
    { when: () => true },
  );
}

// ---- Collections ----

const collectionShape = z.strictObject(
  {
    /** Your order id, unique, at most 48 characters. Re-sends after a lost answer reuse it. */
    orderId,
    /**
     * Baht, at most 2 decimals: `300`, `"300"`, `"300.5"`; sent as `"300.00"`. Within the client's
     * `limits` (defaults: QR 1–8,000, TrueMoney 1–1,000, cashier 1–8,000).
     */
    amount,
    /** `QR` (PromptPay QR), `PAYMENT_GATEWAY` (TrueMoney) or `CASHIER` (hosted page, QR and TrueMoney). */
    payType: oneOf<ThbPayType>(Object.keys(THB_PAY_TYPES)),
    /** Filled in from `payType` when left out; when given it must be the pair's (`QR`, `TM`, `CASHIER`). */
    inBankCode: z.optional(z.custom<ThbInBankCode>()),
    /** Payer name: 1–30 characters of English letters, white space, `!` and `-` (`^[A-Za-z\s!-]+$`). */
    name: name(COLLECTION_NAME, '! and -'),
    /** Payer phone: 10 digits starting with 0 (`0812345678`). */
    phone,
    /** Payer email. */
    email,
    /** Where the payer is sent after paying (http or https). */
    callBackUrl: url,
    /** Where the payer is sent after a failed payment (http or https). */
    callBackFailUrl: url,
    /** Where the platform POSTs the notification (http or https). */
    notifyUrl: optionalUrl,
    /** Payment note, required. */
    subject: nonBlank,
    /** Remark details. */
    body: optionalText,
    /** Your stable id of the payer, for the provider's risk control: letters, digits and `-~!@#$%&*()_`. */
    partnerUserId,
  },
  unknownFields('collection'),
);

/**
 * A collection to create (`/thb/collect/apply`). Field names are the document's.
 *
 * @interface
 */
export type ThbCreateCollectionInput = z.input<typeof collectionShape>;
type Collection = z.output<typeof collectionShape>;

/** The collection schema with the range of each product: the pair and the amount depend on `payType`. */
function collectionSchema(limits: ThbLimits) {
  return collectionShape.check(
    crossCheck<Collection>(Object.keys(collectionShape.shape), (v, add) => {
      if (typeof v.payType !== 'string' || !Object.hasOwn(THB_PAY_TYPES, v.payType)) return;
      const pair = THB_PAY_TYPES[v.payType];
      if (v.inBankCode !== undefined && v.inBankCode !== pair) {
        add('inBankCode', `must be ${pair} when payType is ${v.payType} (or be left out)`);
      }
      // A malformed amount is already named by its own rule; here only its range.
      if (amountRule(v.amount) !== undefined) return;
      const rule = amountRule(v.amount, limits.collection[v.payType]);
      if (rule !== undefined) add('amount', rule);
    }),
  );
}

// ---- Payouts ----

const payoutShape = z.strictObject(
  {
    /** Your order id, unique, at most 48 characters. */
    orderId,
    /** Baht, at most 2 decimals; within the client's `limits` (default 1–8,000 for both account types). */
    amount,
    /** `BANK_ACCOUNT` or `EWALLET`. */
    accountType: oneOf<ThbAccountType>(THB_ACCOUNT_TYPES),
    /** For `BANK_ACCOUNT` a code of the bank table (`KBANK`, `SCB`, ...; see `thaipay/banks`); for `EWALLET` the provider's code. */
    bankCode: nonBlank,
    /** The beneficiary's account (bank account number or wallet id), as the provider should receive it. */
    accountNo: nonBlank,
    /** Beneficiary name: 1–30 characters of English letters, white space, `'`, `.` and `-` (`^[A-Za-z\s'.-]+$`). */
    name: name(PAYOUT_NAME, "', . and -"),
    /** Beneficiary phone: 10 digits starting with 0. */
    phone,
    /** Beneficiary email. */
    email,
    /** Where the platform POSTs the notification (http or https). */
    notifyUrl: optionalUrl,
    /** Payment note (title, product, reason). */
    subject: optionalText,
    /** Detailed note. */
    body: optionalText,
    /** Your stable id of the beneficiary: letters, digits and `-~!@#$%&*()_`. */
    partnerUserId,
  },
  unknownFields('payout'),
);

/**
 * A payout (disbursement) to create (`/thb/pay/apply`). Field names are the document's.
 *
 * @interface
 */
export type ThbCreatePayoutInput = z.input<typeof payoutShape>;
type Payout = z.output<typeof payoutShape>;

/** The payout schema with the range of each account type; a bank payout's code must be in the table. */
function payoutSchema(limits: ThbLimits) {
  return payoutShape.check(
    crossCheck<Payout>(Object.keys(payoutShape.shape), (v, add) => {
      if (v.accountType === 'BANK_ACCOUNT' && typeof v.bankCode === 'string' && v.bankCode.trim() !== '') {
        if (!isBankCode(v.bankCode)) {
          add(
            'bankCode',
            'must be a bank code of the THB collect table (KBANK, SCB, BBL, ...; see thaipay/banks)',
          );
        }
      }
      if (!(THB_ACCOUNT_TYPES as readonly unknown[]).includes(v.accountType)) return;
      if (amountRule(v.amount) !== undefined) return;
      const rule = amountRule(v.amount, limits.payout[v.accountType]);
      if (rule !== undefined) add('amount', rule);
    }),
  );
}

/** Schemas by limits object: the client's limits are fixed at construction, so each is built once. */
const schemasByLimits = new WeakMap<
  ThbLimits,
  { collection: ReturnType<typeof collectionSchema>; payout: ReturnType<typeof payoutSchema> }
>();

function schemasFor(limits: ThbLimits) {
  let schemas = schemasByLimits.get(limits);
  if (!schemas) {
    schemas = { collection: collectionSchema(limits), payout: payoutSchema(limits) };
    schemasByLimits.set(limits, schemas);
  }
  return schemas;
}

// ---- Queries ----

const orderQueryShape = z.strictObject(
  {
    /** Your order id, the one the order was created with. */
    orderId,
    /** The platform's order number from the create answer, when you have it. */
    orderNo: optionalText,
  },
  unknownFields('order query'),
);

/**
 * Which order to query. `orderNo` (the platform's number) makes the answer faster.
 *
 * @interface
 */
export type ThbOrderQuery = z.input<typeof orderQueryShape>;

/** A calendar day written `yyyyMMdd`. */
function isStatementDay(value: string): boolean {
  const m = STATEMENT_DATE.exec(value);
  if (!m) return false;
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return day.getUTCDate() === Number(m[3]) && day.getUTCMonth() === Number(m[2]) - 1;
}

const statementShape = z.strictObject(
  {
    /** `collection` (type 20), `payout` (type 15) or `fundFlow` (type 40). */
    type: oneOf<ThbStatementType>(Object.keys(THB_STATEMENT_TYPES)),
    /** The day, `yyyyMMdd` (`"20260301"`). A day's file is ready the next day after 13:00. */
    date: textWhere('must be a calendar day written yyyyMMdd (20260301)', isStatementDay),
  },
  unknownFields('statement query'),
);

/**
 * Which statement file to link (`/common/document/download`).
 *
 * @interface
 */
export type ThbStatementQuery = z.input<typeof statementShape>;

const voucherShape = z.strictObject(
  {
    /** The platform's order number of the payout (`orderNo` of the create or query answer). */
    orderNo: textWhere("must be the platform's order number (digits)", (v) => /^\d{1,19}$/.test(v)),
  },
  unknownFields('voucher query'),
);

/**
 * Which payout's voucher to fetch (`/common/voucher`).
 *
 * @interface
 */
export type ThbVoucherQuery = z.input<typeof voucherShape>;

// ---- Wire forms ----

/** A request ready to sign: the wire parameters without `appId` and `sign`. */
export interface ThbWireRequest {
  orderId: string;
  params: Record<string, string>;
}

/** Signed parameters of a read (no order id): the wire form without `appId` and `sign`. */
export type ThbReadParams = Record<string, string | number>;

/**
 * The wire parameters of a parsed input: amount in the `"300.00"` form, every other field as given
 * except `undefined` and empty ones, which the wire and the sign string leave out.
 */
function wire(value: Record<string, unknown>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [field, v] of Object.entries(value)) {
    if (field === 'amount') params.amount = formatBaht(parseAmount(v as number | string, { field }));
    else if (typeof v === 'string' && v !== '') params[field] = v;
  }
  return params;
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
  const value = validate(schemasFor(limits).collection, input);
  // The pair the cross-check allowed: the given inBankCode, or the one payType implies.
  const params = wire({ ...value, inBankCode: THB_PAY_TYPES[value.payType] });
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
  const value = validate(schemasFor(limits).payout, input);
  return { orderId: value.orderId, params: wire(value) };
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
  const value = validate(orderQueryShape, input);
  return { orderId: value.orderId, params: wire(value) };
}

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
  const value = validate(statementShape, input);
  return { type: THB_STATEMENT_TYPES[value.type], date: value.date };
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
  const { orderNo } = validate(voucherShape, input);
  const n = Number(orderNo);
  return { orderNo: Number.isSafeInteger(n) && String(n) === orderNo ? n : orderNo };
}

// ---- Client options ----

const SATANG_RULE = 'must be a whole number of satang, 1 or more';
const satang = where<number>(SATANG_RULE, (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1);

/** One product's range: both ends, the smaller first (reported on the range itself). */
const amountLimit = z
  .strictObject({
    /** Smallest amount accepted, in satang (100 = 1 baht). */
    minSatang: satang,
    /** Largest amount accepted, in satang. */
    maxSatang: satang,
  })
  .check(
    z.superRefine((l, ctx) => {
      if (typeof l.minSatang === 'number' && typeof l.maxSatang === 'number' && l.minSatang > l.maxSatang) {
        ctx.addIssue('minSatang must not be more than maxSatang');
      }
    }),
  );
const range = z.optional(amountLimit);

/** zod's error for a group of ranges: an unknown product, or not an object at all. */
const productsError = (products: readonly string[]) =>
  objectRules(
    `is not a product; one of ${products.join(', ')}`,
    `must be an object keyed by ${products.join(', ')}`,
  );

const limitsShape = z.strictObject(
  {
    /** Collections, by `payType`. */
    collection: z.optional(
      z.strictObject(
        {
          /** PromptPay QR collections (default 1–8,000 baht). */
          QR: range,
          /** TrueMoney collections (default 1–1,000 baht). */
          PAYMENT_GATEWAY: range,
          /** Cashier-page collections (default 1–8,000 baht). */
          CASHIER: range,
        },
        productsError(Object.keys(THB_PAY_TYPES)),
      ),
    ),
    /** Payouts, by `accountType`. */
    payout: z.optional(
      z.strictObject(
        {
          /** Payouts to bank accounts (default 1–8,000 baht). */
          BANK_ACCOUNT: range,
          /** Payouts to e-wallets (default 1–8,000 baht). */
          EWALLET: range,
        },
        productsError(THB_ACCOUNT_TYPES),
      ),
    ),
  },
  objectRules(
    'is not a field of the limits (collection, payout)',
    'must be an object: { collection?, payout? }',
  ),
);

/**
 * What a `limits` option may hold: partial ranges per product, merged over the defaults.
 *
 * @interface
 */
export type ThbLimitsOption = z.input<typeof limitsShape>;

/**
 * Merge a checked `limits` option over {@link THB_DEFAULT_LIMITS} (the client checks it with its other
 * options, so every broken entry is named at once).
 *
 * @example
 * ```ts
 * resolveLimits({ payout: { BANK_ACCOUNT: { minSatang: 100, maxSatang: 4_999_900 } } });
 * ```
 */
export function resolveLimits(option: ThbLimitsOption | undefined): ThbLimits {
  if (option === undefined) return THB_DEFAULT_LIMITS;
  const freeze = Object.freeze;
  return /* @__PURE__ */ freeze({
    collection: /* @__PURE__ */ freeze({ ...THB_DEFAULT_LIMITS.collection, ...option.collection }),
    payout: /* @__PURE__ */ freeze({ ...THB_DEFAULT_LIMITS.payout, ...option.payout }),
  });
}

/** A whole number in [min, max], when given. */
const wholeIn = (min: number, max: number) =>
  z.optional(
    where<number>(
      `must be a whole number from ${min} to ${max}`,
      (v) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max,
    ),
  );

/** A key option's issues, reported under `path` below the option (a rule never quotes the key). */
function keyIssues(
  value: unknown,
  kind: 'private' | 'public',
  ctx: z.core.$RefinementCtx,
  path: PropertyKey[] = [],
): void {
  try {
    parseRsaKey(value as string, kind, 'key');
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    for (const issue of error.issues)
      ctx.addIssue({ code: 'custom', message: issue.rule, input: value, path });
  }
}

const MAX_TIMEOUT_MS = 10 * 60_000;
const VARIABLE_SET = '; is its variable set?';

/**
 * The client's options, each checked at once so a bad configuration names every broken option at
 * start-up; unknown options pass (the transport checks its own). The keys are parsed here too.
 */
export const clientOptionsSchema = z.object({
  appId: where<number | string>(
    `must be the numeric THB business id (a positive whole number)${VARIABLE_SET}`,
    (v) =>
      (typeof v === 'number' || (typeof v === 'string' && /^\d{1,16}$/.test(v))) &&
      Number.isSafeInteger(Number(v)) &&
      Number(v) > 0,
  ),
  secretKey: where<string>(
    `must be the merchant secret key (a non-empty string)${VARIABLE_SET}`,
    (v) => typeof v === 'string' && v.trim() !== '',
  ),
  baseUrl: checked<string>((v) =>
    typeof v !== 'string' || v.trim() === ''
      ? "is required: THB_COLLECT_TEST_BASE_URL for the provider's test host, or the production URL issued at go-live"
      : isHttpUrl(v)
        ? undefined
        : URL_RULE,
  ),
  privateKey: z.custom<string>().check(z.superRefine((v, ctx) => keyIssues(v, 'private', ctx))),
  platformPublicKey: z.custom<string | readonly string[]>().check(
    z.superRefine((v, ctx) => {
      const keys: unknown = typeof v === 'string' ? [v] : v;
      if (!Array.isArray(keys) || keys.length === 0) {
        ctx.addIssue(
          `must be the platform RSA public key (PEM or Base64 DER), or a non-empty list of them${VARIABLE_SET}`,
        );
        return;
      }
      for (const [index, key] of keys.entries()) {
        keyIssues(key, 'public', ctx, keys.length === 1 ? [] : [index]);
      }
    }),
  ),
  timeoutMs: wholeIn(1, MAX_TIMEOUT_MS),
  deadlineMs: wholeIn(1, 60 * MAX_TIMEOUT_MS),
  maxRetries: wholeIn(0, 10),
  resendDelayMs: wholeIn(0, MAX_TIMEOUT_MS),
  verifyResponses: z.optional(where<boolean>('must be true or false', (v) => typeof v === 'boolean')),
  fetch: z.optional(where<unknown>('must be a function', (v) => typeof v === 'function')),
  limits: z.optional(limitsShape),
});
