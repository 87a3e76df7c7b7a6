/**
 * The JWT gateway's shapes: camelCase inputs (checked before anything is sent), the wire forms of the
 * document's tables, and the checks on what the gateway answers.
 */
import * as z from 'zod/mini';
import { InvalidRequestError } from '../core/errors';
import { parseAmount } from '../core/money';
import { isHttpUrl } from '../core/validation';

// ---- The API key (the client's; the callback verifier checks its options by hand in webhooks.ts, as zod
// would triple the size of a bundle that only verifies callbacks) ----

/**
 * A number checked by one predicate with one message: zod's own `int`/`gte`/`lte` checks pull its
 * number-format and bound machinery into every client bundle (issue 13's size budgets), and a rule that
 * names the whole range reads as one issue, not one per broken bound.
 */
function numberWhere(rule: string, ok: (value: number) => boolean) {
  return typed<number>('number', rule).check(z.refine(ok, rule));
}

/**
 * A string or a finite number (with `nullable`, or null), checked by one custom check: zod's string,
 * number and nullable schema classes would add ~0.5 KB gzip to the client bundle (issue 13's size
 * budgets). The issue is zod's own `invalid_type` (so it reads "must be a string", or "is required" when
 * absent, or `message` when given), and it stops the checks after it: none runs on a value of the wrong type.
 */
function typed<T>(expected: 'string' | 'number', message?: string, nullable = false) {
  return z.custom<T>().check(
    z.superRefine((value, ctx) => {
      if (nullable && value === null) return;
      if (expected === 'string' ? typeof value === 'string' : Number.isFinite(value)) return;
      ctx.addIssue({
        code: 'invalid_type',
        expected,
        input: value,
        continue: false,
        ...(message ? { message } : {}),
      });
    }),
  );
}

const KEY_RULE = 'must be a non-empty string (is the environment variable set?)';

/** One API key: present and non-empty, so an unset environment variable is named, not a TypeError. */
export const apiKeySchema = typed<string>('string', KEY_RULE).check(z.refine((v) => v.length > 0, KEY_RULE));

// ---- Containers ----
//
// zod's record, array, enum and boolean schemas each pull their own part of zod's core into every client
// bundle (about 2 KB gzipped together, issue 13's size budgets). These checks give the same issues (code,
// path, rule) through the one custom-check machinery the refines above already load.

/** A plain object (its prototype Object's or none), what zod's record accepts. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A record or an array whose every item passes `item` (when given): a wrong container is an
 * `invalid_type` issue and each bad item's issues are reported under its key, as zod's own would be.
 */
function containerOf<T>(expected: 'record' | 'array', item?: z.ZodMiniType, nullable = false) {
  return z.custom<T>().check(
    z.superRefine((value, ctx) => {
      if (nullable && value === null) return;
      const ok = expected === 'array' ? Array.isArray(value) : isPlainRecord(value);
      if (!ok) {
        ctx.addIssue({ code: 'invalid_type', expected, input: value });
        return;
      }
      if (!item) return;
      for (const [key, element] of Object.entries(value as object)) {
        const result = item.safeParse(element);
        if (result.success) continue;
        const at = expected === 'array' ? Number(key) : key;
        for (const issue of result.error.issues) ctx.addIssue({ ...issue, path: [at, ...issue.path] });
      }
    }),
  );
}

/** `z.enum(values)`'s issue, without its schema class. */
function oneOf<const T extends readonly string[]>(values: T) {
  return z.custom<T[number]>().check(
    z.superRefine((value, ctx) => {
      if (!(values as readonly unknown[]).includes(value)) {
        ctx.addIssue({ code: 'invalid_value', values: [...values], input: value });
      }
    }),
  );
}

/** `z.boolean()`'s issue, without its schema class. */
const bool = z.custom<boolean>().check(
  z.superRefine((value, ctx) => {
    if (typeof value !== 'boolean') ctx.addIssue({ code: 'invalid_type', expected: 'boolean', input: value });
  }),
);

// ---- Inputs ----
//
// Only the rules the gateway's API document states (its deposit, withdrawal and order tables): every "Required: Yes" field present and non-empty, `type` one of QR / BANK_TRANSFER, the callback
// a URL, an amount in THB (which has satang: at most 2 decimals, more than 0). The document gives no id,
// name or account-number lengths, no bank-code format and no amount limits, so none is enforced here;
// amount limits a merchant's contract sets are the client's `limits` option.

const text = typed<string>('string').check(z.refine((v) => v.trim().length > 0, 'must not be empty'));
const url = typed<string>('string').check(z.refine(isHttpUrl, 'must be an http(s) URL that parses'));

/** Amount limits for one kind of order, in satang (inclusive). */
export interface JwtGatewayAmountLimit {
  /** Smallest accepted amount, in satang. */
  minSatang?: number;
  /** Largest accepted amount, in satang. */
  maxSatang?: number;
}

/** Per-merchant amount limits, checked before sending. The gateway's document states none. */
export interface JwtGatewayLimits {
  /** Limits of `createDeposit`. */
  deposit?: JwtGatewayAmountLimit;
  /** Limits of `createWithdrawal`. */
  withdrawal?: JwtGatewayAmountLimit;
}

/**
 * The default limits: none, because the gateway's document states none. Give your contract's limits in
 * the client's `limits` option so an out-of-range amount is refused before it is sent.
 */
export const DEFAULT_JWT_GATEWAY_LIMITS: Readonly<JwtGatewayLimits> = /* @__PURE__ */ Object.freeze({});

const SATANG_RULE = 'must be a whole number of satang, 0 or more';
const satang = numberWhere(SATANG_RULE, (v) => Number.isSafeInteger(v) && v >= 0);
const amountLimit = z.strictObject({ minSatang: z.optional(satang), maxSatang: z.optional(satang) }).check(
  z.refine((l) => l.minSatang === undefined || l.maxSatang === undefined || l.minSatang <= l.maxSatang, {
    message: 'must not be more than maxSatang',
    path: ['minSatang'],
  }),
);
const limitsSchema = z.strictObject({
  deposit: z.optional(amountLimit),
  withdrawal: z.optional(amountLimit),
});

/**
 * The amount, parsed inside the schema so its rule is reported with every other broken rule: baht as a
 * number or string, at most 2 decimals, more than 0, within `limit`. The output is satang.
 */
function amountInSatang(limit: JwtGatewayAmountLimit = {}) {
  // custom<number | string>: the input type users see; any value reaches the transform, which names it.
  return z.pipe(
    z.custom<number | string>(),
    z.transform((value: number | string, ctx): number => {
      // Typed number | string, but any value can arrive here: check it as unknown.
      if ((value as unknown) === undefined) {
        ctx.issues.push({ code: 'custom', message: 'is required', input: value });
        return z.NEVER;
      }
      try {
        return parseAmount(value, { field: 'amount', ...limit });
      } catch (error) {
        if (!(error instanceof InvalidRequestError)) throw error;
        for (const issue of error.issues)
          ctx.issues.push({ code: 'custom', message: issue.rule, input: value });
        return z.NEVER;
      }
    }),
  );
}

/** Payment types the deposit endpoint accepts. */
export const DEPOSIT_TYPES = ['QR', 'BANK_TRANSFER'] as const;
/** A deposit payment type: `QR` (PromptPay QR) or `BANK_TRANSFER`. */
export type DepositType = (typeof DEPOSIT_TYPES)[number];

/** The deposit input's schema; `amount` comes out in satang, checked against `limit`. */
export function createDepositSchema(limit?: JwtGatewayAmountLimit) {
  return z.strictObject({
    /** Your unique order id. Re-sent unchanged if an answer is lost, so the gateway never makes two orders. */
    transactionId: text,
    /** The customer's bank account number, as the gateway expects it (the document gives no format). */
    bankAccountNumber: text,
    /** The customer's bank (e.g. KBANK, SCB; `listBanks()` gives the gateway's codes). */
    bankName: text,
    /** The customer's name. */
    name: text,
    /** Amount in THB: a number or a string with at most 2 decimals (never a float computed in code). */
    amount: amountInSatang(limit),
    /** Where the gateway sends the signed callback. */
    callbackUrl: url,
    /** `QR` (PromptPay) or `BANK_TRANSFER`. */
    type: oneOf(DEPOSIT_TYPES),
  });
}

/**
 * Input of `createDeposit`: the document's deposit parameters, without `merchantId`, `timestamp` and
 * `signature` (the client adds them). Inferred from the schema that checks it.
 *
 * @interface
 */
export type CreateDepositInput = z.input<ReturnType<typeof createDepositSchema>>;

/** The withdrawal input's schema; `amount` comes out in satang, checked against `limit`. */
export function createWithdrawalSchema(limit?: JwtGatewayAmountLimit) {
  return z.strictObject({
    /** Your unique order id (`agent_order_no`). Re-sent unchanged if an answer is lost, so the gateway never pays twice. */
    agentOrderNo: text,
    /** Amount in THB, a number or a string with at most 2 decimals. */
    amount: amountInSatang(limit),
    /** The beneficiary's bank code (e.g. KBANK, SCB; `listBanks()` gives the gateway's codes). */
    bankCode: text,
    /** The beneficiary's account number, as the gateway expects it (the document gives no format). */
    accountNo: text,
    /** The account holder's name. */
    accountName: text,
    /** Where the gateway sends the signed callback. */
    callbackUrl: url,
  });
}

/**
 * Input of `createWithdrawal`; sent as the document's snake_case fields (`agent_order_no`, `bank_code`,
 * `account_no`, `account_name`, `callback_url`). Inferred from the schema that checks it.
 *
 * @interface
 */
export type CreateWithdrawalInput = z.input<ReturnType<typeof createWithdrawalSchema>>;

/**
 * Which order `getOrder` asks for: the gateway's number, yours, or both (the document makes each optional;
 * with both, the gateway looks for an order matching both).
 */
export type GetOrderInput =
  | {
      /** The gateway's order number (`order_no`, a deposit's `referenceId`). */
      orderNo: string;
      /** Your order id (`agent_order_no`, a deposit's `transactionId`). */
      agentOrderNo?: string;
    }
  | {
      /** Your order id (`agent_order_no`, a deposit's `transactionId`). */
      agentOrderNo: string;
      /** The gateway's order number (`order_no`, a deposit's `referenceId`). */
      orderNo?: string;
    };

export const getOrderSchema = z
  .strictObject({ orderNo: z.optional(text), agentOrderNo: z.optional(text) })
  .check(
    // Not a limit but a need: a query naming no order has nothing to ask for.
    z.refine((v) => v.orderNo !== undefined || v.agentOrderNo !== undefined, {
      message: 'is required when agentOrderNo is not given',
      path: ['orderNo'],
    }),
  );

// ---- Client options ----

const positiveMs = (max: number) =>
  typed<number>('number', 'must be a finite number of milliseconds, more than 0').check(
    z.refine((v) => v > 0, 'must be a finite number of milliseconds, more than 0'),
    z.refine((v) => v <= max, `must be at most ${max} ms`),
  );
const isFunction = (what: string) =>
  z.custom().check(z.refine((v) => typeof v === 'function', `must be a function ${what}`));
const path = typed<string>('string').check(
  z.refine((v) => /^\/\S*$/.test(v), 'must be a path starting with "/"'),
);

/** Every option of the client; unknown ones pass (other layers add their own). */
export const clientOptionsSchema = z.looseObject({
  baseUrl: typed<string>('string').check(
    z.refine(isHttpUrl, 'must be an http(s) URL such as https://gateway.example/api/v1'),
  ),
  merchantId: typed<string>('string').check(z.refine((v) => v.trim().length > 0, 'must not be empty')),
  apiKey: apiKeySchema,
  paths: z.optional(
    z.strictObject({
      deposit: z.optional(path),
      withdraw: z.optional(path),
      balance: z.optional(path),
      order: z.optional(path),
      sign: z.optional(path),
      banks: z.optional(path),
      health: z.optional(path),
    }),
  ),
  timeoutMs: z.optional(positiveMs(10 * 60_000)),
  deadlineMs: z.optional(positiveMs(60 * 60_000)),
  maxRetries: z.optional(
    numberWhere('must be a whole number from 0 to 10', (v) => Number.isInteger(v) && v >= 0 && v <= 10),
  ),
  fetch: z.optional(isFunction('like the global fetch')),
  hooks: z.optional(
    containerOf<Record<string, unknown>>('record', z.optional(isFunction('(a transport hook)'))),
  ),
  crypto: z.optional(
    z
      .custom()
      .check(
        z.refine(
          (v) =>
            v !== null &&
            typeof v === 'object' &&
            typeof (v as Record<string, unknown>).hmacSha256Base64Url === 'function',
          'must be an HmacSha256 (an object with hmacSha256Base64Url)',
        ),
      ),
  ),
  now: z.optional(isFunction('returning ms since the epoch')),
  resendDelayMs: z.optional(
    typed<number>('number', 'must be a finite number of milliseconds, 0 or more').check(
      z.refine((v) => v >= 0, 'must be a finite number of milliseconds, 0 or more'),
      z.refine((v) => v <= 60_000, 'must be at most 60000 ms'),
    ),
  ),
  limits: z.optional(limitsSchema),
});

// ---- What the gateway answers ----

const num = typed<number>('number');
const str = typed<string>('string');
const optNum = z.optional(typed<number | null>('number', undefined, true));
const optStr = z.optional(typed<string | null>('string', undefined, true));

/** `data` of a deposit answer. */
export const depositDataSchema = z.looseObject({
  merchantId: optStr,
  referenceId: str,
  transactionId: str,
  status: str,
  amount: num,
  depositAmount: optNum,
  qrcode: optStr,
  bankAccountNumber: optStr,
  bankAccountName: optStr,
  bankName: optStr,
  promptpayNumber: optStr,
  expireDate: optStr,
  customerData: z.optional(containerOf<Record<string, unknown> | null>('record', undefined, true)),
});

/** `data` of a withdrawal answer. */
export const withdrawalDataSchema = z.looseObject({
  order_no: str,
  agent_order_no: str,
  amount: num,
  fee: optNum,
  transfer_amount: optNum,
  status: str,
});

/** `data` of a balance answer. */
export const balanceDataSchema = z.looseObject({ balance: num, currency: str });

/** `data` of an order query answer. */
export const orderDataSchema = z.looseObject({
  order_no: str,
  agent_order_no: str,
  status: str,
  amount: num,
  fee: optNum,
  actual_amount: optNum,
  created_at: optStr,
  completed_at: optStr,
});

/** `data` of the sign helper's answer. */
export const signDataSchema = z.looseObject({
  signature: str,
  algorithm: str,
  payload: z.optional(containerOf<Record<string, unknown>>('record')),
});

const bankDataSchema = z.looseObject({
  code: str,
  name: str,
  name_th: optStr,
  active: z.optional(bool),
});
type GatewayBankData = z.infer<typeof bankDataSchema>;

/** `data` of the bank list answer. */
export const banksDataSchema = z.looseObject({
  banks: containerOf<GatewayBankData[]>('array', bankDataSchema),
});

/** `data` of the health answer. */
export const healthDataSchema = z.looseObject({
  status: str,
  timestamp: optStr,
  uptime: optNum,
});
