/**
 * One error hierarchy for both providers.
 *
 * Every error carries a stable `code`, a message a person can act on, the HTTP `status` when there was one
 * and the provider's `raw` data when there was some. Errors never hold a secret: callers pass only
 * redacted data in, and {@link redactSecrets} scrubs any known secret that slipped into a provider's text.
 */

/**
 * Every `code` a thaipay error can carry, one per condition and the same for both providers. The README's
 * "Error codes" table says what to do for each.
 *
 * @example
 * ```ts
 * THAIPAY_ERROR_CODES.includes('rate_limited'); // true
 * ```
 */
export const THAIPAY_ERROR_CODES = [
  'thaipay_error',
  'invalid_request',
  'authentication_failed',
  'permission_denied',
  'signature_refused',
  'duplicate_order',
  'api_error',
  'rate_limited',
  'connection_error',
  'timeout',
  'aborted',
  'redirect_refused',
  'invalid_response',
  'ambiguous_response',
  'provider_busy',
  'response_verification_failed',
  'order_status_unknown',
  'order_not_found',
  'order_already_final',
  'missing_parameter',
  'invalid_parameter',
  'app_id_not_found',
  'ip_not_allowed',
  'product_unavailable',
  'no_collect_account',
  'insufficient_balance',
  'channel_unavailable',
  'webhook_verification_failed',
  'webhook_body_too_large',
  'webhook_body_timeout',
  'webhook_body_length_mismatch',
  'webhook_unsupported_media_type',
  'dedupe_store_error',
  'crypto_unavailable',
] as const;

/**
 * The stable, machine-readable `code` of a thaipay error (a plain string at runtime).
 *
 * @example
 * ```ts
 * function retryable(code: ThaiPayErrorCode): boolean {
 *   return code === 'rate_limited' || code === 'timeout' || code === 'connection_error';
 * }
 * ```
 */
export type ThaiPayErrorCode = (typeof THAIPAY_ERROR_CODES)[number];

/** Fields every thaipay error can be built with. */
export interface ThaiPayErrorOptions {
  /** Stable, machine-readable code, for example `invalid_request` or `timeout`. */
  code?: ThaiPayErrorCode;
  /** HTTP status of the provider's answer, when there was one. */
  status?: number;
  /** The provider's data (envelope or body), already free of secrets. */
  raw?: unknown;
  /** The underlying error (network error, parse error). Never shown in JSON. */
  cause?: unknown;
  /** The provider's own error code, when it gave one (THB collect's envelope `error`, e.g. `4005`). */
  providerCode?: string;
}

/** A JSON-safe view of an error; what `toJSON()` returns and what logs should record. */
export interface ThaiPayErrorJSON {
  /** The class name, e.g. `DuplicateOrderError`. */
  name: string;
  /** The stable, machine-readable code, e.g. `duplicate_order`. */
  code: ThaiPayErrorCode;
  /** The message, free of secrets. */
  message: string;
  /** HTTP status of the provider's answer, when there was one. */
  status?: number;
  /** The provider's data behind the error, free of secrets, when there was some. */
  raw?: unknown;
  /** Fields of subclasses: `issues`, `orderId`, `providerCode`. */
  [extra: string]: unknown;
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * Base class of every error thaipay throws.
 *
 * @example
 * ```ts
 * try {
 *   await client.createDeposit(input);
 * } catch (error) {
 *   if (error instanceof ThaiPayError) console.error(error.code, error.message);
 * }
 * ```
 */
export class ThaiPayError extends Error {
  /** Stable, machine-readable code. */
  readonly code: ThaiPayErrorCode;
  /** HTTP status, when the error came from an HTTP answer. */
  readonly status?: number;
  /** The provider's data behind the error, free of secrets. */
  readonly raw?: unknown;
  /** The provider's own error code, when it gave one (THB collect's `error`, e.g. `4005`). */
  readonly providerCode?: string;

  /**
   * @param message what went wrong and what to do, for a person; never a secret.
   * @param options `code` defaults to `thaipay_error`; subclasses set their own.
   * @example
   * ```ts
   * throw new ThaiPayError('The dedupe store answered an unexpected reply.', { code: 'dedupe_store_error' });
   * ```
   */
  constructor(message: string, options: ThaiPayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // Spelled out in every class: a bundler renames classes (`_InvalidRequestError`), so
    // `new.target.name` would not survive the build.
    this.name = 'ThaiPayError';
    this.code = options.code ?? 'thaipay_error';
    if (options.status !== undefined) this.status = options.status;
    if (options.raw !== undefined) this.raw = options.raw;
    if (options.providerCode !== undefined) this.providerCode = options.providerCode;
  }

  /** Extra fields of subclasses, merged into `toJSON()` and `util.inspect`. */
  protected details(): Record<string, unknown> {
    return {};
  }

  /**
   * The safe fields (`name`, `code`, `message`, `status`, `raw` and the subclass's own), for logs and
   * `JSON.stringify`; `cause` and the stack are left out.
   *
   * @example
   * ```ts
   * logger.error({ err: error instanceof ThaiPayError ? error.toJSON() : String(error) }, 'payment failed');
   * ```
   */
  toJSON(): ThaiPayErrorJSON {
    const json: ThaiPayErrorJSON = { name: this.name, code: this.code, message: this.message };
    if (this.status !== undefined) json.status = this.status;
    if (this.raw !== undefined) json.raw = this.raw;
    if (this.providerCode !== undefined) json.providerCode = this.providerCode;
    return { ...json, ...this.details() };
  }

  /**
   * `util.inspect` (and so `console.log`) shows the same safe fields as JSON, plus the stack.
   *
   * @internal A runtime hook, not an API to call.
   */
  [inspectSymbol](): string {
    const { name, message, ...rest } = this.toJSON();
    const fields = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
    const stack = (this.stack ?? '').split('\n').slice(1).join('\n');
    return `${name}: ${message}${fields}${stack ? `\n${stack}` : ''}`;
  }
}

/** One problem with one input field, found before any request left. */
export interface FieldIssue {
  /** Dotted path of the field in the caller's input, for example `amount` or `customer.email`. */
  field: string;
  /** The rule the value broke, in words. */
  rule: string;
}

/**
 * The input was refused locally, before any request was sent. `issues` names each field and its rule.
 *
 * @example
 * ```ts
 * try {
 *   await gateway.createDeposit(form);
 * } catch (error) {
 *   if (error instanceof InvalidRequestError) return showFieldErrors(error.issues); // [{ field: 'amount', rule: '…' }]
 *   throw error;
 * }
 * ```
 */
export class InvalidRequestError extends ThaiPayError {
  /** Every broken rule found, one entry per field and rule. */
  readonly issues: readonly FieldIssue[];

  /**
   * @param issues the problems found; the message lists them all. Code `invalid_request`.
   * @example
   * ```ts
   * throw new InvalidRequestError([
   *   { field: 'amount', rule: 'must be at most 8,000.00 THB' },
   *   { field: 'phone', rule: 'must be 10 digits starting with 0' },
   * ]);
   * ```
   */
  constructor(issues: readonly FieldIssue[], options: ThaiPayErrorOptions = {}) {
    const list = issues.map((i) => `${i.field}: ${i.rule}`).join('; ');
    super(`Invalid request: ${list || 'the input was refused'}`, { code: 'invalid_request', ...options });
    this.name = 'InvalidRequestError';
    this.issues = issues;
  }

  /**
   * A one-field refusal.
   *
   * @example
   * ```ts
   * throw InvalidRequestError.field('callbackUrl', 'must be an https URL');
   * // InvalidRequestError: Invalid request: callbackUrl: must be an https URL
   * ```
   */
  static field(field: string, rule: string): InvalidRequestError {
    // `this`, not the class by name: a class body naming itself is renamed by the bundler
    // (`class _InvalidRequestError`), and `InvalidRequestError.name` would say so.
    return new this([{ field, rule }]);
  }

  protected override details(): Record<string, unknown> {
    return { issues: this.issues };
  }
}

/**
 * The provider refused the credentials (HTTP 401, invalid or missing API key).
 *
 * @example
 * ```ts
 * if (error instanceof AuthenticationError) alertOps('payment API key refused: rotate or fix the key');
 * ```
 */
export class AuthenticationError extends ThaiPayError {
  /**
   * @param message what went wrong and what to do, never a secret. Code `authentication_failed` unless `options.code` says otherwise.
   * @example
   * ```ts
   * // A test double of a client whose key was revoked:
   * throw new AuthenticationError('The gateway refused the API key: Invalid API key', { status: 401 });
   * ```
   */
  constructor(message: string, options: ThaiPayErrorOptions = {}) {
    super(message, { code: 'authentication_failed', ...options });
    this.name = 'AuthenticationError';
  }
}

/**
 * The provider refused access (HTTP 403): IP not in the whitelist, merchant id not matching the key.
 *
 * @example
 * ```ts
 * if (error instanceof PermissionError) console.error('check the IP whitelist and merchantId:', error.message);
 * ```
 */
export class PermissionError extends ThaiPayError {
  /**
   * @param message what went wrong and what to do, never a secret. Code `permission_denied` unless `options.code` says otherwise.
   * @example
   * ```ts
   * throw new PermissionError('The gateway refused access: IP not in whitelist', { status: 403 });
   * ```
   */
  constructor(message: string, options: ThaiPayErrorOptions = {}) {
    super(message, { code: 'permission_denied', ...options });
    this.name = 'PermissionError';
  }
}

/**
 * The provider refused the signature of our request.
 *
 * @example
 * ```ts
 * if (error instanceof SignatureError) console.error('signature refused: check the key in use', error.raw);
 * ```
 */
export class SignatureError extends ThaiPayError {
  /**
   * @param message what went wrong and what to do, never a secret. Code `signature_refused` unless `options.code` says otherwise.
   * @example
   * ```ts
   * throw new SignatureError('The gateway refused the request signature: Invalid signature.', { status: 400 });
   * ```
   */
  constructor(message: string, options: ThaiPayErrorOptions = {}) {
    super(message, { code: 'signature_refused', ...options });
    this.name = 'SignatureError';
  }
}

/**
 * The merchant order id was already used for another order.
 *
 * @example
 * ```ts
 * try {
 *   await gateway.createWithdrawal({ ...payout, agentOrderNo: 'payout-77' });
 * } catch (error) {
 *   // Never retry under a new id blindly: the first order may have paid. Look it up.
 *   if (error instanceof DuplicateOrderError) return gateway.getOrder({ agentOrderNo: 'payout-77' });
 *   throw error;
 * }
 * ```
 */
export class DuplicateOrderError extends ThaiPayError {
  /** The merchant order id the provider already knows. */
  readonly orderId?: string;

  /**
   * @param message what went wrong, never a secret. Code `duplicate_order`.
   * @param options may carry `orderId`, the merchant order id already used.
   * @example
   * ```ts
   * throw new DuplicateOrderError('The gateway refused a duplicate order: transactionId already exists', {
   *   status: 400,
   *   orderId: 'order-1001',
   * });
   * ```
   */
  constructor(message: string, options: ThaiPayErrorOptions & { orderId?: string } = {}) {
    super(message, { code: 'duplicate_order', ...options });
    this.name = 'DuplicateOrderError';
    if (options.orderId !== undefined) this.orderId = options.orderId;
  }

  protected override details(): Record<string, unknown> {
    return this.orderId === undefined ? {} : { orderId: this.orderId };
  }
}

/**
 * Any other error the provider answered, or an answer thaipay could not understand.
 *
 * @example
 * ```ts
 * if (error instanceof ApiError && error.code === 'order_not_found') return null;
 * if (error instanceof ApiError) console.error(error.status, error.providerCode, error.message);
 * ```
 */
export class ApiError extends ThaiPayError {
  /**
   * @param message what went wrong and what to do, never a secret. Code `api_error` unless `options.code` says otherwise.
   * @example
   * ```ts
   * throw new ApiError('THB collect refused the request: amount out of range', { providerCode: '10000006' });
   * ```
   */
  constructor(message: string, options: ThaiPayErrorOptions = {}) {
    super(message, { code: 'api_error', ...options });
    this.name = 'ApiError';
  }
}

/**
 * The request could not reach the provider, or the connection broke before an answer came.
 *
 * @example
 * ```ts
 * // A read that still failed after its retries: safe to try again later.
 * if (error instanceof ConnectionError) return retryLater(job);
 * ```
 */
export class ConnectionError extends ThaiPayError {
  /**
   * `false` only when the request provably never left this process (connection refused, unknown host,
   * TLS handshake failed before anything was written): the provider cannot have acted on it, so a create
   * can be reported as not made. `true` when it may have reached the provider (the default).
   */
  readonly requestSent: boolean;

  /**
   * @param message what went wrong and what to do, never a secret. Code `connection_error` unless `options.code` says otherwise.
   * @param options `requestSent: false` only when nothing can have reached the provider; default `true`.
   * @example
   * ```ts
   * throw new ConnectionError('Could not reach the gateway: ECONNRESET', { cause: networkError });
   * throw new ConnectionError('Connection refused: nothing was sent.', { requestSent: false });
   * ```
   */
  constructor(message: string, options: ThaiPayErrorOptions & { requestSent?: boolean } = {}) {
    const { requestSent = true, ...rest } = options;
    super(message, { code: 'connection_error', ...rest });
    this.name = 'ConnectionError';
    this.requestSent = requestSent;
  }

  protected override details(): Record<string, unknown> {
    return { requestSent: this.requestSent };
  }
}

/**
 * No answer came within the time allowed (one attempt's timeout or the overall deadline).
 *
 * @example
 * ```ts
 * if (error instanceof TimeoutError) return retryLater(job);
 * ```
 */
export class TimeoutError extends ThaiPayError {
  /**
   * @param message what went wrong and what to do, never a secret. Code `timeout` unless `options.code` says otherwise.
   * @example
   * ```ts
   * throw new TimeoutError('No answer from the gateway within 15000 ms.');
   * ```
   */
  constructor(message: string, options: ThaiPayErrorOptions = {}) {
    super(message, { code: 'timeout', ...options });
    this.name = 'TimeoutError';
  }
}

/**
 * The provider's answer carried a signature that does not verify: it may have been tampered with.
 *
 * @example
 * ```ts
 * // The answer was discarded; a create may still have happened: query the order before anything else.
 * if (error instanceof ResponseVerificationError) await thb.getCollection({ orderId });
 * ```
 */
export class ResponseVerificationError extends ThaiPayError {
  /**
   * @param message what went wrong and what to do, never a secret. Code `response_verification_failed` unless `options.code` says otherwise.
   * @example
   * ```ts
   * throw new ResponseVerificationError("THB collect's answer carries a signature that does not verify.");
   * ```
   */
  constructor(message: string, options: ThaiPayErrorOptions = {}) {
    super(message, { code: 'response_verification_failed', ...options });
    this.name = 'ResponseVerificationError';
  }
}

/**
 * A create whose outcome could not be learned: the order may or may not exist at the provider.
 * Query it later by `orderId` (the merchant's own id) before trying anything else.
 *
 * @example
 * ```ts
 * try {
 *   await thb.createPayout(payout);
 * } catch (error) {
 *   // Not "failed": park it and query by the same id later; never create it again under a new id.
 *   if (error instanceof OrderStatusUnknownError) await queue.checkLater(error.orderId);
 *   else throw error;
 * }
 * ```
 */
export class OrderStatusUnknownError extends ThaiPayError {
  /** The merchant order id to query. */
  readonly orderId: string;

  /**
   * @param message what happened and what to do, never a secret. Code `order_status_unknown`.
   * @param options must carry `orderId`, the merchant order id to query later.
   * @example
   * ```ts
   * throw new OrderStatusUnknownError('No answer to the create and the order query failed too.', {
   *   orderId: 'P2001',
   *   cause: lastError,
   * });
   * ```
   */
  constructor(message: string, options: ThaiPayErrorOptions & { orderId: string }) {
    super(message, { code: 'order_status_unknown', ...options });
    this.name = 'OrderStatusUnknownError';
    this.orderId = options.orderId;
  }

  protected override details(): Record<string, unknown> {
    return { orderId: this.orderId };
  }
}

/**
 * A callback or notification that is not a genuine, unaltered message of the provider.
 *
 * @example
 * ```ts
 * try {
 *   await verifyThbNotification(await request.text(), keys);
 * } catch (error) {
 *   if (error instanceof WebhookVerificationError) return new Response('bad notification', { status: 400 });
 *   throw error;
 * }
 * ```
 */
export class WebhookVerificationError extends ThaiPayError {
  /**
   * @param message what went wrong and what to do, never a secret. Code `webhook_verification_failed` unless `options.code` says otherwise.
   * @example
   * ```ts
   * throw new WebhookVerificationError('Callback signature was not made with the API key.');
   * ```
   */
  constructor(message: string, options: ThaiPayErrorOptions = {}) {
    super(message, { code: 'webhook_verification_failed', ...options });
    this.name = 'WebhookVerificationError';
  }
}

const REDACTED = '[REDACTED]';

/**
 * Replace every occurrence of the given secrets in a string with `[REDACTED]`. Secrets shorter than
 * four characters are left alone (they would redact ordinary words).
 *
 * @example
 * ```ts
 * redactSecrets('Invalid API key sk_live_123456', ['sk_live_123456', undefined]); // 'Invalid API key [REDACTED]'
 * ```
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    // `includes` first: splitting by a long separator (a PEM key, ~1.7 KB) prepares a search table on
    // every call, ~0.6 µs even when the secret is absent, and a THB client scrubs ~30 such strings from
    // every field of every result.
    if (secret && secret.length >= 4 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * Deep-copy JSON-like data with every string scrubbed of the given secrets, object keys included (a
 * provider may echo a key as a field name). Keys that become equal once scrubbed are kept apart as
 * `[REDACTED]`, `[REDACTED]#2`, ... so no value is lost; `__proto__` stays an ordinary key.
 *
 * @example
 * ```ts
 * redactDeep({ headers: { 'x-api-key': 'sk_live_123456' }, attempts: 2 }, ['sk_live_123456']);
 * // { headers: { 'x-api-key': '[REDACTED]' }, attempts: 2 }
 * redactDeep({ sk_live_123456: true }, ['sk_live_123456']); // { '[REDACTED]': true }
 * ```
 */
export function redactDeep<T>(value: T, secrets: readonly (string | undefined)[]): T {
  if (typeof value === 'string') return redactSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const scrubbed = redactSecrets(k, secrets);
      let key = scrubbed;
      for (let n = 2; Object.hasOwn(out, key); n += 1) key = `${scrubbed}#${n}`;
      // defineProperty, not assignment: a `__proto__` key must not replace the copy's prototype.
      Object.defineProperty(out, key, {
        value: redactDeep(v, secrets),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out as T;
  }
  return value;
}
