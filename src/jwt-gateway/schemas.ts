/**
 * The JWT gateway's shapes: camelCase inputs (checked before anything is sent), the wire forms of the
 * document's tables, and the checks on what the gateway answers.
 */
import * as z from 'zod/mini';
import { isHttpUrl } from '../core/validation';

// ---- Options shared by the verifier, the handler and the client ----

const KEY_RULE = 'must be a non-empty string (is the environment variable set?)';

/** One API key: present and non-empty, so an unset environment variable is named, not a TypeError. */
export const apiKeySchema = z.string({ error: KEY_RULE }).check(z.minLength(1, KEY_RULE));

function isKeyList(value: unknown): boolean {
  if (typeof value === 'string') return value.length > 0;
  return (
    Array.isArray(value) && value.length > 0 && value.every((k) => typeof k === 'string' && k.length > 0)
  );
}

/** The API key, or several during a rotation: every one a non-empty string, at least one. */
export const apiKeysSchema = z
  .unknown()
  .check(
    z.refine(
      isKeyList,
      'must be a non-empty string, or a non-empty list of non-empty strings (is the environment variable set?)',
    ),
  );

/** Ten years: the largest window that still means something (the CLI's `--tolerance` bound too). */
const MAX_TOLERANCE_SECONDS = 10 * 365 * 24 * 3600;

const toleranceSeconds = z
  .number({ error: 'must be a finite number of seconds, 0 or more' })
  .check(
    z.gte(0, 'must be a finite number of seconds, 0 or more'),
    z.lte(MAX_TOLERANCE_SECONDS, `must be at most ${MAX_TOLERANCE_SECONDS} seconds (ten years)`),
  );

/** 16 MiB: a callback is a few hundred bytes; anything near this is an attack, not a callback. */
const MAX_BODY_BYTES_LIMIT = 16 * 1024 * 1024;

const maxBodyBytes = z
  .number({ error: 'must be a whole number of bytes, 1 or more' })
  .check(
    z.int('must be a whole number of bytes, 1 or more'),
    z.gte(1, 'must be a whole number of bytes, 1 or more'),
    z.lte(MAX_BODY_BYTES_LIMIT, `must be at most ${MAX_BODY_BYTES_LIMIT} bytes`),
  );

const flag = z.boolean({ error: 'must be true or false' });

/** Options of `verifyJwtGatewayCallback` with its key argument (`now` is checked where it is read). */
export const verifyCallbackOptionsSchema = z.looseObject({
  apiKey: apiKeysSchema,
  toleranceSeconds: z.optional(toleranceSeconds),
  requireTimestamp: z.optional(flag),
  maxBodyBytes: z.optional(maxBodyBytes),
});

const fn = (what: string) =>
  z.unknown().check(z.refine((v) => typeof v === 'function', `must be a function ${what}`));

/** Options of `createJwtGatewayWebhookHandler`. */
export const webhookHandlerOptionsSchema = z.looseObject({
  apiKey: apiKeysSchema,
  onEvent: fn('called with each verified callback'),
  toleranceSeconds: z.optional(toleranceSeconds),
  requireTimestamp: z.optional(flag),
  maxBodyBytes: z.optional(maxBodyBytes),
  onError: z.optional(fn('told why a callback was refused')),
  now: z.optional(fn('returning ms since the epoch')),
});

const text = (max = 200) =>
  z.string().check(
    z.refine((v) => v.trim().length > 0, 'must not be empty'),
    z.maxLength(max, `must be at most ${max} characters`),
  );
const url = z.string().check(z.refine(isHttpUrl, 'must be an http(s) URL that parses'));
const amount = z.union([z.number(), z.string()]);

/** Payment types the deposit endpoint accepts. */
export const DEPOSIT_TYPES = ['QR', 'BANK_TRANSFER'] as const;
/** A deposit payment type: `QR` (PromptPay QR) or `BANK_TRANSFER`. */
export type DepositType = (typeof DEPOSIT_TYPES)[number];

/** Input of `createDeposit`: the document's deposit parameters, without `merchantId`, `timestamp`, `signature`. */
export interface CreateDepositInput {
  /** Your unique order id. Re-sent unchanged if an answer is lost, so the gateway never makes two orders. */
  transactionId: string;
  /** The customer's bank account number. */
  bankAccountNumber: string;
  /** The customer's bank (e.g. KBANK, SCB). */
  bankName: string;
  /** The customer's name. */
  name: string;
  /** Amount in THB: a number or a string with at most 2 decimals (never a float computed in code). */
  amount: number | string;
  /** Where the gateway sends the signed callback. */
  callbackUrl: string;
  /** `QR` (PromptPay) or `BANK_TRANSFER`. */
  type: DepositType;
}

export const createDepositSchema = z.object({
  transactionId: text(64),
  bankAccountNumber: z.string().check(z.regex(/^[0-9]{6,20}$/, 'must be 6 to 20 digits')),
  bankName: text(50),
  name: text(100),
  amount,
  callbackUrl: url,
  type: z.enum(DEPOSIT_TYPES),
});

/** Input of `createWithdrawal` (wire names: agent_order_no, bank_code, account_no, account_name, callback_url). */
export interface CreateWithdrawalInput {
  /** Your unique order id. Re-sent unchanged if an answer is lost, so the gateway never pays twice. */
  agentOrderNo: string;
  /** Amount in THB, a number or a string with at most 2 decimals. */
  amount: number | string;
  /** The beneficiary's bank code (e.g. KBANK, SCB). */
  bankCode: string;
  /** The beneficiary's account number. */
  accountNo: string;
  /** The account holder's name. */
  accountName: string;
  /** Where the gateway sends the signed callback. */
  callbackUrl: string;
}

export const createWithdrawalSchema = z.object({
  agentOrderNo: text(64),
  amount,
  bankCode: z.string().check(z.regex(/^[A-Z0-9_]{2,20}$/, 'must be a bank code such as KBANK or SCB')),
  accountNo: z.string().check(z.regex(/^[0-9]{6,20}$/, 'must be 6 to 20 digits')),
  accountName: text(100),
  callbackUrl: url,
});

/** Which order `getOrder` asks for: the gateway's number or yours. */
export type GetOrderInput =
  | {
      /** The gateway's order number (`order_no`, a deposit's `referenceId`). */
      orderNo: string;
      /** Not with `orderNo`: give one or the other. */
      agentOrderNo?: undefined;
    }
  | {
      /** Your order id (`agent_order_no`, a deposit's `transactionId`). */
      agentOrderNo: string;
      /** Not with `agentOrderNo`: give one or the other. */
      orderNo?: undefined;
    };

export const getOrderSchema = z.union([
  z.object({ orderNo: text(64), agentOrderNo: z.optional(z.undefined()) }),
  z.object({ agentOrderNo: text(64), orderNo: z.optional(z.undefined()) }),
]);

// ---- What the gateway answers ----

const num = z.number();
const optNum = z.optional(z.nullable(z.number()));
const optStr = z.optional(z.nullable(z.string()));

/** `data` of a deposit answer. */
export const depositDataSchema = z.looseObject({
  merchantId: optStr,
  referenceId: z.string(),
  transactionId: z.string(),
  status: z.string(),
  amount: num,
  depositAmount: optNum,
  qrcode: optStr,
  bankAccountNumber: optStr,
  bankAccountName: optStr,
  bankName: optStr,
  promptpayNumber: optStr,
  expireDate: optStr,
  customerData: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
});

/** `data` of a withdrawal answer. */
export const withdrawalDataSchema = z.looseObject({
  order_no: z.string(),
  agent_order_no: z.string(),
  amount: num,
  fee: optNum,
  transfer_amount: optNum,
  status: z.string(),
});

/** `data` of a balance answer. */
export const balanceDataSchema = z.looseObject({ balance: num, currency: z.string() });

/** `data` of an order query answer. */
export const orderDataSchema = z.looseObject({
  order_no: z.string(),
  agent_order_no: z.string(),
  status: z.string(),
  amount: num,
  fee: optNum,
  actual_amount: optNum,
  created_at: optStr,
  completed_at: optStr,
});

/** `data` of the sign helper's answer. */
export const signDataSchema = z.looseObject({
  signature: z.string(),
  algorithm: z.string(),
  payload: z.optional(z.record(z.string(), z.unknown())),
});

/** `data` of the bank list answer. */
export const banksDataSchema = z.looseObject({
  banks: z.array(
    z.looseObject({ code: z.string(), name: z.string(), name_th: optStr, active: z.optional(z.boolean()) }),
  ),
});

/** `data` of the health answer. */
export const healthDataSchema = z.looseObject({
  status: z.string(),
  timestamp: optStr,
  uptime: optNum,
});
