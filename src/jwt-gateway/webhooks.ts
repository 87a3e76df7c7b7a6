/**
 * JWT gateway callbacks: verification that acts on signed values only, and a ready handler.
 *
 * The gateway's document says no more than that a callback carries a "JWT signature for verification".
 * So a callback is genuine when its `signature` is an HS256 JWT made with the API key (one of several, for
 * rotation), and what the callback means is read from the token's payload alone:
 * - the order ids (`order_no`, `agent_order_no`), `status` and `amount` must be in the token;
 * - a field both in the body and in the token must be equal (same JSON type and value);
 * - body fields the token does not carry are handed over apart, as `unsigned`, and decide nothing;
 * - registered claims are allowed: `exp` and `nbf` are enforced, `iat` counts as a timestamp;
 * - a signed `timestamp` or `iat` is required unless `requireTimestamp: false`, and is checked against a
 *   two-sided window when `toleranceSeconds` is set.
 */
import { getDefaultHmac } from '../core/crypto/default-hmac';
import type { HmacSha256 } from '../core/crypto/types';
import { base64UrlDecodeUtf8Checked, timingSafeEqualString } from '../core/encoding';
import { type FieldIssue, InvalidRequestError, WebhookVerificationError } from '../core/errors';
import { jsonEqual } from '../core/json';
import { providerAmountSatang } from '../core/money';
import { redactDeep, redactSecrets } from '../core/redact';
import { toDate } from '../core/time';
import {
  bodyToText,
  createWebhookHandler,
  deliveryOptions,
  isParsedBody,
  jsonBodyToFields,
  keyList,
  type WebhookBody,
  type WebhookDedupeOptions,
  type WebhookEventContext,
} from '../core/webhooks';
import { fromJwtGatewayStatus, type PaymentStatus } from '../status';

/**
 * A verified JWT gateway callback. Every field but `unsigned` comes from the token's payload, never from
 * the body beside it. Amounts are as signed plus satang integers.
 */
export interface JwtGatewayCallback {
  /** Platform order number (signed `order_no`). */
  orderNo: string;
  /** Your order id (signed `agent_order_no`: a deposit's `transactionId`, a withdrawal's `agentOrderNo`). */
  orderId: string;
  /** What the callback is about, from the signed `type`; `unknown` when the token carries no known type. */
  kind: 'deposit' | 'withdrawal' | 'unknown';
  /** The signed `type` as sent (`deposit`, `withdrawal`); absent when the token does not carry it. */
  type?: string;
  /** The order amount in baht, the signed value. Display only; compute with `amountSatang`. */
  amount: number;
  /** `amount` in satang (integer, 1 baht = 100 satang). */
  amountSatang: number;
  /** The processing fee in baht, as signed; present when signed. */
  fee?: number;
  /** `fee` in satang; present with `fee`. */
  feeSatang?: number;
  /** The amount to transfer in baht (`transfer_amount`), as signed; present when signed. */
  transferAmount?: number;
  /** `transferAmount` in satang; present with `transferAmount`. */
  transferAmountSatang?: number;
  /** The amount actually received in baht (`actual_amount`), as signed; present when signed. */
  actualAmount?: number;
  /** `actualAmount` in satang (integer); present with `actualAmount`. */
  actualAmountSatang?: number;
  /** Unified status. */
  status: PaymentStatus;
  /** The provider's status word: pending, completed, failed, expired. */
  providerStatus: string;
  /** The signed `timestamp` field, when the token carries a readable one. */
  timestamp?: Date;
  /** The signed `iat` claim, when the token carries one. */
  issuedAt?: Date;
  /** The signed `exp` claim, when the token carries one (already checked: not passed). */
  expiresAt?: Date;
  /** Every signed field, as the token carries it (registered claims included), secrets scrubbed. */
  raw: Record<string, unknown>;
  /**
   * Body fields the token does not cover, for your logs only: anyone on the path could have written them.
   * Empty for a callback signed over every field, as the document's example is.
   */
  unsigned: Record<string, unknown>;
}

/** Options of {@link verifyJwtGatewayCallback}. */
export interface VerifyJwtGatewayCallbackOptions {
  /** The API key, or several during a rotation: a callback signed by any of them is accepted. */
  apiKey: string | readonly string[];
  /**
   * Refuse callbacks whose signed `timestamp` or `iat` is further than this from now, either way; also the
   * leeway on `exp` and `nbf`. A finite number of seconds, 0 or more. Off by default: the gateway's retries
   * may carry the first attempt's timestamp, and the dedupe store already stops replays.
   */
  toleranceSeconds?: number;
  /**
   * Refuse a callback whose token carries neither a readable `timestamp` nor `iat`. Default `true`: every
   * documented callback has one. `false` accepts untimed tokens; a replay of one is then stopped only by
   * the handler's dedupe store (for as long as it remembers), not by a window.
   */
  requireTimestamp?: boolean;
  /** The clock: ms since epoch or a Date. Default: now. */
  now?: number | Date;
  /** Largest body accepted, checked before parsing. Default 64 KB. */
  maxBodyBytes?: number;
  /** The HMAC to verify with (any `CryptoProvider` fits); the runtime's best by default. */
  crypto?: HmacSha256;
}

/** The claims the callback must sign: what decides which order, which state and how much. */
const REQUIRED_SIGNED = ['order_no', 'agent_order_no', 'status', 'amount'] as const;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const RAW_BODY_HINT =
  ' If your framework parsed and re-serialised the body, pass the raw body (express.raw(), await request.text()).';

function fail(message: string): never {
  throw new WebhookVerificationError(message);
}

/** Refuse prototype keys at any depth: the payload and `unsigned` are handed to the merchant's code. */
function assertNoForbiddenKeys(value: unknown, where: string): void {
  if (value === null || typeof value !== 'object') return;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) fail(`Callback ${where} has a forbidden field name "${key}".`);
    assertNoForbiddenKeys((value as Record<string, unknown>)[key], where);
  }
}

/** A token part's JSON text and object. */
function parseTokenPart(part: string, what: string): { text: string; value: Record<string, unknown> } {
  let text: string;
  let value: unknown;
  const notJson = `Callback signature is not a JWT: its ${what} does not decode to JSON.`;
  // The caller checked the alphabet; the one length Base64url cannot have is refused here, as
  // base64UrlDecodeUtf8 would (its general checks would only add to this bundle).
  if (part.length % 4 === 1) fail(notJson);
  try {
    text = base64UrlDecodeUtf8Checked(part);
    value = JSON.parse(text);
  } catch {
    fail(notJson);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(`Callback signature is not a JWT: its ${what} is not a JSON object.`);
  }
  // Walk only when a forbidden name could be there, literally or behind a \u escape: this runs per callback.
  if (/\\u|"(?:__proto__|constructor|prototype)"/.test(text)) assertNoForbiddenKeys(value, `token ${what}`);
  return { text, value: value as Record<string, unknown> };
}

const KEYS_RULE =
  'must be a non-empty string, or a non-empty list of non-empty strings (is the environment variable set?)';
const TOLERANCE_RULE = 'must be a finite number of seconds, 0 or more';
const MAX_TOLERANCE_SECONDS = 10 * 365 * 24 * 3600; // ten years, the CLI's `--tolerance` bound too
const BODY_BYTES_RULE = 'must be a whole number of bytes, 1 or more';
const MAX_BODY_BYTES_LIMIT = 16 * 1024 * 1024; // a callback is a few hundred bytes

function isKeyList(value: unknown): boolean {
  if (typeof value === 'string') return value.length > 0;
  return (
    Array.isArray(value) && value.length > 0 && value.every((k) => typeof k === 'string' && k.length > 0)
  );
}

/**
 * Every bad option at once, as an InvalidRequestError naming each: an unset environment variable (`undefined`
 * or `''`) is named, never a TypeError, and NaN, Infinity or a negative number never switches a check off.
 * Checked by hand, not with the zod schemas the client uses: zod would triple a verify-only bundle.
 */
function checkOptions(
  options: Record<string, unknown>,
  functions: readonly (readonly [name: string, what: string])[] = [],
): void {
  const issues: FieldIssue[] = [];
  // The handler's function options, as data from its caller so the verifier's bundle has none of their
  // words: the first is required and named right after apiKey, the others optional and named last.
  const fn = (index: number) => {
    const [name, what] = functions[index] ?? [];
    if (name === undefined) return;
    const value = options[name];
    if ((index === 0 || value !== undefined) && typeof value !== 'function') {
      issues.push({ field: name, rule: `must be a function ${what}` });
    }
  };
  if (!isKeyList(options.apiKey)) issues.push({ field: 'apiKey', rule: KEYS_RULE });
  fn(0);
  const tolerance = options.toleranceSeconds;
  if (tolerance !== undefined) {
    if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
      issues.push({ field: 'toleranceSeconds', rule: TOLERANCE_RULE });
    } else if (tolerance > MAX_TOLERANCE_SECONDS) {
      issues.push({
        field: 'toleranceSeconds',
        rule: `must be at most ${MAX_TOLERANCE_SECONDS} seconds (ten years)`,
      });
    }
  }
  if (options.requireTimestamp !== undefined && typeof options.requireTimestamp !== 'boolean') {
    issues.push({ field: 'requireTimestamp', rule: 'must be true or false' });
  }
  const bytes = options.maxBodyBytes;
  if (bytes !== undefined) {
    if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 1) {
      issues.push({ field: 'maxBodyBytes', rule: BODY_BYTES_RULE });
    } else if (bytes > MAX_BODY_BYTES_LIMIT) {
      issues.push({ field: 'maxBodyBytes', rule: `must be at most ${MAX_BODY_BYTES_LIMIT} bytes` });
    }
  }
  const crypto = options.crypto as { hmacSha256Base64Url?: unknown } | null | undefined;
  if (crypto !== undefined && typeof crypto?.hmacSha256Base64Url !== 'function') {
    issues.push({ field: 'crypto', rule: 'must be an HmacSha256 (an object with hmacSha256Base64Url)' });
  }
  for (let i = 1; i < functions.length; i++) fn(i);
  if (issues.length > 0) throw new InvalidRequestError(issues);
}

/** Whole unix seconds as a string or a number (the document sends `"1640995380"`); else undefined. */
function readSeconds(value: unknown): Date | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{1,12}$/.test(text)) return undefined;
  return new Date(Number(text) * 1000);
}

/** 9999-12-31T23:59:59Z in unix seconds. */
const MAX_NUMERIC_DATE = 253_402_300_799;

/** A registered time claim: a JSON number of seconds (RFC 7519 NumericDate), as jsonwebtoken writes it. */
function readClaim(payload: Record<string, unknown>, claim: 'iat' | 'exp' | 'nbf'): Date | undefined {
  if (!Object.hasOwn(payload, claim)) return undefined;
  const value = payload[claim];
  // Bounded to years 1970-9999: a Date beyond them is invalid, and NaN comparisons would pass every check.
  if (typeof value !== 'number' || !(value >= 0 && value <= MAX_NUMERIC_DATE)) {
    fail(`Callback token claim "${claim}" must be a number of seconds (RFC 7519 NumericDate).`);
  }
  return new Date(value * 1000);
}

/**
 * Verify a JWT gateway callback and return it typed, read from the signed values only.
 *
 * @param body the raw body (string or bytes) or the parsed object
 * @throws InvalidRequestError naming the option when `apiKey` is missing or empty, or an option is out of
 *   range (NaN, Infinity, negative)
 * @throws WebhookVerificationError on anything short of an HS256 token by one of the keys that signs the
 *   order ids, status and amount, agrees with every body field it shares, is within `exp`/`nbf`, and (by
 *   default) is timed, within `toleranceSeconds` when set
 *
 * @example
 * ```ts
 * const callback = await verifyJwtGatewayCallback(await request.text(), {
 *   apiKey: process.env.GATEWAY_API_KEY!,
 *   toleranceSeconds: 600,
 * });
 * if (callback.status === 'succeeded') await markPaid(callback.orderId, callback.amountSatang);
 * ```
 */
export async function verifyJwtGatewayCallback(
  body: WebhookBody,
  options: VerifyJwtGatewayCallbackOptions,
): Promise<JwtGatewayCallback> {
  if (options === null || typeof options !== 'object') {
    throw InvalidRequestError.field('options', 'must be an object with apiKey');
  }
  const opts = options;
  checkOptions({ ...opts });
  const keys = keyList(opts.apiKey);
  const now = toDate(opts.now).getTime();
  const wasObject = isParsedBody(body);
  const fields = jsonBodyToFields(body, opts.maxBodyBytes);
  if (wasObject) assertNoForbiddenKeys(fields, 'body'); // text bodies were checked at every depth while parsing
  const signature = fields.signature;
  if (typeof signature !== 'string' || signature === '') fail('Callback has no signature field.');
  const parts = signature.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) {
    fail('Callback signature is not a compact JWT (three Base64URL parts).');
  }
  const [headerPart, payloadPart, macPart] = parts as [string, string, string];
  const header = parseTokenPart(headerPart, 'header').value;
  // Only HS256: never "none", never another algorithm, never a header asking for extensions we ignore.
  if (header.alg !== 'HS256')
    fail(`Callback signature uses algorithm ${JSON.stringify(header.alg)}; only HS256 is accepted.`);
  if (header.crit !== undefined) fail('Callback signature has critical header extensions; refused.');
  if (header.typ !== undefined && header.typ !== 'JWT')
    fail('Callback signature has an unexpected "typ" header.');

  const crypto = opts.crypto ?? getDefaultHmac();
  const signingInput = `${headerPart}.${payloadPart}`;
  let signedByKey = false;
  for (const key of keys) {
    // Compare every key, not just until the first match, so timing says nothing about which key matched.
    const expected = await crypto.hmacSha256Base64Url(key, signingInput);
    if (timingSafeEqualString(expected, macPart)) signedByKey = true;
  }
  if (!signedByKey) {
    fail('Callback signature was not made with the API key (wrong key, or the token was altered).');
  }

  // From here on the payload is the gateway's word; the body beside it is only checked against it.
  const { text: payloadText, value: payload } = parseTokenPart(payloadPart, 'payload');
  const { signature: _s, ...received } = fields;
  const unsigned: Record<string, unknown> = {};
  for (const name of Object.keys(received)) {
    if (!Object.hasOwn(payload, name)) {
      unsigned[name] = received[name];
    } else if (!jsonEqual(payload[name], received[name])) {
      const shown = redactSecrets(name, keys);
      fail(`Callback field "${shown}" differs from the signed value.${wasObject ? RAW_BODY_HINT : ''}`);
    }
  }
  for (const name of REQUIRED_SIGNED) {
    if (!Object.hasOwn(payload, name)) {
      fail(`Callback token does not sign "${name}"; an unsigned ${name} cannot be trusted.`);
    }
  }

  const leeway = opts.toleranceSeconds ?? 0;
  const issuedAt = readClaim(payload, 'iat');
  const expiresAt = readClaim(payload, 'exp');
  const notBefore = readClaim(payload, 'nbf');
  if (expiresAt && now > expiresAt.getTime() + leeway * 1000) {
    fail(`Callback token expired at ${expiresAt.toISOString()} (exp).`);
  }
  if (notBefore && now < notBefore.getTime() - leeway * 1000) {
    fail(`Callback token is not valid before ${notBefore.toISOString()} (nbf).`);
  }
  const timestamp = readSeconds(payload.timestamp);
  const times: Array<[string, Date]> = [];
  if (timestamp) times.push(['timestamp', timestamp]);
  if (issuedAt) times.push(['iat', issuedAt]);
  if (times.length === 0 && opts.requireTimestamp !== false) {
    fail(
      'Callback token signs neither a timestamp (unix seconds) nor iat; pass requireTimestamp: false to accept untimed callbacks.',
    );
  }
  if (opts.toleranceSeconds !== undefined) {
    for (const [name, at] of times) {
      const skew = Math.abs(now - at.getTime()) / 1000;
      if (skew > opts.toleranceSeconds) {
        fail(
          `Callback ${name} is ${Math.round(skew)} s away from now, outside the ${opts.toleranceSeconds} s window.`,
        );
      }
    }
  }
  // Scrub only when a key could be in the payload (literally, or behind an escape): this runs per callback.
  const mayHoldKey = payloadText.includes('\\') || keys.some((key) => payloadText.includes(key));
  const callback = toCallback(payload, mayHoldKey ? redactDeep(payload, keys) : payload);
  if (timestamp) callback.timestamp = timestamp;
  if (issuedAt) callback.issuedAt = issuedAt;
  if (expiresAt) callback.expiresAt = expiresAt;
  if (Object.keys(unsigned).length > 0) callback.unsigned = redactDeep(unsigned, keys);
  return callback;
}

/** An optional signed amount: absent stays absent; present must be an amount. */
function optionalAmount(
  signed: Record<string, unknown>,
  name: string,
): { value: number; satang: number } | undefined {
  const value = signed[name];
  if (value === undefined || value === null) return undefined;
  const satang = providerAmountSatang(value);
  // A callback this function cannot read is a WebhookVerificationError, never another class.
  if (satang === undefined) fail(`Callback field "${name}" is not an amount.`);
  return { value: Number(value), satang };
}

function toCallback(signed: Record<string, unknown>, raw: Record<string, unknown>): JwtGatewayCallback {
  const str = (name: string) => {
    const v = signed[name];
    if (typeof v !== 'string' || v === '') fail(`Callback field "${name}" must be a non-empty string.`);
    return v;
  };
  const providerStatus = str('status');
  const amount = optionalAmount(signed, 'amount');
  if (!amount) fail('Callback field "amount" is not an amount.');
  const type = typeof signed.type === 'string' ? signed.type : undefined;
  const callback: JwtGatewayCallback = {
    orderNo: str('order_no'),
    orderId: str('agent_order_no'),
    kind: type === 'deposit' || type === 'withdrawal' ? type : 'unknown',
    amount: amount.value,
    amountSatang: amount.satang,
    status: fromJwtGatewayStatus(providerStatus),
    providerStatus,
    raw,
    unsigned: {},
  };
  if (type !== undefined) callback.type = type;
  const fee = optionalAmount(signed, 'fee');
  if (fee) {
    callback.fee = fee.value;
    callback.feeSatang = fee.satang;
  }
  const transfer = optionalAmount(signed, 'transfer_amount');
  if (transfer) {
    callback.transferAmount = transfer.value;
    callback.transferAmountSatang = transfer.satang;
  }
  const actual = optionalAmount(signed, 'actual_amount');
  if (actual) {
    callback.actualAmount = actual.value;
    callback.actualAmountSatang = actual.satang;
  }
  return callback;
}

/**
 * The key under which a callback is handled once: signed type, order number and status, JSON-encoded so no
 * value can shift text into its neighbour (`jwt-gateway:["deposit","DP1…","completed"]`).
 */
export function jwtGatewayDedupeKey(callback: JwtGatewayCallback): string {
  return `jwt-gateway:${JSON.stringify([callback.type ?? null, callback.orderNo, callback.providerStatus])}`;
}

/** Options of {@link createJwtGatewayWebhookHandler}; `Db` is the inbox's transaction type, if any. */
export type JwtGatewayWebhookHandlerOptions<Db = undefined> = WebhookDedupeOptions<Db> & {
  /** The API key, or several during a rotation. */
  apiKey: string | readonly string[];
  /**
   * Called once per distinct callback (signed type + order + status). Throw to have the provider retry.
   * With an `inbox`, runs inside its transaction: write through `context.db`.
   */
  onEvent(callback: JwtGatewayCallback, context: WebhookEventContext<Db>): unknown;
  /** See {@link VerifyJwtGatewayCallbackOptions.toleranceSeconds}. Off by default. */
  toleranceSeconds?: number;
  /** See {@link VerifyJwtGatewayCallbackOptions.requireTimestamp}. Default `true`. */
  requireTimestamp?: boolean;
  /** Largest body accepted, checked before parsing (413 above it). Default 64 KB. */
  maxBodyBytes?: number;
  /** Told why a callback was refused or failed. */
  onError?(error: unknown): void;
  /** Clock for the tolerance window, for tests. */
  now?: () => number;
  /** How long a handled callback is remembered. Default 7 days. */
  dedupeTtlSeconds?: number;
  /** See {@link VerifyJwtGatewayCallbackOptions.crypto}. */
  crypto?: HmacSha256;
  /** How long one delivery may stay inside `onEvent` before a duplicate may take over. Default 60 s. */
  dedupeLeaseSeconds?: number;
};

/** The answer the gateway expects to a callback. */
export const JWT_GATEWAY_ACK = '{"code":200,"message":"Success"}';

/**
 * A Web-standard handler for JWT gateway callbacks: verifies, calls `onEvent` once per distinct
 * callback, answers `{"code":200,"message":"Success"}`. Bad callbacks get 4xx and never reach
 * `onEvent`; a duplicate arriving while the first delivery is still in `onEvent` gets 503 (retry later);
 * a throwing `onEvent` gets 500 so the gateway retries. Use `toNodeHandler` for `(req, res)`.
 *
 * @throws {InvalidRequestError} at creation, naming the option, when a number is not finite and positive
 *   within bounds, or both `store` and `inbox` are given.
 *   A missing `apiKey` or a NaN `toleranceSeconds` is named the same way.
 * @example
 * ```ts
 * const handler = createJwtGatewayWebhookHandler({
 *   apiKey: process.env.GATEWAY_API_KEY!,
 *   onEvent: async (callback) => orders.settle(callback.orderId, callback.status),
 * });
 * export const POST = handler; // Next.js App Router, Hono, Workers...
 * ```
 */
export function createJwtGatewayWebhookHandler<Db = undefined>(
  options: JwtGatewayWebhookHandlerOptions<Db>,
): (request: Request) => Promise<Response> {
  if (options === null || typeof options !== 'object') {
    throw InvalidRequestError.field('options', 'must be an object');
  }
  checkOptions({ ...options }, [
    ['onEvent', 'called with each verified callback'],
    ['onError', 'told why a callback was refused'],
    ['now', 'returning ms since the epoch'],
  ]);
  return createWebhookHandler<JwtGatewayCallback, Db>({
    verify: (text, contentType) => {
      if (contentType && !/json/i.test(contentType)) {
        throw new WebhookVerificationError('JWT gateway callbacks are JSON.');
      }
      const verifyOptions: VerifyJwtGatewayCallbackOptions = { apiKey: options.apiKey };
      if (options.crypto !== undefined) verifyOptions.crypto = options.crypto;
      if (options.toleranceSeconds !== undefined) verifyOptions.toleranceSeconds = options.toleranceSeconds;
      if (options.requireTimestamp !== undefined) verifyOptions.requireTimestamp = options.requireTimestamp;
      if (options.maxBodyBytes !== undefined) verifyOptions.maxBodyBytes = options.maxBodyBytes;
      if (options.now) verifyOptions.now = options.now();
      return verifyJwtGatewayCallback(bodyToText(text, options.maxBodyBytes), verifyOptions);
    },
    dedupeKey: jwtGatewayDedupeKey,
    acknowledge: () =>
      new Response(JWT_GATEWAY_ACK, { status: 200, headers: { 'content-type': 'application/json' } }),
    onEvent: options.onEvent,
    ...deliveryOptions(options),
  });
}
