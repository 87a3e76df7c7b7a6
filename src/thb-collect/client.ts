/**
 * The THB collect client: collections and payouts, their queries, safe creates and verified answers.
 *
 * A call's way: local validation (schemas.ts) → the transport, which signs every attempt with the
 * merchant private key → the envelope mapped to data or a typed error (envelope.ts, errors.ts) → the `sign` of
 * `data` verified with the platform public key → a typed result (results.ts). Nothing unverified is
 * ever returned.
 */
import { type CryptoProvider, getDefaultCryptoProvider } from '../core/crypto';
import { ApiError, InvalidRequestError, ResponseVerificationError } from '../core/errors';
import { redactDeep } from '../core/redact';
import { checkCall, type RequestOptions } from '../core/request-options';
import { AMBIGUOUS_RESPONSE_CODE, type SafeCreated, safeCreate } from '../core/safe-create';
import { sleep } from '../core/time';
import { Transport, type TransportHooks, type TransportInternals } from '../core/transport';
import { validate } from '../core/validation';
import { THB_COLLECT_PATHS, type ThbLimits } from './constants';
import { readThbEnvelope } from './envelope';
import { isThbOrderNotFound } from './errors';
import {
  balanceOf,
  collectionCreated,
  collectionOrder,
  imageType,
  payoutCreated,
  payoutOrder,
  statementLinkOf,
  type ThbBalance,
  type ThbCollectionCreatedAnswer,
  type ThbCollectionOrder,
  type ThbCollectionReconciled,
  type ThbPayoutCreatedAnswer,
  type ThbPayoutOrder,
  type ThbPayoutReconciled,
  type ThbPayoutVoucher,
  type ThbStatementLink,
} from './results';
import {
  clientOptionsSchema,
  collectionRequest,
  payoutRequest,
  queryRequest,
  resolveLimits,
  statementRequest,
  type ThbCreateCollectionInput,
  type ThbCreatePayoutInput,
  type ThbLimitsOption,
  type ThbOrderQuery,
  type ThbReadParams,
  type ThbStatementQuery,
  type ThbVoucherQuery,
  type ThbWireRequest,
  voucherRequest,
} from './schemas';
import { signThbParams, verifyThbParamsWith } from './signing';

/** Options of {@link ThbCollectClient}. */
export interface ThbCollectClientOptions {
  /** The THB business id (`appId`, a Long). A numeric string is accepted and sent as a number. */
  appId: number | string;
  /** The merchant secret key (part of every sign string). */
  secretKey: string;
  /** The merchant RSA private key (2048-bit): PEM PKCS#8 / PKCS#1, or bare Base64 DER. */
  privateKey: string;
  /**
   * The platform RSA public key, which verifies answers: PEM or bare Base64 DER. Several during a platform
   * key rotation: an answer is accepted when one of them verifies it.
   */
  platformPublicKey: string | readonly string[];
  /**
   * The provider's host; required, there is no default. The test (UAT) host is
   * `THB_COLLECT_TEST_BASE_URL` (`https://uat-interface.haipay.asia`); the production host is issued at
   * go-live, with its own appId and keys.
   */
  baseUrl: string;
  /**
   * Amount ranges of your contract, per product; what you leave out keeps its default
   * (`THB_DEFAULT_LIMITS`: QR 1–8,000, TrueMoney 1–1,000, cashier 1–8,000, payouts 1–8,000 baht).
   */
  limits?: ThbLimitsOption;
  /** Time allowed for one attempt. Default 15 000 ms. */
  timeoutMs?: number;
  /**
   * Retries of queries (network errors, timeouts, 5xx, 429) and re-sends of a create whose answer was
   * lost (always with the same orderId). Default 2.
   */
  maxRetries?: number;
  /** Time allowed for one call of the transport, retries included. Default 60 000 ms. */
  deadlineMs?: number;
  /** A fetch to send with. Default: node:http on Node, else the global `fetch`. */
  fetch?: typeof fetch;
  /**
   * Allow an `http://` baseUrl on a host that is not loopback (the API key would cross the network in
   * clear). Default false: `http://` only for 127.0.0.1, ::1 and localhost.
   */
  allowInsecureHttp?: boolean;
  /** Bytes of answer accepted; a longer answer fails without being buffered. Default 1 MiB. */
  maxResponseBytes?: number;
  /** Logging and metrics hooks; they see redacted copies only. */
  hooks?: TransportHooks;
  /**
   * Check the platform's signature on every answer. Default true. `false` is for debugging a key
   * problem only: answers could then be forged, and the client warns on the console.
   */
  verifyResponses?: boolean;
  /** Wait before re-send number n of a create is `n × resendDelayMs`. Default 500 ms. */
  resendDelayMs?: number;
  /** The crypto implementation; by default the fastest the runtime has. */
  crypto?: CryptoProvider;
}

/** Per-call options: the shared {@link RequestOptions} (`signal`, `timeoutMs`), under its earlier name. */
export type ThbRequestOptions = RequestOptions;

/**
 * A created collection: the create answer (`reconciled: false`, with `payUrl`/`qrCode`/...), or, when that
 * answer was lost, the order as the query reports it (`reconciled: true`, {@link ThbCollectionReconciled}:
 * `status` and amounts, but never `payUrl`, `qrCode`, `bankCode` or `bankNo`, which a query cannot restore).
 */
export type ThbCollectionCreated = ThbCollectionCreatedAnswer | ThbCollectionReconciled;

/** A created payout: the create answer, or the query's fields when reconciled ({@link ThbPayoutReconciled}). */
export type ThbPayoutCreated = ThbPayoutCreatedAnswer | ThbPayoutReconciled;

export type { ThbCollectionReconciled, ThbPayoutReconciled };

/** Per-call options inside the client: a create's sends and its query share one deadline. */
type CallOptions = ThbRequestOptions & { deadlineAt?: number };

const DEFAULT_RESEND_DELAY_MS = 500;

/**
 * The key of the transport's test seams (sleep, clock, jitter) in the client's options: tests import it
 * from this module; the package entry never exports it, so the seams are no public API.
 *
 * @internal
 */
export const THB_TEST_SEAMS: unique symbol = Symbol();

/** Options as tests give them: the public ones plus the seams under {@link THB_TEST_SEAMS}. */
type OptionsWithSeams = ThbCollectClientOptions & { [THB_TEST_SEAMS]?: TransportInternals };
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * Every form a leaked private key could take in text: as given, compact Base64, each line as given, and
 * each 64-character PEM line of the compact form (a key given as bare Base64 may be shown as PEM).
 */
function keySecrets(key: string): string[] {
  const body = key.replace(/-----[A-Z ]+-----/g, '').replace(/\\n/g, '\n');
  const compact = body.replace(/\s+/g, '');
  const lines = body.split(/\s+/).filter((line) => line.length >= 16);
  const pemLines = compact.match(/.{16,64}/g) ?? [];
  return [key, compact, ...new Set([...lines, ...pemLines])];
}

/**
 * A client of the THB collect API: PromptPay QR and TrueMoney collections, bank and e-wallet payouts.
 *
 * Creates are safe to call once per order: a lost answer (timeout, broken connection, 5xx, 429) is re-sent
 * with the same orderId, and a "duplicate" answer to that re-send is reconciled by querying the order
 * (`reconciled: true`). When the outcome cannot be learned it throws OrderStatusUnknownError with the
 * orderId: query it later, never create it again under a new id.
 *
 * @example
 * ```ts
 * import { THB_COLLECT_TEST_BASE_URL, ThbCollectClient } from 'thaipay/thb-collect';
 *
 * const thb = new ThbCollectClient({
 *   appId: 1054,
 *   secretKey: process.env.THB_SECRET_KEY!,
 *   privateKey: process.env.THB_PRIVATE_KEY!,
 *   platformPublicKey: process.env.THB_PLATFORM_PUBLIC_KEY!,
 *   baseUrl: THB_COLLECT_TEST_BASE_URL, // explicit: production's URL comes at go-live
 * });
 * const collection = await thb.createCollection({
 *   orderId: 'M1001',
 *   amount: 300,
 *   payType: 'QR',
 *   name: 'Somchai Jaidee',
 *   phone: '0812345678',
 *   email: 'somchai@example.com',
 *   callBackUrl: 'https://shop.example/paid',
 *   callBackFailUrl: 'https://shop.example/failed',
 *   notifyUrl: 'https://shop.example/thb/notify',
 *   subject: 'Order M1001',
 *   partnerUserId: 'user-42',
 * });
 * console.log(collection.qrCode ?? collection.payUrl);
 * ```
 */
export class ThbCollectClient {
  readonly #appId: number;
  readonly #baseUrl: string;
  readonly #secretKey: string;
  readonly #privateKey: string;
  readonly #platformPublicKeys: readonly string[];
  readonly #secrets: readonly string[];
  readonly #transport: Transport;
  readonly #crypto: CryptoProvider;
  readonly #verifyResponses: boolean;
  readonly #maxResends: number;
  readonly #resendDelayMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #limits: ThbLimits;

  /**
   * Check the options and parse the keys now, so a bad key fails at start-up naming its option rather than
   * on the first payment. No request is sent.
   *
   * @throws InvalidRequestError naming every broken option: `appId` not a positive whole number, an empty or
   *   missing `secretKey`, a missing `baseUrl`, a number out of range, a `limits` entry, a key that does
   *   not parse.
   * @example
   * ```ts
   * const thb = new ThbCollectClient({
   *   appId: '1054',
   *   secretKey: process.env.THB_SECRET_KEY!,
   *   privateKey: process.env.THB_PRIVATE_KEY!, // PEM or bare Base64 PKCS#8
   *   // Two keys while the platform rotates its key: an answer verified by either is accepted.
   *   platformPublicKey: [process.env.THB_PLATFORM_KEY_NEW!, process.env.THB_PLATFORM_KEY_OLD!],
   *   baseUrl: 'https://uat-interface.haipay.asia',
   * });
   * ```
   */
  constructor(options: ThbCollectClientOptions) {
    if (options === null || typeof options !== 'object') {
      throw InvalidRequestError.field(
        'options',
        'must be an object with appId, secretKey, privateKey and platformPublicKey',
      );
    }
    // Every option at once (keys parsed too), so a bad configuration names each broken option at start-up.
    const checked = validate(clientOptionsSchema, options);
    this.#appId = Number(checked.appId);
    // The seams also time the waits between re-sends of a create.
    const internals = (options as OptionsWithSeams)[THB_TEST_SEAMS] ?? {};
    this.#limits = resolveLimits(checked.limits);
    const platformKeys =
      typeof options.platformPublicKey === 'string' ? [options.platformPublicKey] : options.platformPublicKey;
    this.#secretKey = options.secretKey;
    this.#privateKey = options.privateKey;
    this.#platformPublicKeys = [...platformKeys];
    this.#secrets = [options.secretKey, ...keySecrets(options.privateKey)];
    this.#baseUrl = options.baseUrl;
    const maxRetries = options.maxRetries ?? 2;
    this.#transport = new Transport(
      {
        baseUrl: this.#baseUrl,
        timeoutMs: options.timeoutMs,
        deadlineMs: options.deadlineMs,
        maxRetries,
        fetch: options.fetch,
        allowInsecureHttp: options.allowInsecureHttp,
        maxResponseBytes: options.maxResponseBytes,
        hooks: options.hooks,
        secrets: [...this.#secrets],
      },
      internals,
    );
    this.#maxResends = maxRetries;
    const resendDelayMs = options.resendDelayMs ?? DEFAULT_RESEND_DELAY_MS;
    this.#resendDelayMs = resendDelayMs;
    this.#sleep = internals.sleep ? (ms) => internals.sleep!(ms) : sleep;
    this.#crypto = options.crypto ?? getDefaultCryptoProvider();
    this.#verifyResponses = options.verifyResponses !== false;
    if (!this.#verifyResponses) {
      console.warn(
        '[thaipay] ThbCollectClient: verifyResponses is false. Answers from THB collect are NOT checked against the platform public key and could be forged. Use this only to debug a key problem, never in production.',
      );
    }
  }

  /** The business id this client sends. */
  get appId(): number {
    return this.#appId;
  }

  /** The host this client talks to. */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  /**
   * Create a collection (PromptPay QR, TrueMoney or the cashier page).
   *
   * @throws {InvalidRequestError} before sending, naming each field and rule it breaks.
   * @throws {DuplicateOrderError} when the orderId was already used (4005 on the first send).
   * @throws {OrderStatusUnknownError} when the outcome could not be learned (a lost answer, 1003/1004 "the
   *   order may already be recorded", ...) even after re-sending and querying: query the orderId later.
   * @throws {ResponseVerificationError} when the answer's signature does not verify.
   * @example
   * ```ts
   * const created = await thb.createCollection({
   *   orderId: 'M1001', amount: '300', payType: 'QR', name: 'Somchai Jaidee', phone: '0812345678',
   *   email: 'somchai@example.com', callBackUrl: 'https://shop.example/ok',
   *   callBackFailUrl: 'https://shop.example/fail', subject: 'Order M1001', partnerUserId: 'user-42',
   * });
   * if (!created.reconciled) showQr(created.qrCode ?? created.payUrl);
   * else showStatus(created.status); // a query cannot restore the QR or the page
   * ```
   */
  async createCollection(
    input: ThbCreateCollectionInput,
    options: ThbRequestOptions = {},
  ): Promise<ThbCollectionCreated> {
    const [request] = checkCall(() => collectionRequest(input, this.#limits), options);
    const path = THB_COLLECT_PATHS.collectApply;
    return this.#safeCreate(
      request,
      path,
      options,
      (data) => this.#sameOrder(collectionCreated(data), request.orderId, path, true),
      (callOptions) => this.getCollection({ orderId: request.orderId }, callOptions),
    );
  }

  /**
   * Query a collection by your orderId (and, faster, the platform's orderNo).
   *
   * @throws {ApiError} with code `order_not_found` when the provider says there is no such order (4013).
   * @example
   * ```ts
   * const order = await thb.getCollection({ orderId: 'M1001' });
   * if (order.status === 'succeeded') console.log('paid', order.actualAmount, order.payTime);
   * ```
   */
  async getCollection(query: ThbOrderQuery, options: ThbRequestOptions = {}): Promise<ThbCollectionOrder> {
    const [request] = checkCall(() => queryRequest(query), options);
    const path = THB_COLLECT_PATHS.collectQuery;
    const data = await this.#callObject(path, request.params, 'query', options, request.orderId);
    return this.#scrubbed(this.#sameOrder(collectionOrder(data), request.orderId, path));
  }

  /**
   * Create a payout to a bank account or e-wallet.
   *
   * @throws {InvalidRequestError} before sending, naming each field and rule it breaks.
   * @throws {DuplicateOrderError} when the orderId was already used (4005 on the first send).
   * @throws {ApiError} with code `insufficient_balance` (4016) when the balance does not cover it.
   * @throws {OrderStatusUnknownError} when the outcome could not be learned; query the orderId later.
   * @example
   * ```ts
   * const payout = await thb.createPayout({
   *   orderId: 'P2001', amount: 1500, accountType: 'BANK_ACCOUNT', bankCode: 'KBANK',
   *   accountNo: '1234567890', name: 'Somchai Jaidee', phone: '0812345678',
   *   email: 'somchai@example.com', partnerUserId: 'user-42',
   * });
   * ```
   */
  async createPayout(
    input: ThbCreatePayoutInput,
    options: ThbRequestOptions = {},
  ): Promise<ThbPayoutCreated> {
    const [request] = checkCall(() => payoutRequest(input, this.#limits), options);
    const path = THB_COLLECT_PATHS.payApply;
    return this.#safeCreate(
      request,
      path,
      options,
      (data) => this.#sameOrder(payoutCreated(data), request.orderId, path, true),
      (callOptions) => this.getPayout({ orderId: request.orderId }, callOptions),
    );
  }

  /**
   * Query a payout by your orderId (and, faster, the platform's orderNo).
   *
   * @throws {ApiError} with code `order_not_found` when the provider says there is no such order (4013).
   * @example
   * ```ts
   * const payout = await thb.getPayout({ orderId: 'P2001' });
   * if (payout.status === 'failed') console.log(payout.errorMsg);
   * ```
   */
  async getPayout(query: ThbOrderQuery, options: ThbRequestOptions = {}): Promise<ThbPayoutOrder> {
    const [request] = checkCall(() => queryRequest(query), options);
    const path = THB_COLLECT_PATHS.payQuery;
    const data = await this.#callObject(path, request.params, 'query', options, request.orderId);
    return this.#scrubbed(this.#sameOrder(payoutOrder(data), request.orderId, path));
  }

  /**
   * The THB account's balance (`/thb/account/ledger`): each amount as the provider's baht text and as
   * satang. Signed by the platform and verified like every answer. Retried like a query.
   *
   * @example
   * ```ts
   * const balance = await thb.getBalance();
   * if (balance.availableBalSatang < payoutSatang) await topUp();
   * console.log(balance.bal, balance.availableBal, balance.frzBal, balance.unSettleBal);
   * ```
   */
  async getBalance(options: ThbRequestOptions = {}): Promise<ThbBalance> {
    checkCall(() => undefined, options);
    const data = await this.#callObject(THB_COLLECT_PATHS.balance, {}, 'read', options);
    return this.#scrubbed(balanceOf(data));
  }

  /**
   * A download link of a day's statement file (`/common/document/download`): collections, payouts or the
   * fund flow. A day's file is ready the next day after 13:00; the link expires after about an hour.
   *
   * @throws {InvalidRequestError} when `type` or `date` is wrong, before sending.
   * @example
   * ```ts
   * const { fileUrl, expired } = await thb.getStatementLink({ type: 'collection', date: '20260301' });
   * ```
   */
  async getStatementLink(
    query: ThbStatementQuery,
    options: ThbRequestOptions = {},
  ): Promise<ThbStatementLink> {
    const [params] = checkCall(() => statementRequest(query), options);
    const data = await this.#callObject(THB_COLLECT_PATHS.statement, params, 'read', options);
    const link = statementLinkOf(data);
    if (link.type !== params.type || link.date !== params.date) {
      throw new ApiError(
        `THB collect's answer to ${THB_COLLECT_PATHS.statement} is about type ${link.type} on ${link.date}, not type ${params.type} on ${params.date}; it was discarded.`,
        { code: 'invalid_response', raw: redactDeep(data, this.#secrets) },
      );
    }
    return this.#scrubbed(link);
  }

  /**
   * A payout's voucher (`/common/voucher`): the receipt image, Base64. The document describes the answer
   * as the image alone, which carries no platform signature: `signed` says whether one covered it. Show
   * it to people; never decide anything on it (query the payout for its status).
   *
   * @throws {InvalidRequestError} when `orderNo` is not the platform's digits, before sending.
   * @example
   * ```ts
   * const voucher = await thb.getPayoutVoucher({ orderNo: payout.orderNo });
   * response.type(voucher.contentType).send(Buffer.from(voucher.imageBase64, 'base64'));
   * ```
   */
  async getPayoutVoucher(query: ThbVoucherQuery, options: ThbRequestOptions = {}): Promise<ThbPayoutVoucher> {
    const [params] = checkCall(() => voucherRequest(query), options);
    const path = THB_COLLECT_PATHS.voucher;
    const data = await this.#call(path, params, 'read', options);
    const orderNo = String(params.orderNo);
    if (typeof data === 'string') {
      const contentType = imageType(data);
      if (contentType === undefined) throw this.#unusable(path, 'data that is not a Base64 image', data);
      return { orderNo, imageBase64: data, contentType, signed: false };
    }
    // A signed object: verified by #call. The image is its one field holding Base64 image data.
    const record = data as Record<string, unknown>;
    for (const [field, value] of Object.entries(record)) {
      if (field === 'sign' || typeof value !== 'string' || value.length < 16) continue;
      const contentType = imageType(value);
      if (contentType !== undefined && contentType !== 'application/octet-stream') {
        return { orderNo, imageBase64: value, contentType, signed: this.#verifyResponses };
      }
    }
    throw this.#unusable(path, 'no Base64 image', record);
  }

  /**
   * Let go of the kept-alive connections (on Node), so a script exits at once; a later call opens new
   * ones. `await using` calls it for you.
   *
   * @example
   * ```ts
   * await thb.close();
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
   * await using thb = new ThbCollectClient({ ... }); // closed when the block ends
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#transport.close();
  }

  /**
   * Only the public settings, never a key, so a logged client leaks nothing; `console.log` and
   * `util.inspect` show the same.
   *
   * @example
   * ```ts
   * JSON.stringify(thb); // '{"appId":1054,"baseUrl":"https://uat-interface.haipay.asia"}'
   * ```
   */
  toJSON(): {
    /** The business id this client sends. */
    appId: number;
    /** The host this client talks to. */
    baseUrl: string;
  } {
    return { appId: this.#appId, baseUrl: this.#baseUrl };
  }

  /**
   * Node's `util.inspect` hook (what `console.log` calls): the same safe fields as {@link toJSON}.
   *
   * @internal A runtime hook, not an API to call.
   */
  [inspectSymbol](): string {
    return `ThbCollectClient ${JSON.stringify(this.toJSON())}`;
  }

  async #safeCreate<T extends { raw: Record<string, unknown> }, R extends { raw: Record<string, unknown> }>(
    request: ThbWireRequest,
    path: string,
    options: ThbRequestOptions,
    read: (data: Record<string, unknown>) => T,
    lookupOrder: (options: CallOptions) => Promise<R>,
  ): Promise<SafeCreated<T, R>> {
    // One deadline for the whole create: every send, the waits and the reconciling query share it.
    const deadlineAt = this.#transport.deadlineFromNow();
    const callOptions: CallOptions = { ...options, deadlineAt };
    return safeCreate<T, R>({
      orderId: request.orderId,
      maxResends: this.#maxResends,
      wait: (n) => this.#sleep(Math.min(n * this.#resendDelayMs, this.#transport.msUntil(deadlineAt))),
      send: async () => {
        const data = await this.#callObject(path, request.params, 'create', callOptions, request.orderId);
        try {
          return this.#scrubbed(read(data));
        } catch (error) {
          // A success answer we cannot read (no orderNo, say) still says the provider took the order.
          if (error instanceof ApiError && error.code === 'invalid_response') {
            throw new ApiError(
              `${error.message} The order may have been created: it is reconciled by orderId.`,
              {
                code: AMBIGUOUS_RESPONSE_CODE,
                raw: redactDeep(data, this.#secrets),
                cause: error,
              },
            );
          }
          throw error;
        }
      },
      lookup: async () => {
        try {
          return await lookupOrder(callOptions);
        } catch (error) {
          if (isThbOrderNotFound(error)) return undefined;
          throw error;
        }
      },
    });
  }

  /** {@link #call} for endpoints whose `data` is an object (all but the voucher). */
  async #callObject(
    path: string,
    params: ThbReadParams,
    operation: 'create' | 'query' | 'read',
    options: CallOptions,
    orderId?: string,
  ): Promise<Record<string, unknown>> {
    const data = await this.#call(path, params, operation, options, orderId);
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      if (operation === 'create') {
        throw new ApiError(
          `THB collect's answer to ${path} has a data that is not an object; the order may have been created: it is reconciled by orderId.`,
          { code: AMBIGUOUS_RESPONSE_CODE, raw: redactDeep(data, this.#secrets) },
        );
      }
      throw this.#unusable(path, 'data that is not an object', data);
    }
    return data as Record<string, unknown>;
  }

  /** One signed POST; returns the `data`, verified when it is an object (a bare value carries no `sign`). */
  async #call(
    path: string,
    params: ThbReadParams,
    operation: 'create' | 'query' | 'read',
    options: CallOptions,
    orderId?: string,
  ): Promise<unknown> {
    const response = await this.#transport.send({
      method: 'POST',
      path,
      body: { appId: this.#appId, ...params },
      sign: async (body) => ({
        ...body,
        sign: await signThbParams(
          body,
          { secretKey: this.#secretKey, privateKey: this.#privateKey },
          this.#crypto,
        ),
      }),
      // Creates are re-sent by safeCreate (same orderId, then reconciled), never blindly by the transport.
      retry: operation !== 'create',
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      deadlineAt: options.deadlineAt,
    });
    const data = readThbEnvelope(response, {
      path,
      operation,
      orderId,
      secrets: this.#secrets,
    });
    if (this.#verifyResponses && data !== null && typeof data === 'object' && !Array.isArray(data)) {
      await this.#verify(path, data as Record<string, unknown>, operation, orderId);
    }
    return data;
  }

  async #verify(
    path: string,
    data: Record<string, unknown>,
    operation: 'create' | 'query' | 'read',
    orderId: string | undefined,
  ): Promise<void> {
    const sign = data.sign;
    if (typeof sign === 'string' && sign !== '') {
      // During a platform key rotation, any of the configured keys may have signed the answer.
      for (const publicKey of this.#platformPublicKeys) {
        if (await verifyThbParamsWith(data, { secretKey: this.#secretKey, publicKey }, this.#crypto)) return;
      }
    }
    const what =
      typeof sign === 'string' && sign !== ''
        ? 'a signature that does not verify with platformPublicKey and secretKey'
        : 'no signature';
    const note =
      operation === 'create'
        ? ` The order may have been created: query it by its orderId ("${orderId}") before doing anything else.`
        : '';
    throw new ResponseVerificationError(
      `THB collect's answer to ${path} carries ${what}; it was discarded (tampered, or the wrong platform key or secret key is configured).${note}`,
      { raw: redactDeep(data, this.#secrets) },
    );
  }

  /**
   * A result whose `raw` (and free-text `errorMsg`) is free of secrets: a provider may echo a request
   * value back, and results end up in logs.
   */
  #scrubbed<T extends { raw: Record<string, unknown>; errorMsg?: string }>(result: T): T {
    const scrubbed = { ...result, raw: redactDeep(result.raw, this.#secrets) };
    if (typeof result.errorMsg === 'string') scrubbed.errorMsg = redactDeep(result.errorMsg, this.#secrets);
    return scrubbed;
  }

  #unusable(path: string, what: string, data: unknown): ApiError {
    return new ApiError(`THB collect's answer to ${path} has ${what}; it was discarded.`, {
      code: 'invalid_response',
      raw: redactDeep(data, this.#secrets),
    });
  }

  /**
   * An answer about another order than the one asked for is never passed on as ours. On a create it does
   * not prove ours was refused (the order may exist): an unknown outcome, which safe-create reconciles by
   * querying our orderId.
   */
  #sameOrder<T extends { orderId: string }>(result: T, orderId: string, path: string, create = false): T {
    if (result.orderId !== orderId) {
      throw new ApiError(
        `THB collect's answer to ${path} is about orderId "${result.orderId}", not "${orderId}"; ${create ? 'the order may have been created: it is reconciled by orderId.' : 'it was discarded.'}`,
        {
          code: create ? AMBIGUOUS_RESPONSE_CODE : 'invalid_response',
          raw: redactDeep(result, this.#secrets),
        },
      );
    }
    return result;
  }
}
