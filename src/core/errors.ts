/**
 * One error hierarchy for both providers.
 *
 * Every error carries a stable `code`, a message a person can act on, the HTTP `status` when there was one
 * and the provider's `raw` data when there was some. Errors never hold a secret: callers pass only
 * redacted data in, and {@link redactSecrets} scrubs any known secret that slipped into a provider's text.
 */

/** Fields every thaipay error can be built with. */
export interface ThaiPayErrorOptions {
  /** Stable, machine-readable code, for example `invalid_request` or `timeout`. */
  code?: string;
  /** HTTP status of the provider's answer, when there was one. */
  status?: number;
  /** The provider's data (envelope or body), already free of secrets. */
  raw?: unknown;
  /** The underlying error (network error, parse error). Never shown in JSON. */
  cause?: unknown;
}

/** A JSON-safe view of an error; what `toJSON()` returns and what logs should record. */
export interface ThaiPayErrorJSON {
  name: string;
  code: string;
  message: string;
  status?: number;
  raw?: unknown;
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
  readonly code: string;
  /** HTTP status, when the error came from an HTTP answer. */
  readonly status?: number;
  /** The provider's data behind the error, free of secrets. */
  readonly raw?: unknown;

  constructor(message: string, options: ThaiPayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? 'thaipay_error';
    if (options.status !== undefined) this.status = options.status;
    if (options.raw !== undefined) this.raw = options.raw;
  }

  /** Extra fields of subclasses, merged into `toJSON()` and `util.inspect`. */
  protected details(): Record<string, unknown> {
    return {};
  }

  toJSON(): ThaiPayErrorJSON {
    const json: ThaiPayErrorJSON = { name: this.name, code: this.code, message: this.message };
    if (this.status !== undefined) json.status = this.status;
    if (this.raw !== undefined) json.raw = this.raw;
    return { ...json, ...this.details() };
  }

  /** `util.inspect` shows the same safe fields as JSON, plus the stack. */
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
 */
export class InvalidRequestError extends ThaiPayError {
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[], options: ThaiPayErrorOptions = {}) {
    const list = issues.map((i) => `${i.field}: ${i.rule}`).join('; ');
    super(`Invalid request: ${list || 'the input was refused'}`, { code: 'invalid_request', ...options });
    this.issues = issues;
  }

  /** A one-field refusal. */
  static field(field: string, rule: string): InvalidRequestError {
    return new InvalidRequestError([{ field, rule }]);
  }

  protected override details(): Record<string, unknown> {
    return { issues: this.issues };
  }
}

/** The provider refused the credentials (HTTP 401, invalid or missing API key). */
export class AuthenticationError extends ThaiPayError {
  constructor(message: string, options: ThaiPayErrorOptions = {}) {
    super(message, { code: 'authentication_failed', ...options });
  }
}

/** The provider refused access (HTTP 403): IP not in the whitelist, merchant id not matching the key. */
export class PermissionError extends ThaiPayError {
  constructor(message: string, options: ThaiPayErrorOptions = {}) {
    super(message, { code: 'permission_denied', ...options });
  }
}

/** The provider refused the signature of our request. */
export class SignatureError extends ThaiPayError {
  constructor(message: string, options: ThaiPayErrorOptions = {}) {
    super(message, { code: 'signature_refused', ...options });
  }
}

/** The merchant order id was already used for another order. */
export class DuplicateOrderError extends ThaiPayError {
  /** The merchant order id the provider already knows. */
  readonly orderId?: string;

  constructor(message: string, options: ThaiPayErrorOptions & { orderId?: string } = {}) {
    super(message, { code: 'duplicate_order', ...options });
    if (options.orderId !== undefined) this.orderId = options.orderId;
  }

  protected override details(): Record<string, unknown> {
    return this.orderId === undefined ? {} : { orderId: this.orderId };
  }
}

/** Any other error the provider answered, or an answer thaipay could not understand. */
export class ApiError extends ThaiPayError {
  /** The provider's own error code, when it gave one (THB collect's `error`, for example). */
  readonly providerCode?: string;

  constructor(message: string, options: ThaiPayErrorOptions & { providerCode?: string } = {}) {
    super(message, { code: 'api_error', ...options });
    if (options.providerCode !== undefined) this.providerCode = options.providerCode;
  }

  protected override details(): Record<string, unknown> {
    return this.providerCode === undefined ? {} : { providerCode: this.providerCode };
  }
}

/** The request could not reach the provider, or the connection broke before an answer came. */
export class ConnectionError extends ThaiPayError {
  constructor(message: string, options: ThaiPayErrorOptions = {}) {
    super(message, { code: 'connection_error', ...options });
  }
}

/** No answer came within the time allowed (one attempt's timeout or the overall deadline). */
export class TimeoutError extends ThaiPayError {
  constructor(message: string, options: ThaiPayErrorOptions = {}) {
    super(message, { code: 'timeout', ...options });
  }
}

/** The provider's answer carried a signature that does not verify: it may have been tampered with. */
export class ResponseVerificationError extends ThaiPayError {
  constructor(message: string, options: ThaiPayErrorOptions = {}) {
    super(message, { code: 'response_verification_failed', ...options });
  }
}

/**
 * A create whose outcome could not be learned: the order may or may not exist at the provider.
 * Query it later by `orderId` (the merchant's own id) before trying anything else.
 */
export class OrderStatusUnknownError extends ThaiPayError {
  /** The merchant order id to query. */
  readonly orderId: string;

  constructor(message: string, options: ThaiPayErrorOptions & { orderId: string }) {
    super(message, { code: 'order_status_unknown', ...options });
    this.orderId = options.orderId;
  }

  protected override details(): Record<string, unknown> {
    return { orderId: this.orderId };
  }
}

/** A callback or notification that is not a genuine, unaltered message of the provider. */
export class WebhookVerificationError extends ThaiPayError {
  constructor(message: string, options: ThaiPayErrorOptions = {}) {
    super(message, { code: 'webhook_verification_failed', ...options });
  }
}

const REDACTED = '[REDACTED]';

/**
 * Replace every occurrence of the given secrets in a string with `[REDACTED]`. Secrets shorter than
 * four characters are left alone (they would redact ordinary words).
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Deep-copy JSON-like data with every string scrubbed of the given secrets. */
export function redactDeep<T>(value: T, secrets: readonly (string | undefined)[]): T {
  if (typeof value === 'string') return redactSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, secrets);
    return out as T;
  }
  return value;
}
