/**
 * The gateway's answers as typed results, in the vocabulary both providers share: `orderId` (yours),
 * `orderNo` (the gateway's), the unified `status`, `providerStatus` (the gateway's word), and every amount
 * as the gateway's baht value beside its `…Satang` integer. The document's own names (`agent_order_no`,
 * `transactionId`, `referenceId`) stay in `raw`.
 */
import type * as z from 'zod/mini';
import { parseProviderAmount } from '../core/money';
import { fromJwtGatewayStatus, type PaymentStatus } from '../status';
import type {
  balanceDataSchema,
  banksDataSchema,
  depositDataSchema,
  healthDataSchema,
  orderDataSchema,
  signDataSchema,
  withdrawalDataSchema,
} from './schemas';

/** What every order result of the gateway has. */
export interface JwtGatewayOrderFields {
  /** Your order id: a deposit's `transactionId`, a withdrawal's `agentOrderNo` (`agent_order_no`). */
  orderId: string;
  /** The gateway's order number (`order_no`, or `referenceId` on a deposit), e.g. `DP1640995200ABC123`. */
  orderNo: string;
  /** The unified status; decide on this, not on `providerStatus`. */
  status: PaymentStatus;
  /** The gateway's own status word as sent (`pending`, `completed`, `failed`, `expired`). */
  providerStatus: string;
  /** The order amount in baht, the number the gateway sent. Display only; compute with `amountSatang`. */
  amount: number;
  /** `amount` in satang (integer, 1 baht = 100 satang). */
  amountSatang: number;
  /** The gateway's `data`, untouched. */
  raw: Record<string, unknown>;
}

/** A deposit as its create answer gave it. */
export interface JwtGatewayDeposit extends JwtGatewayOrderFields {
  /**
   * The gateway's `depositAmount` in baht, as sent; in the document's example the amount less the fee
   * (1000 → 995). Present when the gateway sends it.
   */
  depositAmount?: number;
  /** `depositAmount` in satang (integer); present with `depositAmount`. */
  depositAmountSatang?: number;
  /** PromptPay payload to render as a QR code (for type QR). */
  qrcode?: string;
  /** `bankAccountNumber` of the answer, when sent (the customer's own details are in `customerData`). */
  bankAccountNumber?: string;
  /** Name of the account in the answer, when sent (the document's example: the platform's account). */
  bankAccountName?: string;
  /** Bank code of the account in the answer (e.g. `KBANK`), when sent. */
  bankName?: string;
  /** The PromptPay id (phone or tax id) the QR pays, when sent. */
  promptpayNumber?: string;
  /** When the deposit expires unpaid; absent when the gateway sends none or an unparsable date. */
  expireDate?: Date;
  /** The customer details the gateway echoes (account number, bank, name), untouched. */
  customerData?: Record<string, unknown>;
}

/** A withdrawal as its create answer gave it. */
export interface JwtGatewayWithdrawal extends JwtGatewayOrderFields {
  /** The gateway's fee in baht, as sent; present when sent. */
  fee?: number;
  /** `fee` in satang (integer); present with `fee`. */
  feeSatang?: number;
  /** What the beneficiary receives in baht (`transfer_amount`: amount less fee), present when sent. */
  transferAmount?: number;
  /** `transferAmount` in satang (integer); present with `transferAmount`. */
  transferAmountSatang?: number;
}

/** An order as `getOrder` reports it. */
export interface JwtGatewayOrder extends JwtGatewayOrderFields {
  /** The gateway's fee in baht, as sent; present when sent. */
  fee?: number;
  /** `fee` in satang (integer); present with `fee`. */
  feeSatang?: number;
  /** The amount actually received in baht (`actual_amount`), as sent; present when sent. */
  actualAmount?: number;
  /** `actualAmount` in satang (integer); present with `actualAmount`. */
  actualAmountSatang?: number;
  /** When the gateway created the order; absent when not sent or unparsable. */
  createdAt?: Date;
  /** When the order reached its final state; absent until then, or when unparsable. */
  completedAt?: Date;
}

/**
 * A deposit create reconciled by querying after its answer was lost: the query's fields. A query cannot
 * restore what only the create answer carries, so the QR payload, the account to pay and the expiry are
 * always absent here (typed `undefined`): show the payer your own page, or create a new order.
 */
export interface JwtGatewayDepositReconciled extends JwtGatewayOrder {
  /** The create answer was lost; this is what the query returned. */
  reconciled: true;
  /** Not restorable by a query: always absent. */
  depositAmount?: undefined;
  /** Not restorable by a query: always absent. */
  depositAmountSatang?: undefined;
  /** Not restorable by a query: always absent. */
  qrcode?: undefined;
  /** Not restorable by a query: always absent. */
  bankAccountNumber?: undefined;
  /** Not restorable by a query: always absent. */
  bankAccountName?: undefined;
  /** Not restorable by a query: always absent. */
  bankName?: undefined;
  /** Not restorable by a query: always absent. */
  promptpayNumber?: undefined;
  /** Not restorable by a query: always absent. */
  expireDate?: undefined;
  /** Not restorable by a query: always absent. */
  customerData?: undefined;
}

/** A withdrawal create reconciled by querying: the query's fields (`transferAmount` is not among them). */
export interface JwtGatewayWithdrawalReconciled extends JwtGatewayOrder {
  /** The create answer was lost; this is what the query returned. */
  reconciled: true;
  /** Not restorable by a query: always absent. */
  transferAmount?: undefined;
  /** Not restorable by a query: always absent. */
  transferAmountSatang?: undefined;
}

/** A deposit as its create answer gave it, marked so. */
export interface JwtGatewayDepositAnswer extends JwtGatewayDeposit {
  /** `false`: this is the create answer itself, with `qrcode` when the gateway sent it. */
  reconciled: false;
}

/** A withdrawal as its create answer gave it, marked so. */
export interface JwtGatewayWithdrawalAnswer extends JwtGatewayWithdrawal {
  /** `false`: this is the create answer itself. */
  reconciled: false;
}

/** What `createDeposit` returns: the create answer, or the order found by query after it was lost. */
export type JwtGatewayDepositCreated = JwtGatewayDepositAnswer | JwtGatewayDepositReconciled;

/** What `createWithdrawal` returns: the create answer, or the order found by query after it was lost. */
export type JwtGatewayWithdrawalCreated = JwtGatewayWithdrawalAnswer | JwtGatewayWithdrawalReconciled;

/**
 * The fields a create answer has and a reconciling query cannot restore, by kind.
 *
 * @example
 * ```ts
 * if (deposit.reconciled) console.warn('not restorable:', JWT_GATEWAY_FIELDS_LOST_ON_RECONCILE.deposit);
 * ```
 */
export const JWT_GATEWAY_FIELDS_LOST_ON_RECONCILE = /* @__PURE__ */ Object.freeze({
  /** The QR payload, the account to pay, the expiry and the echoed customer: only the create answer has them. */
  deposit: /* @__PURE__ */ Object.freeze([
    'depositAmount',
    'depositAmountSatang',
    'qrcode',
    'bankAccountNumber',
    'bankAccountName',
    'bankName',
    'promptpayNumber',
    'expireDate',
    'customerData',
  ] as const),
  /** What the beneficiary receives: the query gives the fee, not the transfer amount. */
  withdrawal: /* @__PURE__ */ Object.freeze(['transferAmount', 'transferAmountSatang'] as const),
});

/** The merchant balance, as `getBalance` returns it. */
export interface JwtGatewayBalance {
  /** The balance in baht, the number the gateway sent. Display only; compute with `balanceSatang`. */
  balance: number;
  /** `balance` in satang (integer); may be negative. */
  balanceSatang: number;
  /** The currency code the gateway sent, e.g. `THB`. */
  currency: string;
  /** The gateway's `data`, untouched. */
  raw: Record<string, unknown>;
}

/** The gateway sign helper's answer, as `signParams` returns it. */
export interface JwtGatewaySignResult {
  /** The JWT the gateway computed; compare with `signJwtGatewayParams` over the same parameters. */
  signature: string;
  /** The JWT algorithm the gateway used, e.g. `HS256`. */
  algorithm: string;
  /** The parameters the gateway signed, when it echoes them: shows what it saw (order, types). */
  payload?: Record<string, unknown>;
  /** The gateway's `data`, untouched. */
  raw: Record<string, unknown>;
}

/** One bank of `listBanks`. */
export interface JwtGatewayBank {
  /** The code to send as `bankCode` / `bankName`, e.g. `KBANK`. */
  code: string;
  /** English name, e.g. `Kasikorn Bank`. */
  name: string;
  /** Thai name, when the gateway sends one. */
  nameTh?: string;
  /** Whether the gateway accepts this bank now; `true` when the gateway does not say. */
  active: boolean;
}

/** The gateway's health, as `health` returns it. */
export interface JwtGatewayHealth {
  /** The gateway's word for its state, e.g. `healthy`. */
  status: string;
  /** The gateway's clock at answer time; absent when not sent or unparsable. */
  timestamp?: Date;
  /** Seconds the gateway has been up, when sent. */
  uptime?: number;
  /** The gateway's `data`, untouched. */
  raw: Record<string, unknown>;
}

type DepositData = z.infer<typeof depositDataSchema>;
type WithdrawalData = z.infer<typeof withdrawalDataSchema>;
type OrderData = z.infer<typeof orderDataSchema>;

function optionalDate(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** An optional baht number of the answer, with its satang twin: both or neither. */
function putAmount<K extends string>(
  out: Partial<Record<K | `${K}Satang`, number>>,
  key: K,
  value: number | null | undefined,
  wireName: string,
): void {
  if (typeof value !== 'number') return;
  out[key] = value;
  out[`${key}Satang`] = parseProviderAmount(value, wireName);
}

function orderFields(
  orderId: string,
  orderNo: string,
  status: string,
  amount: number,
  raw: Record<string, unknown>,
): JwtGatewayOrderFields {
  return {
    orderId,
    orderNo,
    status: fromJwtGatewayStatus(status),
    providerStatus: status,
    amount,
    amountSatang: parseProviderAmount(amount, 'amount'),
    raw,
  };
}

/** The shared fields of the snake_case answers (withdrawal, order query). */
function snakeOrder(data: WithdrawalData | OrderData): JwtGatewayOrderFields {
  return orderFields(data.agent_order_no, data.order_no, data.status, data.amount, data);
}

/** A deposit answer's `data` (checked by its schema) as a result. */
export function toDeposit(data: DepositData): JwtGatewayDeposit {
  const out: JwtGatewayDeposit = orderFields(
    data.transactionId,
    data.referenceId,
    data.status,
    data.amount,
    data,
  );
  putAmount(out, 'depositAmount', data.depositAmount, 'depositAmount');
  for (const key of [
    'qrcode',
    'bankAccountNumber',
    'bankAccountName',
    'bankName',
    'promptpayNumber',
  ] as const) {
    const value = data[key];
    if (typeof value === 'string') out[key] = value;
  }
  const expire = optionalDate(data.expireDate);
  if (expire) out.expireDate = expire;
  if (data.customerData) out.customerData = data.customerData;
  return out;
}

/** A withdrawal answer's `data` as a result. */
export function toWithdrawal(data: WithdrawalData): JwtGatewayWithdrawal {
  const out: JwtGatewayWithdrawal = snakeOrder(data);
  putAmount(out, 'fee', data.fee, 'fee');
  putAmount(out, 'transferAmount', data.transfer_amount, 'transfer_amount');
  return out;
}

/** An order query answer's `data` as a result. */
export function toOrder(data: OrderData): JwtGatewayOrder {
  const out: JwtGatewayOrder = snakeOrder(data);
  putAmount(out, 'fee', data.fee, 'fee');
  putAmount(out, 'actualAmount', data.actual_amount, 'actual_amount');
  const created = optionalDate(data.created_at);
  if (created) out.createdAt = created;
  const completed = optionalDate(data.completed_at);
  if (completed) out.completedAt = completed;
  return out;
}

/** A balance answer's `data` as a result. */
export function toBalance(data: z.infer<typeof balanceDataSchema>): JwtGatewayBalance {
  return {
    balance: data.balance,
    balanceSatang: parseProviderAmount(data.balance, 'balance', { allowNegative: true }),
    currency: data.currency,
    raw: data,
  };
}

/** The sign helper's `data` as a result. */
export function toSignResult(data: z.infer<typeof signDataSchema>): JwtGatewaySignResult {
  const result: JwtGatewaySignResult = { signature: data.signature, algorithm: data.algorithm, raw: data };
  if (data.payload) result.payload = data.payload;
  return result;
}

/** The bank list's `data` as results. */
export function toBanks(data: z.infer<typeof banksDataSchema>): JwtGatewayBank[] {
  return data.banks.map((bank) => {
    const out: JwtGatewayBank = { code: bank.code, name: bank.name, active: bank.active ?? true };
    if (bank.name_th) out.nameTh = bank.name_th;
    return out;
  });
}

/** The health answer's `data` as a result. */
export function toHealth(data: z.infer<typeof healthDataSchema>): JwtGatewayHealth {
  const out: JwtGatewayHealth = { status: data.status, raw: data };
  const timestamp = optionalDate(data.timestamp);
  if (timestamp) out.timestamp = timestamp;
  if (typeof data.uptime === 'number') out.uptime = data.uptime;
  return out;
}
