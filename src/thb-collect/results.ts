/**
 * Verified provider data → typed results. Runs only after the signature checked out, so what is refused
 * here is a shape the document does not allow (a status that is not an integer, an amount that is not an
 * amount), never an attack; it is still refused, because guessing at money fields is worse than failing.
 */
import { base64Decode } from '../core/encoding';
import { ApiError } from '../core/errors';
import { parseProviderAmount } from '../core/money';
import { parseThailandTime } from '../core/time';
import { fromThbCollectionStatus, fromThbPayoutStatus, type PaymentStatus } from '../status';

/** What a created collection returns (`/thb/collect/apply`). */
export interface ThbCollectionCreatedFields {
  /** Your order id, as sent; checked to be the one asked for. */
  orderId: string;
  /** Platform order number. */
  orderNo: string;
  /** The payment page (or a guide) to send the payer to. */
  payUrl?: string;
  /** Channel code of a virtual account. */
  bankCode?: string;
  /** Virtual account number to pay into. */
  bankNo?: string;
  /** The QR payload text, to render yourself (see `thaipay/qr`). */
  qrCode?: string;
  /** The provider's `data`, untouched (its `sign` included). */
  raw: Record<string, unknown>;
}

/** What a created payout returns (`/thb/pay/apply`). */
export interface ThbPayoutCreatedFields {
  /** Your order id, as sent; checked to be the one asked for. */
  orderId: string;
  /** Platform order number. */
  orderNo: string;
  /** The provider's `data`, untouched. */
  raw: Record<string, unknown>;
}

/** An order as the query endpoints report it. Amounts are as sent plus satang integers. */
export interface ThbOrder {
  /** Your order id (the merchant's), as sent. */
  orderId: string;
  /** The platform's order number, as sent (a Long written as text when it came as a number). */
  orderNo: string;
  /** Order amount in baht as sent (`"50000.00"`). */
  amount: string;
  /** `amount` in satang (integer, 1 baht = 100 satang); compute with this, never with `amount`. */
  amountSatang: number;
  /** Fee in baht as sent; absent when the provider left it out. */
  fee?: string;
  /** `fee` in satang (integer); present with `fee`. */
  feeSatang?: number;
  /** Unified status. */
  status: PaymentStatus;
  /**
   * The provider's status code as text, as the JWT gateway's is: collections `"0"`…`"5"` and `"-1"`;
   * payouts `"0"`…`"3"` and `"-1"`. Decide on `status`; this is for logs and support.
   */
  providerStatus: string;
  /** When it was paid (status 2), read as Thailand time. Absent when empty or not in the documented form. */
  payTime?: Date;
  /** Failure reason (status 3), free text in any language. */
  errorMsg?: string;
  /** The provider's `data`, untouched. */
  raw: Record<string, unknown>;
}

/** A collection as `/thb/collect/query` reports it. */
export interface ThbCollectionOrder extends ThbOrder {
  /** Amount actually received, as sent (partial and over collections differ from `amount`). */
  actualAmount?: string;
  /** `actualAmount` in satang (integer); present with `actualAmount`. */
  actualAmountSatang?: number;
}

/** A payout as `/thb/pay/query` reports it. */
export type ThbPayoutOrder = ThbOrder;

/** Which of the two order kinds; their status codes differ. */
export type ThbOrderKind = 'collection' | 'payout';

/** How a shape problem is reported: ApiError for responses, WebhookVerificationError for notifications. */
export type ShapeError = (message: string) => Error;

/** The default: a response the client cannot use. */
export const invalidResponse: ShapeError = (message) =>
  new ApiError(`THB collect sent an unusable answer: ${message}`, { code: 'invalid_response' });

/** A non-empty identifier: a string, or a safe integer a JSON writer produced from a Long. */
export function readId(data: Record<string, unknown>, field: string, fail: ShapeError): string {
  const value = data[field];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw fail(`"${field}" is missing or not an identifier`);
}

/** An optional text field: present only when a non-empty string (or a number written as text). */
export function readOptionalText(data: Record<string, unknown>, field: string): string | undefined {
  const value = data[field];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The status code: an integer, or its canonical decimal text (form-encoded notifications). */
export function readStatus(data: Record<string, unknown>, fail: ShapeError): number {
  const value = data.status;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || (typeof value === 'string' && String(n) !== value)) {
    throw fail('"status" is missing or not an integer status code');
  }
  return n;
}

/** The unified status of a provider code, by order kind. */
export function unifiedStatus(kind: ThbOrderKind, code: number): PaymentStatus {
  return kind === 'collection' ? fromThbCollectionStatus(code) : fromThbPayoutStatus(code);
}

/** An amount field as sent plus satang; undefined when absent or empty. */
export function readAmount(
  data: Record<string, unknown>,
  field: string,
  fail: ShapeError,
): { text: string; satang: number } | undefined {
  const value = data[field];
  if (value === undefined || value === null || value === '') return undefined;
  try {
    return { text: String(value), satang: parseProviderAmount(value, field) };
  } catch {
    throw fail(`"${field}" is not an amount in baht`);
  }
}

/**
 * `payTime` as a Date. Lenient on purpose: an empty or differently formatted time must not hide an
 * order's status; the text stays in `raw`.
 */
function readPayTime(data: Record<string, unknown>): Date | undefined {
  const value = data.payTime;
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    return parseThailandTime(value, 'payTime');
  } catch {
    return undefined;
  }
}

/** The fields of an order common to query answers and notifications. */
export function readOrder(kind: ThbOrderKind, data: Record<string, unknown>, fail: ShapeError): ThbOrder {
  const amount = readAmount(data, 'amount', fail);
  if (amount === undefined) throw fail('"amount" is missing');
  const code = readStatus(data, fail);
  const order: ThbOrder = {
    orderId: readId(data, 'orderId', fail),
    orderNo: readId(data, 'orderNo', fail),
    amount: amount.text,
    amountSatang: amount.satang,
    status: unifiedStatus(kind, code),
    // Canonical decimal text whether the provider sent 2 or "2" (readStatus refuses "02").
    providerStatus: String(code),
    raw: data,
  };
  const fee = readAmount(data, 'fee', fail);
  if (fee !== undefined) {
    order.fee = fee.text;
    order.feeSatang = fee.satang;
  }
  const payTime = readPayTime(data);
  if (payTime !== undefined) order.payTime = payTime;
  const errorMsg = readOptionalText(data, 'errorMsg');
  if (errorMsg !== undefined) order.errorMsg = errorMsg;
  return order;
}

/**
 * A collection query answer.
 *
 * @example
 * ```ts
 * const order = collectionOrder(verifiedData, invalidResponse);
 * order.status; // "processing" for status 1
 * ```
 */
export function collectionOrder(
  data: Record<string, unknown>,
  fail: ShapeError = invalidResponse,
): ThbCollectionOrder {
  const order: ThbCollectionOrder = readOrder('collection', data, fail);
  const actual = readAmount(data, 'actualAmount', fail);
  if (actual !== undefined) {
    order.actualAmount = actual.text;
    order.actualAmountSatang = actual.satang;
  }
  return order;
}

/**
 * A payout query answer.
 *
 * @example
 * ```ts
 * payoutOrder(verifiedData).providerStatus; // "3"
 * ```
 */
export function payoutOrder(
  data: Record<string, unknown>,
  fail: ShapeError = invalidResponse,
): ThbPayoutOrder {
  return readOrder('payout', data, fail);
}

/**
 * A collection create answer.
 *
 * @example
 * ```ts
 * collectionCreated(verifiedData).payUrl; // "https://..."
 * ```
 */
export function collectionCreated(data: Record<string, unknown>): ThbCollectionCreatedFields {
  const created: ThbCollectionCreatedFields = {
    orderId: readId(data, 'orderId', invalidResponse),
    orderNo: readId(data, 'orderNo', invalidResponse),
    raw: data,
  };
  for (const field of ['payUrl', 'bankCode', 'bankNo', 'qrCode'] as const) {
    const value = readOptionalText(data, field);
    if (value !== undefined) created[field] = value;
  }
  return created;
}

/**
 * A payout create answer.
 *
 * @example
 * ```ts
 * payoutCreated(verifiedData).orderNo; // "3023062014149637"
 * ```
 */
export function payoutCreated(data: Record<string, unknown>): ThbPayoutCreatedFields {
  return {
    orderId: readId(data, 'orderId', invalidResponse),
    orderNo: readId(data, 'orderNo', invalidResponse),
    raw: data,
  };
}

/**
 * A collection create reconciled by querying after its answer was lost: the query's fields. The query
 * cannot restore what only the create answer carries, so `payUrl`, `qrCode`, `bankCode` and `bankNo` are
 * always absent here (typed `undefined`): send the payer to your own page, or create a new order.
 */
export interface ThbCollectionReconciled extends ThbCollectionOrder {
  /** The create answer was lost; this is what the query returned. */
  reconciled: true;
  /** Not restorable by a query: always absent. */
  payUrl?: undefined;
  /** Not restorable by a query: always absent. */
  qrCode?: undefined;
  /** Not restorable by a query: always absent. */
  bankCode?: undefined;
  /** Not restorable by a query: always absent. */
  bankNo?: undefined;
}

/** A payout create reconciled by querying: the query's fields (it returns more than the create). */
export interface ThbPayoutReconciled extends ThbPayoutOrder {
  /** The create answer was lost; this is what the query returned. */
  reconciled: true;
}

/**
 * The fields a create answer has and a reconciling query cannot restore, by kind.
 *
 * @example
 * ```ts
 * THB_FIELDS_LOST_ON_RECONCILE.collection; // ["payUrl", "qrCode", "bankCode", "bankNo"]
 * ```
 */
export const THB_FIELDS_LOST_ON_RECONCILE = /* @__PURE__ */ Object.freeze({
  /** A collection's payment page, QR payload and virtual account: only the create answer has them. */
  collection: /* @__PURE__ */ Object.freeze(['payUrl', 'qrCode', 'bankCode', 'bankNo'] as const),
  /** Nothing: a payout query returns more than its create answer. */
  payout: /* @__PURE__ */ Object.freeze([] as const),
});

/** A collection as its create answer gave it. */
export interface ThbCollectionCreatedAnswer extends ThbCollectionCreatedFields {
  /** `false`: this is the create answer itself, with `payUrl`/`qrCode` when the provider sent them. */
  reconciled: false;
}

/** A payout as its create answer gave it. */
export interface ThbPayoutCreatedAnswer extends ThbPayoutCreatedFields {
  /** `false`: this is the create answer itself. */
  reconciled: false;
}

/** The merchant account's balance (`/thb/account/ledger`), baht as sent plus satang integers. */
export interface ThbBalance {
  /** Account balance in baht, as sent (`"1200.50"`). */
  bal: string;
  /** `bal` in satang. */
  balSatang: number;
  /** Available amount in baht: what payouts can use. */
  availableBal: string;
  /** `availableBal` in satang. */
  availableBalSatang: number;
  /** Frozen amount in baht. */
  frzBal: string;
  /** `frzBal` in satang. */
  frzBalSatang: number;
  /** Amount awaiting settlement in baht. */
  unSettleBal: string;
  /** `unSettleBal` in satang. */
  unSettleBalSatang: number;
  /** The provider's `data`, scrubbed of secrets. */
  raw: Record<string, unknown>;
}

/** A statement file's download link (`/common/document/download`). */
export interface ThbStatementLink {
  /** The statement kind asked for, as the provider's number: 15 payout, 20 collection, 40 fund flow. */
  type: number;
  /** The day, `yyyyMMdd`. */
  date: string;
  /** Where to download the file; valid for about an hour. */
  fileUrl: string;
  /** When the link expires, as the provider wrote it; absent when it sent none. */
  expired?: string;
  /** The provider's `data`, scrubbed of secrets. */
  raw: Record<string, unknown>;
}

/** A payout's voucher (`/common/voucher`): an image of the transfer receipt. */
export interface ThbPayoutVoucher {
  /** The payout's platform order number, as asked. */
  orderNo: string;
  /** The image, Base64 as sent. */
  imageBase64: string;
  /** The image's media type, from its first bytes: `image/png`, `image/jpeg`, ... or `application/octet-stream`. */
  contentType: string;
  /**
   * Whether a platform signature covered the image. The document describes the answer as the Base64 image
   * alone, which carries no `sign`: then `false`, and the image is a receipt to show, never a fact to
   * act on (query the payout for its status).
   */
  signed: boolean;
}

/** A balance answer (already verified). */
export function balanceOf(data: Record<string, unknown>, fail: ShapeError = invalidResponse): ThbBalance {
  // Balances can go below zero (a frozen dispute, a reversal): read the sign too.
  const readSigned = (field: string) => {
    const value = data[field];
    if (value === undefined || value === null || value === '') throw fail(`"${field}" is missing`);
    try {
      return { text: String(value), satang: parseProviderAmount(value, field, { allowNegative: true }) };
    } catch {
      throw fail(`"${field}" is not an amount in baht`);
    }
  };
  const bal = readSigned('bal');
  const available = readSigned('availableBal');
  const frozen = readSigned('frzBal');
  const unsettled = readSigned('unSettleBal');
  return {
    bal: bal.text,
    balSatang: bal.satang,
    availableBal: available.text,
    availableBalSatang: available.satang,
    frzBal: frozen.text,
    frzBalSatang: frozen.satang,
    unSettleBal: unsettled.text,
    unSettleBalSatang: unsettled.satang,
    raw: data,
  };
}

/** A statement link answer (already verified). */
export function statementLinkOf(
  data: Record<string, unknown>,
  fail: ShapeError = invalidResponse,
): ThbStatementLink {
  const fileUrl = readOptionalText(data, 'fileUrl');
  if (fileUrl === undefined) throw fail('"fileUrl" is missing');
  const type = Number(readId(data, 'type', fail));
  const link: ThbStatementLink = { type, date: readId(data, 'date', fail), fileUrl, raw: data };
  const expired = readOptionalText(data, 'expired');
  if (expired !== undefined) link.expired = expired;
  return link;
}

/** The media type of an image by its first bytes (`undefined` when the text is not Base64). */
export function imageType(base64: string): string | undefined {
  let head: Uint8Array;
  try {
    head = base64Decode(base64.replace(/\s+/g, ''), 'voucher');
  } catch {
    return undefined;
  }
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  if (head[0] === 0x89 && ascii(1, 4) === 'PNG') return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 4) === 'GIF8') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(0, 4) === '%PDF') return 'application/pdf';
  return 'application/octet-stream';
}
