/**
 * The attributes thaipay puts on spans: the OpenTelemetry HTTP semantic-convention names, plus
 * `thaipay.*` for order ids and statuses. Only values read from an allowlist of fields ever become
 * attributes, so nothing secret (keys, signatures, account numbers, raw bodies) can slip in.
 */
import type { Attributes } from '@opentelemetry/api';

/** The attribute names thaipay sets, in one place. */
export const ATTR = {
  /** HTTP method of the request (semantic conventions). */
  httpMethod: 'http.request.method',
  /** HTTP status code of the answer. */
  httpStatus: 'http.response.status_code',
  /** How many times the request was sent before this attempt (0 for the first). */
  resendCount: 'http.request.resend_count',
  /** The request URL, user info dropped and query values redacted. */
  urlFull: 'url.full',
  /** Path of a webhook request. */
  urlPath: 'url.path',
  /** Scheme of a webhook request (`http`, `https`). */
  urlScheme: 'url.scheme',
  /** Host the request went to. */
  serverAddress: 'server.address',
  /** Port the request went to. */
  serverPort: 'server.port',
  /** What went wrong: an error code, an HTTP status code, or an error class name. */
  errorType: 'error.type',
  /** `jwt-gateway` or `thb-collect`. */
  provider: 'thaipay.provider',
  /** The client method called (`createDeposit`, `getCollection`, ...). */
  operation: 'thaipay.operation',
  /** Your order id (`orderId` of a result; `agentOrderNo` or `transactionId` of a JWT gateway input). */
  orderId: 'thaipay.order_id',
  /** The provider's order number (`orderNo`, `referenceId`). */
  providerOrderId: 'thaipay.provider_order_id',
  /** The unified payment status (`succeeded`, `pending`, ...). */
  status: 'thaipay.status',
  /** The provider's own status, as sent. */
  providerStatus: 'thaipay.provider_status',
  /** A webhook event's kind (`deposit`, `withdrawal`, `collection`, `payout`). */
  eventKind: 'thaipay.event_kind',
  /** Whether a create was learned by querying after its answer was lost. */
  reconciled: 'thaipay.reconciled',
  /** The thaipay error's `code`. */
  errorCode: 'thaipay.error_code',
  /** Which attempt an event describes: 1 for the first. */
  attempt: 'thaipay.attempt',
  /** Whether the transport tries again after this failed attempt. */
  willRetry: 'thaipay.will_retry',
  /** How long the attempt took, in ms. */
  durationMs: 'thaipay.duration_ms',
  /** What a delivery came to: handled, duplicate, refused, in_flight, failed, unavailable. */
  webhookOutcome: 'thaipay.webhook.outcome',
} as const;

/**
 * A URL fit for `url.full`: user info dropped and every query value replaced by `REDACTED`, as the
 * semantic conventions advise (a query can carry a signature or a token). Not a URL: `undefined`.
 *
 * @example
 * ```ts
 * scrubUrl('https://u:p@gw.example/api/v1/order?order_no=DP1'); // 'https://gw.example/api/v1/order?order_no=REDACTED'
 * ```
 */
export function scrubUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  url.username = '';
  url.password = '';
  url.hash = '';
  const names = [...url.searchParams.keys()];
  if (names.length > 0) url.search = names.map((n) => `${encodeURIComponent(n)}=REDACTED`).join('&');
  return url.toString();
}

/** `url.full`, `server.address` and `server.port` of a request URL. */
export function urlAttributes(raw: string): Attributes {
  const full = scrubUrl(raw);
  if (full === undefined) return {};
  const url = new URL(full);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return { [ATTR.urlFull]: full, [ATTR.serverAddress]: url.hostname, [ATTR.serverPort]: port };
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/**
 * Order ids and statuses of a call's input, result, or webhook event (`event: true` adds its kind), from
 * the fields both providers' shapes use. Only these fields are read.
 *
 * @example
 * ```ts
 * orderAttributes({ orderId: 'order-1', orderNo: 'DP1', status: 'succeeded' });
 * ```
 */
export function orderAttributes(value: unknown, options: { event?: boolean } = {}): Attributes {
  if (value === null || typeof value !== 'object') return {};
  const v = value as Record<string, unknown>;
  const out: Attributes = {};
  // Results name it `orderId`; the JWT gateway's inputs keep the document's names.
  const orderId = text(v.orderId) ?? text(v.agentOrderNo) ?? text(v.transactionId);
  const providerOrderId = text(v.orderNo);
  if (orderId !== undefined) out[ATTR.orderId] = orderId;
  if (providerOrderId !== undefined) out[ATTR.providerOrderId] = providerOrderId;
  const status = text(v.status);
  if (status !== undefined) out[ATTR.status] = status;
  const providerStatus = text(v.providerStatus);
  if (providerStatus !== undefined) out[ATTR.providerStatus] = providerStatus;
  // A webhook event's kind (`deposit`, `collection`, ...); a call's input `type` is something else (`QR`).
  const kind = options.event ? (text(v.kind) ?? text(v.type)) : undefined;
  if (kind !== undefined) out[ATTR.eventKind] = kind;
  if (typeof v.reconciled === 'boolean') out[ATTR.reconciled] = v.reconciled;
  return out;
}

/** `error.type` and `thaipay.error_code` of an error: its code when it has one, else its class name. */
export function errorAttributes(error: unknown): Attributes {
  if (error !== null && typeof error === 'object') {
    const e = error as { code?: unknown; name?: unknown };
    const code = typeof e.code === 'string' && e.code !== '' ? e.code : undefined;
    const name = typeof e.name === 'string' && e.name !== '' ? e.name : 'Error';
    return code === undefined
      ? { [ATTR.errorType]: name }
      : { [ATTR.errorType]: code, [ATTR.errorCode]: code };
  }
  return { [ATTR.errorType]: '_OTHER' };
}
