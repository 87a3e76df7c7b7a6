/**
 * The JWT gateway client: every endpoint of the document, typed, validated before sending, signed per
 * attempt, with safe creates.
 */
import type * as z from 'zod/mini';
import { getDefaultHmac } from '../core/crypto/default-hmac';
import type { HmacSha256 } from '../core/crypto/types';
import { ApiError, InvalidRequestError } from '../core/errors';
import { satangToNumber } from '../core/money';
import { checkCall, type RequestOptions } from '../core/request-options';
import { safeCreate } from '../core/safe-create';
import { sleep, unixSeconds } from '../core/time';
import { Transport, type TransportHooks, type TransportResponse } from '../core/transport';
import { validate } from '../core/validation';
import { gatewayData } from './errors';
import {
  type JwtGatewayBalance,
  type JwtGatewayBank,
  type JwtGatewayDepositCreated,
  type JwtGatewayHealth,
  type JwtGatewayOrder,
  type JwtGatewayOrderFields,
  type JwtGatewaySignResult,
  type JwtGatewayWithdrawalCreated,
  toBalance,
  toBanks,
  toDeposit,
  toHealth,
  toOrder,
  toSignResult,
  toWithdrawal,
} from './results';
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

/**
 * Paths below the base URL. `/deposit` is the document's; it names no other path, so the others are
 * thaipay's defaults (the sandbox serves the same ones), each overridable with the `paths` option.
 */
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
  async createDeposit(
    input: CreateDepositInput,
    options?: RequestOptions,
  ): Promise<JwtGatewayDepositCreated> {
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
  ): Promise<JwtGatewayWithdrawalCreated> {
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
  async getBalance(options?: RequestOptions): Promise<JwtGatewayBalance> {
    const [, call] = checkCall(() => undefined, options);
    const response = await this.#post(this.paths.balance, {}, 'number', true, call);
    return toBalance(this.#data(response, balanceDataSchema));
  }

  /**
   * Query an order by the gateway's number or by yours.
   *
   * @example
   * ```ts
   * const order = await gateway.getOrder({ agentOrderNo: 'order-1001' }, { signal: request.signal });
   * if (order.status === 'succeeded') fulfil(order.orderId);
   * ```
   */
  async getOrder(input: GetOrderInput, options?: RequestOptions): Promise<JwtGatewayOrder> {
    const [valid, call] = checkCall(() => validate(getOrderSchema, input), options);
    return this.#getOrder(valid, call);
  }

  /** An order query; `valid` has passed getOrderSchema (or is the create's own checked id). */
  async #getOrder(
    valid: { orderNo?: string; agentOrderNo?: string },
    call: RequestOptions,
    deadlineAt?: number,
  ): Promise<JwtGatewayOrder> {
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
  async signParams(params: Record<string, unknown>, options?: RequestOptions): Promise<JwtGatewaySignResult> {
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
    return toSignResult(this.#data(response, signDataSchema));
  }

  /**
   * The banks the gateway supports.
   *
   * @example
   * ```ts
   * const banks = await gateway.listBanks(); // [{ code: 'KBANK', name: 'Kasikorn Bank', nameTh: '…', active: true }]
   * ```
   */
  async listBanks(options?: RequestOptions): Promise<JwtGatewayBank[]> {
    const [, call] = checkCall(() => undefined, options);
    const response = await this.#transport.send({
      method: 'GET',
      path: this.paths.banks,
      retry: true,
      ...call,
    });
    return toBanks(this.#data(response, banksDataSchema));
  }

  /**
   * The gateway's health.
   *
   * @example
   * ```ts
   * const { status } = await gateway.health({ timeoutMs: 2_000 }); // 'healthy'
   * ```
   */
  async health(options?: RequestOptions): Promise<JwtGatewayHealth> {
    const [, call] = checkCall(() => undefined, options);
    const response = await this.#transport.send({
      method: 'GET',
      path: this.paths.health,
      retry: true,
      ...call,
    });
    return toHealth(this.#data(response, healthDataSchema));
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
  #create<T extends JwtGatewayOrderFields>(spec: {
    orderId: string;
    path: string;
    body: Record<string, unknown>;
    timestampType: 'number' | 'string';
    read: (response: TransportResponse) => T;
    call: RequestOptions;
  }) {
    const deadlineAt = this.#transport.deadlineFromNow();
    return safeCreate<T, JwtGatewayOrder>({
      orderId: spec.orderId,
      send: async () =>
        spec.read(await this.#post(spec.path, spec.body, spec.timestampType, false, spec.call, deadlineAt)),
      // The query's fields only: what it cannot restore is absent, never half set (results.ts).
      lookup: () => this.#lookup({ agentOrderNo: spec.orderId }, spec.call, deadlineAt),
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
    return sleep(ms);
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

  /** The answer's checked `data`, or its error (errors.ts). */
  #data<T>(response: TransportResponse, schema: z.ZodMiniType<T>): T {
    return gatewayData(response, schema, this.#apiKey);
  }
}

/** The entries whose value is set: `{ deposit: undefined }` keeps the default path. */
function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
