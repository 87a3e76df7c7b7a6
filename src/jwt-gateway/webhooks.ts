/**
 * JWT gateway callbacks: verification that cannot be fooled, and a ready handler.
 *
 * A callback is genuine when its `signature` is an HS256 JWT made with the API key (one of several,
 * for rotation) and the JWT's payload equals the body's other fields exactly: a field changed, added or
 * removed, or a number turned into a string, is a failure.
 */
import { getDefaultHmac } from '../core/crypto/default-hmac';
import { base64UrlDecodeUtf8, timingSafeEqualString } from '../core/encoding';
import { WebhookVerificationError } from '../core/errors';
import { parseProviderAmount } from '../core/money';
import { toDate } from '../core/time';
import {
  bodyToFields,
  bodyToText,
  createWebhookHandler,
  type WebhookBody,
  type WebhookDedupeOptions,
  type WebhookEventContext,
} from '../core/webhooks';
import { fromJwtGatewayStatus, type PaymentStatus } from '../status';

/** A verified JWT gateway callback. Amounts are as sent plus satang integers. */
export interface JwtGatewayCallback {
  /** Platform order number. */
  orderNo: string;
  /** Your order id (`transactionId` of a deposit, `agent_order_no` of a withdrawal). */
  agentOrderNo: string;
  /** `deposit` or `withdrawal` (as sent). */
  type: string;
  /** The order amount in baht, the number sent. Display only; compute with `amountSatang`. */
  amount: number;
  /** `amount` in satang (integer, 1 baht = 100 satang). */
  amountSatang: number;
  /** The processing fee in baht, as sent; present when sent. */
  fee?: number;
  /** The amount to transfer in baht (`transfer_amount`), as sent; present when sent. */
  transferAmount?: number;
  /** The amount actually received in baht (`actual_amount`), as sent; present when sent. */
  actualAmount?: number;
  /** `actualAmount` in satang (integer); present with `actualAmount`. */
  actualAmountSatang?: number;
  /** Unified status. */
  status: PaymentStatus;
  /** The provider's status word: pending, completed, failed, expired. */
  providerStatus: string;
  /** The callback's timestamp, when it had one. */
  timestamp?: Date;
  /** Every field received, signature included, untouched. */
  raw: Record<string, unknown>;
}

/** Options of {@link verifyJwtGatewayCallback}. */
export interface VerifyJwtGatewayCallbackOptions {
  /** Refuse callbacks whose `timestamp` is further than this from now, either way. Off by default. */
  toleranceSeconds?: number;
  /** The clock: ms since epoch or a Date. Default: now. */
  now?: number | Date;
  /** Largest body accepted, checked before parsing. Default 64 KB. */
  maxBodyBytes?: number;
}

const RAW_BODY_HINT =
  ' If your framework parsed and re-serialised the body, pass the raw body (express.raw(), await request.text()).';

function fail(message: string): never {
  throw new WebhookVerificationError(message);
}

/** Strict JSON equality: same types, same keys, same values. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ak = Object.keys(a as object);
  const bk = Object.keys(b as object);
  if (ak.length !== bk.length) return false;
  const bo = b as Record<string, unknown>;
  return ak.every((k) => Object.hasOwn(bo, k) && jsonEqual((a as Record<string, unknown>)[k], bo[k]));
}

function parseTokenPart(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(base64UrlDecodeUtf8(part));
  } catch {
    fail(`Callback signature is not a JWT: its ${what} does not decode to JSON.`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(`Callback signature is not a JWT: its ${what} is not a JSON object.`);
  }
  return value as Record<string, unknown>;
}

function keyList(apiKey: string | readonly string[]): string[] {
  const keys = (typeof apiKey === 'string' ? [apiKey] : [...apiKey]).filter(
    (k) => typeof k === 'string' && k !== '',
  );
  if (keys.length === 0)
    throw new WebhookVerificationError('No API key was given to verify the callback with.');
  return keys;
}

/**
 * Verify a JWT gateway callback and return it typed.
 *
 * @param body the raw body (string or bytes) or the parsed object
 * @param apiKey the API key, or several during a key rotation
 * @throws WebhookVerificationError on anything short of an HS256 signature by one of the keys over
 *   exactly the fields received (and, with `toleranceSeconds`, a fresh timestamp)
 *
 * @example
 * ```ts
 * const callback = await verifyJwtGatewayCallback(await request.text(), process.env.GATEWAY_API_KEY!, {
 *   toleranceSeconds: 600,
 * });
 * if (callback.status === 'succeeded') await markPaid(callback.agentOrderNo);
 * ```
 */
export async function verifyJwtGatewayCallback(
  body: WebhookBody,
  apiKey: string | readonly string[],
  options: VerifyJwtGatewayCallbackOptions = {},
): Promise<JwtGatewayCallback> {
  const keys = keyList(apiKey);
  const wasObject =
    body !== null &&
    typeof body === 'object' &&
    !(body instanceof Uint8Array) &&
    !(body instanceof ArrayBuffer);
  const fields = bodyToFields(body, { contentType: 'application/json', maxBytes: options.maxBodyBytes });
  const signature = fields.signature;
  if (typeof signature !== 'string' || signature === '') fail('Callback has no signature field.');
  const parts = signature.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) {
    fail('Callback signature is not a compact JWT (three Base64URL parts).');
  }
  const [headerPart, payloadPart, macPart] = parts as [string, string, string];
  const header = parseTokenPart(headerPart, 'header');
  // Only HS256: never "none", never another algorithm, never a header asking for extensions we ignore.
  if (header.alg !== 'HS256')
    fail(`Callback signature uses algorithm ${JSON.stringify(header.alg)}; only HS256 is accepted.`);
  if (header.crit !== undefined) fail('Callback signature has critical header extensions; refused.');
  if (header.typ !== undefined && header.typ !== 'JWT')
    fail('Callback signature has an unexpected "typ" header.');

  const crypto = getDefaultHmac();
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

  const payload = parseTokenPart(payloadPart, 'payload');
  const { signature: _s, ...received } = fields;
  for (const name of Object.keys(received)) {
    if (!Object.hasOwn(payload, name)) {
      fail(
        `Callback field "${name}" is not covered by the signature (added after signing).${wasObject ? RAW_BODY_HINT : ''}`,
      );
    }
    if (!jsonEqual(payload[name], received[name])) {
      fail(`Callback field "${name}" differs from the signed value.${wasObject ? RAW_BODY_HINT : ''}`);
    }
  }
  for (const name of Object.keys(payload)) {
    if (!Object.hasOwn(received, name)) fail(`Signed field "${name}" is missing from the callback body.`);
  }

  const timestamp = readTimestamp(received.timestamp);
  if (options.toleranceSeconds !== undefined) {
    if (timestamp === undefined) fail('Callback has no valid timestamp, and a tolerance window is set.');
    const now = toDate(options.now).getTime();
    const skew = Math.abs(now - timestamp.getTime()) / 1000;
    if (skew > options.toleranceSeconds) {
      fail(
        `Callback timestamp is ${Math.round(skew)} s away from now, outside the ${options.toleranceSeconds} s window.`,
      );
    }
  }
  return toCallback(received, fields, timestamp);
}

function readTimestamp(value: unknown): Date | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{1,12}$/.test(text)) return undefined;
  return new Date(Number(text) * 1000);
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function toCallback(
  fields: Record<string, unknown>,
  raw: Record<string, unknown>,
  timestamp: Date | undefined,
): JwtGatewayCallback {
  const str = (name: string) => {
    const v = fields[name];
    if (typeof v !== 'string' || v === '') fail(`Callback field "${name}" must be a non-empty string.`);
    return v;
  };
  const providerStatus = str('status');
  let amountSatang: number;
  try {
    amountSatang = parseProviderAmount(fields.amount, 'amount');
  } catch {
    fail('Callback field "amount" is not an amount.');
  }
  const callback: JwtGatewayCallback = {
    orderNo: str('order_no'),
    agentOrderNo: str('agent_order_no'),
    type: typeof fields.type === 'string' ? fields.type : '',
    amount: Number(fields.amount),
    amountSatang,
    status: fromJwtGatewayStatus(providerStatus),
    providerStatus,
    raw,
  };
  const fee = optionalNumber(fields.fee);
  if (fee !== undefined) callback.fee = fee;
  const transfer = optionalNumber(fields.transfer_amount);
  if (transfer !== undefined) callback.transferAmount = transfer;
  const actual = optionalNumber(fields.actual_amount);
  if (actual !== undefined) {
    callback.actualAmount = actual;
    try {
      callback.actualAmountSatang = parseProviderAmount(actual, 'actual_amount');
    } catch {
      // Like `amount`: a callback this function cannot read is a WebhookVerificationError, never another class.
      fail('Callback field "actual_amount" is not an amount.');
    }
  }
  if (timestamp) callback.timestamp = timestamp;
  return callback;
}

/** Options of {@link createJwtGatewayWebhookHandler}; `Db` is the inbox's transaction type, if any. */
export type JwtGatewayWebhookHandlerOptions<Db = undefined> = WebhookDedupeOptions<Db> & {
  /** The API key, or several during a rotation. */
  apiKey: string | readonly string[];
  /**
   * Called once per distinct callback (order + status). Throw to have the provider retry. With an
   * `inbox`, runs inside its transaction: write through `context.db`.
   */
  onEvent(callback: JwtGatewayCallback, context: WebhookEventContext<Db>): unknown;
  /** Refuse callbacks whose `timestamp` is further than this from now, either way. Off by default. */
  toleranceSeconds?: number;
  /** Largest body accepted, checked before parsing (413 above it). Default 64 KB. */
  maxBodyBytes?: number;
  /** Told why a callback was refused or failed. */
  onError?(error: unknown): void;
  /** Clock for the tolerance window, for tests. */
  now?: () => number;
  /** How long a handled callback is remembered. Default 7 days. */
  dedupeTtlSeconds?: number;
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
 *
 * @example
 * ```ts
 * const handler = createJwtGatewayWebhookHandler({
 *   apiKey: process.env.GATEWAY_API_KEY!,
 *   onEvent: async (callback) => orders.settle(callback.agentOrderNo, callback.status),
 * });
 * export const POST = handler; // Next.js App Router, Hono, Workers...
 * ```
 */
export function createJwtGatewayWebhookHandler<Db = undefined>(
  options: JwtGatewayWebhookHandlerOptions<Db>,
): (request: Request) => Promise<Response> {
  keyList(options.apiKey);
  return createWebhookHandler<JwtGatewayCallback, Db>({
    verify: (text, contentType) => {
      if (contentType && !/json/i.test(contentType)) {
        throw new WebhookVerificationError('JWT gateway callbacks are JSON.');
      }
      return verifyJwtGatewayCallback(bodyToText(text, options.maxBodyBytes), options.apiKey, {
        toleranceSeconds: options.toleranceSeconds,
        now: options.now?.(),
        maxBodyBytes: options.maxBodyBytes,
      });
    },
    dedupeKey: (callback) => `jwt-gateway:${callback.type}:${callback.orderNo}:${callback.providerStatus}`,
    acknowledge: () =>
      new Response(JWT_GATEWAY_ACK, { status: 200, headers: { 'content-type': 'application/json' } }),
    onEvent: options.onEvent,
    store: options.store,
    inbox: options.inbox,
    maxBodyBytes: options.maxBodyBytes,
    onError: options.onError,
    dedupeTtlSeconds: options.dedupeTtlSeconds,
    dedupeLeaseSeconds: options.dedupeLeaseSeconds,
  });
}
