/**
 * The THB collect client: collections and payouts, their queries, safe creates and verified answers.
 *
 * A call's way: local validation (schemas.ts) → the transport, which signs every attempt with the
 * merchant private key → the envelope mapped to data or a typed error (envelope.ts) → the `sign` of
 * `data` verified with the platform public key → a typed result (results.ts). Nothing unverified is
 * ever returned.
 */
import { type CryptoProvider, getDefaultCryptoProvider, parseRsaKey } from '../core/crypto';
import { ApiError, InvalidRequestError, ResponseVerificationError, redactDeep } from '../core/errors';
import { type Created, safeCreate } from '../core/safe-create';
import { Transport, type TransportHooks, type TransportInternals } from '../core/transport';
import { THB_COLLECT_PATHS, THB_COLLECT_TEST_BASE_URL } from './constants';
import { isThbOrderNotFound, readThbEnvelope } from './envelope';
import {
  collectionCreated,
  collectionOrder,
  payoutCreated,
  payoutOrder,
  type ThbCollectionCreatedFields,
  type ThbCollectionOrder,
  type ThbOrder,
  type ThbPayoutCreatedFields,
  type ThbPayoutOrder,
} from './results';
import {
  collectionRequest,
  payoutRequest,
  queryRequest,
  type ThbCreateCollectionInput,
  type ThbCreatePayoutInput,
  type ThbOrderQuery,
  type ThbWireRequest,
} from './schemas';
import { signThbParams, verifyThbParams } from './signing';

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
  /** Default: the provider's test host, `https://uat-interface.haipay.asia`. Production is issued at go-live. */
  baseUrl?: string;
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

/** Per-call options. */
export interface ThbRequestOptions {
  /** Aborts the call (and any wait between attempts). */
  signal?: AbortSignal;
}

/** Query fields filled in when a create was reconciled by querying after a lost answer. */
export type ThbReconciledFields = Partial<Omit<ThbOrder, 'orderId' | 'orderNo' | 'raw'>>;

/**
 * A created collection. `reconciled: true` means the answer was lost and the order was found by querying
 * it: then `payUrl`/`qrCode` are absent (the query does not return them), the query's fields are present
 * (`status`, `amount`, ...) and `raw` is the query's `data`.
 */
export type ThbCollectionCreated = Created<CollectionCreateFields>;

/** A created payout; see {@link ThbCollectionCreated} for `reconciled`. */
export type ThbPayoutCreated = Created<PayoutCreateFields>;

type CollectionCreateFields = ThbCollectionCreatedFields &
  ThbReconciledFields & { actualAmount?: string; actualAmountSatang?: number };
type PayoutCreateFields = ThbPayoutCreatedFields & ThbReconciledFields;

/** Per-call options inside the client: a create's sends and its query share one deadline. */
type CallOptions = ThbRequestOptions & { deadlineAt?: number };

const DEFAULT_RESEND_DELAY_MS = 500;
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

function readAppId(appId: unknown): number {
  const n =
    typeof appId === 'number'
      ? appId
      : typeof appId === 'string' && /^\d{1,16}$/.test(appId)
        ? Number(appId)
        : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw InvalidRequestError.field('appId', 'must be the numeric THB business id (a positive whole number)');
  }
  return n;
}

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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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
 * import { ThbCollectClient } from 'thaipay/thb-collect';
 *
 * const thb = new ThbCollectClient({
 *   appId: 1054,
 *   secretKey: process.env.THB_SECRET_KEY!,
 *   privateKey: process.env.THB_PRIVATE_KEY!,
 *   platformPublicKey: process.env.THB_PLATFORM_PUBLIC_KEY!,
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

  /**
   * Check the options and parse the keys now, so a bad key fails at start-up naming its option rather than
   * on the first payment. No request is sent.
   *
   * @param internals test seams of the transport (sleep, clock, jitter); also used for re-send waits.
   * @throws InvalidRequestError when `appId` is not a positive whole number, `secretKey` is empty, or a key
   *   does not parse.
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
  constructor(options: ThbCollectClientOptions, internals: TransportInternals = {}) {
    if (options === null || typeof options !== 'object') {
      throw InvalidRequestError.field(
        'options',
        'must be an object with appId, secretKey, privateKey and platformPublicKey',
      );
    }
    this.#appId = readAppId(options.appId);
    if (typeof options.secretKey !== 'string' || options.secretKey.trim() === '') {
      throw InvalidRequestError.field('secretKey', 'must be the merchant secret key (a non-empty string)');
    }
    // Parsed now so a bad key fails at start-up with the option's name, not on the first payment.
    parseRsaKey(options.privateKey, 'private', 'privateKey');
    const platformKeys =
      typeof options.platformPublicKey === 'string' ? [options.platformPublicKey] : options.platformPublicKey;
    if (!Array.isArray(platformKeys) || platformKeys.length === 0) {
      throw InvalidRequestError.field(
        'platformPublicKey',
        'must be the platform RSA public key (PEM or Base64 DER), or a non-empty list of them',
      );
    }
    for (const [index, key] of platformKeys.entries()) {
      parseRsaKey(
        key,
        'public',
        platformKeys.length === 1 ? 'platformPublicKey' : `platformPublicKey[${index}]`,
      );
    }
    this.#secretKey = options.secretKey;
    this.#privateKey = options.privateKey;
    this.#platformPublicKeys = [...platformKeys];
    this.#secrets = [options.secretKey, ...keySecrets(options.privateKey)];
    this.#baseUrl = options.baseUrl ?? THB_COLLECT_TEST_BASE_URL;
    const maxRetries = options.maxRetries ?? 2;
    this.#transport = new Transport(
      {
        baseUrl: this.#baseUrl,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
        maxRetries,
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        ...(options.allowInsecureHttp === undefined ? {} : { allowInsecureHttp: options.allowInsecureHttp }),
        ...(options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes }),
        ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
        secrets: [...this.#secrets],
      },
      internals,
    );
    this.#maxResends = maxRetries;
    const resendDelayMs = options.resendDelayMs ?? DEFAULT_RESEND_DELAY_MS;
    if (!Number.isFinite(resendDelayMs) || resendDelayMs < 0) {
      throw InvalidRequestError.field('resendDelayMs', 'must be a number of milliseconds of 0 or more');
    }
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
   * @throws {DuplicateOrderError} when the orderId was already used (on the first send).
   * @throws {OrderStatusUnknownError} when the outcome could not be learned; query the orderId later.
   * @throws {ResponseVerificationError} when the answer's signature does not verify.
   * @example
   * ```ts
   * const { orderNo, qrCode, payUrl, reconciled } = await thb.createCollection({
   *   orderId: 'M1001', amount: '300', payType: 'QR', name: 'Somchai Jaidee', phone: '0812345678',
   *   email: 'somchai@example.com', callBackUrl: 'https://shop.example/ok',
   *   callBackFailUrl: 'https://shop.example/fail', subject: 'Order M1001', partnerUserId: 'user-42',
   * });
   * ```
   */
  async createCollection(
    input: ThbCreateCollectionInput,
    options: ThbRequestOptions = {},
  ): Promise<ThbCollectionCreated> {
    const request = collectionRequest(input);
    return this.#safeCreate<CollectionCreateFields>(
      request,
      THB_COLLECT_PATHS.collectApply,
      options,
      (data) => this.#sameOrder(collectionCreated(data), request.orderId, THB_COLLECT_PATHS.collectApply),
      (callOptions) => this.getCollection({ orderId: request.orderId }, callOptions),
    );
  }

  /**
   * Query a collection by your orderId (and, faster, the platform's orderNo).
   *
   * @throws {ApiError} with code `order_not_found` when the provider says there is no such order.
   * @example
   * ```ts
   * const order = await thb.getCollection({ orderId: 'M1001' });
   * if (order.status === 'succeeded') console.log('paid', order.actualAmount, order.payTime);
   * ```
   */
  async getCollection(query: ThbOrderQuery, options: ThbRequestOptions = {}): Promise<ThbCollectionOrder> {
    const request = queryRequest(query);
    const data = await this.#call(THB_COLLECT_PATHS.collectQuery, request, 'query', options);
    return this.#sameOrder(collectionOrder(data), request.orderId, THB_COLLECT_PATHS.collectQuery);
  }

  /**
   * Create a payout to a bank account or e-wallet.
   *
   * @throws {InvalidRequestError} before sending, naming each field and rule it breaks.
   * @throws {DuplicateOrderError} when the orderId was already used (on the first send).
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
    const request = payoutRequest(input);
    return this.#safeCreate<PayoutCreateFields>(
      request,
      THB_COLLECT_PATHS.payApply,
      options,
      (data) => this.#sameOrder(payoutCreated(data), request.orderId, THB_COLLECT_PATHS.payApply),
      (callOptions) => this.getPayout({ orderId: request.orderId }, callOptions),
    );
  }

  /**
   * Query a payout by your orderId (and, faster, the platform's orderNo).
   *
   * @throws {ApiError} with code `order_not_found` when the provider says there is no such order.
   * @example
   * ```ts
   * const payout = await thb.getPayout({ orderId: 'P2001' });
   * if (payout.status === 'failed') console.log(payout.errorMsg);
   * ```
   */
  async getPayout(query: ThbOrderQuery, options: ThbRequestOptions = {}): Promise<ThbPayoutOrder> {
    const request = queryRequest(query);
    const data = await this.#call(THB_COLLECT_PATHS.payQuery, request, 'query', options);
    return this.#sameOrder(payoutOrder(data), request.orderId, THB_COLLECT_PATHS.payQuery);
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

  async #safeCreate<T extends object>(
    request: ThbWireRequest,
    path: string,
    options: ThbRequestOptions,
    read: (data: Record<string, unknown>) => T,
    lookupOrder: (options: CallOptions) => Promise<T>,
  ): Promise<Created<T>> {
    // One deadline for the whole create: every send, the waits and the reconciling query share it.
    const deadlineAt = this.#transport.deadlineFromNow();
    const callOptions: CallOptions = { ...options, deadlineAt };
    return safeCreate<T>({
      orderId: request.orderId,
      maxResends: this.#maxResends,
      wait: (n) => this.#sleep(Math.min(n * this.#resendDelayMs, this.#transport.msUntil(deadlineAt))),
      send: async () => read(await this.#call(path, request, 'create', callOptions)),
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

  /** One signed POST; returns the verified `data`. */
  async #call(
    path: string,
    request: ThbWireRequest,
    operation: 'create' | 'query',
    options: CallOptions,
  ): Promise<Record<string, unknown>> {
    const response = await this.#transport.send({
      method: 'POST',
      path,
      body: { appId: this.#appId, ...request.params },
      sign: async (body) => ({
        ...body,
        sign: await signThbParams(
          body,
          { secretKey: this.#secretKey, privateKey: this.#privateKey },
          this.#crypto,
        ),
      }),
      // Creates are re-sent by safeCreate (same orderId, then reconciled), never blindly by the transport.
      retry: operation === 'query',
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.deadlineAt === undefined ? {} : { deadlineAt: options.deadlineAt }),
    });
    const data = readThbEnvelope(response, {
      path,
      operation,
      orderId: request.orderId,
      secrets: this.#secrets,
    });
    if (this.#verifyResponses) await this.#verify(path, data, operation, request.orderId);
    return data;
  }

  async #verify(
    path: string,
    data: Record<string, unknown>,
    operation: 'create' | 'query',
    orderId: string,
  ): Promise<void> {
    const sign = data.sign;
    if (typeof sign === 'string' && sign !== '') {
      // During a platform key rotation, any of the configured keys may have signed the answer.
      for (const publicKey of this.#platformPublicKeys) {
        if (await verifyThbParams(data, { secretKey: this.#secretKey, publicKey }, this.#crypto)) return;
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

  /** An answer about another order than the one asked for is never passed on as ours. */
  #sameOrder<T extends { orderId: string }>(result: T, orderId: string, path: string): T {
    if (result.orderId !== orderId) {
      throw new ApiError(
        `THB collect's answer to ${path} is about orderId "${result.orderId}", not "${orderId}"; it was discarded.`,
        { code: 'invalid_response', raw: redactDeep(result, this.#secrets) },
      );
    }
    return result;
  }
}
