/**
 * The JWT gateway client: every endpoint of the document, typed, validated before sending, signed per
 * attempt, with safe creates.
 */
import type * as z from 'zod/mini';
import { getDefaultHmac } from '../core/crypto/default-hmac';
import type { HmacSha256 } from '../core/crypto/types';
import {
  ApiError,
  AuthenticationError,
  DuplicateOrderError,
  InvalidRequestError,
  PermissionError,
  redactDeep,
  SignatureError,
  type ThaiPayError,
} from '../core/errors';
import { parseProviderAmount, satangToNumber } from '../core/money';
import { checkCall, type RequestOptions } from '../core/request-options';
import { type Created, safeCreate } from '../core/safe-create';
import { unixSeconds } from '../core/time';
import { Transport, type TransportHooks, type TransportResponse } from '../core/transport';
import { toFieldIssues, validate } from '../core/validation';
import { fromJwtGatewayStatus, type PaymentStatus } from '../status';
import {
  balanceDataSchema,
  banksDataSchema,
  type CreateDepositInput,
  type CreateWithdrawalInput,
  clientOptionsSchema,
  createDepositSchema,
  createWithdrawalSchema,
  depositDataSchema,
  type GetOrderInput,
  getOrderSchema,
  healthDataSchema,
  type JwtGatewayLimits,
  orderDataSchema,
  signDataSchema,
  withdrawalDataSchema,
} from './schemas';
import { signJwtGatewayParams } from './signing';

/** Paths below the base URL. `/deposit` is documented; the others are the defaults DESIGN.md fixes. */
export interface JwtGatewayPaths {
  /** `createDeposit`: signed POST. Default `/deposit` (the one path the document gives). */
  deposit: string;
  /** `createWithdrawal`: signed POST. Default `/withdraw`. */
  withdraw: string;
  /** `getBalance`: signed POST. Default `/balance`. */
  balance: string;
  /** `getOrder`: signed POST. Default `/order`. */
  order: string;
  /** `signParams` (the sign helper): POST. Default `/sign`. */
  sign: string;
  /** `listBanks`: GET. Default `/banks`. */
  banks: string;
  /** `health`: GET. Default `/health`. */
  health: string;
}

/** The default paths; override any of them with the `paths` option. */
export const DEFAULT_JWT_GATEWAY_PATHS: Readonly<JwtGatewayPaths> = Object.freeze({
  deposit: '/deposit',
  withdraw: '/withdraw',
  balance: '/balance',
  order: '/order',
  sign: '/sign',
  banks: '/banks',
  health: '/health',
});

/** Options of {@link JwtGatewayClient}. */
export interface JwtGatewayClientOptions {
  /** The gateway's base URL, ending in `/api/v1`. */
  baseUrl: string;
  /** Your merchant id at the gateway; sent as `merchantId` in deposits and must match the API key (else 403). */
  merchantId: string;
  /** Sent in `x-api-key` and used to sign. Never logged, never in errors. */
  apiKey: string;
  /** Paths to override, relative to `baseUrl`; the rest keep {@link DEFAULT_JWT_GATEWAY_PATHS}. */
  paths?: Partial<JwtGatewayPaths>;
  /** One attempt's time limit. Default 15 s. */
  timeoutMs?: number;
  /** One call's overall limit, retries included. Default 60 s. */
  deadlineMs?: number;
  /** Retries of reads on faults (network errors, timeouts, 5xx, 429). Default 2. */
  maxRetries?: number;
  /** The `fetch` to send with (a test double, a proxy-aware fetch). Default: node:http on Node, else the global `fetch`. */
  fetch?: typeof fetch;
  /**
   * Allow an `http://` baseUrl on a host that is not loopback (the API key would cross the network in
   * clear). Default false: `http://` only for 127.0.0.1, ::1 and localhost.
   */
  allowInsecureHttp?: boolean;
  /** Bytes of answer accepted; a longer answer fails without being buffered. Default 1 MiB. */
  maxResponseBytes?: number;
  /** Observers of each attempt; they see redacted copies. */
  hooks?: TransportHooks;
  /** The HMAC to sign with (any `CryptoProvider` fits); the runtime's best by default. */
  crypto?: HmacSha256;
  /** Clock for request timestamps, ms since epoch. */
  now?: () => number;
  /** Waits between the re-sends of a create whose answer was lost. Default 500 ms × n. */
  resendDelayMs?: number;
  /**
   * Your contract's amount limits, in satang, checked before sending. Default: none (the gateway's
   * document states no limits); for example `{ deposit: { minSatang: 100, maxSatang: 5_000_000 } }`.
   */
  limits?: JwtGatewayLimits;
}

interface OrderFields {
  /** The gateway's order number (`order_no`, or `referenceId` on a deposit), e.g. `DP1640995200ABC123`. */
  orderNo: string;
  /** Your order id (`agent_order_no`; the `transactionId` you gave a deposit). */
  agentOrderNo: string;
  /** Your order id, the same value as `agentOrderNo`: the name THB collect's results use too. */
  orderId: string;
  /** The unified status; decide on this, not on `providerStatus`. */
  status: PaymentStatus;
  /** The gateway's own status string as sent (`pending`, `completed`, `failed`, `expired`). */
  providerStatus: string;
  /** The order amount in baht, the number the gateway sent. Display only; compute with `amountSatang`. */
  amount: number;
  /** `amount` in satang (integer, 1 baht = 100 satang). */
  amountSatang: number;
}

/** A deposit as created. */
export interface Deposit extends OrderFields {
  /** The gateway's reference (the same value as `orderNo`). */
  referenceId: string;
  /** Your transaction id (also `agentOrderNo`). */
  transactionId: string;
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
  /** The gateway's `data`, untouched. */
  raw: Record<string, unknown>;
}

/** A withdrawal as created. */
export interface Withdrawal extends OrderFields {
  /** The gateway's fee in baht, as sent; present when sent. */
  fee?: number;
  /** `fee` in satang (integer); present with `fee`. */
  feeSatang?: number;
  /** What the beneficiary receives in baht (`transfer_amount`: amount less fee), present when sent. */
  transferAmount?: number;
  /** `transferAmount` in satang (integer); present with `transferAmount`. */
  transferAmountSatang?: number;
  /** The gateway's `data`, untouched. */
  raw: Record<string, unknown>;
}

/** An order as queried. */
export interface JwtGatewayOrder extends OrderFields {
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
  /** The gateway's `data`, untouched. */
  raw: Record<string, unknown>;
}

/** The merchant balance, as {@link JwtGatewayClient.getBalance} returns it. */
export interface Balance {
  /** The balance in baht, the number the gateway sent. Display only; compute with `balanceSatang`. */
  balance: number;
  /** `balance` in satang (integer); may be negative. */
  balanceSatang: number;
  /** The currency code the gateway sent, e.g. `THB`. */
  currency: string;
  /** The gateway's `data`, untouched. */
  raw: Record<string, unknown>;
}

/** The gateway sign helper's answer, as {@link JwtGatewayClient.signParams} returns it. */
export interface SignResult {
  /** The JWT the gateway computed; compare with {@link signJwtGatewayParams} over the same parameters. */
  signature: string;
  /** The JWT algorithm the gateway used, e.g. `HS256`. */
  algorithm: string;
  /** The parameters the gateway signed, when it echoes them: shows what it saw (order, types). */
  payload?: Record<string, unknown>;
  /** The gateway's `data`, untouched. */
  raw: Record<string, unknown>;
}

/** One bank of {@link JwtGatewayClient.listBanks}. */
export interface GatewayBank {
  /** The code to send as `bankCode` / `bankName`, e.g. `KBANK`. */
  code: string;
  /** English name, e.g. `Kasikorn Bank`. */
  name: string;
  /** Thai name, when the gateway sends one. */
  nameTh?: string;
  /** Whether the gateway accepts this bank now; `true` when the gateway does not say. */
  active: boolean;
}

/** The gateway's health, as {@link JwtGatewayClient.health} returns it. */
export interface Health {
  /** The gateway's word for its state, e.g. `healthy`. */
  status: string;
  /** The gateway's clock at answer time; absent when not sent or unparsable. */
  timestamp?: Date;
  /** Seconds the gateway has been up, when sent. */
  uptime?: number;
  /** The gateway's `data`, untouched. */
  raw: Record<string, unknown>;
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * Client of the JWT gateway.
 *
 * @example
 * ```ts
 * const gateway = new JwtGatewayClient({
 *   baseUrl: 'https://gateway.example/api/v1',
 *   merchantId: process.env.GATEWAY_MERCHANT_ID!,
 *   apiKey: process.env.GATEWAY_API_KEY!,
 * });
 * const deposit = await gateway.createDeposit({
 *   transactionId: 'order-1001',
 *   bankAccountNumber: '1234567890',
 *   bankName: 'KBANK',
 *   name: 'Somchai Jaidee',
 *   amount: '250.00',
 *   callbackUrl: 'https://shop.example/callbacks/gateway',
 *   type: 'QR',
 * });
 * console.log(deposit.qrcode, deposit.status); // '000201…', 'pending'
 * ```
 */
export class JwtGatewayClient {
  /** The base URL requests go to, as given. */
  readonly baseUrl: string;
  /** The merchant id sent in deposits. */
  readonly merchantId: string;
  /** The paths in use: the defaults with your overrides applied. */
  readonly paths: Readonly<JwtGatewayPaths>;
  readonly #apiKey: string;
  readonly #transport: Transport;
  readonly #crypto: HmacSha256;
  readonly #now: () => number;
  readonly #resendDelayMs: number;
  readonly #depositSchema: ReturnType<typeof createDepositSchema>;
  readonly #withdrawalSchema: ReturnType<typeof createWithdrawalSchema>;

  /**
   * Check the options and build the client; no request is sent.
   *
   * @throws InvalidRequestError naming every bad option at once: `baseUrl` not an http(s) URL, `merchantId`
   *   or `apiKey` missing or empty (an unset environment variable), a NaN, infinite or negative number, …
   * @example
   * ```ts
   * const gateway = new JwtGatewayClient({
   *   baseUrl: 'https://gateway.example/api/v1',
   *   merchantId: 'M1001',
   *   apiKey: process.env.GATEWAY_API_KEY!,
   *   paths: { withdraw: '/payout' },
   *   timeoutMs: 10_000,
   * });
   * ```
   */
  constructor(options: JwtGatewayClientOptions) {
    const checked = validate(clientOptionsSchema, options);
    this.baseUrl = checked.baseUrl;
    this.merchantId = checked.merchantId;
    this.#apiKey = checked.apiKey;
    this.paths = Object.freeze({ ...DEFAULT_JWT_GATEWAY_PATHS, ...definedOnly(options.paths) });
    this.#crypto = options.crypto ?? getDefaultHmac();
    this.#now = options.now ?? Date.now;
    this.#resendDelayMs = options.resendDelayMs ?? 500;
    this.#depositSchema = createDepositSchema(options.limits?.deposit);
    this.#withdrawalSchema = createWithdrawalSchema(options.limits?.withdrawal);
    this.#transport = new Transport({
      baseUrl: checked.baseUrl,
      timeoutMs: options.timeoutMs,
      deadlineMs: options.deadlineMs,
      maxRetries: options.maxRetries,
      fetch: options.fetch,
      allowInsecureHttp: options.allowInsecureHttp,
      maxResponseBytes: options.maxResponseBytes,
      hooks: options.hooks,
      headers: { 'x-api-key': checked.apiKey },
      secrets: [checked.apiKey],
    });
  }

  /**
   * Create a deposit (PromptPay QR or bank transfer). Safe to call once per order: if the answer is
   * lost, the same `transactionId` is re-sent and a duplicate is reconciled by querying the order.
   *
   * @throws InvalidRequestError before sending; DuplicateOrderError when `transactionId` was already used;
   *   OrderStatusUnknownError when the outcome cannot be learned (query it later by `transactionId`).
   * @example
   * ```ts
   * const deposit = await gateway.createDeposit({ transactionId: 'order-1001', bankAccountNumber: '1234567890',
   *   bankName: 'KBANK', name: 'Somchai Jaidee', amount: 250, callbackUrl: 'https://shop.example/cb', type: 'QR' },
   *   { signal: AbortSignal.timeout(30_000) });
   * ```
   */
  async createDeposit(input: CreateDepositInput, options?: RequestOptions): Promise<Created<Deposit>> {
    const [valid, call] = checkCall(() => validate(this.#depositSchema, input), options);
    const body = {
      merchantId: this.merchantId,
      transactionId: valid.transactionId,
      bankAccountNumber: valid.bankAccountNumber,
      bankName: valid.bankName,
      name: valid.name,
      amount: satangToNumber(valid.amount),
      callbackUrl: valid.callbackUrl,
      type: valid.type,
    };
    return this.#create({
      orderId: valid.transactionId,
      path: this.paths.deposit,
      body,
      timestampType: 'number',
      read: (response) => toDeposit(this.#data(response, depositDataSchema)),
      fromOrder: depositFromOrder,
      call,
    });
  }

  /**
   * Create a withdrawal (payout to a bank account). Safe like {@link createDeposit}: a lost answer is
   * re-sent with the same `agentOrderNo`, never paid twice.
   *
   * @example
   * ```ts
   * const payout = await gateway.createWithdrawal({ agentOrderNo: 'payout-77', amount: '1500.00',
   *   bankCode: 'SCB', accountNo: '1234567890', accountName: 'Somchai Jaidee', callbackUrl: 'https://shop.example/cb' });
   * ```
   */
  async createWithdrawal(
    input: CreateWithdrawalInput,
    options?: RequestOptions,
  ): Promise<Created<Withdrawal>> {
    const [valid, call] = checkCall(() => validate(this.#withdrawalSchema, input), options);
    const body = {
      agent_order_no: valid.agentOrderNo,
      amount: satangToNumber(valid.amount),
      bank_code: valid.bankCode,
      account_no: valid.accountNo,
      account_name: valid.accountName,
      callback_url: valid.callbackUrl,
    };
    return this.#create({
      orderId: valid.agentOrderNo,
      path: this.paths.withdraw,
      body,
      // The withdrawal table types `timestamp` as a string.
      timestampType: 'string',
      read: (response) => toWithdrawal(this.#data(response, withdrawalDataSchema)),
      fromOrder: withdrawalFromOrder,
      call,
    });
  }

  /**
   * The merchant balance.
   *
   * @example
   * ```ts
   * const { balance, currency } = await gateway.getBalance(); // 50000, 'THB'
   * const quick = await gateway.getBalance({ timeoutMs: 3_000 });
   * ```
   */
  async getBalance(options?: RequestOptions): Promise<Balance> {
    const [, call] = checkCall(() => undefined, options);
    const response = await this.#post(this.paths.balance, {}, 'number', true, call);
    const data = this.#data(response, balanceDataSchema);
    return {
      balance: data.balance,
      balanceSatang: parseProviderAmount(data.balance, 'balance', { allowNegative: true }),
      currency: data.currency,
      raw: data,
    };
  }

  /**
   * Query an order by the gateway's number or by yours.
   *
   * @example
   * ```ts
   * const order = await gateway.getOrder({ agentOrderNo: 'order-1001' }, { signal: request.signal });
   * if (order.status === 'succeeded') fulfil(order.agentOrderNo);
   * ```
   */
  async getOrder(input: GetOrderInput, options?: RequestOptions): Promise<JwtGatewayOrder> {
    const [, call] = checkCall(() => validate(getOrderSchema, input), options);
    return this.#getOrder(input, call);
  }

  async #getOrder(input: GetOrderInput, call: RequestOptions, deadlineAt?: number): Promise<JwtGatewayOrder> {
    const valid = validate(getOrderSchema, input);
    const body: Record<string, string> = {};
    if (valid.orderNo !== undefined) body.order_no = valid.orderNo;
    if (valid.agentOrderNo !== undefined) body.agent_order_no = valid.agentOrderNo;
    const response = await this.#post(this.paths.order, body, 'number', true, call, deadlineAt);
    return toOrder(this.#data(response, orderDataSchema));
  }

  /**
   * Ask the gateway's sign helper to sign parameters (useful to compare with {@link signJwtGatewayParams}
   * when hunting an "Invalid signature").
   *
   * @example
   * ```ts
   * const { signature } = await gateway.signParams({ amount: 1000, merchantId: 'M1' }, { timeoutMs: 5_000 });
   * ```
   */
  async signParams(params: Record<string, unknown>, options?: RequestOptions): Promise<SignResult> {
    const [, call] = checkCall(() => {
      if (params === null || typeof params !== 'object' || Array.isArray(params)) {
        throw InvalidRequestError.field('params', 'must be an object');
      }
    }, options);
    const { signature: _s, ...rest } = params;
    const response = await this.#transport.send({
      method: 'POST',
      path: this.paths.sign,
      body: { params: rest },
      retry: true,
      ...call,
    });
    const data = this.#data(response, signDataSchema);
    const result: SignResult = { signature: data.signature, algorithm: data.algorithm, raw: data };
    if (data.payload) result.payload = data.payload;
    return result;
  }

  /**
   * The banks the gateway supports.
   *
   * @example
   * ```ts
   * const banks = await gateway.listBanks(); // [{ code: 'KBANK', name: 'Kasikorn Bank', nameTh: '…', active: true }]
   * ```
   */
  async listBanks(options?: RequestOptions): Promise<GatewayBank[]> {
    const [, call] = checkCall(() => undefined, options);
    const response = await this.#transport.send({
      method: 'GET',
      path: this.paths.banks,
      retry: true,
      ...call,
    });
    return this.#data(response, banksDataSchema).banks.map((bank) => {
      const out: GatewayBank = { code: bank.code, name: bank.name, active: bank.active ?? true };
      if (bank.name_th) out.nameTh = bank.name_th;
      return out;
    });
  }

  /**
   * The gateway's health.
   *
   * @example
   * ```ts
   * const { status } = await gateway.health({ timeoutMs: 2_000 }); // 'healthy'
   * ```
   */
  async health(options?: RequestOptions): Promise<Health> {
    const [, call] = checkCall(() => undefined, options);
    const response = await this.#transport.send({
      method: 'GET',
      path: this.paths.health,
      retry: true,
      ...call,
    });
    const data = this.#data(response, healthDataSchema);
    const out: Health = { status: data.status, raw: data };
    const timestamp = optionalDate(data.timestamp);
    if (timestamp) out.timestamp = timestamp;
    if (typeof data.uptime === 'number') out.uptime = data.uptime;
    return out;
  }

  /**
   * Let go of the kept-alive connections (on Node), so a script exits at once; a later call opens new
   * ones. `await using` calls it for you.
   *
   * @example
   * ```ts
   * await client.close();
   * ```
   */
  close(): Promise<void> {
    return this.#transport.close();
  }

  /**
   * The same as {@link close}, for `await using`.
   *
   * @example
   * ```ts
   * await using client = new JwtGatewayClient({ ... }); // closed when the block ends
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#transport.close();
  }

  /**
   * The public settings (`baseUrl`, `merchantId`, `paths`), never the API key, so a logged client leaks
   * nothing; `console.log` and `util.inspect` show the same.
   *
   * @example
   * ```ts
   * JSON.stringify(gateway); // '{"baseUrl":"https://gateway.example/api/v1","merchantId":"M1001","paths":{…}}'
   * ```
   */
  toJSON(): Record<string, unknown> {
    return { baseUrl: this.baseUrl, merchantId: this.merchantId, paths: this.paths };
  }

  /**
   * Node's `util.inspect` hook (what `console.log` calls): the same safe fields as {@link toJSON}.
   *
   * @internal A runtime hook, not an API to call.
   */
  [inspectSymbol](): string {
    return `JwtGatewayClient ${JSON.stringify(this.toJSON())}`;
  }

  /**
   * A safe create: one deadline for every send and the reconciling query; a lost answer is re-sent with
   * the same merchant order id, and "already exists" on a re-send is answered by querying that id.
   */
  #create<T extends object>(spec: {
    orderId: string;
    path: string;
    body: Record<string, unknown>;
    timestampType: 'number' | 'string';
    read: (response: TransportResponse) => T;
    fromOrder: (order: JwtGatewayOrder) => T;
    call: RequestOptions;
  }): Promise<Created<T>> {
    const deadlineAt = this.#transport.deadlineFromNow();
    return safeCreate({
      orderId: spec.orderId,
      send: async () =>
        spec.read(await this.#post(spec.path, spec.body, spec.timestampType, false, spec.call, deadlineAt)),
      lookup: async () => {
        const order = await this.#lookup({ agentOrderNo: spec.orderId }, spec.call, deadlineAt);
        return order && spec.fromOrder(order);
      },
      wait: (n) => this.#wait(n, deadlineAt),
    });
  }

  /** Query for reconciliation: `undefined` when the gateway says the order does not exist. */
  async #lookup(
    input: GetOrderInput,
    call: RequestOptions,
    deadlineAt: number,
  ): Promise<JwtGatewayOrder | undefined> {
    try {
      return await this.#getOrder(input, call, deadlineAt);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'order_not_found') return undefined;
      throw error;
    }
  }

  /** The wait before re-send `n`; never past the create's deadline, where waiting achieves nothing. */
  #wait(n: number, deadlineAt: number): Promise<void> {
    const ms = Math.min(this.#resendDelayMs * n, this.#transport.msUntil(deadlineAt));
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** A signed POST; each attempt gets a fresh timestamp and signature. */
  #post(
    path: string,
    body: Record<string, unknown>,
    timestampType: 'number' | 'string',
    retry: boolean,
    call: RequestOptions,
    deadlineAt?: number,
  ): Promise<TransportResponse> {
    return this.#transport.send({
      method: 'POST',
      path,
      body,
      retry,
      ...call,
      ...(deadlineAt === undefined ? {} : { deadlineAt }),
      sign: async (fresh) => {
        const seconds = unixSeconds(this.#now());
        const params = { ...fresh, timestamp: timestampType === 'number' ? seconds : String(seconds) };
        return { ...params, signature: await signJwtGatewayParams(params, this.#apiKey, this.#crypto) };
      },
    });
  }

  /** Read either envelope style, map errors to classes, check `data` against its schema. */
  #data<T>(response: TransportResponse, schema: z.ZodMiniType<T>): T {
    const envelope = response.body;
    // Errors carry the answer (and quote its message), scrubbed: a gateway may echo the key it refused.
    const scrubbed = <V>(value: V): V => redactDeep(value, [this.#apiKey]);
    if (envelope === null || typeof envelope !== 'object' || Array.isArray(envelope)) {
      // A 429 or 5xx is that condition whatever its body says, as THB collect's client reads it.
      if (response.status === 429 || response.status >= 500)
        throw gatewayError(response.status, { body: scrubbed(envelope) });
      throw new ApiError(
        `The gateway answered HTTP ${response.status} with a body that is not an envelope.`,
        {
          code: 'invalid_response',
          status: response.status,
          raw: scrubbed(envelope),
        },
      );
    }
    const env = envelope as Record<string, unknown>;
    const ok =
      response.status >= 200 &&
      response.status < 300 &&
      (env.status === 'success' || env.code === 200 || env.code === '200');
    if (!ok) throw gatewayError(response.status, scrubbed(env));
    // Scrubbed before anything reads it, so no result field or `raw` can carry the key.
    const parsed = schema.safeParse(scrubbed(env.data));
    if (!parsed.success) {
      const issues = toFieldIssues(parsed.error.issues, 'data')
        .map((i) => `${i.field} ${i.rule}`)
        .join('; ');
      throw new ApiError(`The gateway's answer does not have the documented shape: ${issues}.`, {
        code: 'invalid_response',
        status: response.status,
        raw: scrubbed(env),
      });
    }
    return parsed.data;
  }
}

/** Map an error answer (either envelope style) to its class, by the document's error table. */
export function gatewayError(httpStatus: number, envelope: Record<string, unknown>): ThaiPayError {
  const code = typeof envelope.code === 'number' ? envelope.code : Number(envelope.code) || httpStatus;
  const status = httpStatus >= 400 ? httpStatus : code;
  const message =
    typeof envelope.message === 'string' && envelope.message ? envelope.message : `HTTP ${status}`;
  const options = { status, raw: envelope };
  if (/invalid signature/i.test(message)) {
    return new SignatureError(
      `The gateway refused the request signature: ${message}. Check the API key and that every parameter is signed as sent.`,
      options,
    );
  }
  if (/already exists/i.test(message))
    return new DuplicateOrderError(`The gateway refused a duplicate order: ${message}`, options);
  if (status === 401 || code === 401)
    return new AuthenticationError(`The gateway refused the API key: ${message}`, options);
  if (status === 403 || code === 403) {
    // The same condition as THB collect's 4031, so the same code.
    const ip = /\bip\b.*whitelist|whitelist.*\bip\b/i.test(message);
    return new PermissionError(`The gateway refused access: ${message}`, {
      ...options,
      ...(ip ? { code: 'ip_not_allowed' as const } : {}),
    });
  }
  if (status === 404 || /not found/i.test(message)) {
    return new ApiError(`The gateway did not find the order: ${message}`, {
      ...options,
      code: 'order_not_found',
    });
  }
  if (status === 429)
    return new ApiError(`The gateway is rate limiting: ${message}`, { ...options, code: 'rate_limited' });
  return new ApiError(`The gateway answered an error (HTTP ${status}): ${message}`, options);
}

/** The entries whose value is set: `{ deposit: undefined }` keeps the default path. */
function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function optionalDate(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

type DepositData = z.infer<typeof depositDataSchema>;
type WithdrawalData = z.infer<typeof withdrawalDataSchema>;
type OrderData = z.infer<typeof orderDataSchema>;

function toDeposit(data: DepositData): Deposit {
  const out: Deposit = {
    orderNo: data.referenceId,
    referenceId: data.referenceId,
    agentOrderNo: data.transactionId,
    orderId: data.transactionId,
    transactionId: data.transactionId,
    status: fromJwtGatewayStatus(data.status),
    providerStatus: data.status,
    amount: data.amount,
    amountSatang: parseProviderAmount(data.amount, 'amount'),
    raw: data,
  };
  if (typeof data.depositAmount === 'number') {
    out.depositAmount = data.depositAmount;
    out.depositAmountSatang = parseProviderAmount(data.depositAmount, 'depositAmount');
  }
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

/** The fields every snake_case order answer (withdrawal, order query) shares. */
function orderFields(data: WithdrawalData | OrderData): OrderFields & { raw: Record<string, unknown> } {
  return {
    orderNo: data.order_no,
    agentOrderNo: data.agent_order_no,
    orderId: data.agent_order_no,
    status: fromJwtGatewayStatus(data.status),
    providerStatus: data.status,
    amount: data.amount,
    amountSatang: parseProviderAmount(data.amount, 'amount'),
    raw: data,
  };
}

function toWithdrawal(data: WithdrawalData): Withdrawal {
  const out: Withdrawal = orderFields(data);
  if (typeof data.fee === 'number') {
    out.fee = data.fee;
    out.feeSatang = parseProviderAmount(data.fee, 'fee');
  }
  if (typeof data.transfer_amount === 'number') {
    out.transferAmount = data.transfer_amount;
    out.transferAmountSatang = parseProviderAmount(data.transfer_amount, 'transfer_amount');
  }
  return out;
}

function toOrder(data: OrderData): JwtGatewayOrder {
  const out: JwtGatewayOrder = orderFields(data);
  if (typeof data.fee === 'number') {
    out.fee = data.fee;
    out.feeSatang = parseProviderAmount(data.fee, 'fee');
  }
  if (typeof data.actual_amount === 'number') {
    out.actualAmount = data.actual_amount;
    out.actualAmountSatang = parseProviderAmount(data.actual_amount, 'actual_amount');
  }
  const created = optionalDate(data.created_at);
  if (created) out.createdAt = created;
  const completed = optionalDate(data.completed_at);
  if (completed) out.completedAt = completed;
  return out;
}

/** A deposit learned by query after a lost answer: the fields the query gives. */
function depositFromOrder(order: JwtGatewayOrder): Deposit {
  return { ...order, referenceId: order.orderNo, transactionId: order.agentOrderNo };
}

function withdrawalFromOrder(order: JwtGatewayOrder): Withdrawal {
  const out: Withdrawal = { ...order };
  // Not a withdrawal's fields: drop the pair whole, never half of it.
  delete (out as Partial<JwtGatewayOrder>).actualAmount;
  delete (out as Partial<JwtGatewayOrder>).actualAmountSatang;
  return out;
}
